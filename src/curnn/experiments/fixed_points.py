"""Figs. 3-4: the fixed point of the uniform mode and its relaxation times.

A kernel with ``lambda_0 = 1`` (the Laplacian kernel) leaves a uniform field uniform,
so under a constant uniform input ``I`` the network follows the scalar map
``x -> phi(x + I)`` of Fig. 3.  For each input on a log grid the network is simulated
in two phases, all inputs of a shard together:

1. *approach*: from ``Z = 0`` until the state has converged to its fixed point
   (:func:`curnn.model.relax`); ``x_star = |mean Z|``.
2. *decay*: the converged state is kicked along the radius (``Z (1 + eps)``) and along
   the phase (``Z exp(i eps)``), and the uniform component of each step
   ``Z_{n+1} - Z_n``, projected on the kick's direction, is traced until it has
   decayed by ``decay_factor``.  A geometric sequence has geometric differences, so
   the decay time is fitted without needing the fixed point to round-off accuracy.

``tau_radial`` and ``tau_tangential`` are the fitted e-folding times, in iterations,
of these two kicks; the theory columns come from :mod:`curnn.theory`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from curnn import theory
from curnn.grids import log_grid
from curnn.io import pack_ragged, run_id, thin_trace, unpack_ragged
from curnn.kernels import Kernel
from curnn.measure import fit_decay_time, fit_power_law
from curnn.model import Stepper, relax, trace_decay

NAME = "fixed_points"
KICKS = ("radial", "tangential")
#: quantities fitted as power laws of the input (names are table columns)
POWER_LAW_QUANTITIES = ("x_star", "tau_radial", "tau_tangential")
THEORY = {
    "x_star": theory.fixed_point,
    "tau_radial": theory.tau_radial,
    "tau_tangential": theory.tau_tangential,
}


def input_grid(params: dict[str, Any]) -> np.ndarray:
    """Log grid ``10^(log10_min + k / per_decade)`` plus the caption's inputs, sorted."""
    values = np.concatenate([log_grid(params["inputs"]),
                             np.asarray(params.get("caption_inputs", []), float)])
    # the same input written twice (grid and caption) is one run
    return np.unique(np.array([float(f"{v:.12g}") for v in values]))


def run_parameters(params: dict[str, Any], kernel_spec: dict[str, Any],
                   value: float) -> dict[str, Any]:
    """Everything that defines one run (its ``run_id`` is the hash of this)."""
    keys = ("dtype", "tol", "max_iter", "check_every", "perturbation", "decay_factor",
            "max_decay_iter")
    return {"experiment": NAME, "kernel": params["kernel"], "kernel_spec": kernel_spec,
            "input": value, **{k: params[k] for k in keys}}


def plan(params: dict[str, Any], kernel_specs: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """One row per run: ``run_id``, ``kernel``, ``input``, ``dtype``; sorted by input."""
    spec = kernel_specs[params["kernel"]]
    rows = [{"run_id": run_id(run_parameters(params, spec, v)), "kernel": params["kernel"],
             "input": v, "dtype": params["dtype"]} for v in input_grid(params)]
    return pd.DataFrame(rows)


def simulate(runs: pd.DataFrame, kernels: dict[str, Kernel],
             params: dict[str, Any]) -> dict[str, np.ndarray]:
    """Simulate the runs of one shard together; return what :func:`measure` needs."""
    kernel = kernels[params["kernel"]]
    stepper = Stepper(kernel.multipliers, params["dtype"])
    labels = list(runs["run_id"])
    batch = len(runs)
    lattice_axes = tuple(range(1, 1 + len(stepper.lattice)))
    drive = runs["input"].to_numpy(float).reshape((batch,) + (1,) * len(stepper.lattice))

    approach = relax(stepper, stepper.zeros(batch), drive.astype(stepper.dtype),
                     tol=params["tol"], max_iter=params["max_iter"],
                     check_every=params["check_every"], labels=labels)
    z_star = approach.state
    mean_state = z_star.mean(axis=lattice_axes)
    nonuniformity = np.abs(z_star - mean_state.reshape(drive.shape)).max(axis=lattice_axes)
    direction = mean_state / np.abs(mean_state)

    eps = params["perturbation"]
    kicked = np.concatenate([z_star * (1 + eps), z_star * np.exp(1j * eps)])
    kicked_drive = np.concatenate([drive, drive]).astype(stepper.dtype)

    def kick_component(z: np.ndarray, z_next: np.ndarray, rows: np.ndarray) -> np.ndarray:
        # uniform component of the step, along the kick: real part is radial
        step = (z_next - z).mean(axis=lattice_axes) * np.conj(direction[rows % batch])
        return np.where(rows < batch, step.real, step.imag)

    traces = trace_decay(stepper, kicked, kicked_drive, kick_component,
                         decay_factor=params["decay_factor"],
                         max_iter=params["max_decay_iter"],
                         labels=[f"{r} ({k} kick)" for k in KICKS for r in labels])
    raw = {
        "run_id": np.array(labels),
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


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame,
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per run: fixed point, convergence record, and both fitted decay times."""
    runs = runs.set_index("run_id").loc[raw["run_id"]].reset_index()
    x_star = np.abs(raw["mean_state"])
    rows = runs.assign(
        x_star=x_star,
        nonuniformity=raw["nonuniformity"],
        iterations=raw["iterations"],
        converged=raw["converged"].astype(bool),
        rel_change=raw["rel_change"],
        rel_error=raw["rel_error"],
    )
    eps = np.finfo(np.dtype(params["dtype"])).eps
    for kick in KICKS:
        steps = unpack_ragged(raw[f"{kick}_steps"], raw[f"{kick}_offsets"])
        values = unpack_ragged(raw[f"{kick}_values"], raw[f"{kick}_offsets"])
        fits = []
        for i, (s, v) in enumerate(zip(steps, values)):
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
    """Theory values ``<quantity>_theory`` and relative deviations beside the measured."""
    table = table.copy()
    for quantity, exact in THEORY.items():
        table[f"{quantity}_theory"] = exact(table["input"].to_numpy(float))
        table[f"{quantity}_rel_dev"] = table[quantity] / table[f"{quantity}_theory"] - 1.0
    return table


def fit_power_laws(table: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """One row per fitted power law of the input, beside the exact and asymptotic laws.

    ``exponent_theory_range`` is the same fit applied to the exact theory at the same
    inputs: the slope the measurement should give if simulation and theory agree.
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
            "kernel": params["kernel"], "dtype": params["dtype"],
            **{k: v for k, v in vars(measured).items()},
            "exponent_theory_range": exact.exponent,
            "prefactor_theory_range": exact.prefactor,
            "exponent_asymptotic": exponent,
            "prefactor_asymptotic": prefactor,
        })
    return pd.DataFrame(rows)


def kernel_names(params: dict[str, Any]) -> list[str]:
    """Kernels the experiment needs."""
    return [params["kernel"]]


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, params: dict[str, Any],
              kernels: dict[str, Kernel]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The experiment's table (one row per run, in plan order) and its power-law fits."""
    from curnn.experiments import in_plan_order

    table = add_theory(in_plan_order(rows, runs))
    return table, fit_power_laws(table, params)
