# Reproduce the papers of this project from nothing (README.md):
#     snakemake -j8                        every paper: figures, tables, claims, PDFs
#     snakemake -j8 chandra2024            one paper
#     snakemake -j8 fig5_resonances        one figure and only what it needs
#     snakemake -j8 --configfile config/paper.yaml     at the papers' scale
#
# Data flow, one rule per arrow, each calling one `python -m rnnrepro <stage>`:
#   config.yaml -> kernels -> plan -> simulation shards -> per-run metrics (parquet)
#               -> tables (+ theory, fits) -> figures -> claims -> manuscript PDF
# The papers, their experiments and figures come from one registry
# (src/rnnrepro/registry.py); no rule names a paper, an experiment or a figure.


configfile: os.path.join(workflow.basedir, "config.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/kernels.smk"
include: "workflow/rules/experiments.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/paper.smk"


report: "workflow/report/workflow.rst"


rule all:
    default_target: True
    input:
        layout.all_outputs(LATEX),
