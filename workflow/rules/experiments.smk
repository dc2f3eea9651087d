# Stages 2-5 of every experiment, generic over {experiment}: the plan (one row per
# run), simulation shards, per-run metrics, and the table with theory columns and
# fitted laws; tables derived from a table; every fit of a paper in one table.


rule plan:
    input:
        kernels=kernel_inputs,
    output:
        plan="results/{paper}/runs/{experiment}/plan.parquet",
        provenance="results/{paper}/runs/{experiment}/plan.parquet.prov.json",
    log:
        "results/{paper}/logs/plan/{experiment}.log",
    params:
        config_keys=stage_params("plan"),
        code=stage_code("plan"),
    shell:
        "python -m rnnrepro plan --experiment {wildcards.experiment} --params {params.config_keys:q}"
        " --kernels {input.kernels:q} --out {output.plan:q} 2> {log:q}"


rule simulate:
    input:
        plan="results/{paper}/runs/{experiment}/plan.parquet",
        kernels=kernel_inputs,
    output:
        raw="results/{paper}/runs/{experiment}/shard-{part}.npz",
        provenance="results/{paper}/runs/{experiment}/shard-{part}.npz.prov.json",
    log:
        "results/{paper}/logs/simulate/{experiment}-{part}.log",
    params:
        config_keys=stage_params("simulate"),
        code=stage_code("simulate"),
        shard=lambda w: valid_part(w)[0],
        shards=lambda w: valid_part(w)[1],
    shell:
        "python -m rnnrepro simulate --experiment {wildcards.experiment}"
        " --params {params.config_keys:q} --plan {input.plan:q} --kernels {input.kernels:q}"
        " --shard {params.shard} --shards {params.shards} --out {output.raw:q} 2> {log:q}"


rule measure:
    input:
        raw="results/{paper}/runs/{experiment}/shard-{part}.npz",
        plan="results/{paper}/runs/{experiment}/plan.parquet",
        kernels=kernel_inputs,
    output:
        rows="results/{paper}/runs/{experiment}/shard-{part}.parquet",
        provenance="results/{paper}/runs/{experiment}/shard-{part}.parquet.prov.json",
    log:
        "results/{paper}/logs/measure/{experiment}-{part}.log",
    params:
        config_keys=stage_params("measure"),
        code=stage_code("measure"),
    shell:
        "python -m rnnrepro measure --experiment {wildcards.experiment}"
        " --params {params.config_keys:q} --plan {input.plan:q} --kernels {input.kernels:q}"
        " --raw {input.raw:q} --out {output.rows:q} 2> {log:q}"


rule aggregate:
    input:
        rows=lambda w: shard_inputs(w, "parquet"),
        plan="results/{paper}/runs/{experiment}/plan.parquet",
        kernels=kernel_inputs,
    output:
        table="results/{paper}/tables/{experiment}.parquet",
        fits="results/{paper}/tables/fits/{experiment}.parquet",
        table_provenance="results/{paper}/tables/{experiment}.parquet.prov.json",
        fits_provenance="results/{paper}/tables/fits/{experiment}.parquet.prov.json",
    log:
        "results/{paper}/logs/aggregate/{experiment}.log",
    params:
        config_keys=stage_params("aggregate"),
        code=stage_code("aggregate"),
    shell:
        "python -m rnnrepro aggregate --experiment {wildcards.experiment}"
        " --params {params.config_keys:q} --plan {input.plan:q} --kernels {input.kernels:q}"
        " --rows {input.rows:q} --table {output.table:q} --fits {output.fits:q} 2> {log:q}"


rule derive:
    input:
        table=lambda w: layout.table_file(w.paper, DERIVED[w.derived][0]),
    output:
        table="results/{paper}/tables/{derived}.parquet",
        provenance="results/{paper}/tables/{derived}.parquet.prov.json",
    log:
        "results/{paper}/logs/derive/{derived}.log",
    params:
        experiment=lambda w: DERIVED[w.derived][0],
        name=lambda w: DERIVED[w.derived][1],
        code=lambda w: stages.derive_fingerprint(*DERIVED[w.derived]),
    shell:
        "python -m rnnrepro derive --experiment {params.experiment} --name {params.name}"
        " --table {input.table:q} --out {output.table:q} 2> {log:q}"


rule collect_fits:
    input:
        lambda w: [
            layout.fits_file(w.paper, m.NAME) for m in PAPERS[w.paper].experiments
        ],
    output:
        fits="results/{paper}/tables/fits.parquet",
        html=report(
            "results/{paper}/tables/fits.html",
            caption="../report/fits.rst",
            category=lambda w: PAPERS[w.paper].reference,
            subcategory="Tables",
        ),
        provenance=multiext(
            "results/{paper}/tables/fits", ".parquet.prov.json", ".html.prov.json"
        ),
    log:
        "results/{paper}/logs/collect_fits.log",
    shell:
        "python -m rnnrepro collect-fits --paper {wildcards.paper} --inputs {input:q}"
        " --out {output.fits:q} --html {output.html:q} 2> {log:q}"
