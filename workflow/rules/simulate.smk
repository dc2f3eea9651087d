# Stage 2: simulation shards.  The plan of an experiment (one row per run, stable
# run_id) is split into `shards` interleaved parts; each job simulates its part as one
# batch.  A run's result does not depend on the shard it lands in.


rule simulate:
    input:
        kernels=lambda w: kernel_files(w.experiment),
    output:
        "results/runs/{experiment}/shard-{shard}-of-{shards}.npz",
    params:
        spec=lambda w: experiment_spec(w.experiment),
    shell:
        "{CURNN} simulate --experiment {wildcards.experiment} --spec {params.spec:q}"
        " --kernels {input.kernels:q} --shard {wildcards.shard} --shards {wildcards.shards}"
        " --out {output:q}"
