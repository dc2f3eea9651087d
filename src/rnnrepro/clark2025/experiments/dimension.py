"""The dimension of chaotic activity in simulated random-mode networks (Figs. 2, 4, 10).

Each run is one network: ``N`` neurons, couplings ``J = (L D) R^T`` with a mode
spectrum ``D`` of the requested effective rank ``alpha PR^D`` and effective gain
``g_eff`` (:func:`rnnrepro.clark2025.model.random_mode_spectrum`; ``paper``: exponential
with ``alpha = 1`` up to rank 1, flat above; ``step``: Fig. 10), drawn from a seed
derived from the network's parameters.  The couplings are generated inside the
simulation job from that seed rather than stored (200 MB at the default scale, 60 GB
at the paper's; regenerating costs less than reading).  Every network of a shard with
the same ``N`` is integrated together (RK4, ``dt = 0.05``, many trajectories), and
only running covariances are kept (:func:`rnnrepro.clark2025.model.simulate`).

Measured per network: ``C^phi(0)``, ``C^x(0)``, the dimensions ``PR^phi``, ``PR^x``
(Eq. 20) by the cross-block estimator (unbiased by finite sampling: products of
covariances from different time blocks; the plain estimator beside it), the
normalized four-point function ``Psi^phi(tau, 0)/Psi^phi(0, 0)`` (Fig. 4b), ``C^phi(tau)``
and the covariance eigenvalues (Fig. 10b).  Theory beside: the DMFT values at the
network's realized effective rank (:mod:`rnnrepro.clark2025.theory`).  Sweeps name the
points of each figure; a network that two sweeps share is simulated once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnnrepro import schema
from rnnrepro.clark2025 import model, theory
from rnnrepro.config import Problem, range_problems
from rnnrepro.experiments import SimulationError, describe_runs, in_plan_order, runs_of_shard
from rnnrepro.fits import fit_line, fit_power_law
from rnnrepro.grids import in_range, is_multiple
from rnnrepro.io import pack_ragged, run_id, seed_from, unpack_ragged

__all__ = ["NAME", "SCHEMA", "STAGE_KEYS", "DERIVED", "SIMULATION_KEYS", "ESTIMATORS",
           "check", "kernel_names", "plan", "network_batches", "simulate", "measure",
           "decay_time", "add_theory", "dimension_points", "fit_finite_size", "fit_low_rank",
           "aggregate"]

NAME = "dimension"
#: keys of the section that define how each network is simulated
SIMULATION_KEYS = ("dtype", "trajectories", "burn_in", "time_units", "sample_interval",
                   "n_blocks", "max_lag")
ESTIMATORS = ("crossblock", "plain")
#: float64 numbers the covariance sums of one simulation call may hold (256 MB)
MATRIX_BUDGET = 2 ** 25
LABEL_KEYS = ("spectrum", "N", "g_eff", "effective_rank", "network")

_SWEEP = schema.section("one set of networks", {
    "spectrum": schema.choice("mode spectrum: paper (exponential, alpha = 1, up to rank 1; "
                              "flat, alpha = rank, above), exponential, flat, or step "
                              "(D constant for a/N <= PR^D, else 0; alpha = 1)",
                              ["paper", "exponential", "flat", "step"]),
    "N": schema.array("network sizes", schema.integer("neurons", 20, 20000), 1),
    "networks": schema.integer("networks per point (independent couplings)"),
    "g_eff": schema.array("effective gains (> 1: chaotic)",
                          schema.number("g_eff", exclusive_minimum=1.0), 1),
    "effective_ranks": schema.array("effective ranks alpha PR^D",
                                    schema.number("alpha PR^D", exclusive_minimum=0), 1),
}, optional=())
SCHEMA = schema.section("Figs. 2, 4, 10: dimension of activity of simulated networks", {
    "shards": schema.SHARDS,
    "dtype": schema.choice("precision of the dynamics (statistics are float64)",
                           ["float32", "float64"]),
    "trajectories": schema.integer("independent trajectories per network"),
    "burn_in": schema.positive("time discarded before sampling (neuron time constants)"),
    "time_units": schema.positive("time sampled per trajectory (neuron time constants)"),
    "sample_interval": schema.positive("time between samples (a multiple of dt = 0.05)"),
    "n_blocks": schema.integer("time blocks of the cross-block estimator", 2),
    "max_lag": schema.positive("largest lag of C(tau) and Psi(tau, 0) (a multiple of "
                               "sample_interval)"),
    "estimator": schema.choice("dimension estimator reported as pr_phi, pr_x: crossblock "
                               "(products of different time blocks: no sampling bias) or "
                               "plain ((tr C)^2 / (N ||C||_F^2))", list(ESTIMATORS)),
    "low_rank_fit_range": schema.positive_range(
        "PR^D over which the step spectrum's PR = K PR^D law is fitted (Fig. 10)"),
    "sweeps": schema.mapping("named sets of networks (the points of each figure)", _SWEEP),
})
STAGE_KEYS = {
    "plan": ("sweeps", *SIMULATION_KEYS),
    "measure": ("estimator",),
    "aggregate": ("low_rank_fit_range",),
}


def check(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """Times that are multiples of the step and of each other, ranks the spectrum can
    realize, and blocks long enough to hold samples.

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
    interval = params["sample_interval"]
    if not is_multiple(interval, 0.05):
        problems.append(Problem("sample_interval", interval, "a multiple of dt = 0.05"))
    for key in ("burn_in", "max_lag"):
        if not is_multiple(params[key], interval if key == "max_lag" else 0.05):
            problems.append(Problem(key, params[key], "a multiple of "
                                    + ("sample_interval" if key == "max_lag" else "dt = 0.05")))
    samples = int(round(params["time_units"] / interval))
    if samples < 2 * params["n_blocks"]:
        problems.append(Problem("n_blocks", params["n_blocks"],
                                f"at most half the samples per trajectory ({samples})"))
    if params["max_lag"] >= params["time_units"]:
        problems.append(Problem("max_lag", params["max_lag"],
                                f"below time_units = {params['time_units']}"))
    problems += range_problems("low_rank_fit_range", params["low_rank_fit_range"])
    for name, sweep in params["sweeps"].items():
        for rank in sweep["effective_ranks"]:
            if sweep["spectrum"] in ("exponential", "step") and rank > 1:
                problems.append(Problem(f"sweeps.{name}.effective_ranks", rank,
                                        f"at most 1 for the {sweep['spectrum']} spectrum "
                                        "(alpha = 1)"))
            for n in sweep["N"]:
                if rank * n < 1:
                    problems.append(Problem(f"sweeps.{name}.effective_ranks", rank,
                                            f"at least 1/N = {1 / n:.3g} (one mode) at N = {n}"))
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
    """One row per network, with its realized spectrum statistics and its seed.

    A network is identified by its spectrum kind, ``N``, ``g_eff``, requested effective
    rank, index and the simulation settings; networks that several sweeps ask for are
    planned once, with every sweep that asked listed in ``sweeps``.

    Parameters
    ----------
    params : dict
        The plan's keys.
    kernels : dict
        Unused.

    Returns
    -------
    DataFrame
        The plan, ordered by N, spectrum, g_eff, rank, network.
    """
    settings = {k: params[k] for k in SIMULATION_KEYS}
    networks: dict[tuple, dict[str, Any]] = {}
    for sweep_name, sweep in params["sweeps"].items():
        for n in sweep["N"]:
            for g in sweep["g_eff"]:
                for rank in sweep["effective_ranks"]:
                    for index in range(sweep["networks"]):
                        key = (int(n), sweep["spectrum"], float(g), float(rank), index)
                        if key in networks:
                            networks[key]["sweeps"] += f",{sweep_name}"
                            continue
                        identity = {"experiment": NAME, "spectrum": sweep["spectrum"],
                                    "N": int(n), "g_eff": float(g),
                                    "effective_rank": float(rank), "network": index,
                                    **settings}
                        spectrum = model.random_mode_spectrum(int(n), float(rank), float(g),
                                                              sweep["spectrum"])
                        networks[key] = {
                            "run_id": run_id(identity), "sweeps": sweep_name,
                            "spectrum": sweep["spectrum"], "N": int(n), "g_eff": float(g),
                            "effective_rank": float(rank), "network": index,
                            "seed": seed_from(identity), "alpha": spectrum.alpha,
                            "pr_d": spectrum.pr_d,
                            "effective_rank_realized": spectrum.effective_rank,
                            **settings}
    return pd.DataFrame([networks[k] for k in sorted(networks)])


