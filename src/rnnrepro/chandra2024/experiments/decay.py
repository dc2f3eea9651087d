"""Fig. 6: how long a perturbation of the background state takes to decay.

For each case (a Laplacian kernel) and background ``B`` on a log grid, the network is
relaxed to its uniform steady state under ``B`` (:mod:`rnnrepro.chandra2024.experiments.background`)
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

from rnnrepro import schema
from rnnrepro.chandra2024 import theory
from rnnrepro.chandra2024.experiments import background as bg
from rnnrepro.chandra2024.experiments.common import describe_runs
from rnnrepro.chandra2024.fits import fit_decay_time
from rnnrepro.chandra2024.kernels import Kernel
from rnnrepro.chandra2024.model import Stepper, trace_decay
from rnnrepro.config import Problem
from rnnrepro.experiments import in_plan_order, runs_of_shard
from rnnrepro.fits import fit_power_law
from rnnrepro.grids import in_range, log_grid
from rnnrepro.io import pack_ragged, thin_trace, unpack_ragged

__all__ = ["NAME", "SCHEMA", "STAGE_KEYS", "KICKS", "RUN_KEYS", "RATE_THEORY", "ASYMPTOTE",
           "LAW", "check", "kernel_names", "plan", "kicked_states", "simulate", "measure",
           "local_kick_theory", "add_theory", "fit_laws", "aggregate"]

NAME = "decay"
KICKS = ("radial", "phase", "local")
RUN_KEYS = ("tol", "max_iter", "check_every", "kick_size", "decay_factor",
            "max_decay_iter", "trace_points")
#: exact decay time of the gain that governs each kick
RATE_THEORY = {"radial": theory.tau_radial, "phase": theory.tau_phase,
               "local": theory.tau_local}
ASYMPTOTE = {"radial": theory.tau_radial_asymptote, "phase": theory.tau_phase_asymptote,
             "local": theory.tau_local_asymptote}
LAW = {"radial": "tau_radial", "phase": "tau_phase", "local": "tau_local"}
#: fewest steps a kick must take to decay, so that the decay fit has points to fit
MIN_DECAY_STEPS = 4

SCHEMA = schema.section("Fig. 6: decay times of perturbations of the background state", {
    "cases": bg.CASES,
    "dtype": schema.DTYPE,
    "shards": schema.SHARDS,
    "tol": schema.fraction("the relaxation to the steady state stops at this estimated "
                           "relative distance"),
    "max_iter": schema.integer("cap on that relaxation (iterations)"),
    "check_every": schema.integer("iterations between convergence checks"),
    "kick_size": schema.fraction("relative size of the kicks (uniform radial and phase; "
                                 "radial at one site)"),
    "decay_factor": schema.fraction("a kick is traced until it has decayed by this factor"),
    "max_decay_iter": schema.integer("cap on a decay trace (iterations)"),
    "trace_points": schema.integer("most points stored per decay trace", 3),
    "fit_range": schema.positive_range("backgrounds B over which power laws are fitted"),
})
STAGE_KEYS = {
    "plan": ("cases", "dtype", *RUN_KEYS),
    "aggregate": ("fit_range",),
}


def check(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """Problems of the section that the schema cannot see.

    The cases (:func:`rnnrepro.chandra2024.experiments.background.case_problems`), and
    backgrounds small enough that the fastest kick (radial) takes at least
    ``MIN_DECAY_STEPS`` steps to decay by ``decay_factor``.

    Parameters
    ----------
    params : dict
        This experiment's config section.
    paper : dict
        The paper's section.

    Returns
    -------
    list of Problem
        Keys relative to this section.
    """
    problems = bg.case_problems(params, paper)
    if problems:
        return problems
    for i, case in enumerate(params["cases"]):
        backgrounds = log_grid(case["backgrounds"])
        steps = -np.log(params["decay_factor"]) * theory.tau_radial(backgrounds)
        if steps.min() < MIN_DECAY_STEPS:
            problems.append(Problem(
                f"cases[{i}].backgrounds", case["backgrounds"],
                f"backgrounds whose radial kick takes at least {MIN_DECAY_STEPS} steps to "
                f"decay by decay_factor (B = {backgrounds[np.argmin(steps)]:.3g} takes "
                f"{steps.min():.2g}: lower log10_max)"))
    if params["max_iter"] < params["check_every"]:
        problems.append(Problem("max_iter", params["max_iter"],
                                f"at least check_every = {params['check_every']}"))
    return problems


def kernel_names(params: dict[str, Any]) -> list[str]:
    """Kernels of the cases.

    Parameters
    ----------
    params : dict
        The plan's keys.

    Returns
    -------
    list of str
        Sorted kernel names.
    """
    return bg.kernel_names(params)


def plan(params: dict[str, Any], kernels: dict[str, Kernel]) -> pd.DataFrame:
    """One row per (case, background, kick).

    Parameters
    ----------
    params : dict
        The plan's keys.
    kernels : dict of str to Kernel
        The cases' kernels.

    Returns
    -------
    DataFrame
        The plan.
    """
    cases = bg.plan(NAME, params, kernels, RUN_KEYS)
    rows = []
    for case in cases.itertuples(index=False):
        for kind in KICKS:
            row = case._asdict()
            row["run_id"] = f"{row['run_id']}-{kind}"
            rows.append({**row, "kick": kind})
    return pd.DataFrame(rows)


def kicked_states(z_star: np.ndarray, kinds: np.ndarray, eps: float) -> np.ndarray:
    """Each steady state kicked as its run says (radial, phase or local).

    Parameters
    ----------
    z_star : ndarray
        Steady states, one per run.
    kinds : ndarray of str
        The kick of each run.
    eps : float
        Relative kick size.

    Returns
    -------
    ndarray
        Kicked states.
    """
    kicked = z_star.copy()
    kicked[kinds == "radial"] *= 1 + eps
    kicked[kinds == "phase"] *= np.exp(1j * eps)
    origin = (kinds == "local",) + (0,) * (z_star.ndim - 1)
    kicked[origin] *= 1 + eps
    return kicked


LABEL_KEYS = ("kernel", "background", "kick")


def simulate(runs: pd.DataFrame, kernels: dict[str, Kernel],
             params: dict[str, Any]) -> dict[str, np.ndarray]:
    """Per kernel: relax each background once, kick it three ways, trace each decay.

    Parameters
    ----------
    runs : DataFrame
        The shard's rows of the plan.
    kernels : dict of str to Kernel
        The kernels.
    params : dict
        The plan's keys.

    Returns
    -------
    dict of str to ndarray
        Steady-state records and the thinned traces.
    """
    size = len(runs)
    raw = {"iterations": np.zeros(size, np.int64), "converged": np.zeros(size, bool),
           "rel_error": np.full(size, np.nan), "length": np.zeros(size, np.int64),
           "stride": np.zeros(size, np.int64), "x_star": np.full(size, np.nan)}
    traces: list[np.ndarray] = [np.zeros(0)] * size
    for kernel_name, index in runs.groupby("kernel", sort=True).indices.items():
        part = runs.iloc[index]
        labels = describe_runs(NAME, part, LABEL_KEYS)
        stepper = Stepper(kernels[kernel_name].multipliers, params["dtype"])
        lattice_axes = tuple(range(1, 1 + len(stepper.lattice)))
        backgrounds, which = np.unique(part["background"].to_numpy(float), return_inverse=True)
        first_run = [labels[int(np.flatnonzero(which == b)[0])].replace(
            "kick=", "steady state before the kick; kick=") for b in range(len(backgrounds))]
        steady = bg.steady_state(stepper, backgrounds, params, first_run)
        z_star = steady.state[which]
        inputs = np.broadcast_to(
            backgrounds[which].reshape((-1,) + (1,) * len(stepper.lattice)),
            z_star.shape).astype(stepper.dtype)
        kinds = part["kick"].to_numpy()
        mean_state = z_star.mean(axis=lattice_axes)
        direction = mean_state / np.abs(mean_state)

        def observable(z: np.ndarray, z_next: np.ndarray, rows: np.ndarray) -> np.ndarray:
            step = (z_next - z).mean(axis=lattice_axes) * np.conj(direction[rows])
            distance = np.sqrt((np.abs(z_next - z_star[rows]) ** 2).sum(axis=lattice_axes))
            kind = kinds[rows]
            return np.where(kind == "radial", step.real,
                            np.where(kind == "phase", step.imag, distance))

        part_traces = trace_decay(stepper, kicked_states(z_star, kinds, params["kick_size"]),
                                  inputs, observable, decay_factor=params["decay_factor"],
                                  max_iter=params["max_decay_iter"], labels=labels)
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


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame, kernels: dict[str, Kernel],
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per run: the fitted decay time, its window, and the steady state's record.

    Parameters
    ----------
    raw : dict of str to ndarray
        The shard's output of :func:`simulate`.
    runs : DataFrame
        The whole plan.
    kernels : dict of str to Kernel
        The kernels (unused).
    params : dict
        The plan's keys.

    Returns
    -------
    DataFrame
        One row per run.
    """
    runs = runs_of_shard(runs, raw["run_id"])
    eps = np.finfo(np.dtype(params["dtype"])).eps
    fits = []
    for i, values in enumerate(unpack_ragged(raw["trace_values"], raw["trace_offsets"])):
        steps = np.arange(len(values)) * raw["stride"][i]
        # round-off floor: a few ulps of x*, summed over the sites for the norm
        sites = runs["N"].iat[i] if runs["kick"].iat[i] == "local" else 1
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


