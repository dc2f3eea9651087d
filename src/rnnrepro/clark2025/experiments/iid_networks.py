"""Single i.i.d.-coupled networks for the covariance duality (Fig. 3) and the
principal-component timescales (Fig. 9).

Each case is one network with ``J_ij ~ N(0, g^2 / N)``, simulated like the dimension
experiment's networks (:func:`rnnrepro.clark2025.model.simulate`) but keeping a window of
one trajectory (for the time-by-time covariance and principal-component traces) and,
where asked, the lagged covariance matrices (for each component's autocorrelation).

- *Duality* (Fig. 3, Eqs. 16-17, 24-25): from the recorded window ``A`` (time by neuron)
  the neuron-by-neuron covariance ``A^T A / T`` and the time-by-time covariance
  ``A A^T / N`` share their nonzero spectrum, so both give the same dimension; the
  dimension of the whole run and the DMFT value are listed beside them.
- *Principal-component timescales* (Fig. 9, Eqs. 27-28): the eigenvalue-weighted
  autocorrelations of the components, ``N^-1 sum_k lambda_k <p_k p_k(tau)>``, which is
  ``C^phi(tau)``, and ``N^-1 sum_k lambda_k^2 <p_k p_k(tau)>``, which is
  ``Psi^phi(tau, 0)``: simulation against DMFT.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnnrepro import schema
from rnnrepro.clark2025 import model, theory
from rnnrepro.config import Problem
from rnnrepro.experiments import SimulationError, describe_runs, in_plan_order, runs_of_shard
from rnnrepro.io import run_id, seed_from

__all__ = ["NAME", "SCHEMA", "STAGE_KEYS", "check", "kernel_names", "plan", "simulate",
           "measure", "aggregate"]

NAME = "iid_networks"
_CASE = schema.section("one i.i.d.-coupled network", {
    "N": schema.integer("neurons", 20, 20000),
    "g": schema.number("coupling strength g (J_ij ~ N(0, g^2/N))", exclusive_minimum=1.0),
    "trajectories": schema.integer("independent trajectories"),
    "burn_in": schema.positive("time discarded before sampling (neuron time constants)"),
    "time_units": schema.positive("time sampled per trajectory"),
    "window": schema.integer("samples of one trajectory kept (time-by-time covariance, "
                             "component traces)", 2),
    "lagged": schema.boolean("also accumulate the lagged covariance matrices (Fig. 9)"),
    "components": schema.integer("leading principal components whose autocorrelation is "
                                 "kept", 1),
})
SCHEMA = schema.section("Figs. 3 and 9: the covariance duality and principal-component "
                        "timescales of single i.i.d. networks", {
    "shards": schema.SHARDS,
    "dtype": schema.choice("precision of the dynamics (statistics are float64)",
                           ["float32", "float64"]),
    "max_lag": schema.positive("largest lag (time units; a whole number)"),
    "cases": schema.mapping("networks, each named like the figure that draws it "
                            "(fig3_duality, fig9_pc_timescales)", _CASE),
})
STAGE_KEYS = {"plan": ("dtype", "max_lag", "cases")}


def check(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """Windows and lags that fit in the sampled time.

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
    for figure, lagged in (("fig3_duality", False), ("fig9_pc_timescales", True)):
        if figure not in params["cases"]:
            problems.append(Problem("cases", sorted(params["cases"]),
                                    f"a case named {figure} (the network that figure draws)"))
        elif lagged and not params["cases"][figure]["lagged"]:
            problems.append(Problem(f"cases.{figure}.lagged", False,
                                    "true (the figure draws component autocorrelations)"))
    if abs(params["max_lag"] - round(params["max_lag"])) > 1e-9:
        problems.append(Problem("max_lag", params["max_lag"], "a whole number of time units"))
    for name, case in params["cases"].items():
        if case["window"] > case["time_units"]:
            problems.append(Problem(f"cases.{name}.window", case["window"],
                                    f"at most time_units = {case['time_units']} samples"))
        if params["max_lag"] >= case["time_units"] / 4:
            problems.append(Problem("max_lag", params["max_lag"],
                                    f"below a quarter of cases.{name}.time_units"))
        if case["components"] > case["N"]:
            problems.append(Problem(f"cases.{name}.components", case["components"],
                                    f"at most N = {case['N']}"))
    return problems


