# Stage 4: one table per experiment (theory columns beside the measured ones) and its
# fitted laws; then every fit in one table.


rule aggregate:
    input:
        rows=lambda w: shard_files(w.experiment, "parquet"),
        kernels=lambda w: kernel_files(w.experiment),
    output:
        table="results/tables/{experiment}.parquet",
        fits="results/tables/fits/{experiment}.parquet",
        provenance=provenance_files("results/tables/{experiment}.parquet",
                                    "results/tables/fits/{experiment}.parquet"),
    params:
        spec=lambda w: experiment_spec(w.experiment),
    shell:
        "{CURNN} aggregate --experiment {wildcards.experiment} --spec {params.spec:q}"
        " --rows {input.rows:q} --kernels {input.kernels:q} --table {output.table:q} --fits {output.fits:q}"


rule collect_fits:
    input:
        [table_file(f"fits/{e}") for e in EXPERIMENTS],
    output:
        fits="results/tables/fits.parquet",
        provenance=provenance_files("results/tables/fits.parquet"),
    shell:
        "{CURNN} collect-fits --inputs {input:q} --out {output.fits:q}"
