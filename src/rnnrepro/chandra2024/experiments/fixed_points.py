"""Figs. 3-4: the fixed point of the uniform mode and its relaxation times.

A kernel with ``lambda_0 = 1`` (the Laplacian kernel) leaves a uniform field uniform,
so under a constant uniform input ``I`` the network follows the scalar map
``x -> phi(x + I)`` of Fig. 3.  For each input on a log grid the network is simulated
in two phases, all inputs of a shard together:

1. *approach*: from ``Z = 0`` until the state has converged to its fixed point
   (:func:`rnnrepro.chandra2024.model.relax`); ``x_star = |mean Z|``.
2. *decay*: the converged state is kicked along the radius (``Z (1 + eps)``) and along
   the phase (``Z exp(i eps)``), and the uniform component of each step
   ``Z_{n+1} - Z_n``, projected on the kick's direction, is traced until it has
   decayed by ``decay_factor``.  A geometric sequence has geometric differences, so
   the decay time is fitted without needing the fixed point to round-off accuracy.

``tau_radial`` and ``tau_phase`` are the fitted e-folding times, in iterations, of
these two kicks; the theory columns come from :mod:`rnnrepro.chandra2024.theory`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnnrepro import schema
from rnnrepro.chandra2024 import theory
from rnnrepro.chandra2024.experiments.common import describe_runs, kernel_problems
from rnnrepro.chandra2024.fits import fit_decay_time
from rnnrepro.chandra2024.kernels import Kernel
from rnnrepro.chandra2024.model import Stepper, relax, trace_decay
from rnnrepro.config import Problem, fit_points_problems, grid_problems
from rnnrepro.experiments import in_plan_order, runs_of_shard
from rnnrepro.fits import fit_power_law
from rnnrepro.grids import log_grid
from rnnrepro.io import pack_ragged, run_id, thin_trace, unpack_ragged

__all__ = ["NAME", "SCHEMA", "STAGE_KEYS", "KICKS", "POWER_LAW_QUANTITIES", "THEORY",
           "check", "kernel_names", "input_grid", "run_parameters", "plan", "simulate",
           "measure", "add_theory", "fit_power_laws", "aggregate"]

NAME = "fixed_points"
KICKS = ("radial", "phase")
#: quantities fitted as power laws of the input (names are table columns)
POWER_LAW_QUANTITIES = ("x_star", "tau_radial", "tau_phase")
THEORY = {
    "x_star": theory.fixed_point,
    "tau_radial": theory.tau_radial,
    "tau_phase": theory.tau_phase,
}
#: fewest steps a kick must take to decay, so that the decay fit has points to fit
MIN_DECAY_STEPS = 4

SCHEMA = schema.section("Figs. 3-4: fixed point of the uniform mode and its relaxation "
                        "times", {
    "kernel": schema.string("a laplacian kernel (lambda_0 = 1 keeps the uniform mode on "
                            "the map x -> phi(x + I))"),
    "dtype": schema.DTYPE,
    "shards": schema.SHARDS,
    "inputs": schema.log_grid("uniform inputs I"),
    "caption_inputs": schema.array("inputs quoted by the Fig. 3 caption, added to the grid "
                                   "and drawn in Fig. 3", schema.positive("input I"), 1),
    "tol": schema.fraction("the approach stops at this estimated relative distance to x*"),
    "max_iter": schema.integer("cap on the approach (iterations); runs that hit it are "
                               "flagged converged = False"),
    "check_every": schema.integer("iterations between convergence checks"),
    "kick_size": schema.fraction("relative size of the radial and phase kicks"),
    "decay_factor": schema.fraction("a kick is traced until it has decayed by this factor"),
    "max_decay_iter": schema.integer("cap on a decay trace (iterations)"),
    "trace_points": schema.integer("most points stored per decay trace", 3),
    "fit_range": schema.positive_range("inputs I over which the power laws are fitted"),
})
STAGE_KEYS = {
    "plan": ("kernel", "dtype", "inputs", "caption_inputs", "tol", "max_iter",
             "check_every", "kick_size", "decay_factor", "max_decay_iter"),
    "simulate": ("trace_points",),
    "aggregate": ("fit_range",),
}


def check(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """Problems of the section that the schema cannot see.

    Parameters
    ----------
    params : dict
        This experiment's config section.
    paper : dict
        The paper's section (for its kernels).

    Returns
    -------
    list of Problem
        Keys relative to this section.
    """
    problems = kernel_problems("kernel", params["kernel"], paper["kernels"],
                               types=("laplacian",))
    problems += grid_problems("inputs", params["inputs"])
    if problems:
        return problems
    inputs = input_grid(params)
    problems += fit_points_problems("fit_range", params["fit_range"], inputs,
                                    "inputs (grid and caption inputs)")
    steps = -np.log(params["decay_factor"]) * theory.tau_radial(inputs)
    if steps.min() < MIN_DECAY_STEPS:
        problems.append(Problem(
            "inputs", params["inputs"],
            f"inputs whose radial kick takes at least {MIN_DECAY_STEPS} steps to decay by "
            f"decay_factor (I = {inputs[np.argmin(steps)]:.3g} takes {steps.min():.2g}: "
            "lower log10_max or the caption inputs)"))
    if params["max_iter"] < params["check_every"]:
        problems.append(Problem("max_iter", params["max_iter"],
                                f"at least check_every = {params['check_every']}"))
    return problems


def kernel_names(params: dict[str, Any]) -> list[str]:
    """Kernels the experiment needs.

    Parameters
    ----------
    params : dict
        The plan's keys.

    Returns
    -------
    list of str
        Kernel names.
    """
    return [params["kernel"]]


def input_grid(params: dict[str, Any]) -> np.ndarray:
    """Log grid ``10^(log10_min + k / per_decade)`` plus the caption's inputs, sorted.

    Parameters
    ----------
    params : dict
        The plan's keys.

    Returns
    -------
    ndarray
        Distinct inputs, ascending.
    """
    values = np.concatenate([log_grid(params["inputs"]),
                             np.asarray(params.get("caption_inputs", []), float)])
    # the same input written twice (grid and caption) is one run
    return np.unique(np.array([float(f"{v:.12g}") for v in values]))


def run_parameters(params: dict[str, Any], kernel_spec: dict[str, Any],
                   value: float) -> dict[str, Any]:
    """Everything that defines one run (its ``run_id`` is the hash of this).

    Parameters
    ----------
    params : dict
        The plan's keys.
    kernel_spec : dict
        The kernel's config entry.
    value : float
        The input ``I``.

    Returns
    -------
    dict
        The run's identity.
    """
    keys = ("dtype", "tol", "max_iter", "check_every", "kick_size", "decay_factor",
            "max_decay_iter")
    return {"experiment": NAME, "kernel": params["kernel"], "kernel_spec": kernel_spec,
            "input": value, **{k: params[k] for k in keys}}


def plan(params: dict[str, Any], kernels: dict[str, Kernel]) -> pd.DataFrame:
    """One row per run: ``run_id``, ``kernel``, ``input``, ``dtype``; sorted by input.

    Parameters
    ----------
    params : dict
        The plan's keys.
    kernels : dict of str to Kernel
        The kernels it names.

    Returns
    -------
    DataFrame
        The plan.
    """
    spec = kernels[params["kernel"]].params
    rows = [{"run_id": run_id(run_parameters(params, spec, v)), "kernel": params["kernel"],
             "input": v, "dtype": params["dtype"]} for v in input_grid(params)]
    return pd.DataFrame(rows)


def simulate(runs: pd.DataFrame, kernels: dict[str, Kernel],
             params: dict[str, Any]) -> dict[str, np.ndarray]:
    """Simulate the runs of one shard together; return what :func:`measure` needs.

    Parameters
    ----------
    runs : DataFrame
        The shard's rows of the plan (one kernel, dtype and numerics for all).
    kernels : dict of str to Kernel
        The kernels.
    params : dict
        The plan's keys and ``trace_points``.

    Returns
    -------
    dict of str to ndarray
        Fixed points, convergence records and the thinned decay traces.
    """
    kernel = kernels[runs["kernel"].iat[0]]
    stepper = Stepper(kernel.multipliers, runs["dtype"].iat[0])
    labels = describe_runs(NAME, runs, ("kernel", "input", "dtype"))
    batch = len(runs)
    lattice_axes = tuple(range(1, 1 + len(stepper.lattice)))
    inputs = runs["input"].to_numpy(float).reshape((batch,) + (1,) * len(stepper.lattice))

    approach = relax(stepper, stepper.zeros(batch), inputs.astype(stepper.dtype),
                     tol=params["tol"], max_iter=params["max_iter"],
                     check_every=params["check_every"], labels=labels)
    z_star = approach.state
    mean_state = z_star.mean(axis=lattice_axes)
    nonuniformity = np.abs(z_star - mean_state.reshape(inputs.shape)).max(axis=lattice_axes)
    direction = mean_state / np.abs(mean_state)

    eps = params["kick_size"]
    kicked = np.concatenate([z_star * (1 + eps), z_star * np.exp(1j * eps)])
    kicked_inputs = np.concatenate([inputs, inputs]).astype(stepper.dtype)

    def kick_component(z: np.ndarray, z_next: np.ndarray, rows: np.ndarray) -> np.ndarray:
        # uniform component of the step, along the kick: real part is radial
        step = (z_next - z).mean(axis=lattice_axes) * np.conj(direction[rows % batch])
        return np.where(rows < batch, step.real, step.imag)

    traces = trace_decay(stepper, kicked, kicked_inputs, kick_component,
                         decay_factor=params["decay_factor"],
                         max_iter=params["max_decay_iter"],
                         labels=[f"{label} ({k} kick)" for k in KICKS for label in labels])
    raw = {
        "run_id": np.array(runs["run_id"], dtype=str),
        "mean_state": mean_state,
        "nonuniformity": nonuniformity,
        "iterations": approach.iterations,
        "converged": approach.converged,
        "rel_change": approach.rel_change,
        "rel_error": approach.rel_error,
    }
    for k, kick in enumerate(KICKS):
        kick_traces = traces[k * batch:(k + 1) * batch]
        steps, values, lengths = [], [], []
        for trace in kick_traces:
            kept, thinned = thin_trace(trace, params["trace_points"])
            steps.append(kept)
            values.append(thinned)
            lengths.append(len(trace))
        raw[f"{kick}_values"], raw[f"{kick}_offsets"] = pack_ragged(values)
        raw[f"{kick}_steps"], _ = pack_ragged(steps)
        raw[f"{kick}_length"] = np.array(lengths)
    return raw


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame, kernels: dict[str, Kernel],
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per run: fixed point, convergence record, and both fitted decay times.

    Parameters
    ----------
    raw : dict of str to ndarray
        The shard's output of :func:`simulate`.
    runs : DataFrame
        The whole plan.
    kernels : dict of str to Kernel
        The kernels (unused).
    params : dict
        The measure keys (none).

    Returns
    -------
    DataFrame
        One row per run.
    """
    runs = runs_of_shard(runs, raw["run_id"])
    x_star = np.abs(raw["mean_state"])
    rows = runs.assign(
        x_star=x_star,
        nonuniformity=raw["nonuniformity"],
        iterations=raw["iterations"],
        converged=raw["converged"].astype(bool),
        rel_change=raw["rel_change"],
        rel_error=raw["rel_error"],
    )
    for kick in KICKS:
        steps = unpack_ragged(raw[f"{kick}_steps"], raw[f"{kick}_offsets"])
        values = unpack_ragged(raw[f"{kick}_values"], raw[f"{kick}_offsets"])
        fits = []
        for i, (s, v) in enumerate(zip(steps, values)):
            eps = np.finfo(np.dtype(runs["dtype"].iat[i])).eps
            try:
                # round-off noise on a step of the mean field is a few ulps of x*
                fit = fit_decay_time(s, v, floor=100 * eps * x_star[i]).as_dict(f"tau_{kick}")
            except ValueError:
                fit = {f"tau_{kick}": np.nan}
            fits.append(fit)
        fitted = pd.DataFrame(fits, index=rows.index)
        rows = pd.concat([rows, fitted], axis=1)
        rows[f"tau_{kick}_decay_iterations"] = raw[f"{kick}_length"]
    return rows


