"""Fig. 6: how long a perturbation of the background state takes to decay.

For each case (a Laplacian kernel) and background ``B`` on a log grid, the network is
relaxed to its uniform steady state under ``B`` (:mod:`curnn.experiments.background`)
and kicked three ways, each a run of its own:

- ``radial``: the whole field scaled by ``1 + eps``; traced: the uniform component of
  each step ``Z_{n+1} - Z_n`` along the field (a geometric sequence whose ratio is the
  radial gain ``g_r``);
- ``phase``: the whole field rotated by ``eps``; traced: the same along ``i Z``
  (gain ``g_t``);
- ``local``: site 0 scaled by ``1 + eps``; traced: the norm ``||Z_n - Z*||`` over all
  sites, which every mode carries (generic modes decay as ``sqrt(g_r g_t)`` per step).

Traces run until they have fallen by ``decay_factor``; ``tau`` is the fitted
e-folding time in iterations.  Theory beside it: ``tau_rate_theory``, the exact time of
the gain that governs that kick (``tau_r``, ``tau_t``, ``-1/ln sqrt(g_r g_t)``), and
``tau_theory``, the same fit applied to the exact linearised evolution of that kick
(identical to the rate for the uniform kicks; for the local kick it also carries the
slow modes near ``k = 0`` that a finite lattice holds).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from curnn import theory
from curnn.experiments import background as bg
from curnn.grids import in_range
from curnn.io import pack_ragged, thin_trace, unpack_ragged
from curnn.kernels import Kernel
from curnn.measure import fit_decay_time, fit_power_law
from curnn.model import Stepper, trace_decay

NAME = "decay"
PERTURBATIONS = ("radial", "phase", "local")
RUN_KEYS = ("tol", "max_iter", "check_every", "perturbation", "decay_factor",
            "max_decay_iter", "trace_points")
#: exact decay time of the gain that governs each kick
RATE_THEORY = {"radial": theory.tau_radial, "phase": theory.tau_tangential,
               "local": theory.tau_local}
ASYMPTOTE = {"radial": theory.tau_radial_asymptote, "phase": theory.tau_tangential_asymptote,
             "local": theory.tau_local_asymptote}
LAW = {"radial": "tau_radial", "phase": "tau_phase", "local": "tau_local"}


def kernel_names(params: dict[str, Any]) -> list[str]:
    return bg.kernel_names(params)


def plan(params: dict[str, Any], kernel_specs: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """One row per (case, background, perturbation)."""
    cases = bg.plan(NAME, params, kernel_specs, RUN_KEYS)
    rows = []
    for case in cases.itertuples(index=False):
        for kind in PERTURBATIONS:
            row = case._asdict()
            row["run_id"] = f"{row['run_id']}-{kind}"
            rows.append({**row, "perturbation": kind})
    return pd.DataFrame(rows)


def kicked_states(z_star: np.ndarray, kinds: np.ndarray, eps: float) -> np.ndarray:
    """Each steady state kicked as its run says (radial, phase or local)."""
    kicked = z_star.copy()
    kicked[kinds == "radial"] *= 1 + eps
    kicked[kinds == "phase"] *= np.exp(1j * eps)
    origin = (kinds == "local",) + (0,) * (z_star.ndim - 1)
    kicked[origin] *= 1 + eps
    return kicked


def simulate(runs: pd.DataFrame, kernels: dict[str, Kernel],
             params: dict[str, Any]) -> dict[str, np.ndarray]:
    """Per kernel: relax each background once, kick it three ways, trace each decay."""
    size = len(runs)
    raw = {"iterations": np.zeros(size, np.int64), "converged": np.zeros(size, bool),
           "rel_error": np.full(size, np.nan), "length": np.zeros(size, np.int64),
           "stride": np.zeros(size, np.int64), "x_star": np.full(size, np.nan)}
    traces: list[np.ndarray] = [np.zeros(0)] * size
    for kernel_name, index in runs.groupby("kernel", sort=True).indices.items():
        part = runs.iloc[index]
        stepper = Stepper(kernels[kernel_name].multipliers, params["dtype"])
        lattice_axes = tuple(range(1, 1 + len(stepper.lattice)))
        backgrounds, which = np.unique(part["background"].to_numpy(float), return_inverse=True)
        first_run = [part["run_id"].iat[int(np.flatnonzero(which == b)[0])].rsplit("-", 1)[0]
                     for b in range(len(backgrounds))]
        steady = bg.steady_state(stepper, backgrounds, params, first_run)
        z_star = steady.state[which]
        drive = np.broadcast_to(
            backgrounds[which].reshape((-1,) + (1,) * len(stepper.lattice)),
            z_star.shape).astype(stepper.dtype)
        kinds = part["perturbation"].to_numpy()
        mean_state = z_star.mean(axis=lattice_axes)
        direction = mean_state / np.abs(mean_state)

        def observable(z: np.ndarray, z_next: np.ndarray, rows: np.ndarray) -> np.ndarray:
            step = (z_next - z).mean(axis=lattice_axes) * np.conj(direction[rows])
            distance = np.sqrt((np.abs(z_next - z_star[rows]) ** 2).sum(axis=lattice_axes))
            kind = kinds[rows]
            return np.where(kind == "radial", step.real,
                            np.where(kind == "phase", step.imag, distance))

        part_traces = trace_decay(stepper, kicked_states(z_star, kinds, params["perturbation"]),
                                  drive, observable, decay_factor=params["decay_factor"],
                                  max_iter=params["max_decay_iter"], labels=list(part["run_id"]))
        for j, i in enumerate(index):
            steps, values = thin_trace(part_traces[j], params["trace_points"])
            traces[i] = values
            raw["length"][i] = len(part_traces[j])
            raw["stride"][i] = steps[1] - steps[0] if len(steps) > 1 else 1
        raw["x_star"][index] = np.abs(mean_state)
        raw["iterations"][index] = steady.iterations[which]
        raw["converged"][index] = steady.converged[which]
        raw["rel_error"][index] = steady.rel_error[which]
    raw["trace_values"], raw["trace_offsets"] = pack_ragged(traces)
    raw["run_id"] = runs["run_id"].to_numpy().astype(str)
    return raw


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame,
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per run: the fitted decay time, its window, and the steady state's record."""
    runs = runs.set_index("run_id").loc[raw["run_id"]].reset_index()
    eps = np.finfo(np.dtype(params["dtype"])).eps
    fits = []
    for i, values in enumerate(unpack_ragged(raw["trace_values"], raw["trace_offsets"])):
        steps = np.arange(len(values)) * raw["stride"][i]
        # round-off floor: a few ulps of x*, summed over the sites for the norm
        sites = runs["N"].iat[i] if runs["perturbation"].iat[i] == "local" else 1
        floor = 100 * eps * raw["x_star"][i] * np.sqrt(sites)
        try:
            fit = fit_decay_time(steps, values, floor=floor).as_dict("tau")
        except ValueError:
            fit = {"tau": np.nan}
        fits.append({**fit, "trace_stride": raw["stride"][i],
                     "decay_iterations": raw["length"][i],
                     "trace_steps": steps.astype(float), "trace_values": np.abs(values)})
    return pd.concat([runs.assign(x_star=raw["x_star"], iterations=raw["iterations"],
                                  converged=raw["converged"].astype(bool),
                                  rel_error=raw["rel_error"]),
                      pd.DataFrame(fits, index=runs.index)], axis=1)


