"""The papers this project reproduces: one registry, read by the workflow, the
command line, the manuscript, the report, the README and the tests.

A paper is a subpackage ``rnnrepro.<id>`` whose ``__init__`` defines ``PAPER``, a
:class:`Paper`: its experiments and figures (modules, in the order the manuscript
shows them) and, where the paper has them, its kernels (the objects built first and
shared by its experiments).  Adding a paper adds a subpackage and a ``paper/<id>/``
folder (manuscript, claims); nothing else names it.  Experiment and figure names are
unique across papers: a name is a target (``snakemake fig5_resonances``), a file stem
and a LaTeX label at once.

The protocols (module-level attributes) are checked by :func:`check_protocols`:

- experiment: ``NAME``, ``SCHEMA`` (its config section, see :mod:`rnnrepro.schema`),
  ``STAGE_KEYS`` (which keys each stage reads), ``check(params, context)``,
  ``kernel_names(params)``, ``plan``, ``simulate``, ``measure``, ``aggregate``, and
  optionally ``DERIVED`` (tables derived from its table: name -> function);
- figure: ``NAME``, ``TABLES`` (table names of its paper), ``CAPTION``, ``plot``, and
  optionally ``KERNELS`` (experiments whose kernel files it reads) and ``OPTIONS``
  (config values it draws, name -> key path inside its paper's section);
- kernels: ``SCHEMA``, ``check(name, spec)``, ``build(name, spec)``, ``save``, ``load``.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

__all__ = ["STAGES", "Paper", "papers", "paper", "experiment", "figure",
           "paper_of_experiment", "paper_of_figure", "check_protocols"]

#: stages of an experiment, in order; each reads the config keys it declares
STAGES = ("plan", "simulate", "measure", "aggregate")
REPO = Path(__file__).resolve().parents[2]

EXPERIMENT_ATTRIBUTES = ("NAME", "SCHEMA", "STAGE_KEYS", "check", "kernel_names", "plan",
                         "simulate", "measure", "aggregate")
FIGURE_ATTRIBUTES = ("NAME", "TABLES", "CAPTION", "plot")
KERNEL_ATTRIBUTES = ("SCHEMA", "check", "build", "save", "load")


@dataclass(frozen=True)
class Paper:
    """A reproduced paper: its experiments, figures and kernels.

    Attributes
    ----------
    id : str
        Short name (``chandra2024``): config section, results folder, target.
    title : str
        The paper's title.
    reference : str
        Authors, journal or preprint, year.
    experiments : tuple of modules
        Its experiments.
    figures : tuple of modules
        Its figures, in the order of the paper.
    kernels : module or None
        Builds, saves and loads its kernels, or None.
    scale_note : str
        How the default configuration's scale relates to the paper's.
    """

    id: str
    title: str
    reference: str
    experiments: tuple[ModuleType, ...]
    figures: tuple[ModuleType, ...]
    kernels: ModuleType | None = None
    scale_note: str = ""

    @property
    def directory(self) -> Path:
        """``paper/<id>/``: the manuscript, the claims and the numbers it quotes."""
        return REPO / "paper" / self.id

    def experiment(self, name: str) -> ModuleType:
        """The experiment module called ``name``.

        Parameters
        ----------
        name : str
            The experiment's ``NAME``.

        Returns
        -------
        module
            Its module.

        Raises
        ------
        KeyError
            If this paper has no such experiment.
        """
        for module in self.experiments:
            if name == module.NAME:
                return module
        raise KeyError(f"paper {self.id} has no experiment {name!r}; known: "
                       f"{[m.NAME for m in self.experiments]}")

    def figure(self, name: str) -> ModuleType:
        """The figure module called ``name``.

        Parameters
        ----------
        name : str
            The figure's ``NAME``.

        Returns
        -------
        module
            Its module.

        Raises
        ------
        KeyError
            If this paper has no such figure.
        """
        for module in self.figures:
            if name == module.NAME:
                return module
        raise KeyError(f"paper {self.id} has no figure {name!r}; known: "
                       f"{[m.NAME for m in self.figures]}")

    def tables(self) -> list[str]:
        """Every table the paper's experiments write (main, derived and fits).

        Returns
        -------
        list of str
            Table names, per experiment in order: ``<experiment>``,
            ``fits/<experiment>`` and ``<experiment>_<derived>`` for each of its
            ``DERIVED`` tables; then ``fits`` (every fit of the paper).
        """
        names = []
        for module in self.experiments:
            names += [module.NAME, f"fits/{module.NAME}",
                      *(f"{module.NAME}_{d}" for d in getattr(module, "DERIVED", {}))]
        return names + ["fits"]


@functools.cache
def papers() -> dict[str, Paper]:
    """Every paper: the subpackages of :mod:`rnnrepro` that define ``PAPER``.

    Returns
    -------
    dict of str to Paper
        By id, sorted.
    """
    import rnnrepro

    found = {}
    for info in sorted(pkgutil.iter_modules(rnnrepro.__path__), key=lambda i: i.name):
        if info.ispkg:
            module = importlib.import_module(f"rnnrepro.{info.name}")
            if isinstance(getattr(module, "PAPER", None), Paper):
                found[module.PAPER.id] = module.PAPER
    check_protocols(found)
    return found


def paper(paper_id: str) -> Paper:
    """The paper called ``paper_id``.

    Parameters
    ----------
    paper_id : str
        The paper's id (``chandra2024``).

    Returns
    -------
    Paper
        The registered paper.

    Raises
    ------
    KeyError
        If no paper has that id.
    """
    try:
        return papers()[paper_id]
    except KeyError:
        raise KeyError(f"unknown paper {paper_id!r}; known: {sorted(papers())}") from None


def experiment(name: str) -> ModuleType:
    """The experiment module called ``name`` (names are unique across papers).

    Parameters
    ----------
    name : str
        The experiment's ``NAME``.

    Returns
    -------
    module
        Its module.

    Raises
    ------
    KeyError
        If no paper has such an experiment.
    """
    return paper_of_experiment(name).experiment(name)


def figure(name: str) -> ModuleType:
    """The figure module called ``name`` (names are unique across papers).

    Parameters
    ----------
    name : str
        The figure's ``NAME``.

    Returns
    -------
    module
        Its module.

    Raises
    ------
    KeyError
        If no paper has such a figure.
    """
    return paper_of_figure(name).figure(name)


def _paper_holding(kind: str, name: str) -> Paper:
    """The paper whose ``kind`` (``experiments`` or ``figures``) has a module ``name``."""
    for item in papers().values():
        if any(name == module.NAME for module in getattr(item, kind)):
            return item
    known = sorted(module.NAME for item in papers().values() for module in getattr(item, kind))
    raise KeyError(f"unknown {kind[:-1]} {name!r}; known: {known}")


def paper_of_experiment(name: str) -> Paper:
    """The paper that holds experiment ``name``.

    Parameters
    ----------
    name : str
        The experiment's ``NAME``.

    Returns
    -------
    Paper
        The paper listing it among its experiments.

    Raises
    ------
    KeyError
        If no paper has such an experiment.
    """
    return _paper_holding("experiments", name)


def paper_of_figure(name: str) -> Paper:
    """The paper that holds figure ``name``.

    Parameters
    ----------
    name : str
        The figure's ``NAME``.

    Returns
    -------
    Paper
        The paper listing it among its figures.

    Raises
    ------
    KeyError
        If no paper has such a figure.
    """
    return _paper_holding("figures", name)


def check_protocols(found: dict[str, Paper]) -> None:
    """Raise TypeError if a module lacks what its protocol needs, or a name repeats.

    Parameters
    ----------
    found : dict of str to Paper
        The papers to check.

    Returns
    -------
    None
        Returns only if every module has its protocol's attributes, experiment and
        figure names are unique and every ``STAGE_KEYS`` names known stages.
    """
    names: dict[str, str] = {}
    for item in found.values():
        modules = [(m, EXPERIMENT_ATTRIBUTES, "experiment") for m in item.experiments]
        modules += [(m, FIGURE_ATTRIBUTES, "figure") for m in item.figures]
        if item.kernels is not None:
            modules.append((item.kernels, KERNEL_ATTRIBUTES, "kernels"))
        for module, attributes, kind in modules:
            missing = [a for a in attributes if not hasattr(module, a)]
            if missing:
                raise TypeError(f"{kind} module {module.__name__} lacks {missing}")
            if kind == "kernels":
                continue
            if module.NAME in names:
                raise TypeError(f"{kind} name {module.NAME!r} is used twice "
                                f"({names[module.NAME]} and {item.id})")
            names[module.NAME] = item.id
        for module in item.experiments:
            unknown = set(module.STAGE_KEYS) - set(STAGES)
            if unknown:
                raise TypeError(f"{module.__name__}.STAGE_KEYS has unknown stages {unknown}")