def add_theory(table: pd.DataFrame) -> pd.DataFrame:
    """Theory values ``<quantity>_theory`` and relative deviations beside the measured.

    Parameters
    ----------
    table : DataFrame
        Measured rows.

    Returns
    -------
    DataFrame
        With ``<quantity>_theory`` and ``<quantity>_rel_dev`` columns.
    """
    table = table.copy()
    for quantity, exact in THEORY.items():
        table[f"{quantity}_theory"] = exact(table["input"].to_numpy(float))
        table[f"{quantity}_rel_dev"] = table[quantity] / table[f"{quantity}_theory"] - 1.0
    return table


def fit_power_laws(table: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """One row per fitted power law of the input, beside the exact and asymptotic laws.

    ``exponent_theory_range`` is the same fit applied to the exact theory at the same
    inputs: the slope the measurement should give if simulation and theory agree.

    Parameters
    ----------
    table : DataFrame
        The experiment's table.
    params : dict
        The aggregate keys (``fit_range``).

    Returns
    -------
    DataFrame
        One row per quantity.
    """
    fit_range = tuple(params["fit_range"])
    usable = table[table["converged"]]
    rows = []
    for quantity in POWER_LAW_QUANTITIES:
        ok = usable[np.isfinite(usable[quantity])]
        measured = fit_power_law(ok["input"], ok[quantity], fit_range)
        exact = fit_power_law(ok["input"], ok[f"{quantity}_theory"], fit_range)
        exponent, prefactor = theory.FIXED_POINT_POWER_LAWS[quantity]
        rows.append({
            "experiment": NAME, "quantity": quantity, "variable": "input",
            "kernel": table["kernel"].iat[0], "dtype": table["dtype"].iat[0],
            **{k: v for k, v in vars(measured).items()},
            "exponent_theory_range": exact.exponent,
            "prefactor_theory_range": exact.prefactor,
            "exponent_asymptotic": exponent,
            "prefactor_asymptotic": prefactor,
        })
    return pd.DataFrame(rows)


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, kernels: dict[str, Kernel],
              params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The experiment's table (one row per run, in plan order) and its power-law fits.

    Parameters
    ----------
    rows : DataFrame
        Measured rows of every shard.
    runs : DataFrame
        The plan.
    kernels : dict of str to Kernel
        The kernels (unused).
    params : dict
        The aggregate keys.

    Returns
    -------
    table, fits : DataFrame
        The table and its fitted laws.
    """
    table = add_theory(in_plan_order(rows, runs))
    return table, fit_power_laws(table, params)
