"""Right-left mode overlaps (Fig. 7; Sec. VII, Apps. K, M1).

Couplings ``J = (L D) R^T`` whose right and left modes ``r_a, l_a`` are correlated,
``<l_a r_a> = rho_a``, with the overlap profile of Eq. K35 (strength ``gamma_rho``,
sign flipping across the spectrum so that ``sum_a D_a rho_a = 0``: the mean of
``J_ij J_ji`` is unchanged).  The theory of the dimension needs the single-site
two-point function of a network that is no longer i.i.d.-like; it is solved by the
sampling procedure of App. M1 (:func:`rnnrepro.clark2025.overlaps.solve_single_site`)
and fed to Eq. 51.  ``solver`` picks its settings: ``default`` (500 paths, reduced, a
few seconds per point), ``paper`` (App. M1 as printed: 10^4 paths, 300 iterations) or
``cluster`` (the paper's sample size, longer lags; ~30 CPU-minutes per point).

Two kinds of runs: a *curve* (one ``(PR^D, g_eff)``: every overlap strength of
``theory.overlaps``, solved outward from the exact ``gamma_rho = 0``) and a *network*
(one simulated network at a point of a curve, its dimension measured like the dimension
experiment's).  The table has one row per theory point or network (``kind``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from rnnrepro import schema
from rnnrepro.clark2025 import model, overlaps
from rnnrepro.config import Problem
from rnnrepro.experiments import SimulationError, describe_runs, runs_of_shard
from rnnrepro.io import run_id, seed_from

__all__ = ["NAME", "SCHEMA", "STAGE_KEYS", "SOLVERS", "check", "kernel_names", "plan",
           "simulate", "measure", "solver_columns", "aggregate"]

NAME = "overlaps"
#: the sampler's settings by name (:mod:`rnnrepro.clark2025.overlaps`)
SOLVERS = {"default": overlaps.DEFAULT_SETTINGS, "paper": overlaps.PAPER_SETTINGS,
           "cluster": overlaps.CLUSTER_SETTINGS,
           # a few paths and iterations: exercises the stages in the tests, not a result
           "smoke": dataclasses.replace(overlaps.DEFAULT_SETTINGS, n_samples=100, n_iter=3,
                                        n_avg=2, warmup=2, tau_max=120.0, lag_max=50.0)}
SIMULATION_KEYS = ("dtype", "trajectories", "burn_in", "time_units", "n_blocks")
LABEL_KEYS = ("kind", "N", "pr_d", "g_eff", "overlap", "network")
POINT_KEYS = ["pr_d", "g_eff", "overlap"]

_STRENGTHS = schema.array("overlap strengths gamma_rho", schema.number(
    "gamma_rho", minimum=-1.0, maximum=1.0), 1)
SCHEMA = schema.section("Fig. 7: dimension against right-left mode overlaps", {
    "shards": schema.SHARDS,
    "solver": schema.choice("settings of the App. M1 sampler: default (500 paths, reduced), "
                            "paper (App. M1 as printed), cluster (the paper's sample size, "
                            "longer lags), smoke (tests only: 100 paths, 3 iterations)",
                            list(SOLVERS)),
    "dtype": schema.choice("precision of the simulated networks' dynamics",
                           ["float32", "float64"]),
    "trajectories": schema.integer("independent trajectories per network"),
    "burn_in": schema.positive("time discarded before sampling (neuron time constants)"),
    "time_units": schema.positive("time sampled per trajectory, one sample per unit"),
    "n_blocks": schema.integer("time blocks of the cross-block estimator", 2),
    "theory": schema.section("the curves of Fig. 7", {
        "pr_d": schema.array("PR^D of the exponential spectrum (alpha = 1)", schema.number(
            "PR^D", exclusive_minimum=0, maximum=1), 1),
        "g_eff": schema.array("effective gains", schema.number(
            "g_eff", exclusive_minimum=1.0), 1),
        "overlaps": _STRENGTHS,
    }),
    "networks": schema.section("the simulated points (on the curves' grid)", {
        "N": schema.integer("neurons (= modes)", 20, 20000),
        "networks": schema.integer("networks per point", 0),
        "pr_d": schema.array("PR^D", schema.number("PR^D", exclusive_minimum=0,
                                                   maximum=1), 1),
        "g_eff": schema.array("effective gains", schema.number(
            "g_eff", exclusive_minimum=1.0), 1),
        "overlaps": _STRENGTHS,
    }),
})
STAGE_KEYS = {"plan": ("solver", "theory", "networks", *SIMULATION_KEYS)}


def check(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """Simulated points must lie on the theory's grid, with a mode per ``PR^D``.

    Parameters
    ----------
    params : dict
        This experiment's config section.
    paper : dict
        The paper's section (unused).

    Returns
    -------
    list of Problem
        Keys relative to this section.
    """
    problems = []
    theory, networks = params["theory"], params["networks"]
    for key in ("pr_d", "g_eff", "overlaps"):
        for value in networks[key]:
            if not any(np.isclose(value, v) for v in theory[key]):
                problems.append(Problem(f"networks.{key}", value,
                                        f"one of theory.{key} = {theory[key]} (the simulated "
                                        "points are compared with the curves)"))
    for value in networks["pr_d"]:
        if value * networks["N"] < 1:
            problems.append(Problem("networks.pr_d", value, "at least 1/N (one mode)"))
    if params["time_units"] < 2 * params["n_blocks"]:
        problems.append(Problem("n_blocks", params["n_blocks"],
                                f"at most half of time_units = {params['time_units']}"))
    return problems


def kernel_names(params: dict[str, Any]) -> list[str]:
    """None: couplings are drawn inside the simulation job from each network's seed.

    Parameters
    ----------
    params : dict
        The plan's keys.

    Returns
    -------
    list of str
        Empty.
    """
    return []


def plan(params: dict[str, Any], kernels: dict) -> pd.DataFrame:
    """One row per curve of the theory and per simulated network, with its seed.

    Parameters
    ----------
    params : dict
        The plan's keys.
    kernels : dict
        Unused.

    Returns
    -------
    DataFrame
        The plan: ``kind`` is ``curve`` or ``network``.
    """
    theory, spec = params["theory"], params["networks"]
    settings = {k: params[k] for k in SIMULATION_KEYS}
    rows = []
    for pr_d in theory["pr_d"]:
        for g in theory["g_eff"]:
            identity = {"experiment": NAME, "kind": "curve", "pr_d": float(pr_d),
                        "g_eff": float(g), "solver": params["solver"],
                        "overlaps": [float(v) for v in theory["overlaps"]]}
            rows.append({"run_id": run_id(identity), "kind": "curve", "N": 0,
                         "pr_d": float(pr_d), "g_eff": float(g), "overlap": np.nan,
                         "network": -1, "seed": seed_from(identity),
                         "solver": params["solver"]})
    for pr_d in spec["pr_d"]:
        for g in spec["g_eff"]:
            for gamma in spec["overlaps"]:
                for index in range(spec["networks"]):
                    identity = {"experiment": NAME, "kind": "network", "N": spec["N"],
                                "pr_d": float(pr_d), "g_eff": float(g),
                                "overlap": float(gamma), "network": index, **settings}
                    rows.append({"run_id": run_id(identity), "kind": "network",
                                 "N": spec["N"], "pr_d": float(pr_d), "g_eff": float(g),
                                 "overlap": float(gamma), "network": index,
                                 "seed": seed_from(identity), "solver": params["solver"]})
    table = pd.DataFrame(rows)
    for key, value in settings.items():
        table[key] = value
    return table


def _solve_curve(row: Any, gammas: list[float], solver: str) -> list[dict[str, Any]]:
    """The sampled theory along one curve, without the wall-clock times."""
    points = overlaps.overlap_curve(row.pr_d, row.g_eff, gammas, SOLVERS[solver],
                                    seed=int(row.seed) % 2 ** 32)
    for point in points:
        if not all(np.isfinite([point["pr_phi"], point["c_phi0"]])):
            raise SimulationError(f"{NAME} curve {row.run_id} (PR^D={row.pr_d:g}, "
                                  f"g_eff={row.g_eff:g}): the sampler gave a non-finite "
                                  f"value at gamma_rho={point['gamma_rho']:g}")
    return points


def _simulate_network(row: Any, runs: pd.DataFrame, params: dict[str, Any]
                      ) -> model.NetworkStats:
    dtype = np.dtype(params["dtype"])
    modes = overlaps.discrete_overlap_modes(int(row.N), row.pr_d, row.g_eff, row.overlap)
    couplings = overlaps.overlap_couplings(modes, int(row.seed), dtype)
    label = describe_runs(NAME, runs[runs["run_id"] == row.run_id], LABEL_KEYS)
    try:
        result = model.simulate([couplings], label, [int(row.seed)],
                                trajectories=params["trajectories"], t_burn=params["burn_in"],
                                t_sample=params["time_units"], dtype=dtype, max_lag=1.0,
                                n_blocks=params["n_blocks"])
    except FloatingPointError as err:
        raise SimulationError(str(err)) from err
    return result.networks[0]


def simulate(runs: pd.DataFrame, kernels: dict, params: dict[str, Any]
             ) -> dict[str, np.ndarray]:
    """Solve the shard's curves and integrate its networks.

    Parameters
    ----------
    runs : DataFrame
        The shard's rows of the plan.
    kernels : dict
        Unused.
    params : dict
        The plan's keys.

    Returns
    -------
    dict of str to ndarray
        ``point_*``: one entry per theory point (its curve's ``run_id``, ``overlap``,
        ``pr_phi``, ``c_phi0``, ``c_phi0_tail``, ``iterations``, ``exact``,
        ``mirrored``); ``network_*``: one per network (``pr_phi`` by both estimators,
        ``c_phi0``).
    """
    gammas = [float(v) for v in params["theory"]["overlaps"]]
    point: dict[str, list] = {k: [] for k in ("run_id", "overlap", "pr_phi", "c_phi0",
                                              "c_phi0_tail", "iterations", "exact",
                                              "mirrored")}
    network: dict[str, list] = {k: [] for k in ("run_id", "pr_phi", "pr_phi_plain",
                                                "c_phi0")}
    for row in runs.itertuples(index=False):
        if row.kind == "curve":
            for result in _solve_curve(row, gammas, row.solver):
                point["run_id"].append(row.run_id)
                point["overlap"].append(result["gamma_rho"])
                for key in ("pr_phi", "c_phi0", "c_phi0_tail", "iterations", "exact",
                            "mirrored"):
                    point[key].append(result[key])
        else:
            stats = _simulate_network(row, runs, params)
            network["run_id"].append(row.run_id)
            network["pr_phi"].append(model.pr_phi(stats, "crossblock"))
            network["pr_phi_plain"].append(model.pr_phi(stats, "plain"))
            network["c_phi0"].append(model.c_phi0(stats))
    raw = {f"point_{k}": np.asarray(v, float) for k, v in point.items() if k != "run_id"}
    raw.update({f"network_{k}": np.asarray(v, float) for k, v in network.items()
                if k != "run_id"})
    raw["point_run_id"] = np.asarray(point["run_id"], str)
    raw["network_run_id"] = np.asarray(network["run_id"], str)
    raw["run_id"] = np.asarray(list(dict.fromkeys([*point["run_id"], *network["run_id"]])),
                               str)
    return raw


def solver_columns(solver: str) -> dict[str, Any]:
    """The sampler settings recorded beside every theory value.

    Parameters
    ----------
    solver : str
        A key of :data:`SOLVERS`.

    Returns
    -------
    dict
        ``solver_samples`` (paths per iteration), ``solver_iterations``,
        ``solver_averaged`` (iterations averaged), ``solver_dtau``, ``solver_tau_max``,
        ``solver_lag_max``, ``solver_control``.
    """
    settings = dataclasses.asdict(SOLVERS[solver])
    return {"solver_samples": settings["n_samples"], "solver_iterations": settings["n_iter"],
            "solver_averaged": settings["n_avg"], "solver_dtau": settings["dtau"],
            "solver_tau_max": settings["tau_max"],
            "solver_lag_max": SOLVERS[solver].resolved_lag_max(),
            "solver_control": str(settings["control"])}


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame, kernels: dict,
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per theory point and per network.

    Parameters
    ----------
    raw : dict of str to ndarray
        The shard's output of :func:`simulate`.
    runs : DataFrame
        The whole plan.
    kernels : dict
        Unused.
    params : dict
        The plan's keys.

    Returns
    -------
    DataFrame
        ``kind = theory`` rows (``pr_phi_theory``, ``c_phi0_theory``, the sampler's
        record) and ``kind = network`` rows (``pr_phi``, ``c_phi0``).
    """
    parts = []
    if len(raw["point_run_id"]):
        points = runs_of_shard(runs, raw["point_run_id"]).drop(columns=["overlap"])
        points["kind"] = "theory"
        points["overlap"] = raw["point_overlap"]
        points["pr_phi_theory"] = raw["point_pr_phi"]
        points["c_phi0_theory"] = raw["point_c_phi0"]
        points["c_phi0_tail"] = raw["point_c_phi0_tail"]
        points["solver_iterations_run"] = raw["point_iterations"].astype(int)
        points["exact"] = raw["point_exact"].astype(bool)
        points["mirrored"] = raw["point_mirrored"].astype(bool)
        parts.append(points)
    if len(raw["network_run_id"]):
        networks = runs_of_shard(runs, raw["network_run_id"])
        networks["pr_phi"] = raw["network_pr_phi"]
        networks["pr_phi_plain"] = raw["network_pr_phi_plain"]
        networks["c_phi0"] = raw["network_c_phi0"]
        parts.append(networks)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {"run_id": pd.Series(dtype=str)})


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, kernels: dict,
              params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Theory points (with ``pr_phi_theory_over_zero``, the dimension relative to the same
    curve's ``gamma_rho = 0``), then networks with the theory of their point and spread.

    Parameters
    ----------
    rows : DataFrame
        Measured rows of every shard.
    runs : DataFrame
        The plan.
    kernels : dict
        Unused.
    params : dict
        The plan's keys.

    Returns
    -------
    table, fits : DataFrame
        The table; an empty fits table.
    """
    order = {rid: i for i, rid in enumerate(runs["run_id"])}
    if set(rows["run_id"]) != set(order):
        raise ValueError("the shards do not hold exactly the planned runs")
    gammas = {float(v): i for i, v in enumerate(params["theory"]["overlaps"])}
    rows = (rows.assign(_run=rows["run_id"].map(order),
                        _gamma=rows["overlap"].map(lambda v: gammas.get(float(v), -1)))
            .sort_values(["_run", "_gamma"]).drop(columns=["_run", "_gamma"])
            .reset_index(drop=True))
    theory = rows[rows["kind"] == "theory"].copy()
    networks = rows[rows["kind"] == "network"].copy()
    for key, value in solver_columns(params["solver"]).items():
        theory[key] = value
    zero = theory[theory["overlap"] == 0.0].set_index(["pr_d", "g_eff"])["pr_phi_theory"]
    theory["pr_phi_theory_over_zero"] = [
        value / zero.get((pr_d, g), np.nan) for pr_d, g, value in
        zip(theory["pr_d"], theory["g_eff"], theory["pr_phi_theory"])]
    if len(networks):
        lookup = theory.set_index(POINT_KEYS)
        keys = list(zip(*(networks[k].round(12) for k in POINT_KEYS)))
        lookup.index = pd.MultiIndex.from_arrays(
            [lookup.index.get_level_values(k).to_numpy().round(12) for k in POINT_KEYS])
        for column in ("pr_phi_theory", "c_phi0_theory"):
            networks[column] = [lookup.loc[key, column] for key in keys]
        for quantity in ("pr_phi", "c_phi0"):
            networks[f"{quantity}_rel_dev"] = (networks[quantity]
                                               / networks[f"{quantity}_theory"] - 1.0)
        grouped = networks.groupby(["N", *POINT_KEYS])["pr_phi"]
        networks["pr_phi_mean"] = grouped.transform("mean")
        networks["pr_phi_sem"] = grouped.transform(
            lambda v: v.std(ddof=1) / np.sqrt(len(v)) if len(v) > 1 else np.nan)
        networks["pr_phi_within_spread"] = (
            (networks["pr_phi_mean"] - networks["pr_phi_theory"]).abs()
            <= 2 * networks["pr_phi_sem"])
    table = pd.concat([theory, networks], ignore_index=True)
    return table, pd.DataFrame({"experiment": pd.Series(dtype=str)})