def local_kick_theory(row: pd.Series, kernel: Kernel) -> float:
    """The decay fit applied to the exact linearised norm of a local kick, same steps.

    Parameters
    ----------
    row : Series
        A measured ``local`` run (its fit window and ``kick_size``).
    kernel : Kernel
        Its kernel.

    Returns
    -------
    float
        ``tau`` of the exact linear evolution (iterations), NaN if the run has no fit.
    """
    if not np.isfinite(row["tau"]):
        return np.nan
    steps = np.arange(int(row["tau_window_start"]), int(row["tau_window_end"]) + 1,
                      int(row["trace_stride"]))
    kick = row["kick_size"] * float(theory.fixed_point(row["background"]))
    # trace point n is the norm after n + 1 steps (measured after each update)
    norms = theory.local_kick_norms(row["background"], kernel.multipliers, kick, steps + 1)
    return fit_decay_time(steps, norms).tau


def add_theory(table: pd.DataFrame, kernels: dict[str, Kernel]) -> pd.DataFrame:
    """Exact decay times beside the measured ones.

    ``tau_rate_theory``: the time of the gain that governs the kick; ``tau_theory``:
    what the measurement should give (the same for uniform kicks; the exact
    linearised evolution fitted over the same window for the local kick);
    ``tau_asymptote``: ``c B^(-2/3)``.

    Parameters
    ----------
    table : DataFrame
        Measured rows.
    kernels : dict of str to Kernel
        The kernels.

    Returns
    -------
    DataFrame
        With the theory columns and ``tau_rel_dev``.
    """
    table = table.copy()
    b = table["background"].to_numpy(float)
    kinds = table["kick"].to_numpy()
    rate = np.full(len(table), np.nan)
    asymptote = np.full(len(table), np.nan)
    for kind in KICKS:
        mask = kinds == kind
        if mask.any():
            rate[mask] = RATE_THEORY[kind](b[mask])
            asymptote[mask] = ASYMPTOTE[kind](b[mask])
    table["tau_rate_theory"] = rate
    table["tau_asymptote"] = asymptote
    table["tau_theory"] = [
        local_kick_theory(row, kernels[row["kernel"]]) if row["kick"] == "local"
        else row["tau_rate_theory"] for _, row in table.iterrows()]
    table["tau_rel_dev"] = table["tau"] / table["tau_theory"] - 1.0
    return table


def fit_laws(table: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """``tau ∝ B^p`` per kernel and kick, beside the exact and asymptotic laws.

    Parameters
    ----------
    table : DataFrame
        The experiment's table.
    params : dict
        ``fit_range``.

    Returns
    -------
    DataFrame
        One row per (kernel, kick).
    """
    rows = []
    fit_range = tuple(params["fit_range"])
    usable = table[table["converged"] & np.isfinite(table["tau"])
                   & in_range(table["background"], fit_range)]
    for (kernel, kind), group in usable.groupby(["kernel", "kick"], sort=False):
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


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, kernels: dict[str, Kernel],
              params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The experiment's table and its fitted laws.

    Parameters
    ----------
    rows : DataFrame
        Measured rows of every shard.
    runs : DataFrame
        The plan.
    kernels : dict of str to Kernel
        The kernels.
    params : dict
        The plan's keys and ``fit_range``.

    Returns
    -------
    table, fits : DataFrame
        The table and its fitted laws.
    """
    table = add_theory(in_plan_order(rows, runs), kernels)
    return table, fit_laws(table, params)
