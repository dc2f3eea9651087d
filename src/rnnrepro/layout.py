"""Where every output of the workflow lives (the rule files only call these).

::

    results/<paper>/kernels/<kernel>.npz                  a paper's kernels
    results/<paper>/runs/<experiment>/plan.parquet        one row per run
    results/<paper>/runs/<experiment>/shard-<i>-of-<n>.npz       raw output of a shard
    results/<paper>/runs/<experiment>/shard-<i>-of-<n>.parquet   one row per run of it
    results/<paper>/tables/<experiment>.parquet           one row per run, with theory
    results/<paper>/tables/<experiment>_<derived>.parquet tables derived from it
    results/<paper>/tables/fits/<experiment>.parquet      its fitted laws
    results/<paper>/tables/fits.parquet                   every fit of the paper
    results/<paper>/tables/claims.parquet                 the paper's claims, checked
    results/<paper>/figures/<figure>.{pdf,png}            the figures
    results/<paper>/paper/{claims,numbers,fits,figures}.tex, ms.pdf
    results/<paper>/logs/<rule>/<job>.log                 each job's stderr

Every output has a provenance sidecar ``<file>.prov.json``.
"""

from __future__ import annotations

from typing import Any

from rnnrepro import registry

__all__ = ["RESULTS", "kernel_file", "plan_file", "shard_part", "shard_parts", "shard_file",
           "shard_files", "table_file", "fits_file", "derived_file", "figure_files",
           "paper_file", "log_file", "experiment_kernel_files", "paper_tables",
           "figure_tables", "named_inputs", "table_arguments", "paper_outputs", "all_outputs"]

RESULTS = "results"


def kernel_file(paper: str, kernel: str) -> str:
    """``results/<paper>/kernels/<kernel>.npz``.

    Parameters
    ----------
    paper : str
        The paper's id.
    kernel : str
        The kernel's name (its key in the paper's ``kernels`` config section).

    Returns
    -------
    str
        The path, relative to the repository root.
    """
    return f"{RESULTS}/{paper}/kernels/{kernel}.npz"


def plan_file(paper: str, experiment: str) -> str:
    """``results/<paper>/runs/<experiment>/plan.parquet``.

    Parameters
    ----------
    paper : str
        The paper's id.
    experiment : str
        The experiment's ``NAME``.

    Returns
    -------
    str
        The path, relative to the repository root.
    """
    return f"{RESULTS}/{paper}/runs/{experiment}/plan.parquet"


def shard_part(shard: int, shards: int) -> str:
    """``<i>-of-<n>``: a shard's name (a new split never reuses another's files).

    Parameters
    ----------
    shard : int
        The shard's index ``i``, from 0.
    shards : int
        The number of shards ``n``.

    Returns
    -------
    str
        ``f"{shard}-of-{shards}"``.
    """
    return f"{shard}-of-{shards}"


def shard_parts(config: dict[str, Any], experiment: str) -> list[str]:
    """The shard names of an experiment under ``config``.

    Parameters
    ----------
    config : dict
        The full (validated) configuration.
    experiment : str
        The experiment's ``NAME``.

    Returns
    -------
    list of str
        :func:`shard_part` of each shard, ``n`` being the experiment's ``shards`` key.
    """
    paper = registry.paper_of_experiment(experiment).id
    shards = config[paper]["experiments"][experiment]["shards"]
    return [shard_part(i, shards) for i in range(shards)]


def shard_file(paper: str, experiment: str, part: str, ext: str) -> str:
    """``results/<paper>/runs/<experiment>/shard-<part>.<ext>``.

    Parameters
    ----------
    paper : str
        The paper's id.
    experiment : str
        The experiment's ``NAME``.
    part : str
        The shard's name, from :func:`shard_part`.
    ext : str
        ``npz`` (raw output) or ``parquet`` (measured rows).

    Returns
    -------
    str
        The path, relative to the repository root.
    """
    return f"{RESULTS}/{paper}/runs/{experiment}/shard-{part}.{ext}"


def shard_files(config: dict[str, Any], experiment: str, ext: str) -> list[str]:
    """Every shard file of an experiment, raw (``npz``) or measured (``parquet``).

    Parameters
    ----------
    config : dict
        The full (validated) configuration.
    experiment : str
        The experiment's ``NAME``.
    ext : str
        ``npz`` or ``parquet``.

    Returns
    -------
    list of str
        One path per shard, in shard order.
    """
    paper = registry.paper_of_experiment(experiment).id
    return [shard_file(paper, experiment, part, ext) for part in shard_parts(config, experiment)]


def table_file(paper: str, name: str) -> str:
    """``results/<paper>/tables/<name>.parquet`` (``name`` may be ``fits/<experiment>``).

    Parameters
    ----------
    paper : str
        The paper's id.
    name : str
        The table's name (see :meth:`rnnrepro.registry.Paper.tables`).

    Returns
    -------
    str
        The path, relative to the repository root.
    """
    return f"{RESULTS}/{paper}/tables/{name}.parquet"


def fits_file(paper: str, experiment: str) -> str:
    """``results/<paper>/tables/fits/<experiment>.parquet``.

    Parameters
    ----------
    paper : str
        The paper's id.
    experiment : str
        The experiment's ``NAME``.

    Returns
    -------
    str
        The path, relative to the repository root.
    """
    return table_file(paper, f"fits/{experiment}")


