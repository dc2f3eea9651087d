"""Single-neuron gain heterogeneity and z-scoring (Fig. 5; Sec. VI, App. J).

Networks whose neurons have output gains ``G_i`` (``(1 + d/dt) x = J G phi(x)``, the
gains' profile ``G_i ~ exp(-beta_G i / N)`` of participation ratio ``PR^G``, normalized
to ``<G^2> = 1``: :mod:`rnnrepro.clark2025.heterogeneity`), read out three ways:
``unnormalized`` (``G phi``, what a recording of such neurons gives), ``normalized``
(``phi``: the z-scored rates) and ``random_readout`` (``G' phi`` with readout gains
unrelated to the dynamics: a permutation of ``G``, averaged over ``readout_draws``
permutations).  Each readout's dimension is measured with the cross-block estimator and
set beside its exact theory (Eqs. 46a, 46b, J18); the theory is also tabulated on a fine
``PR^G`` grid for the lines of Fig. 5.

The table has one row per (network or theory point) and readout; ``kind`` says which.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnnrepro import schema
from rnnrepro.clark2025 import heterogeneity, model
from rnnrepro.config import Problem
from rnnrepro.experiments import SimulationError, describe_runs, runs_of_shard
from rnnrepro.io import run_id, seed_from

__all__ = ["NAME", "SCHEMA", "STAGE_KEYS", "READOUTS", "check", "kernel_names", "plan",
           "simulate", "measure", "theory_rows", "add_point_statistics", "aggregate"]

NAME = "heterogeneity"
#: table names of the readouts, and the names :mod:`rnnrepro.clark2025.heterogeneity` uses
READOUTS = {"normalized": "normalized", "unnormalized": "unnormalized",
            "random_readout": "readout"}
SIMULATION_KEYS = ("dtype", "trajectories", "burn_in", "time_units", "n_blocks",
                   "readout_draws")
LABEL_KEYS = ("N", "g_eff", "effective_rank", "pr_g", "network")

SCHEMA = schema.section("Fig. 5: gain heterogeneity, z-scoring and readouts", {
    "shards": schema.SHARDS,
    "dtype": schema.choice("precision of the dynamics (statistics are float64)",
                           ["float32", "float64"]),
    "trajectories": schema.integer("independent trajectories per network"),
    "burn_in": schema.positive("time discarded before sampling (neuron time constants)"),
    "time_units": schema.positive("time sampled per trajectory, one sample per unit"),
    "n_blocks": schema.integer("time blocks of the cross-block estimator", 2),
    "readout_draws": schema.integer("random readout permutations averaged per network"),
    "theory": schema.section("the lines of Fig. 5", {
        "g_eff": schema.array("effective gains", schema.number(
            "g_eff", exclusive_minimum=1.0), 1),
        "effective_ranks": schema.array("effective ranks alpha PR^D", schema.number(
            "alpha PR^D", exclusive_minimum=0), 1),
        "pr_g_points": schema.integer("PR^G = k / pr_g_points, k = 1 .. pr_g_points", 2,
                                      1000),
    }),
    "networks": schema.section("the simulated points", {
        "N": schema.integer("neurons", 20, 20000),
        "networks": schema.integer("networks per point", 0),
        "g_eff": schema.array("effective gains", schema.number(
            "g_eff", exclusive_minimum=1.0), 1),
        "effective_ranks": schema.array("effective ranks alpha PR^D (paper spectrum)",
                                        schema.number("alpha PR^D", exclusive_minimum=0), 1),
        "pr_g": schema.array("participation ratios of the gains", schema.number(
            "PR^G", exclusive_minimum=0, maximum=1), 1),
    }),
})
STAGE_KEYS = {"plan": ("networks", *SIMULATION_KEYS), "aggregate": ("theory",)}


def check(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """Blocks that hold samples, and gains and ranks a network of ``N`` can realize.

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
    if params["time_units"] < 2 * params["n_blocks"]:
        problems.append(Problem("n_blocks", params["n_blocks"],
                                f"at most half of time_units = {params['time_units']}"))
    n = params["networks"]["N"]
    for value in params["networks"]["pr_g"]:
        if value * n <= 1:
            problems.append(Problem("networks.pr_g", value, f"above 1/N = {1 / n:.3g}"))
    for value in params["networks"]["effective_ranks"]:
        if value * n < 1:
            problems.append(Problem("networks.effective_ranks", value,
                                    f"at least 1/N = {1 / n:.3g} (one mode)"))
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
    """One row per simulated network, with its seed.

    Parameters
    ----------
    params : dict
        The plan's keys.
    kernels : dict
        Unused.

    Returns
    -------
    DataFrame
        The plan (empty with ``networks: 0``).
    """
    spec = params["networks"]
    settings = {k: params[k] for k in SIMULATION_KEYS}
    rows = []
    for g in spec["g_eff"]:
        for rank in spec["effective_ranks"]:
            for pr_g in spec["pr_g"]:
                for index in range(spec["networks"]):
                    identity = {"experiment": NAME, "N": spec["N"], "g_eff": float(g),
                                "effective_rank": float(rank), "pr_g": float(pr_g),
                                "network": index, **settings}
                    built = model.random_mode_spectrum(spec["N"], float(rank), float(g),
                                                       "paper")
                    rows.append({"run_id": run_id(identity), "N": spec["N"],
                                 "g_eff": float(g), "effective_rank": float(rank),
                                 "pr_g": float(pr_g), "network": index,
                                 "seed": seed_from(identity),
                                 "effective_rank_realized": built.effective_rank,
                                 **settings})
    columns = ["run_id", "N", "g_eff", "effective_rank", "pr_g", "network", "seed",
               "effective_rank_realized", *SIMULATION_KEYS]
    return pd.DataFrame(rows, columns=columns)


