# Stage 6: one rule renders any figure from its tables; one target per figure, named
# like the figure (`snakemake fig5_resonances`), generated from the registry.


rule figure:
    input:
        unpack(figure_tables),
        kernels=figure_kernels,
    output:
        pdf="results/{paper}/figures/{figure}.pdf",
        png=report(
            "results/{paper}/figures/{figure}.png",
            caption="../report/figure.rst",
            category=lambda w: PAPERS[w.paper].reference,
            subcategory="Figures",
        ),
        provenance=multiext(
            "results/{paper}/figures/{figure}", ".pdf.prov.json", ".png.prov.json"
        ),
    log:
        "results/{paper}/logs/figure/{figure}.log",
    params:
        tables=figure_table_args,
        options=lambda w: json.dumps(
            stages.figure_options(config, w.figure), sort_keys=True
        ),
        dpi=config["figures"]["dpi"],
        caption=lambda w: captions.caption_rst(registry.figure(w.figure).CAPTION),
        code=lambda w: stages.figure_fingerprint(w.figure),
    shell:
        "python -m rnnrepro figure --figure {wildcards.figure} --tables {params.tables}"
        " --kernels {input.kernels:q} --options {params.options:q} --dpi {params.dpi}"
        " --pdf {output.pdf:q} --png {output.png:q} 2> {log:q}"


for _figure in FIGURES:

    rule:
        name:
            _figure
        input:
            layout.figure_files(_figure),
