# Stage 1: a paper's kernels (for the first paper: unitary kernels as Fourier
# multipliers), results/<paper>/kernels/<kernel>.npz


rule kernel:
    output:
        kernel="results/{paper}/kernels/{kernel}.npz",
        provenance="results/{paper}/kernels/{kernel}.npz.prov.json",
    log:
        "results/{paper}/logs/kernel/{kernel}.log",
    params:
        spec=lambda w: json.dumps(config[w.paper]["kernels"][w.kernel], sort_keys=True),
        code=lambda w: stages.kernel_fingerprint(w.paper),
    shell:
        "python -m rnnrepro kernel --paper {wildcards.paper} --name {wildcards.kernel}"
        " --spec {params.spec:q} --out {output.kernel:q} 2> {log:q}"