def derived_file(paper: str, experiment: str, name: str) -> str:
    """``results/<paper>/tables/<experiment>_<name>.parquet``.

    Parameters
    ----------
    paper : str
        The paper's id.
    experiment : str
        The experiment's ``NAME``.
    name : str
        The derived table's key in the experiment's ``DERIVED``.

    Returns
    -------
    str
        The path, relative to the repository root.
    """
    return table_file(paper, f"{experiment}_{name}")


def figure_files(figure: str) -> list[str]:
    """``results/<paper>/figures/<figure>.pdf`` and ``.png``.

    Parameters
    ----------
    figure : str
        The figure's ``NAME`` (its paper is looked up in the registry).

    Returns
    -------
    list of str
        The PDF and PNG paths, relative to the repository root.
    """
    paper = registry.paper_of_figure(figure).id
    return [f"{RESULTS}/{paper}/figures/{figure}.{ext}" for ext in ("pdf", "png")]


def paper_file(paper: str, name: str) -> str:
    """``results/<paper>/paper/<name>`` (generated LaTeX and the PDF).

    Parameters
    ----------
    paper : str
        The paper's id.
    name : str
        File name with extension (``claims.tex``, ``ms.pdf``).

    Returns
    -------
    str
        The path, relative to the repository root.
    """
    return f"{RESULTS}/{paper}/paper/{name}"


def log_file(paper: str, rule: str, job: str) -> str:
    """``results/<paper>/logs/<rule>/<job>.log``.

    Parameters
    ----------
    paper : str
        The paper's id.
    rule : str
        The workflow rule's name.
    job : str
        Names the job among the rule's jobs (e.g. the experiment and shard).

    Returns
    -------
    str
        The path, relative to the repository root.
    """
    return f"{RESULTS}/{paper}/logs/{rule}/{job}.log"


def experiment_kernel_files(config: dict[str, Any], experiment: str) -> list[str]:
    """The kernel files an experiment reads.

    Parameters
    ----------
    config : dict
        The full (validated) configuration.
    experiment : str
        The experiment's ``NAME``.

    Returns
    -------
    list of str
        :func:`kernel_file` of each name the experiment's ``kernel_names`` returns for
        its config section; empty if its paper has no kernels.
    """
    paper = registry.paper_of_experiment(experiment)
    module = paper.experiment(experiment)
    if paper.kernels is None:
        return []
    params = config[paper.id]["experiments"][experiment]
    return [kernel_file(paper.id, k) for k in module.kernel_names(params)]


def paper_tables(paper_id: str) -> dict[str, str]:
    """Every table of a paper by name (``fits/<experiment>`` included), for claims and
    figures.

    Parameters
    ----------
    paper_id : str
        The paper's id.

    Returns
    -------
    dict of str to str
        Table name (:meth:`rnnrepro.registry.Paper.tables`) to its path.
    """
    paper = registry.paper(paper_id)
    return {name: table_file(paper_id, name) for name in paper.tables()}


def figure_tables(figure: str) -> dict[str, str]:
    """The tables a figure reads, by name.

    Parameters
    ----------
    figure : str
        The figure's ``NAME``.

    Returns
    -------
    dict of str to str
        Each name of the figure's ``TABLES`` to its path.
    """
    paper = registry.paper_of_figure(figure)
    tables = paper_tables(paper.id)
    return {key: tables[key] for key in paper.figure(figure).TABLES}


def named_inputs(tables: dict[str, str]) -> dict[str, str]:
    """Tables as named inputs of a rule (``fits/x`` becomes ``fits_x``).

    Parameters
    ----------
    tables : dict of str to str
        Table name to path.

    Returns
    -------
    dict of str to str
        The same, ``/`` in names replaced by ``_`` (valid Python identifiers).
    """
    return {key.replace("/", "_"): path for key, path in tables.items()}


def table_arguments(tables: dict[str, str]) -> str:
    """``name=path`` arguments of the command line, quoted for the shell.

    Parameters
    ----------
    tables : dict of str to str
        Table name to path.

    Returns
    -------
    str
        The arguments, separated by spaces, each quoted with :func:`shlex.quote`.
    """
    import shlex

    return " ".join(shlex.quote(f"{key}={path}") for key, path in tables.items())


def paper_outputs(paper_id: str, latex: bool) -> list[str]:
    """Everything ``snakemake <paper>`` builds: tables, figures, claims, manuscript.

    Parameters
    ----------
    paper_id : str
        The paper's id.
    latex : bool
        Whether to include the manuscript ``ms.pdf`` (LaTeX is available).

    Returns
    -------
    list of str
        Every table, both files of every figure, the claims table and, with ``latex``,
        the manuscript.
    """
    paper = registry.paper(paper_id)
    out = list(paper_tables(paper_id).values())
    out += [f for module in paper.figures for f in figure_files(module.NAME)]
    out += [table_file(paper_id, "claims")]
    if latex:
        out.append(paper_file(paper_id, "ms.pdf"))
    return out


def all_outputs(latex: bool) -> list[str]:
    """Everything ``snakemake`` builds by default: every paper.

    Parameters
    ----------
    latex : bool
        Whether to include each paper's manuscript.

    Returns
    -------
    list of str
        :func:`paper_outputs` of every paper, concatenated in registry order
        (:func:`rnnrepro.registry.papers`).
    """
    return [f for paper in registry.papers() for f in paper_outputs(paper, latex)]