def network_batches(part: pd.DataFrame, matrices: int, most: int | None = None
                    ) -> list[pd.DataFrame]:
    """Networks of one ``N`` in consecutive groups that fit :data:`MATRIX_BUDGET`.

    Parameters
    ----------
    part : DataFrame
        Plan rows of one ``N``.
    matrices : int
        ``N x N`` arrays one network of the batch holds (couplings, covariance sums).
    most : int, optional
        Cap on the group size.

    Returns
    -------
    list of DataFrame
        At least one network per group.
    """
    n = int(part["N"].iat[0])
    size = max(1, min(most or len(part), MATRIX_BUDGET // (matrices * n * n)))
    return [part.iloc[i:i + size] for i in range(0, len(part), size)]


def _operator_batches(part: pd.DataFrame, dtype: np.dtype
                      ) -> list[tuple[pd.DataFrame, list]]:
    """The batches of :func:`_batches` with each network's couplings in the form the
    simulator applies fastest (:func:`rnnrepro.clark2025.model.coupling_operator`), split
    so that a batch holds one form: dense, or factors of one rank."""
    out = []
    for batch in network_batches(part, matrices=6):   # J and the covariance sums
        operators = [model.coupling_operator(int(row.N), model.random_mode_spectrum(
            int(row.N), row.effective_rank, row.g_eff, row.spectrum), int(row.seed), dtype)
            for row in batch.itertuples(index=False)]
        forms = [getattr(op, "rank", 0) for op in operators]   # 0: dense
        for form in dict.fromkeys(forms):
            members = [i for i, f in enumerate(forms) if f == form]
            out.append((batch.iloc[members], [operators[i] for i in members]))
    return out


def simulate(runs: pd.DataFrame, kernels: dict, params: dict[str, Any]
             ) -> dict[str, np.ndarray]:
    """Integrate the shard's networks, batched by size; keep their statistics.

    Step-spectrum networks with fewer than ``N/2`` non-zero modes are integrated with
    their couplings kept as two thin factors (cheaper, the same ``J`` up to rounding).

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
        Per network: ``C(0)`` diagonals' means, both estimators of both dimensions,
        ``Psi^phi(tau, 0)``, ``C^phi(tau)``, the covariance eigenvalues (packed), the
        samples used.
    """
    dtype = np.dtype(params["dtype"])
    out: dict[str, list] = {key: [] for key in (
        "run_id", "c_phi0", "c_x0", "pr_phi_crossblock", "pr_phi_plain", "pr_x_crossblock",
        "pr_x_plain", "mean_activity_ratio", "psi", "c_phi_tau", "eigen_phi", "eigen_x",
        "n_vectors")}
    lags = np.zeros(0)
    for _, part in runs.groupby("N", sort=True):
        for batch, couplings in _operator_batches(part, dtype):
            labels = describe_runs(NAME, batch, LABEL_KEYS)
            try:
                result = model.simulate(
                    couplings, labels, [int(s) for s in batch["seed"]],
                    trajectories=params["trajectories"], t_burn=params["burn_in"],
                    t_sample=params["time_units"], sample_interval=params["sample_interval"],
                    dtype=dtype, max_lag=params["max_lag"], n_blocks=params["n_blocks"])
            except FloatingPointError as err:
                raise SimulationError(str(err)) from err
            for row, stats in zip(batch.itertuples(index=False), result.networks):
                lags, psi = model.psi_phi_normalized(stats)
                out["run_id"].append(row.run_id)
                out["c_phi0"].append(model.c_phi0(stats))
                out["c_x0"].append(model.c_x0(stats))
                for estimator in ESTIMATORS:
                    out[f"pr_phi_{estimator}"].append(model.pr_phi(stats, estimator))
                    out[f"pr_x_{estimator}"].append(model.pr_x(stats, estimator))
                out["mean_activity_ratio"].append(model.mean_activity_ratio(stats))
                out["psi"].append(psi)
                out["c_phi_tau"].append(stats.c_phi_tau)
                out["eigen_phi"].append(model.covariance_spectrum(stats, "phi"))
                out["eigen_x"].append(model.covariance_spectrum(stats, "x"))
                out["n_vectors"].append(stats.n_vectors)
    raw = {key: np.asarray(out[key], float) for key in (
        "c_phi0", "c_x0", "pr_phi_crossblock", "pr_phi_plain", "pr_x_crossblock",
        "pr_x_plain", "mean_activity_ratio", "n_vectors")}
    raw["run_id"] = np.asarray(out["run_id"], str)
    raw["lags"] = np.asarray(lags, float)
    raw["psi"] = np.asarray(out["psi"], float)
    raw["c_phi_tau"] = np.asarray(out["c_phi_tau"], float)
    for variable in ("phi", "x"):
        raw[f"eigen_{variable}_values"], raw[f"eigen_{variable}_offsets"] = pack_ragged(
            out[f"eigen_{variable}"])
    return raw


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame, kernels: dict,
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per network: dimensions (the configured estimator, both kept), ``C(0)``,
    the four-point and two-point functions against lag, the covariance spectra.

    Parameters
    ----------
    raw : dict of str to ndarray
        The shard's output of :func:`simulate`.
    runs : DataFrame
        The whole plan.
    kernels : dict
        Unused.
    params : dict
        The plan's keys and ``estimator``.

    Returns
    -------
    DataFrame
        One row per network.
    """
    rows = runs_of_shard(runs, raw["run_id"])
    estimator = params["estimator"]
    rows["time_units_sampled"] = raw["n_vectors"] / params["trajectories"] \
        * params["sample_interval"]
    rows["estimator"] = estimator
    rows["pr_phi"] = raw[f"pr_phi_{estimator}"]
    rows["pr_x"] = raw[f"pr_x_{estimator}"]
    for other in ESTIMATORS:
        rows[f"pr_phi_{other}"] = raw[f"pr_phi_{other}"]
        rows[f"pr_x_{other}"] = raw[f"pr_x_{other}"]
    rows["c_phi0"] = raw["c_phi0"]
    rows["c_x0"] = raw["c_x0"]
    rows["mean_activity_ratio"] = raw["mean_activity_ratio"]
    rows["lags"] = [raw["lags"].copy() for _ in range(len(rows))]
    rows["psi_phi"] = list(raw["psi"])
    rows["psi_decay_time"] = [decay_time(raw["lags"], psi) for psi in raw["psi"]]
    rows["c_phi_tau"] = list(raw["c_phi_tau"])
    for variable in ("phi", "x"):
        rows[f"eigenvalues_{variable}"] = unpack_ragged(raw[f"eigen_{variable}_values"],
                                                        raw[f"eigen_{variable}_offsets"])
    return rows


def decay_time(lags: np.ndarray, curve: np.ndarray) -> float:
    """First lag at which a normalized curve falls below ``1/e`` (linear interpolation).

    Parameters
    ----------
    lags : ndarray
        Lags (time units), increasing from 0.
    curve : ndarray
        Values, 1 at lag 0.

    Returns
    -------
    float
        The decay time, NaN if the curve stays above ``1/e``.
    """
    curve = np.asarray(curve, float)
    below = np.flatnonzero(curve < np.exp(-1.0))
    if below.size == 0 or below[0] == 0:
        return float("nan")
    j = below[0]
    t = (curve[j - 1] - np.exp(-1.0)) / (curve[j - 1] - curve[j])
    return float(lags[j - 1] + t * (lags[j] - lags[j - 1]))


def add_theory(table: pd.DataFrame) -> pd.DataFrame:
    """DMFT values at each network's realized effective rank, and relative deviations.

    Parameters
    ----------
    table : DataFrame
        Measured rows.

    Returns
    -------
    DataFrame
        With ``pr_phi_theory``, ``pr_x_theory``, ``c_phi0_theory``, ``c_x0_theory``,
        ``pr_phi_iid_theory``, ``psi_decay_time_theory`` and ``*_rel_dev``.
    """
    table = table.copy()
    g = table["g_eff"].to_numpy(float)
    rank = table["effective_rank_realized"].to_numpy(float)
    for variable in ("phi", "x"):
        table[f"pr_{variable}_theory"] = [float(theory.dimension(a, b, variable=variable))
                                          for a, b in zip(g, rank)]
    table["pr_phi_iid_theory"] = [float(theory.pr_iid(a)) for a in g]
    table["c_phi0_theory"] = [theory.two_point(gi).c_phi0 for gi in g]
    table["c_x0_theory"] = [theory.two_point(gi).c_x0 for gi in g]
    lags = np.asarray(table["lags"].iat[0], float) if len(table) else np.zeros(1)
    fine = np.linspace(0.0, lags.max(), 20 * len(lags) - 19)
    decay = {}
    for gi, ri in {(a, b) for a, b in zip(g, rank)}:
        decay[(gi, ri)] = decay_time(fine, theory.normalized_psi_phi_tau(gi, ri, fine))
    table["psi_decay_time_theory"] = [decay[(a, b)] for a, b in zip(g, rank)]
    for quantity in ("pr_phi", "pr_x", "c_phi0", "c_x0", "psi_decay_time"):
        table[f"{quantity}_rel_dev"] = table[quantity] / table[f"{quantity}_theory"] - 1.0
    return table


POINT_KEYS = ["spectrum", "N", "g_eff", "effective_rank"]


def dimension_points(table: pd.DataFrame) -> pd.DataFrame:
    """One row per point (spectrum, ``N``, ``g_eff``, effective rank): the networks' mean,
    spread and standard error beside the theory.

    ``effective_modes``: ``alpha PR^D N``.  ``pr_phi_within_spread``: whether the theory
    lies within two standard errors of the
    networks' mean; ``pr_phi_over_iid``: the mean over the i.i.d. theory (below 1 when
    structure lowers the dimension); ``pr_phi_excess_over_iid_sem``: how many standard
    errors the mean lies above the i.i.d. theory (negative: below).

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
        row = dict(zip(POINT_KEYS, key))
        row.update(networks=len(group), sweeps=",".join(sorted(set(
            ",".join(group["sweeps"]).split(",")))),
            alpha=float(group["alpha"].mean()), pr_d=float(group["pr_d"].mean()),
            effective_rank_realized=float(group["effective_rank_realized"].mean()))
        # alpha PR^D N: the number of modes (the step spectrum's non-zero ones), which
        # sets the few-mode deviations of single neurons (Fig. S2)
        row["effective_modes"] = row["effective_rank_realized"] * row["N"]
        for quantity in ("pr_phi", "pr_x", "c_phi0", "psi_decay_time"):
            # a network whose Psi stays above 1/e within max_lag has no decay time
            values = group[quantity].to_numpy(float)
            values = values[np.isfinite(values)]
            row[f"{quantity}_count"] = len(values)
            row[f"{quantity}_mean"] = float(np.mean(values)) if len(values) else float("nan")
            row[f"{quantity}_std"] = float(np.std(values, ddof=1)) if len(values) > 1 \
                else float("nan")
            row[f"{quantity}_sem"] = row[f"{quantity}_std"] / np.sqrt(max(len(values), 1))
            row[f"{quantity}_theory"] = float(group[f"{quantity}_theory"].mean())
            row[f"{quantity}_rel_dev"] = row[f"{quantity}_mean"] / row[f"{quantity}_theory"] - 1
        row["pr_phi_within_spread"] = bool(
            abs(row["pr_phi_mean"] - row["pr_phi_theory"]) <= 2 * row["pr_phi_sem"])
        iid = float(group["pr_phi_iid_theory"].iat[0])
        row["pr_phi_over_iid"] = row["pr_phi_mean"] / iid
        row["pr_phi_excess_over_iid_sem"] = (row["pr_phi_mean"] - iid) / row["pr_phi_sem"]
        row["pr_phi_theory_over_iid"] = row["pr_phi_theory"] / float(
            group["pr_phi_iid_theory"].iat[0])
        row["c_phi0_max_abs_rel_dev"] = float(group["c_phi0_rel_dev"].abs().max())
        row["lags"] = np.asarray(group["lags"].iat[0], float)
        row["psi_phi_mean"] = np.mean(np.stack(group["psi_phi"].to_numpy()), axis=0)
        row["c_phi_tau_mean"] = np.mean(np.stack(group["c_phi_tau"].to_numpy()), axis=0)
        row["time_units"] = float(group["time_units_sampled"].iat[0])
        row["trajectories"] = int(group["trajectories"].iat[0])
        row["trajectory_time_units"] = row["time_units"] * row["trajectories"]
        rows.append(row)
    return pd.DataFrame(rows)


def fit_finite_size(points: pd.DataFrame) -> list[dict[str, Any]]:
    """``PR(N) = PR_inf + a / N`` for every point simulated at two sizes or more.

    Weighted least squares of the networks' mean against ``1/N`` (weights: inverse
    standard errors); ``value`` is the extrapolated ``PR_inf``, beside the theory.

    Parameters
    ----------
    points : DataFrame
        :func:`dimension_points`.

    Returns
    -------
    list of dict
        Fit rows.
    """
    rows = []
    for (spectrum, g, rank), group in points.groupby(["spectrum", "g_eff", "effective_rank"],
                                                     sort=True):
        if group["N"].nunique() < 2:
            continue
        for quantity in ("pr_phi", "pr_x"):
            x = 1.0 / group["N"].to_numpy(float)
            y = group[f"{quantity}_mean"].to_numpy(float)
            line = fit_line(x, y)
            rows.append({"experiment": NAME, "quantity": f"{quantity}_infinite_n",
                         "variable": "1/N", "spectrum": spectrum, "g_eff": g,
                         "effective_rank": rank, "value": line.intercept,
                         "value_stderr": line.intercept_stderr,
                         "value_theory": float(group[f"{quantity}_theory"].iat[-1]),
                         "value_rel_dev": line.intercept
                         / float(group[f"{quantity}_theory"].iat[-1]) - 1.0,
                         "slope": line.slope, "n_points": line.n_points,
                         "x_min": float(x.min()), "x_max": float(x.max())})
    return rows


def fit_low_rank(points: pd.DataFrame, fit_range: tuple[float, float]) -> list[dict[str, Any]]:
    """``PR = K (PR^D)^p`` of the step spectrum at small ``PR^D`` (Fig. 10), per gain.

    The measured exponent beside the same fit of the theory over the same points and the
    asymptote ``p = 1``, ``K`` (Eq. 43).

    Parameters
    ----------
    points : DataFrame
        :func:`dimension_points`.
    fit_range : tuple of float
        ``PR^D`` range.

    Returns
    -------
    list of dict
        Fit rows.
    """
    rows = []
    step = points[points["spectrum"] == "step"]
    for (n, g), group in step.groupby(["N", "g_eff"], sort=True):
        inside = group[in_range(group["effective_rank_realized"], fit_range)]
        if len(inside) < 2:
            continue
        for variable in ("phi", "x"):
            measured = fit_power_law(inside["effective_rank_realized"],
                                     inside[f"pr_{variable}_mean"])
            exact = fit_power_law(inside["effective_rank_realized"],
                                  inside[f"pr_{variable}_theory"])
            rows.append({"experiment": NAME, "quantity": f"pr_{variable}",
                         "variable": "effective rank", "spectrum": "step", "N": int(n),
                         "g_eff": g, **vars(measured),
                         "exponent_theory_range": exact.exponent,
                         "prefactor_theory_range": exact.prefactor,
                         "exponent_asymptotic": 1.0,
                         "prefactor_asymptotic": float(theory.k_constant(g, variable=variable))})
    return rows


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, kernels: dict,
              params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The network table with theory, and the fits (finite size, low rank).

    Parameters
    ----------
    rows : DataFrame
        Measured rows of every shard.
    runs : DataFrame
        The plan.
    kernels : dict
        Unused.
    params : dict
        The plan's keys and ``low_rank_fit_range``.

    Returns
    -------
    table, fits : DataFrame
        The table and its fits.
    """
    table = add_theory(in_plan_order(rows, runs))
    points = dimension_points(table)
    fits = fit_low_rank(points, tuple(params["low_rank_fit_range"])) + fit_finite_size(points)
    return table, pd.DataFrame(fits)


#: tables derived from this experiment's table (``results/clark2025/tables/dimension_<name>``)
DERIVED = {"points": dimension_points}
