# Stage 1: unitary kernels as Fourier multipliers, results/kernels/<kernel>.npz


rule kernel:
    output:
        "results/kernels/{kernel}.npz",
    params:
        spec=lambda w: json.dumps(config["kernels"][w.kernel], sort_keys=True),
    shell:
        "{CURNN} kernel --name {wildcards.kernel} --spec {params.spec:q} --out {output:q}"
