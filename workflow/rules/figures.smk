# Stage 5: one rule renders any figure from its tables; one target per figure.


rule figure:
    input:
        unpack(lambda w: figure_tables(FIGURE_BY_NAME[w.name])),
    output:
        pdf="results/figures/{name}.pdf",
        png=report("results/figures/{name}.png", caption="../report/figure.rst",
                   category="Figures"),
        provenance=provenance_files("results/figures/{name}.pdf", "results/figures/{name}.png"),
    params:
        figure=lambda w: FIGURE_BY_NAME[w.name],
        tables=figure_table_args,
        dpi=config["figures"]["dpi"],
    shell:
        "{CURNN} figure --figure {params.figure} --tables {params.tables}"
        " --dpi {params.dpi} --pdf {output.pdf:q} --png {output.png:q}"


rule fig1:
    input:
        figure_files("fig1"),


rule fig2:
    input:
        figure_files("fig2"),


rule fig3:
    input:
        figure_files("fig3"),


rule fig4:
    input:
        figure_files("fig4"),


rule fig5:
    input:
        figure_files("fig5"),


rule fig6:
    input:
        figure_files("fig6"),


rule fig7:
    input:
        figure_files("fig7"),
