"""What the workflow hands each job besides files: its parameters and its code.

The rule files call these helpers so that a job's ``params`` hold exactly the config
keys its stage reads and the fingerprint of the code it runs
(:func:`rnnrepro.fingerprint.code_fingerprint`).  Snakemake re-runs a job when either
changes; the fingerprints ignore comments, docstrings and formatting.  The glue of
:mod:`rnnrepro.cli`, the provenance writer and third-party packages are not part of
any fingerprint (a change there never changes a number; package versions are in every
output's sidecar).
"""

from __future__ import annotations

import functools
import os
from typing import Any

from rnnrepro import claims, io, registry, style
from rnnrepro.experiments import concat_rows, shard_of, stage_params
from rnnrepro.fingerprint import code_fingerprint
from rnnrepro.manuscript import build_pdf

__all__ = ["kernel_fingerprint", "experiment_fingerprint", "derive_fingerprint",
           "figure_fingerprint", "claims_fingerprint", "manuscript_fingerprint",
           "stage_fingerprints", "experiment_params", "figure_options",
           "another_run_holds_locks", "dry_run"]


@functools.cache
def kernel_fingerprint(paper_id: str) -> str:
    """Fingerprint of the code that builds and writes a paper's kernels.

    Parameters
    ----------
    paper_id : str
        The paper.

    Returns
    -------
    str
        Hex digest.
    """
    kernels = registry.paper(paper_id).kernels
    return code_fingerprint(kernels.build, kernels.save)


_STAGE_HELPERS = {
    "plan": (io.write_table,),
    "simulate": (shard_of, io.read_table, io.write_arrays),
    "measure": (io.read_arrays, io.read_table, io.write_table),
    "aggregate": (concat_rows, io.read_table, io.write_table),
}


@functools.cache
def experiment_fingerprint(experiment: str, stage: str) -> str:
    """Fingerprint of the code one stage of an experiment runs.

    Parameters
    ----------
    experiment : str
        The experiment's name.
    stage : str
        ``plan``, ``simulate``, ``measure`` or ``aggregate``.

    Returns
    -------
    str
        Hex digest.
    """
    paper = registry.paper_of_experiment(experiment)
    module = paper.experiment(experiment)
    loaders = (paper.kernels.load,) if paper.kernels is not None else ()
    return code_fingerprint(getattr(module, stage), *_STAGE_HELPERS[stage], *loaders)


@functools.cache
def derive_fingerprint(experiment: str, name: str) -> str:
    """Fingerprint of the code that derives table ``name`` from an experiment's table.

    Parameters
    ----------
    experiment, name : str
        The experiment and the derived table.

    Returns
    -------
    str
        Hex digest.
    """
    module = registry.experiment(experiment)
    return code_fingerprint(module.DERIVED[name], io.read_table, io.write_table)


@functools.cache
def figure_fingerprint(figure: str) -> str:
    """Fingerprint of a figure's ``plot`` and the shared style and writer.

    Parameters
    ----------
    figure : str
        The figure's name.

    Returns
    -------
    str
        Hex digest.
    """
    paper = registry.paper_of_figure(figure)
    module = paper.figure(figure)
    loaders = (paper.kernels.load,) if paper.kernels is not None else ()
    return code_fingerprint(module.plot, style.apply_style, style.save_figure, *loaders)


@functools.cache
def claims_fingerprint() -> str:
    """Fingerprint of the claims engine and the LaTeX it writes.

    Returns
    -------
    str
        Hex digest.
    """
    return code_fingerprint(claims.load_claims, claims.evaluate_claims,
                            claims.evaluate_numbers, claims.claims_latex,
                            claims.numbers_latex, claims.fits_latex, claims.figures_latex)


@functools.cache
def manuscript_fingerprint() -> str:
    """Fingerprint of the LaTeX build.

    Returns
    -------
    str
        Hex digest.
    """
    return code_fingerprint(build_pdf)


def stage_fingerprints() -> dict[str, str]:
    """Every stage's fingerprint, by a readable name.

    Returns
    -------
    dict of str to str
        ``"<paper>/<stage>/<name>"`` to hex digest.
    """
    out = {}
    for paper in registry.papers().values():
        if paper.kernels is not None:
            out[f"{paper.id}/kernel"] = kernel_fingerprint(paper.id)
        for module in paper.experiments:
            for stage in registry.STAGES:
                out[f"{paper.id}/{stage}/{module.NAME}"] = experiment_fingerprint(
                    module.NAME, stage)
            for name in getattr(module, "DERIVED", {}):
                out[f"{paper.id}/derive/{module.NAME}_{name}"] = derive_fingerprint(
                    module.NAME, name)
        for module in paper.figures:
            out[f"{paper.id}/figure/{module.NAME}"] = figure_fingerprint(module.NAME)
    out["claims"] = claims_fingerprint()
    out["manuscript"] = manuscript_fingerprint()
    return out


def experiment_params(config: dict[str, Any], experiment: str, stage: str) -> dict[str, Any]:
    """The config keys one stage of an experiment reads.

    Parameters
    ----------
    config : dict
        The whole configuration.
    experiment : str
        The experiment's name.
    stage : str
        The stage.

    Returns
    -------
    dict
        The keys (plan keys and the stage's own).
    """
    paper = registry.paper_of_experiment(experiment)
    module = paper.experiment(experiment)
    return stage_params(module, stage, config[paper.id]["experiments"][experiment])


def figure_options(config: dict[str, Any], figure: str) -> dict[str, Any]:
    """The config values a figure draws (its ``OPTIONS``), by option name.

    Parameters
    ----------
    config : dict
        The whole configuration.
    figure : str
        The figure's name.

    Returns
    -------
    dict
        Option name to value.
    """
    paper = registry.paper_of_figure(figure)
    module = paper.figure(figure)
    out = {}
    for name, path in getattr(module, "OPTIONS", {}).items():
        value: Any = config[paper.id]
        for part in path:
            value = value[part]
        out[name] = value
    return out


def another_run_holds_locks(directory: str = ".") -> bool:
    """Whether a Snakemake run holds locks on this working directory.

    Parameters
    ----------
    directory : str
        The workflow's working directory.

    Returns
    -------
    bool
        True if ``.snakemake/locks`` holds a lock file.
    """
    locks = os.path.join(directory, ".snakemake", "locks")
    return os.path.isdir(locks) and any(n.endswith(".lock") for n in os.listdir(locks))


def dry_run(argv: list[str]) -> bool:
    """Whether a Snakemake command line asks for a dry run (``-n``, ``--dry-run``, ``-np``).

    (The workflow object knows it only after the Snakefile has been read.)

    Parameters
    ----------
    argv : list of str
        ``sys.argv`` of the Snakemake process.

    Returns
    -------
    bool
        True for a dry run.
    """
    for arg in argv[1:]:
        if arg in ("--dry-run", "--dryrun"):
            return True
        if arg.startswith("-") and not arg.startswith("--") and arg[1:].isalpha() \
                and "n" in arg[1:]:
            return True
    return False
