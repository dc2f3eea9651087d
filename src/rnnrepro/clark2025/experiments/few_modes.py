"""Single neurons in networks of few modes: ``C^phi(0)`` against the number of modes (Fig. S2).

The DMFT of the random-mode model holds as ``N`` and the number of modes grow together
(Sec. III); Fig. 2's statement that single neurons see only ``g_eff``, whatever the
effective rank, is a statement of that limit.  At finite size a network with ``P``
non-zero modes is a ``P``-dimensional random dynamical system: its activity lives in the
span of ``P`` left modes, and the ``P x P`` matrix ``R^T (L D)`` that drives it is a
random matrix whose spectrum converges to the circular law only as ``P`` grows.  So each
network's neuron-averaged ``C^phi(0)`` departs from the theory by a quenched amount with
spread ``~ P^-1/2`` (central-limit scaling of a sum over modes), and the mean over
networks by a bias that vanishes as ``P`` grows (expected ``~ 1/P``, the first
correction of a large-``P`` expansion).

This experiment measures both, cheaply: many step-spectrum networks (``P`` modes of
equal strength, Fig. 10's spectrum; ``PR^D = P/N``) per point, each simulated only long
enough to fix its own ``C^phi(0)`` (short runs: the spread between networks, not the
time average, dominates; each network's block standard error is recorded to show it),
at two sizes ``N``, to see how much of the deviation the number of modes sets.
Networks with fewer than ``N/2`` modes are integrated with their couplings kept as two
thin factors (:func:`rnnrepro.clark2025.model.coupling_operator`).

Fits (per ``g_eff`` and ``N``): the spread ``std(C^phi(0)) / C^phi_theory = a P^p``
(``p = -1/2`` for independent modes), the weighted line ``mean deviation = b_inf + c / P``
whose intercept is the deviation extrapolated to many modes (expected 0); per
``g_eff``, for modes simulated at several ``N``, the largest difference of the mean
deviations in units of their combined standard error (``N`` enters too: measured, not
assumed away).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnnrepro import schema
from rnnrepro.clark2025 import model, theory
from rnnrepro.clark2025.experiments.dimension import network_batches
from rnnrepro.config import Problem
from rnnrepro.experiments import SimulationError, describe_runs, in_plan_order, runs_of_shard
from rnnrepro.fits import fit_line, fit_power_law
from rnnrepro.grids import is_multiple
from rnnrepro.io import run_id, seed_from

__all__ = ["NAME", "SCHEMA", "STAGE_KEYS", "DERIVED", "SIMULATION_KEYS", "check",
           "kernel_names", "plan", "simulate", "measure", "add_theory", "few_modes_points",
           "fit_few_modes", "aggregate"]

NAME = "few_modes"
#: keys of the section that define how each network is simulated
SIMULATION_KEYS = ("dtype", "trajectories", "burn_in", "time_units", "n_blocks")
LABEL_KEYS = ("N", "g_eff", "modes", "network")
POINT_KEYS = ["g_eff", "N", "modes"]
#: the spread of a sum over P independent modes (central-limit scaling)
SCATTER_EXPONENT = -0.5

_SIZE = schema.section("one network size", {
    "N": schema.integer("neurons", 20, 20000),
    "modes": schema.array("non-zero modes P of the step spectrum (PR^D = P/N), at most N",
                          schema.integer("modes", 1), 1),
})
SCHEMA = schema.section("Fig. S2: single-neuron C^phi(0) against the number of modes", {
    "shards": schema.SHARDS,
    "dtype": schema.choice("precision of the dynamics (statistics are float64)",
                           ["float32", "float64"]),
    "trajectories": schema.integer("independent trajectories per network"),
    "burn_in": schema.positive("time discarded before sampling (neuron time constants)"),
    "time_units": schema.positive("time sampled per trajectory, one sample per time unit"),
    "n_blocks": schema.integer("time blocks for each network's block standard error", 2),
    "networks": schema.integer("networks per point (independent couplings)", 2),
    "g_eff": schema.array("effective gains (> 1: chaotic)",
                          schema.number("g_eff", exclusive_minimum=1.0), 1),
    "sizes": schema.array("network sizes, each with the mode counts simulated at it",
                          _SIZE, 1),
    "fit_min_modes": schema.integer("fewest modes of the points the fits use", 1),
})
STAGE_KEYS = {
    "plan": ("g_eff", "sizes", "networks", *SIMULATION_KEYS),
    "aggregate": ("fit_min_modes",),
}


def check(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """Whole-step times, blocks that hold samples, modes that fit in every ``N``, and two
    mode counts or more inside the fit range.

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
    if not is_multiple(params["burn_in"], 0.05):
        problems.append(Problem("burn_in", params["burn_in"], "a multiple of dt = 0.05"))
    if not is_multiple(params["time_units"], 1.0):
        problems.append(Problem("time_units", params["time_units"],
                                "a whole number (one sample per time unit)"))
    if params["time_units"] < 2 * params["n_blocks"]:
        problems.append(Problem("n_blocks", params["n_blocks"],
                                f"at most half of time_units = {params['time_units']}"))
    for i, size in enumerate(params["sizes"]):
        for modes in size["modes"]:
            if modes > size["N"]:
                problems.append(Problem(f"sizes.{i}.modes", modes, f"at most N = {size['N']}"))
    counts = {m for size in params["sizes"] for m in size["modes"]}
    if sum(m >= params["fit_min_modes"] for m in counts) < 2:
        problems.append(Problem("fit_min_modes", params["fit_min_modes"],
                                "at most the second largest of modes (the fits need two "
                                "mode counts)"))
    return problems


