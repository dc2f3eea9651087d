# Configuration, registry and path helpers shared by the rule files (functions only).
# No science here; jobs call `python -m rnnrepro <stage>` with the config keys the stage
# reads and the fingerprint of the code it runs (src/rnnrepro/stages.py).

import json
import os
import shlex
import sys

sys.path.insert(0, os.path.join(workflow.basedir, "src"))

from rnnrepro import captions, layout, registry, stages  # noqa: E402
from rnnrepro.config import ConfigError, validate_config  # noqa: E402
from rnnrepro.manuscript import (
    LATEX_PACKAGES,
    latex_available,
    source_date_epoch,
)  # noqa: E402
from rnnrepro.provenance import damaged_outputs, dependents, sidecar_path  # noqa: E402

# Bad input stops here, before any job starts, with a message naming each key.
try:
    validate_config(config)
except ConfigError as err:
    raise WorkflowError(str(err)) from None

PAPERS = registry.papers()
EXPERIMENTS = {m.NAME: p.id for p in PAPERS.values() for m in p.experiments}
FIGURES = {m.NAME: p.id for p in PAPERS.values() for m in p.figures}
DERIVED = {
    f"{m.NAME}_{d}": (m.NAME, d)
    for p in PAPERS.values()
    for m in p.experiments
    for d in getattr(m, "DERIVED", {})
}

# Jobs run the library beside this Snakefile, with the Python that runs Snakemake.
# (Snakemake formats the prefix too: its own braces are doubled.)
shell.prefix(
    f"export PYTHONPATH={shlex.quote(os.path.join(workflow.basedir, 'src'))}"
    "${{PYTHONPATH:+:$PYTHONPATH}} "
    f"PATH={shlex.quote(os.path.dirname(sys.executable))}:$PATH; "
)

# The manuscripts need LaTeX; without it the build says so and makes everything else.
LATEX = latex_available()
if not LATEX and workflow.is_main_process:
    print(
        "NOTE: latexmk/pdflatex not found, so the manuscripts (results/*/paper/ms.pdf) "
        "will not be built (everything else will). Install: apt-get install "
        + " ".join(LATEX_PACKAGES),
        file=sys.stderr,
    )

SOURCE_DATE_EPOCH = source_date_epoch(workflow.basedir)

# A file whose bytes no longer match the checksum its job recorded (truncated, edited)
# is named before any job; it and every output made from it are removed, so this run
# rebuilds them and no job reads it (a dry run only reports).  Only the main process
# checks, and not while another Snakemake holds this directory (its jobs may be between
# a file and its sidecar).
if workflow.is_main_process and not stages.another_run_holds_locks():
    for damaged in damaged_outputs(layout.RESULTS):
        stale = [damaged, *dependents(layout.RESULTS, [damaged])]
        print(
            f"NOTE: {damaged} does not match the checksum its job recorded in "
            f"{sidecar_path(damaged)} (truncated or changed after it was made): "
            + (
                "a run without -n rebuilds it"
                if stages.dry_run(sys.argv)
                else "removed"
            )
            + f" with the {len(stale) - 1} outputs made from it",
            file=sys.stderr,
        )
        if not stages.dry_run(sys.argv):
            for path in stale:
                for file in (path, sidecar_path(path)):
                    file.unlink(missing_ok=True)


wildcard_constraints:
    paper="|".join(PAPERS),
    experiment="|".join(EXPERIMENTS),
    figure="|".join(FIGURES),
    derived="|".join(DERIVED),
    kernel=r"[A-Za-z0-9_]+",
    part=r"\d+-of-\d+",


def own_paper(wildcards):
    """Refuse paths that put an experiment under another paper's folder."""
    if EXPERIMENTS[wildcards.experiment] != wildcards.paper:
        raise WorkflowError(
            f"experiment {wildcards.experiment} belongs to paper "
            f"{EXPERIMENTS[wildcards.experiment]}, not {wildcards.paper}"
        )
    return wildcards.experiment


def kernel_inputs(wildcards):
    return layout.experiment_kernel_files(config, own_paper(wildcards))


def shard_inputs(wildcards, ext):
    return layout.shard_files(config, own_paper(wildcards), ext)


def valid_part(wildcards):
    """Refuse a shard that the experiment's split does not have (shard-5-of-2)."""
    parts = layout.shard_parts(config, own_paper(wildcards))
    if wildcards.part not in parts:
        raise WorkflowError(
            f"{wildcards.experiment} has no shard {wildcards.part}; its shards are "
            f"{', '.join(parts)} (config key "
            f"'{wildcards.paper}.experiments.{wildcards.experiment}.shards')"
        )
    return wildcards.part.split("-of-")


def stage_params(stage):
    """Params of an experiment's stage: its config keys (JSON) and its code."""

    def params(wildcards):
        return json.dumps(
            stages.experiment_params(config, wildcards.experiment, stage),
            sort_keys=True,
        )

    return params


def stage_code(stage):
    return lambda wildcards: stages.experiment_fingerprint(wildcards.experiment, stage)


def figure_tables(wildcards):
    return layout.named_inputs(layout.figure_tables(wildcards.figure))


def figure_table_args(wildcards):
    return layout.table_arguments(layout.figure_tables(wildcards.figure))


def paper_tables(wildcards):
    return layout.named_inputs(layout.paper_tables(wildcards.paper))


def figure_kernels(wildcards):
    figure = registry.figure(wildcards.figure)
    return [
        f
        for experiment in getattr(figure, "KERNELS", ())
        for f in layout.experiment_kernel_files(config, experiment)
    ]


def paper_table_args(wildcards):
    return layout.table_arguments(layout.paper_tables(wildcards.paper))


def paper_figure_pdfs(wildcards):
    return [
        layout.figure_files(m.NAME)[0] for m in registry.paper(wildcards.paper).figures
    ]
