# Reproduce Chandra & Magnasco, arXiv:2405.13854, from nothing:
#     snakemake -j8                 every figure, table, the claims and the PDF
#     snakemake -j8 fig3            one figure and only what it needs
#     snakemake -j8 --configfile config/paper.yaml     at the paper's scale
#
# Data flow (one rule per arrow, each calling one `python -m curnn <stage>`):
#   config.yaml -> kernels -> simulation shards -> per-run metrics (parquet)
#               -> aggregated tables + fits -> figures -> claims, manuscript PDF

configfile: os.path.join(workflow.basedir, "config.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/kernels.smk"
include: "workflow/rules/simulate.smk"
include: "workflow/rules/measure.smk"
include: "workflow/rules/aggregate.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/paper.smk"

report: "workflow/report/workflow.rst"


rule all:
    default_target: True
    input:
        all_tables(),
        "results/tables/fits.parquet",
        all_figure_files(),
        rules.paper.input,