def simulate(runs: pd.DataFrame, kernels: dict, params: dict[str, Any]
             ) -> dict[str, np.ndarray]:
    """Integrate each network with its gains; keep the readouts' dimensions.

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
        Per network: ``pr_<readout>`` (cross-block), ``c_phi0``, the realized ``PR^G``.
    """
    dtype = np.dtype(params["dtype"])
    out: dict[str, list] = {"run_id": [], "c_phi0": [], "pr_g_realized": [],
                            **{f"pr_{name}": [] for name in READOUTS}}
    for row in runs.itertuples(index=False):
        spectrum = model.random_mode_spectrum(int(row.N), row.effective_rank, row.g_eff,
                                              "paper")
        gains = heterogeneity.gain_profile(int(row.N), row.pr_g, int(row.seed))
        couplings = heterogeneity.heterogeneous_couplings(int(row.N), spectrum, gains,
                                                          int(row.seed), dtype)
        label = describe_runs(NAME, runs[runs["run_id"] == row.run_id], LABEL_KEYS)
        try:
            result = model.simulate([couplings], label, [int(row.seed)],
                                    trajectories=params["trajectories"],
                                    t_burn=params["burn_in"], t_sample=params["time_units"],
                                    dtype=dtype, max_lag=1.0, n_blocks=params["n_blocks"],
                                    store_blocks=True)
        except FloatingPointError as err:
            raise SimulationError(str(err)) from err
        stats = result.networks[0]
        dims = heterogeneity.readout_dimensions(stats, gains, "crossblock",
                                                readout_draws=params["readout_draws"])
        out["run_id"].append(row.run_id)
        out["c_phi0"].append(model.c_phi0(stats))
        out["pr_g_realized"].append(gains.pr_g)
        for name, key in READOUTS.items():
            out[f"pr_{name}"].append(dims[key])
    raw = {key: np.asarray(values, float) for key, values in out.items() if key != "run_id"}
    raw["run_id"] = np.asarray(out["run_id"], str)
    return raw


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame, kernels: dict,
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per network and readout: the measured dimension.

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
        Rows of the shard's networks, three per network.
    """
    networks = runs_of_shard(runs, raw["run_id"])
    networks["c_phi0"] = raw["c_phi0"]
    networks["pr_g_realized"] = raw["pr_g_realized"]
    parts = []
    for name in READOUTS:
        part = networks.copy()
        part["readout"] = name
        part["pr_phi"] = raw[f"pr_{name}"]
        parts.append(part)
    rows = pd.concat(parts, ignore_index=True) if parts else networks
    rows["kind"] = "network"
    return rows


def _theory(g_eff: float, rank: float, pr_g: float) -> dict[str, float]:
    """The three readouts' dimensions, keyed by the table's readout names."""
    dims = heterogeneity.dimension_readouts(g_eff, rank, pr_g)
    return {name: float(dims[key]) for name, key in READOUTS.items()}


def theory_rows(spec: dict[str, Any]) -> pd.DataFrame:
    """Theory on the grid of Fig. 5's lines: one row per (``g_eff``, rank, ``PR^G``,
    readout), with the ratio to the normalized readout (Fig. 5b) and ``ratio_gap_theory``,
    the random readout's ratio minus the unnormalized one's (positive: the ordering of
    Sec. VI).

    Parameters
    ----------
    spec : dict
        The ``theory`` section: ``g_eff``, ``effective_ranks``, ``pr_g_points``.

    Returns
    -------
    DataFrame
        ``kind = theory`` rows.
    """
    grid = np.arange(1, spec["pr_g_points"] + 1) / spec["pr_g_points"]
    rows = []
    for g in spec["g_eff"]:
        for rank in spec["effective_ranks"]:
            dims = heterogeneity.dimension_readouts(float(g), float(rank), grid)
            for k, pr_g in enumerate(grid):
                gap = (dims["readout"][k] - dims["unnormalized"][k]) / dims["normalized"][k]
                for name, key in READOUTS.items():
                    rows.append({"kind": "theory", "g_eff": float(g),
                                 "effective_rank": float(rank), "pr_g": float(pr_g),
                                 "readout": name, "pr_phi_theory": float(dims[key][k]),
                                 "ratio_theory": float(dims[key][k]
                                                       / dims["normalized"][k]),
                                 "ratio_gap_theory": float(gap)})
    return pd.DataFrame(rows)


def add_point_statistics(rows: pd.DataFrame) -> pd.DataFrame:
    """Theory at each network's parameters, the ratio of each readout to the same
    network's normalized readout, and the spread of both over the networks of a point.

    Parameters
    ----------
    rows : DataFrame
        Measured network rows.

    Returns
    -------
    DataFrame
        With ``pr_phi_theory``, ``ratio`` and ``ratio_theory``, ``*_rel_dev``, per point
        and readout ``pr_phi_mean``, ``pr_phi_sem``, ``ratio_mean``, ``ratio_sem``, and
        ``ratio_within_spread`` (theory within two standard errors of the mean ratio).
    """
    rows = rows.copy()
    theory = {key: _theory(*key[:3]) for key in
              {(g, r, p) for g, r, p in zip(rows["g_eff"], rows["effective_rank_realized"],
                                             rows["pr_g_realized"])}}
    rows["pr_phi_theory"] = [theory[(g, r, p)][name] for g, r, p, name in zip(
        rows["g_eff"], rows["effective_rank_realized"], rows["pr_g_realized"], rows["readout"])]
    normalized = rows[rows["readout"] == "normalized"].set_index("run_id")
    rows["ratio"] = rows["pr_phi"].to_numpy() / normalized.loc[rows["run_id"], "pr_phi"
                                                               ].to_numpy()
    rows["ratio_theory"] = rows["pr_phi_theory"].to_numpy() / normalized.loc[
        rows["run_id"], "pr_phi_theory"].to_numpy()
    for quantity in ("pr_phi", "ratio"):
        rows[f"{quantity}_rel_dev"] = rows[quantity] / rows[f"{quantity}_theory"] - 1.0
        grouped = rows.groupby(["N", "g_eff", "effective_rank", "pr_g", "readout"])[quantity]
        rows[f"{quantity}_mean"] = grouped.transform("mean")
        rows[f"{quantity}_sem"] = grouped.transform(
            lambda v: v.std(ddof=1) / np.sqrt(len(v)) if len(v) > 1 else np.nan)
    rows["ratio_within_spread"] = ((rows["ratio_mean"] - rows["ratio_theory"]).abs()
                                   <= 2 * rows["ratio_sem"]) | (rows["readout"] == "normalized")
    return rows


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, kernels: dict,
              params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Network rows with theory and spread, then the theory grid; no fits.

    Parameters
    ----------
    rows : DataFrame
        Measured rows of every shard.
    runs : DataFrame
        The plan.
    kernels : dict
        Unused.
    params : dict
        The plan's keys and ``theory``.

    Returns
    -------
    table, fits : DataFrame
        The table; an empty fits table.
    """
    parts = []
    if len(rows):
        order = {rid: i for i, rid in enumerate(runs["run_id"])}
        if set(rows["run_id"]) != set(order) or len(rows) != len(READOUTS) * len(runs):
            raise ValueError("the shards do not hold exactly the planned runs")
        readout = {name: i for i, name in enumerate(READOUTS)}
        measured = (rows.assign(_run=rows["run_id"].map(order),
                                _readout=rows["readout"].map(readout))
                    .sort_values(["_run", "_readout"])
                    .drop(columns=["_run", "_readout"]).reset_index(drop=True))
        parts.append(add_point_statistics(measured))
    parts.append(theory_rows(params["theory"]))
    return (pd.concat(parts, ignore_index=True),
            pd.DataFrame({"experiment": pd.Series(dtype=str)}))