def kernel_names(params: dict[str, Any]) -> list[str]:
    """None: each network's couplings are drawn inside its simulation job.

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
    """One row per network (``g_eff``, ``N``, modes, index), seeded from its parameters.

    Parameters
    ----------
    params : dict
        The plan's keys.
    kernels : dict
        Unused.

    Returns
    -------
    DataFrame
        The plan, ordered by ``g_eff``, ``N``, modes, network.
    """
    settings = {k: params[k] for k in SIMULATION_KEYS}
    rows = []
    points = sorted({(int(size["N"]), int(m)) for size in params["sizes"] for m in size["modes"]})
    for g in sorted(params["g_eff"]):
        for n, modes in points:
            spectrum = model.random_mode_spectrum(n, modes / n, float(g), "step")
            for index in range(params["networks"]):
                identity = {"experiment": NAME, "N": n, "g_eff": float(g), "modes": modes,
                            "network": index, **settings}
                rows.append({"run_id": run_id(identity), "g_eff": float(g), "N": n,
                             "modes": modes, "network": index, "seed": seed_from(identity),
                             "pr_d": spectrum.pr_d,
                             "effective_rank_realized": spectrum.effective_rank, **settings})
    return pd.DataFrame(rows)


#: networks advanced together: more only adds couplings that fall out of the cache
BATCH = 8


def simulate(runs: pd.DataFrame, kernels: dict, params: dict[str, Any]
             ) -> dict[str, np.ndarray]:
    """Integrate the shard's networks, batched by size and mode count.

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
        Per network: ``C^phi(0)``, ``C^x(0)``, the per-block ``C^phi(0)``, the mean-activity
        ratio, the largest real part of the couplings' eigenvalues, the samples used.
    """
    dtype = np.dtype(params["dtype"])
    out: dict[str, list] = {key: [] for key in (
        "run_id", "c_phi0", "c_x0", "c_phi0_blocks", "mean_activity_ratio",
        "leading_eigenvalue_real", "n_vectors")}
    for _, part in runs.groupby(["N", "modes"], sort=True):
        for batch in network_batches(part, matrices=1, most=BATCH):   # couplings only
            labels = describe_runs(NAME, batch, LABEL_KEYS)
            operators, leading = [], []
            for row in batch.itertuples(index=False):
                spectrum = model.random_mode_spectrum(int(row.N), row.modes / row.N,
                                                      row.g_eff, "step")
                factors = model.coupling_factors(int(row.N), spectrum, int(row.seed))
                # J = U V^T and the P x P matrix V^T U share their non-zero eigenvalues
                leading.append(float(np.linalg.eigvals(factors.Vt @ factors.U).real.max()))
                operators.append(factors.for_simulation(dtype))
            try:
                result = model.simulate(
                    operators, labels, [int(s) for s in batch["seed"]],
                    trajectories=params["trajectories"], t_burn=params["burn_in"],
                    t_sample=params["time_units"], sample_interval=1.0, dtype=dtype,
                    max_lag=1.0, n_blocks=params["n_blocks"], covariances=False)
            except FloatingPointError as err:
                raise SimulationError(str(err)) from err
            for row, stats, lead in zip(batch.itertuples(index=False), result.networks,
                                        leading):
                out["run_id"].append(row.run_id)
                out["c_phi0"].append(model.c_phi0(stats))
                out["c_x0"].append(model.c_x0(stats))
                out["c_phi0_blocks"].append(stats.block_tr_phi / stats.block_n / stats.N)
                out["mean_activity_ratio"].append(model.mean_activity_ratio(stats))
                out["leading_eigenvalue_real"].append(lead)
                out["n_vectors"].append(stats.n_vectors)
    raw = {key: np.asarray(values, float) for key, values in out.items() if key != "run_id"}
    raw["run_id"] = np.asarray(out["run_id"], str)
    return raw


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame, kernels: dict,
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per network: ``C^phi(0)`` with its block standard error, ``C^x(0)``, the
    mean-activity ratio and the leading eigenvalue of its couplings.

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
        One row per network.
    """
    rows = runs_of_shard(runs, raw["run_id"])
    blocks = raw["c_phi0_blocks"].reshape(len(rows), -1)
    rows["time_units_sampled"] = raw["n_vectors"] / params["trajectories"]
    rows["c_phi0"] = raw["c_phi0"]
    rows["c_phi0_block_sem"] = blocks.std(axis=1, ddof=1) / np.sqrt(blocks.shape[1])
    rows["c_x0"] = raw["c_x0"]
    rows["mean_activity_ratio"] = raw["mean_activity_ratio"]
    rows["leading_eigenvalue_real"] = raw["leading_eigenvalue_real"]
    return rows


