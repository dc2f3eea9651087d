"""Singular values of random-mode couplings ``L D R^T`` (Fig. 8; Eqs. 13-14).

Two kinds of runs, each one sampled matrix:

- ``edges``: ``D_a = 1`` and ``M = alpha N`` modes; the histogram of the nonzero
  singular values against the free-probability density (App. C) and their extremes
  against the edges ``S_-``, ``S_+`` of Eq. 14.  The histograms use the paper's
  ``N = 5000``; the edges are measured on matrices with ``edge_modes`` modes
  (``N = edge_modes / alpha``), because the extreme of ``M`` samples fluctuates about
  the edge by an amount of order ``M^(-2/3)`` (Tracy-Widom): with ``M = 25`` modes
  (``alpha = 0.005``, ``N = 5000``) several per cent, with 400 modes up to 3 % at the
  lower edge (measured), with 1000 modes about 1 %.
- ``participation``: a ``paper`` spectrum (exponential, ``alpha = 1``, up to rank 1;
  flat above) of effective rank ``alpha PR^D``; the participation ratio of the squared
  singular values ``PR^S = (sum S^2)^2 / (N sum S^4)`` against Eq. 13,
  ``alpha PR^D / (1 + 2 alpha PR^D)``.

The nonzero singular values of ``(L D) R^T`` are those of the ``M x M`` matrix
``T_L D T_R^T`` from thin QR factorizations ``L = Q_L T_L``, ``R = Q_R T_R``, and the
triangular factors of a Gaussian matrix have a known law (Bartlett): they are sampled
directly, an ``O(M^3)`` computation whatever ``N``, where the full SVD would cost
``O(N^3)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnnrepro import schema
from rnnrepro.clark2025 import model, theory
from rnnrepro.config import Problem
from rnnrepro.experiments import in_plan_order, runs_of_shard
from rnnrepro.io import pack_ragged, run_id, seed_from, unpack_ragged

__all__ = ["NAME", "SCHEMA", "STAGE_KEYS", "check", "kernel_names", "plan",
           "singular_values", "simulate", "measure", "aggregate"]

NAME = "singular_values"

SCHEMA = schema.section("Fig. 8 and Eqs. 13-14: singular values of L D R^T", {
    "shards": schema.SHARDS,
    "alphas": schema.array("mode densities alpha = M / N of the D_a = 1 matrices",
                           schema.number("alpha", exclusive_minimum=0, maximum=1), 1),
    "histogram_N": schema.integer("neurons of the matrices whose histograms Fig. 8 shows",
                                  10, 20000),
    "edge_modes": schema.integer("modes M of the matrices whose extremes measure the edges "
                                 "(N = M / alpha)", 10, 5000),
    "participation_N": schema.integer("neurons of the matrices measuring PR^S (Eq. 13)",
                                      10, 5000),
    "effective_ranks": schema.array("effective ranks alpha PR^D of the PR^S matrices",
                                    schema.number("alpha PR^D", exclusive_minimum=0), 1),
    "matrices": schema.integer("independent matrices per point"),
    "bins": schema.integer("histogram bins of Fig. 8", 5, 500),
})
STAGE_KEYS = {
    "plan": ("alphas", "histogram_N", "edge_modes", "participation_N", "effective_ranks",
             "matrices"),
    "measure": ("bins",),
}


def check(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """At least one mode at every alpha and effective rank.

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
    for alpha in params["alphas"]:
        if alpha * params["histogram_N"] < 1:
            problems.append(Problem("alphas", alpha, "at least 1 / histogram_N (one mode)"))
    for rank in params["effective_ranks"]:
        if rank * params["participation_N"] < 1:
            problems.append(Problem("effective_ranks", rank,
                                    "at least 1 / participation_N (one mode)"))
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
    """One row per sampled matrix: its purpose, ``alpha``, ``N``, spectrum and seed.

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
    points = []
    for alpha in params["alphas"]:
        points.append(("histogram", "flat", float(alpha), int(params["histogram_N"])))
        points.append(("edges", "flat", float(alpha),
                       int(round(params["edge_modes"] / alpha))))
    for rank in params["effective_ranks"]:
        points.append(("participation", "paper", float(rank), int(params["participation_N"])))
    rows = []
    for purpose, spectrum, value, n in points:
        if spectrum == "flat":
            alpha, rank = value, value
        else:
            alpha, rank = float("nan"), value
        for index in range(params["matrices"]):
            identity = {"experiment": NAME, "purpose": purpose, "spectrum": spectrum,
                        "value": value, "N": n, "matrix": index}
            built = model.random_mode_spectrum(n, rank, 1.0, spectrum)
            rows.append({"run_id": run_id(identity), "purpose": purpose,
                         "spectrum": built.kind, "alpha": built.alpha if spectrum == "paper"
                         else alpha, "N": n, "M": built.M, "pr_d": built.pr_d,
                         "effective_rank": built.effective_rank, "matrix": index,
                         "seed": seed_from(identity)})
    return pd.DataFrame(rows)


def triangular_factor(n: int, m: int, rng: np.random.Generator) -> np.ndarray:
    """The triangular factor ``T`` of the thin QR factorization ``L = Q T`` of an
    ``n x m`` matrix ``L`` with i.i.d. ``N(0, 1/n)`` entries, sampled directly.

    Bartlett's decomposition: ``sqrt(n) T`` is upper triangular with ``T_ii`` distributed
    as ``chi`` with ``n - i`` degrees of freedom (``i = 0 .. m-1``) and independent
    standard normal entries above the diagonal.  Exact in distribution, and
    ``O(m^2)`` instead of the ``O(n m^2)`` of building ``L`` and factorizing it.

    Parameters
    ----------
    n : int
        Rows of ``L`` (neurons); ``n >= m``.
    m : int
        Columns of ``L`` (modes).
    rng : numpy.random.Generator
        Source of the samples.

    Returns
    -------
    numpy.ndarray
        ``T``, shape ``(m, m)``, upper triangular.
    """
    factor = np.triu(rng.standard_normal((m, m)), k=1)
    factor[np.diag_indices(m)] = np.sqrt(rng.chisquare(n - np.arange(m)))
    return factor / np.sqrt(n)


def singular_values(n: int, strengths: np.ndarray, seed: int) -> np.ndarray:
    """The nonzero singular values of ``(L D) R^T``, ``L, R`` i.i.d. ``N(0, 1/N)``.

    With ``L = Q_L T_L`` and ``R = Q_R T_R`` (orthonormal columns ``Q``), the nonzero
    singular values of ``L D R^T`` are those of the ``M x M`` matrix ``T_L D T_R^T``;
    for ``M <= N`` the factors are sampled directly (:func:`triangular_factor`), so the
    cost does not grow with ``N``.

    Parameters
    ----------
    n : int
        Neurons ``N``.
    strengths : ndarray
        ``D_a``, ``a = 1..M``.
    seed : int
        Seed of ``L`` and ``R``.

    Returns
    -------
    ndarray
        ``min(M, N)`` singular values, decreasing.
    """
    rng = np.random.default_rng(seed)
    m = len(strengths)
    if m > n:
        left = rng.standard_normal((n, m)) / np.sqrt(n)
        right = rng.standard_normal((n, m)) / np.sqrt(n)
        return np.linalg.svd((left * strengths) @ right.T, compute_uv=False)
    t_left, t_right = triangular_factor(n, m, rng), triangular_factor(n, m, rng)
    return np.linalg.svd((t_left * strengths) @ t_right.T, compute_uv=False)


def simulate(runs: pd.DataFrame, kernels: dict, params: dict[str, Any]
             ) -> dict[str, np.ndarray]:
    """Sample each matrix of the shard and keep its singular values.

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
        The singular values of every matrix (packed).
    """
    values = []
    for row in runs.itertuples(index=False):
        rank = row.alpha if row.spectrum == "flat" else row.effective_rank
        spectrum = model.random_mode_spectrum(int(row.N), float(rank), 1.0, row.spectrum)
        # D_a = 1 exactly for the flat spectrum (g_eff = 1 rescales it by alpha^(-1/2))
        strengths = np.ones(spectrum.M) if row.spectrum == "flat" else spectrum.D
        values.append(singular_values(int(row.N), strengths, int(row.seed)))
    raw = {"run_id": runs["run_id"].to_numpy().astype(str)}
    raw["values"], raw["offsets"] = pack_ragged(values)
    return raw


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame, kernels: dict,
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per matrix: extreme singular values, ``PR^S``, and the histogram.

    Parameters
    ----------
    raw : dict of str to ndarray
        The shard's output of :func:`simulate`.
    runs : DataFrame
        The whole plan.
    kernels : dict
        Unused.
    params : dict
        The plan's keys and ``bins``.

    Returns
    -------
    DataFrame
        One row per matrix.
    """
    rows = runs_of_shard(runs, raw["run_id"])
    values = unpack_ragged(raw["values"], raw["offsets"])
    rows["s_min"] = [float(v.min()) for v in values]
    rows["s_max"] = [float(v.max()) for v in values]
    squares = [v ** 2 for v in values]
    rows["pr_s"] = [float(s.sum() ** 2 / (n * (s ** 2).sum()))
                    for s, n in zip(squares, rows["N"])]
    edges = np.linspace(0.0, 2.0, params["bins"] + 1)
    rows["histogram_edges"] = [edges for _ in values]
    rows["histogram_density"] = [np.histogram(v, bins=edges, density=True)[0] for v in values]
    return rows


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, kernels: dict,
              params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The matrices with Eq. 14's edges and Eq. 13's ``PR^S`` beside the measured values.

    Edges apply to ``D_a = 1`` only (NaN for other spectra).

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
        The table and an empty fits table (nothing is fitted).
    """
    table = in_plan_order(rows, runs)
    flat = (table["spectrum"] == "flat").to_numpy()
    lower, upper = theory.singular_value_edges(table["alpha"].to_numpy(float))
    table["s_min_theory"] = np.where(flat, lower, np.nan)
    table["s_max_theory"] = np.where(flat, upper, np.nan)
    table["pr_s_theory"] = theory.pr_singular_values(table["effective_rank"].to_numpy(float))
    for quantity in ("s_min", "s_max", "pr_s"):
        table[f"{quantity}_rel_dev"] = table[quantity] / table[f"{quantity}_theory"] - 1.0
    return table, pd.DataFrame({"experiment": pd.Series(dtype=str)})
