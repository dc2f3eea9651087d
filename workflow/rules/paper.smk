# Stage 7: each paper's claims checked against its tables (a failing claim is shown as
# failing, it does not stop the build), the numbers its text quotes, its figures with
# their captions, and paper/<paper>/ms.tex compiled with latexmk where LaTeX is
# installed; one target per paper, named like the paper (`snakemake chandra2024`).


rule claims:
    input:
        unpack(paper_tables),
        claims=lambda w: os.path.join(workflow.basedir, "paper", w.paper, "claims.yaml"),
        numbers=lambda w: os.path.join(
            workflow.basedir, "paper", w.paper, "numbers.yaml"
        ),
    output:
        table="results/{paper}/tables/claims.parquet",
        html=report(
            "results/{paper}/tables/claims.html",
            caption="../report/claims.rst",
            category=lambda w: PAPERS[w.paper].reference,
            subcategory="Tables",
        ),
        claims_tex="results/{paper}/paper/claims.tex",
        numbers_tex="results/{paper}/paper/numbers.tex",
        fits_tex="results/{paper}/paper/fits.tex",
        figures_tex="results/{paper}/paper/figures.tex",
        table_provenance=multiext(
            "results/{paper}/tables/claims", ".parquet.prov.json", ".html.prov.json"
        ),
        tex_provenance=multiext(
            "results/{paper}/paper/",
            "claims.tex.prov.json",
            "numbers.tex.prov.json",
            "fits.tex.prov.json",
            "figures.tex.prov.json",
        ),
    log:
        "results/{paper}/logs/claims.log",
    params:
        tables=paper_table_args,
        captions=lambda w: [m.CAPTION for m in PAPERS[w.paper].figures],
        code=lambda w: stages.claims_fingerprint(),
    shell:
        "python -m rnnrepro claims --paper {wildcards.paper} --tables {params.tables}"
        " --claims {input.claims:q} --numbers {input.numbers:q}"
        " --figures-dir results/{wildcards.paper}/figures --out {output.table:q}"
        " --html {output.html:q}"
        " --claims-tex {output.claims_tex:q} --numbers-tex {output.numbers_tex:q}"
        " --fits-tex {output.fits_tex:q} --figures-tex {output.figures_tex:q} 2> {log:q}"


rule manuscript:
    input:
        tex=lambda w: os.path.join(workflow.basedir, "paper", w.paper, "ms.tex"),
        generated=multiext(
            "results/{paper}/paper/",
            "claims.tex",
            "numbers.tex",
            "fits.tex",
            "figures.tex",
        ),
        figures=paper_figure_pdfs,
    output:
        pdf="results/{paper}/paper/ms.pdf",
        provenance="results/{paper}/paper/ms.pdf.prov.json",
    log:
        "results/{paper}/logs/manuscript.log",
    params:
        epoch=SOURCE_DATE_EPOCH,
        code=lambda w: stages.manuscript_fingerprint(),
    shell:
        "python -m rnnrepro manuscript --tex {input.tex:q}"
        " --inputs {input.generated:q} {input.figures:q}"
        " --epoch {params.epoch} --out {output.pdf:q} 2> {log:q}"


for _paper in PAPERS:

    rule:
        name:
            _paper
        input:
            layout.paper_outputs(_paper, LATEX),