def add_theory(table: pd.DataFrame) -> pd.DataFrame:
    """The DMFT ``C^phi(0)`` (independent of the modes) beside each network.

    Parameters
    ----------
    table : DataFrame
        Measured rows.

    Returns
    -------
    DataFrame
        With ``c_phi0_theory``, ``c_phi0_rel_dev`` and the leading eigenvalue over
        ``g_eff`` (``leading_eigenvalue_over_g``: 1 on the circular law's edge).
    """
    table = table.copy()
    table["c_phi0_theory"] = [theory.two_point(g).c_phi0 for g in table["g_eff"]]
    table["c_phi0_rel_dev"] = table["c_phi0"] / table["c_phi0_theory"] - 1.0
    table["leading_eigenvalue_over_g"] = table["leading_eigenvalue_real"] / table["g_eff"]
    return table


def few_modes_points(table: pd.DataFrame) -> pd.DataFrame:
    """One row per point (``g_eff``, ``N``, modes): the networks' relative deviations of
    ``C^phi(0)`` from the theory, their mean, spread and standard error.

    ``c_phi0_block_sem_median``: the median of the networks' own (time) standard errors,
    relative to the theory, beside the spread between networks.

    Parameters
    ----------
    table : DataFrame
        The experiment's table.

    Returns
    -------
    DataFrame
        One row per point.
    """
    rows = []
    for key, group in table.groupby(POINT_KEYS, sort=True):
        dev = group["c_phi0_rel_dev"].to_numpy(float)
        c_theory = float(group["c_phi0_theory"].iat[0])
        rows.append({**dict(zip(POINT_KEYS, key)), "networks": len(group),
                     "pr_d": float(group["pr_d"].iat[0]),
                     "c_phi0_mean": float(group["c_phi0"].mean()),
                     "c_phi0_theory": c_theory,
                     "c_phi0_rel_dev_mean": float(dev.mean()),
                     "c_phi0_rel_dev_std": float(dev.std(ddof=1)),
                     "c_phi0_rel_dev_sem": float(dev.std(ddof=1) / np.sqrt(len(dev))),
                     "c_phi0_block_sem_median": float(
                         group["c_phi0_block_sem"].median() / c_theory),
                     "mean_activity_ratio_max": float(group["mean_activity_ratio"].max()),
                     "trajectory_time_units": float(group["time_units_sampled"].iat[0]
                                                    * group["trajectories"].iat[0])})
    return pd.DataFrame(rows)