def kernel_names(params: dict[str, Any]) -> list[str]:
    """None.

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
    """One row per case, with its seed.

    Parameters
    ----------
    params : dict
        The plan's keys.
    kernels : dict
        Unused.

    Returns
    -------
    DataFrame
        The plan.
    """
    rows = []
    for name, case in sorted(params["cases"].items()):
        identity = {"experiment": NAME, "case": name, "dtype": params["dtype"],
                    "max_lag": params["max_lag"], **case}
        rows.append({"run_id": run_id(identity), "case": name, **case,
                     "dtype": params["dtype"], "max_lag": float(params["max_lag"]),
                     "seed": seed_from(identity)})
    return pd.DataFrame(rows)


def simulate(runs: pd.DataFrame, kernels: dict, params: dict[str, Any]
             ) -> dict[str, np.ndarray]:
    """Simulate each case's network; keep what Figs. 3 and 9 draw.

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
        Per case (keys suffixed with the row index): the window, covariance spectra,
        dimensions, component autocorrelations.
    """
    raw: dict[str, np.ndarray] = {"run_id": runs["run_id"].to_numpy().astype(str)}
    for i, row in enumerate(runs.itertuples(index=False)):
        label = describe_runs(NAME, runs.iloc[[i]], ("case", "N", "g"))
        dtype = np.dtype(row.dtype)
        couplings = model.iid_couplings(int(row.N), float(row.g), int(row.seed), dtype)
        try:
            result = model.simulate(couplings, label, [int(row.seed)],
                                    trajectories=int(row.trajectories), t_burn=row.burn_in,
                                    t_sample=row.time_units, dtype=dtype,
                                    max_lag=row.max_lag, store_lagged=bool(row.lagged),
                                    record_samples=int(row.window))
        except FloatingPointError as err:
            raise SimulationError(str(err)) from err
        stats = result.networks[0]
        window = stats.record_phi                       # (T, N), one trajectory
        neuron = window.T @ window / window.shape[0]    # neuron by neuron
        time = window @ window.T / window.shape[1]      # time by time
        raw[f"window_{i}"] = window
        raw[f"neuron_eigenvalues_{i}"] = np.linalg.eigvalsh(neuron)[::-1]
        raw[f"time_eigenvalues_{i}"] = np.linalg.eigvalsh(time)[::-1]
        raw[f"time_covariance_{i}"] = time
        raw[f"covariance_eigenvalues_{i}"] = model.covariance_spectrum(stats)
        raw[f"scalars_{i}"] = np.array([model.pr_phi(stats), model.pr_phi(stats, "plain"),
                                        model.c_phi0(stats),
                                        result.trajectory_time_units])
        raw[f"c_phi_tau_{i}"] = stats.c_phi_tau
        raw[f"lags_{i}"] = stats.lags
        if stats.lagged_phi is not None:
            pcs = model.pc_autocorrelations(stats, n_pcs=int(row.components))
            raw[f"acf_{i}"] = pcs["acf"]
            raw[f"lambda_weighted_{i}"] = pcs["lambda_weighted"]
            raw[f"lambda2_weighted_{i}"] = pcs["lambda2_weighted"]
            raw[f"eigenvalues_{i}"] = pcs["eigenvalues"][: int(row.components)]
            t, traces = model.pc_traces(stats, [0, min(9, row.N - 1), min(99, row.N - 1)])
            raw[f"traces_{i}"] = traces
    return raw


def _participation(values: np.ndarray, size: int) -> float:
    """``(sum lambda)^2 / (size sum lambda^2)`` of a spectrum."""
    return float(values.sum() ** 2 / (size * (values ** 2).sum()))


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame, kernels: dict,
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per case: both views of the window and what Fig. 9 draws.

    The dimension of the window from the neuron-by-neuron matrix (normalized by ``N``)
    and from the time-by-time matrix (normalized by ``N`` too: the spectra are the same
    up to the factor ``N / T``, which the participation ratio does not see); the
    dimension of the whole run (cross-block and plain estimators).

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
        One row per case.
    """
    rows = runs_of_shard(runs, raw["run_id"])
    out = []
    for i, row in enumerate(rows.itertuples(index=False)):
        pr, pr_plain, c0, units = raw[f"scalars_{i}"]
        neuron, time = raw[f"neuron_eigenvalues_{i}"], raw[f"time_eigenvalues_{i}"]
        n = int(row.N)
        record = {"pr_phi": pr, "pr_phi_plain": pr_plain, "c_phi0": c0,
                  "trajectory_time_units": units,
                  "pr_window_neuron": _participation(neuron, n),
                  "pr_window_time": _participation(time, n),
                  "window_rank": int(min(n, len(time))),
                  "time_covariance": raw[f"time_covariance_{i}"].ravel(),
                  "neuron_covariance_corner": (raw[f"window_{i}"].T[:60]
                                               @ raw[f"window_{i}"][:, :60]
                                               / raw[f"window_{i}"].shape[0]).ravel(),
                  "covariance_eigenvalues": raw[f"covariance_eigenvalues_{i}"],
                  "lags": raw[f"lags_{i}"], "c_phi_tau": raw[f"c_phi_tau_{i}"]}
        record.update(acf=None, lambda_weighted=None, lambda2_weighted=None,
                      pc_eigenvalues=None, traces=None)
        if f"acf_{i}" in raw:
            record.update(acf=raw[f"acf_{i}"].ravel(),
                          lambda_weighted=raw[f"lambda_weighted_{i}"],
                          lambda2_weighted=raw[f"lambda2_weighted_{i}"],
                          pc_eigenvalues=raw[f"eigenvalues_{i}"],
                          traces=raw[f"traces_{i}"].ravel())
        out.append(record)
    return pd.concat([rows, pd.DataFrame(out, index=rows.index)], axis=1)


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, kernels: dict,
              params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cases with their DMFT values: ``PR^phi_iid``, ``C^phi(0)``, ``C^phi(tau)`` and
    ``Psi^phi(tau, 0)`` at the simulated lags.

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
        The table and an empty fits table.
    """
    table = in_plan_order(rows, runs)
    table["pr_phi_theory"] = [float(theory.pr_iid(g)) for g in table["g"]]
    table["c_phi0_theory"] = [theory.two_point(g).c_phi0 for g in table["g"]]
    table["c_phi_tau_theory"] = [np.interp(lags, theory.two_point(g).tau,
                                           theory.two_point(g).c_phi)
                                 for g, lags in zip(table["g"], table["lags"])]
    table["psi_tau_theory"] = [theory.psi_tau(g, np.inf, np.asarray(lags))
                               for g, lags in zip(table["g"], table["lags"])]
    for quantity in ("pr_phi", "c_phi0"):
        table[f"{quantity}_rel_dev"] = table[quantity] / table[f"{quantity}_theory"] - 1.0
    # Eq. 28 and its two-point analogue: largest gap between the normalized curves
    for simulated, exact in (("lambda_weighted", "c_phi_tau_theory"),
                             ("lambda2_weighted", "psi_tau_theory")):
        table[f"{simulated}_max_dev"] = [
            float(np.max(np.abs(np.asarray(a) / a[0] - np.asarray(b) / b[0])))
            if a is not None else float("nan")
            for a, b in zip(table[simulated], table[exact])]
    table["pr_window_duality_dev"] = table["pr_window_time"] / table["pr_window_neuron"] - 1
    return table, pd.DataFrame({"experiment": pd.Series(dtype=str)})
