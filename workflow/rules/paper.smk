# Stage 6: the paper.  The claims are checked against the tables (a failing claim is
# shown as failing, it does not stop the build), the numbers the text quotes are read
# from the tables, and paper/ms.tex is compiled with latexmk where LaTeX is installed.


def paper_tables(wildcards=None):
    tables = {e: table_file(e) for e in EXPERIMENTS}
    tables["fits"] = "results/tables/fits.parquet"
    return tables


rule claims:
    input:
        unpack(paper_tables),
        claims=os.path.join(workflow.basedir, "paper/claims.yaml"),
        numbers=os.path.join(workflow.basedir, "paper/numbers.yaml"),
    output:
        table="results/tables/claims.parquet",
        claims_tex="results/paper/claims.tex",
        numbers_tex="results/paper/numbers.tex",
        fits_tex="results/paper/fits.tex",
        provenance=provenance_files("results/tables/claims.parquet", "results/paper/claims.tex",
                                    "results/paper/numbers.tex", "results/paper/fits.tex"),
    params:
        tables=lambda w, input: " ".join(shlex.quote(f"{k}={input[k]}") for k in paper_tables()),
    shell:
        "{CURNN} claims --tables {params.tables} --claims {input.claims:q}"
        " --numbers {input.numbers:q} --out {output.table:q} --claims-tex {output.claims_tex:q}"
        " --numbers-tex {output.numbers_tex:q} --fits-tex {output.fits_tex:q}"


rule manuscript:
    input:
        tex=os.path.join(workflow.basedir, "paper/ms.tex"),
        generated=["results/paper/claims.tex", "results/paper/numbers.tex",
                   "results/paper/fits.tex"],
        figures=[f for f in all_figure_files() if f.endswith(".pdf")],
    output:
        pdf="results/paper/ms.pdf",
        provenance=provenance_files("results/paper/ms.pdf"),
    params:
        epoch=SOURCE_DATE_EPOCH,
    shell:
        "{CURNN} manuscript --tex {input.tex:q} --inputs {input.generated:q} {input.figures:q}"
        " --epoch {params.epoch} --out {output.pdf:q}"


rule paper:
    input:
        "results/tables/claims.parquet",
        ["results/paper/ms.pdf"] if LATEX else [],