def fit_few_modes(points: pd.DataFrame, min_modes: int) -> list[dict[str, Any]]:
    """Per ``g_eff`` and ``N``: the spread's power law in ``P`` and the mean's ``b_inf + c/P``
    line; per ``g_eff``: the largest ``N`` dependence at equal ``P``.

    Parameters
    ----------
    points : DataFrame
        :func:`few_modes_points`.
    min_modes : int
        Fewest modes of the points fitted.

    Returns
    -------
    list of dict
        Fit rows (``quantity``: ``c_phi0_spread``, ``c_phi0_bias`` for every size with
        two mode counts or more in the fit range, ``c_phi0_n_dependence``).
    """
    rows = []
    for (g, n), group in points.groupby(["g_eff", "N"], sort=True):
        used = group[group["modes"] >= min_modes]
        if len(used) < 2:
            continue
        base = {"experiment": NAME, "g_eff": g, "N": int(n), "n_points": len(used),
                "x_min": float(used["modes"].min()), "x_max": float(used["modes"].max())}
        spread = fit_power_law(used["modes"], used["c_phi0_rel_dev_std"])
        rows.append({**base, "quantity": "c_phi0_spread", "variable": "modes",
                     "exponent": spread.exponent, "exponent_stderr": spread.exponent_stderr,
                     "prefactor": spread.prefactor, "prefactor_stderr": spread.prefactor_stderr,
                     "exponent_theory": SCATTER_EXPONENT})
        bias = fit_line(1.0 / used["modes"].to_numpy(float), used["c_phi0_rel_dev_mean"],
                        sigma=used["c_phi0_rel_dev_sem"])
        rows.append({**base, "quantity": "c_phi0_bias", "variable": "1/modes",
                     "value": bias.intercept, "value_stderr": bias.intercept_stderr,
                     "value_theory": 0.0, "slope": bias.slope, "slope_stderr": bias.slope_stderr})
    for g, group in points.groupby("g_eff", sort=True):
        z = []
        for _, same in group.groupby("modes"):
            if same["N"].nunique() > 1:
                dev, sem = same["c_phi0_rel_dev_mean"], same["c_phi0_rel_dev_sem"]
                z.append(float((dev.max() - dev.min()) / np.sqrt((sem ** 2).sum())))
        if z:
            rows.append({"experiment": NAME, "g_eff": g, "quantity": "c_phi0_n_dependence",
                         "variable": "N", "value": max(z), "n_points": len(z)})
    return rows


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, kernels: dict,
              params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The network table with the theory, and the fits.

    Parameters
    ----------
    rows : DataFrame
        Measured rows of every shard.
    runs : DataFrame
        The plan.
    kernels : dict
        Unused.
    params : dict
        The plan's keys and ``fit_min_modes``.

    Returns
    -------
    table, fits : DataFrame
        The table and its fits.
    """
    table = add_theory(in_plan_order(rows, runs))
    fits = fit_few_modes(few_modes_points(table), int(params["fit_min_modes"]))
    return table, pd.DataFrame(fits)


#: tables derived from this experiment's table (``results/clark2025/tables/few_modes_<name>``)
DERIVED = {"points": few_modes_points}
