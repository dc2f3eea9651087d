"""What a configuration of the second paper costs, extrapolated from short timed runs.

Almost all the time goes into integrating networks, ``(burn_in + time_units)`` time
units of ``trajectories`` trajectories each, at a throughput (trajectory-time-units per
second, one core) that depends on ``N``, the number of trajectories and the dtype, and
into the sampling solver of Fig. 7 (App. M1): ``n_samples`` paths of ``tau_max`` time
units per iteration.  :func:`simulated_work` adds up that work from the experiments'
plans; :func:`cost_table` times a short run at every distinct shape (the simulator
itself, statistics included, :func:`rnnrepro.clark2025.model.benchmark`; two solver
iterations, :func:`solver_seconds_per_iteration`) and multiplies.

The estimate leaves out the closed-form theory, the measure stages and the figures
(seconds to minutes in all), coupling generation (seconds per network at ``N = 5000``),
the extra lagged covariances of ``iid_networks`` cases with ``lagged: true`` and
Eq. 51 after each solved point (under a second).  Solver points are counted at their
full ``warmup + n_iter`` iterations (the warm-up may stop early: an upper bound).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnnrepro import registry
from rnnrepro.stages import experiment_params

__all__ = ["SIMULATED", "VARIANCES_ONLY", "SOLVER_ROW", "factored_modes", "simulated_work",
           "solver_seconds_per_iteration", "cost_table"]

#: experiments that integrate networks (their plans carry ``N``, ``trajectories``,
#: ``dtype``, ``burn_in`` and ``time_units``; rows of another ``kind`` are not networks)
SIMULATED = ("dimension", "few_modes", "iid_networks", "heterogeneity", "overlaps")
#: experiments whose networks keep no covariance matrices (``simulate(covariances=False)``)
VARIANCES_ONLY = ("few_modes",)
#: the ``experiment`` label of the rows that count the sampling solver's work
SOLVER_ROW = "overlaps_solver"




def factored_modes(run: pd.Series) -> int:
    """Modes ``P`` the simulator applies as thin factors for this planned network, 0 when
    it applies a dense ``J`` (:func:`rnnrepro.clark2025.model.coupling_operator`).

    Parameters
    ----------
    run : pandas.Series
        A row of a plan: ``modes`` (few-mode networks, step spectrum) or ``spectrum``,
        ``effective_rank`` and ``g_eff`` (random-mode networks); otherwise i.i.d.

    Returns
    -------
    int
        ``P`` or 0.
    """
    from rnnrepro.clark2025 import model

    n = int(run["N"])
    if "modes" in run:
        return int(run["modes"]) if model.factors_are_cheaper(n, int(run["modes"])) else 0
    if run.get("spectrum") == "step":
        spectrum = model.random_mode_spectrum(n, float(run["effective_rank"]),
                                              float(run["g_eff"]), "step")
        modes = int(np.count_nonzero(spectrum.D))
        return modes if model.factors_are_cheaper(n, modes) else 0
    return 0


def simulated_work(config: dict[str, Any]) -> pd.DataFrame:
    """The integration work of a configuration, grouped by simulation shape.

    Parameters
    ----------
    config : dict
        A validated configuration (``config.yaml`` with any presets merged).

    Returns
    -------
    pandas.DataFrame
        One row per (experiment, ``N``, ``modes``, ``trajectories``, ``dtype``; ``modes``
        the thin factors' rank, 0 for a dense ``J``): ``networks`` and
        ``trajectory_time_units`` (the sum over networks of trajectories times burn-in
        plus sampled time, in neuron time constants).  The rows of :data:`SOLVER_ROW`
        count Fig. 7's sampled solves instead: ``N = 0``, ``trajectories`` the solver's
        paths, ``networks`` the solved points, ``trajectory_time_units`` paths times
        path length times iterations.
    """
    rows = []
    for name in SIMULATED:
        module = registry.experiment(name)
        params = experiment_params(config, name, "plan")
        plan = module.plan(params, {})
        if "kind" in plan:
            plan = plan[plan["kind"] == "network"]
        for _, run in plan.iterrows():
            trajectories = int(run["trajectories"])
            rows.append({"experiment": name, "N": int(run["N"]), "modes": factored_modes(run),
                         "trajectories": trajectories, "dtype": str(run["dtype"]),
                         "trajectory_time_units": trajectories * float(
                             run["burn_in"] + run["time_units"])})
    rows.extend(_solver_work(config))
    work = pd.DataFrame(rows)
    return (work.groupby(["experiment", "N", "modes", "trajectories", "dtype"], sort=True)
            .agg(networks=("trajectory_time_units", "size"),
                 trajectory_time_units=("trajectory_time_units", "sum"))
            .reset_index())


def _solver_work(config: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per sampled solve of Fig. 7's curves: paths times path length."""
    from rnnrepro.clark2025 import overlaps
    from rnnrepro.clark2025.experiments import overlaps as experiment

    params = experiment_params(config, experiment.NAME, "plan")
    settings = experiment.SOLVERS[params["solver"]]
    theory = params["theory"]
    iterations = settings.n_iter + settings.warmup
    rows = []
    for pr_d in theory["pr_d"]:
        for _ in theory["g_eff"]:
            for _ in overlaps.solved_overlaps(float(pr_d), theory["overlaps"]):
                rows.append({"experiment": SOLVER_ROW, "N": 0, "modes": 0,
                             "trajectories": settings.n_samples, "dtype": settings.dtype,
                             "trajectory_time_units": float(
                                 iterations * settings.n_samples * settings.tau_max)})
    return rows


def solver_seconds_per_iteration(settings: Any, iterations: int = 2) -> float:
    """Wall-clock seconds of one iteration of the sampling solver (App. M1), one core.

    Parameters
    ----------
    settings : rnnrepro.clark2025.overlaps.SamplerSettings
        The settings to time (paths, path length, step, lag range, control variate).
    iterations : int
        Iterations timed (fresh noise, no warm-up); the mean is returned.

    Returns
    -------
    float
        Seconds per iteration at ``PR^D = 0.3``, ``g_eff = 3``, ``gamma_rho = 0.6``
        (an iteration's cost does not depend on the point).
    """
    import dataclasses
    import time

    from rnnrepro.clark2025 import overlaps

    timed = dataclasses.replace(settings, n_iter=iterations, n_avg=1, warmup=0,
                                noise="fresh")
    modes = overlaps.overlap_modes(0.3, 3.0, 0.6)
    start = time.perf_counter()
    overlaps.solve_single_site(modes, 3.0, timed, seed=0)
    return (time.perf_counter() - start) / iterations


def cost_table(config: dict[str, Any], t_sample: float = 2.0) -> pd.DataFrame:
    """:func:`simulated_work` with a measured throughput and the CPU time it implies.

    Parameters
    ----------
    config : dict
        A validated configuration.
    t_sample : float
        Time units of each timed run (three repeats, the fastest kept).

    Returns
    -------
    pandas.DataFrame
        The work table plus ``throughput`` (trajectory-time-units per second on one
        core, measured here; for the solver rows, path-time-units per second) and
        ``cpu_hours`` (work / throughput / 3600).
    """
    from rnnrepro.clark2025.experiments import overlaps as experiment
    from rnnrepro.clark2025.model import benchmark

    work = simulated_work(config)
    throughput = []
    for row in work.itertuples(index=False):
        if row.experiment == SOLVER_ROW:
            settings = experiment.SOLVERS[experiment_params(
                config, experiment.NAME, "plan")["solver"]]
            seconds = solver_seconds_per_iteration(settings)
            throughput.append(settings.n_samples * settings.tau_max / seconds)
            continue
        timed = benchmark(row.N, trajectories=row.trajectories, dtype=np.dtype(row.dtype),
                          t_sample=t_sample, repeats=3, modes=row.modes or None,
                          covariances=row.experiment not in VARIANCES_ONLY)
        throughput.append(timed["traj_time_units_per_s"])
    work["throughput"] = throughput
    work["cpu_hours"] = work["trajectory_time_units"] / work["throughput"] / 3600.0
    return work
