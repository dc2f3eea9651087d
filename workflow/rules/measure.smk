# Stage 3: per-run metric extraction, one parquet row per run.


rule measure:
    input:
        "results/runs/{experiment}/shard-{shard}-of-{shards}.npz",
    output:
        "results/runs/{experiment}/shard-{shard}-of-{shards}.parquet",
    params:
        spec=lambda w: experiment_spec(w.experiment),
    shell:
        "{CURNN} measure --experiment {wildcards.experiment} --spec {params.spec:q}"
        " --raw {input:q} --out {output:q}"