def local_kick_theory(row: pd.Series, kernel: Kernel, params: dict[str, Any]) -> float:
    """The decay fit applied to the exact linearised norm of a local kick, same steps."""
    if not np.isfinite(row["tau"]):
        return np.nan
    steps = np.arange(int(row["tau_window_start"]), int(row["tau_window_end"]) + 1,
                      int(row["trace_stride"]))
    kick = params["perturbation"] * float(theory.fixed_point(row["background"]))
    # trace point n is the norm after n + 1 steps (measured after each update)
    norms = theory.local_kick_norms(row["background"], kernel.multipliers, kick, steps + 1)
    return fit_decay_time(steps, norms).tau


def add_theory(table: pd.DataFrame, kernels: dict[str, Kernel],
               params: dict[str, Any]) -> pd.DataFrame:
    table = table.copy()
    b = table["background"].to_numpy(float)
    kinds = table["perturbation"].to_numpy()
    rate = np.full(len(table), np.nan)
    asymptote = np.full(len(table), np.nan)
    for kind in PERTURBATIONS:
        mask = kinds == kind
        if mask.any():
            rate[mask] = RATE_THEORY[kind](b[mask])
            asymptote[mask] = ASYMPTOTE[kind](b[mask])
    table["tau_rate_theory"] = rate
    table["tau_asymptote"] = asymptote
    table["tau_theory"] = [
        local_kick_theory(row, kernels[row["kernel"]], params) if row["perturbation"] == "local"
        else row["tau_rate_theory"] for _, row in table.iterrows()]
    table["tau_rel_dev"] = table["tau"] / table["tau_theory"] - 1.0
    return table


def fit_laws(table: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """``tau ∝ B^p`` per kernel and perturbation, beside the exact and asymptotic laws."""
    rows = []
    fit_range = tuple(params["fit_range"])
    usable = table[table["converged"] & np.isfinite(table["tau"])
                   & in_range(table["background"], fit_range)]
    for (kernel, kind), group in usable.groupby(["kernel", "perturbation"], sort=False):
        if len(group) < 2:
            continue
        measured = fit_power_law(group["background"], group["tau"])
        exact = fit_power_law(group["background"], group["tau_theory"])
        exponent, prefactor = theory.BACKGROUND_POWER_LAWS[LAW[kind]]
        rows.append({"experiment": NAME, "quantity": LAW[kind], "variable": "background",
                     "kernel": kernel, "dim": int(group["dim"].iat[0]),
                     "alpha": float(group["alpha"].iat[0]), **vars(measured),
                     "exponent_theory_range": exact.exponent,
                     "prefactor_theory_range": exact.prefactor,
                     "exponent_asymptotic": exponent, "prefactor_asymptotic": prefactor})
    return pd.DataFrame(rows)


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, params: dict[str, Any],
              kernels: dict[str, Kernel]) -> tuple[pd.DataFrame, pd.DataFrame]:
    from curnn.experiments import in_plan_order

    table = add_theory(in_plan_order(rows, runs), kernels, params)
    return table, fit_laws(table, params)
