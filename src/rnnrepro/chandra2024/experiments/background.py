"""Shared by the background experiments (Figs. 6-7): cases, plans and the steady state.

A *case* is a Laplacian kernel (ring or torus, ``alpha``) with a log grid of uniform
background inputs ``B``; a run is one ``(case, B)``.  Under ``B`` the uniform fixed
point of the Fig. 3 map, ``x*(B)``, is the network's steady state (``lambda_0 = 1``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rnnrepro import schema
from rnnrepro.chandra2024 import theory
from rnnrepro.chandra2024.experiments.common import kernel_problems
from rnnrepro.chandra2024.kernels import Kernel
from rnnrepro.chandra2024.model import Relaxation, Stepper, relax
from rnnrepro.config import Problem, fit_points_problems, grid_problems
from rnnrepro.grids import log_grid
from rnnrepro.io import run_id

__all__ = ["CASES", "kernel_names", "case_problems", "plan", "steady_state", "point_source"]

CASES = schema.array(
    "Laplacian kernels (a ring, or a square torus), each with its grid of backgrounds B; "
    "needs 0 < alpha < pi / (2 dim), else a shell of modes has lambda_k = 1 too",
    schema.section("one kernel and its backgrounds", {
        "kernel": schema.string("name of a laplacian kernel"),
        "backgrounds": schema.log_grid("uniform background inputs B"),
    }), 1)


def kernel_names(params: dict[str, Any]) -> list[str]:
    """Kernels of the cases.

    Parameters
    ----------
    params : dict
        The plan's keys (``cases``).

    Returns
    -------
    list of str
        Sorted kernel names.
    """
    return sorted({case["kernel"] for case in params["cases"]})


def case_problems(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """Each case needs a Laplacian ring or square torus with ``0 < alpha < pi / (2 dim)``,
    an ordered grid of backgrounds, and at least two backgrounds in ``fit_range``.

    ``lambda_k = exp(-i alpha eps(k))`` with ``eps <= 4 dim``: once ``4 alpha dim``
    reaches ``2 pi`` a whole shell of modes has ``lambda_k = 1`` again and is as
    marginal as the uniform mode, and the static response gains a second, oscillating
    long-range part; ``alpha = 0`` makes every mode marginal.

    Parameters
    ----------
    params : dict
        The experiment's section.
    paper : dict
        The paper's section.

    Returns
    -------
    list of Problem
        Keys relative to the experiment's section.
    """
    problems = []
    for i, case in enumerate(params["cases"]):
        key = f"cases[{i}]"
        found = kernel_problems(f"{key}.kernel", case["kernel"], paper["kernels"],
                                types=("laplacian",))
        found += grid_problems(f"{key}.backgrounds", case["backgrounds"])
        if not found:
            spec = paper["kernels"][case["kernel"]]
            dim = len(spec["shape"])
            limit = np.pi / (2 * dim)
            if not 0 < spec["alpha"] < limit:
                found.append(Problem(
                    f"{key}.kernel", case["kernel"],
                    f"a kernel with 0 < alpha < pi / {2 * dim} = {limit:.4f} in {dim}D (a "
                    f"shell of modes with lambda = 1 would be marginal too); kernel "
                    f"{case['kernel']!r} has alpha = {spec['alpha']}"))
            found += fit_points_problems("fit_range", params["fit_range"],
                                         log_grid(case["backgrounds"]),
                                         f"backgrounds of cases[{i}]")
        problems += found
    return problems


def plan(name: str, params: dict[str, Any], kernels: dict[str, Kernel],
         run_keys: Sequence[str]) -> pd.DataFrame:
    """One row per (case, background), in config order; ``run_keys`` define a run too.

    Parameters
    ----------
    name : str
        The experiment's name (part of each run's identity).
    params : dict
        The plan's keys.
    kernels : dict of str to Kernel
        The cases' kernels.
    run_keys : sequence of str
        Further config keys that define a run (they become columns).

    Returns
    -------
    DataFrame
        The plan.
    """
    rows = []
    for case in params["cases"]:
        spec = kernels[case["kernel"]].params
        shape = [int(n) for n in spec["shape"]]
        for background in log_grid(case["backgrounds"]):
            row = {"kernel": case["kernel"], "dim": len(shape), "alpha": float(spec["alpha"]),
                   "N": int(np.prod(shape)), "E": shape[0], "background": float(background),
                   "dtype": params["dtype"]}
            row.update({k: params[k] for k in run_keys})
            identity = {**row, "experiment": name, "kernel_spec": spec}
            rows.append({"run_id": run_id(identity), **row})
    return pd.DataFrame(rows)


def steady_state(stepper: Stepper, backgrounds: np.ndarray, params: dict[str, Any],
                 labels: Sequence[str], source: np.ndarray | None = None,
                 start: np.ndarray | None = None) -> Relaxation:
    """Relax each run to its steady state under ``B`` (plus ``source``, if given).

    Parameters
    ----------
    stepper : Stepper
        The map.
    backgrounds : ndarray
        ``B`` per run.
    params : dict
        ``tol``, ``max_iter``, ``check_every``.
    labels : sequence of str
        Each run's description.
    source : ndarray, optional
        Extra static input (lattice-shaped per run).
    start : ndarray, optional
        Starting states.

    Returns
    -------
    Relaxation
        State and convergence record per run.


    Starts at ``start``, by default the uniform fixed point ``x*(B)`` of the scalar map
    (exact theory, to round-off), so without a source the relaxation only confirms it.
    Stops at ``params["tol"]`` relative (:func:`rnnrepro.chandra2024.model.relax`), with the
    convergence record.
    """
    batch = len(backgrounds)
    shape = (batch,) + (1,) * len(stepper.lattice)
    inputs = np.broadcast_to(np.asarray(backgrounds, float).reshape(shape),
                             (batch,) + stepper.lattice)
    if source is not None:
        inputs = inputs + source
    if start is None:
        start = np.broadcast_to(theory.fixed_point(backgrounds).reshape(shape),
                                (batch,) + stepper.lattice).astype(stepper.dtype)
    return relax(stepper, start, inputs.astype(stepper.dtype), tol=params["tol"],
                 max_iter=params["max_iter"], check_every=params["check_every"],
                 labels=labels)


def point_source(stepper: Stepper, strengths: np.ndarray) -> np.ndarray:
    """A real static source ``s_j`` at the origin of each run's lattice.

    Parameters
    ----------
    stepper : Stepper
        The map (for the lattice shape).
    strengths : ndarray
        ``s_j`` per run.

    Returns
    -------
    ndarray
        Shape ``(batch, *lattice)``.
    """
    source = np.zeros((len(strengths),) + stepper.lattice)
    source[(slice(None),) + (0,) * len(stepper.lattice)] = strengths
    return source
