"""The mean-field theory of the random-mode model, one row per effective gain.

For each ``g_eff`` the dynamic mean-field (DMFT) two-point function of the erf network
and the constants of the four-point function (:mod:`rnnrepro.clark2025.theory`):
``C^x(0)``, ``C^phi(0)``, ``<phi'>``, the i.i.d. dimensions ``PR^phi_iid``,
``PR^x_iid`` (Eqs. E5-E6) and the low-rank constants ``K^phi``, ``K^x`` (Eq. 43), from
which the dimension at any effective rank follows:
``1/PR = 1/PR_iid + 1/(K alpha PR^D)``.  Three grids of gains: the table's listed
gains (the data contract: 1.5, 2, 3, 6, 10, 20 at least), a log grid from just above
the transition to ``g_eff = 100`` (the inset of Fig. 10: ``K/PR_iid``), and gains
``1 + epsilon`` close to the transition, where the fit ``PR_iid ~ c (g_eff - 1)^3``
(Eqs. 39-41) is checked against the derived constant ``c = 4/(sqrt(3) pi^2)``.

No network is simulated: the "simulation" stage of this experiment solves the theory,
sharded over gains like any other experiment (a gain near the transition takes about a
second, the others a tenth).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnnrepro import schema
from rnnrepro.clark2025 import theory
from rnnrepro.config import Problem, fit_points_problems, grid_problems
from rnnrepro.experiments import in_plan_order, runs_of_shard
from rnnrepro.fits import fit_power_law
from rnnrepro.grids import log_grid
from rnnrepro.io import run_id

__all__ = ["NAME", "SCHEMA", "STAGE_KEYS", "COLUMNS", "check", "kernel_names", "gains",
           "plan", "simulate", "measure", "aggregate"]

NAME = "mean_field"
#: the theory table's columns (beyond the run's parameters)
COLUMNS = ("c_x0", "c_phi0", "mean_phi_prime", "pr_phi_iid", "k_phi", "pr_x_iid", "k_x")

SCHEMA = schema.section("the DMFT theory per effective gain (the theory table; Fig. 10 "
                        "inset; the transition)", {
    "shards": schema.SHARDS,
    "gains": schema.array("effective gains g_eff of the theory table",
                          schema.number("g_eff", exclusive_minimum=1.0), 1),
    "gain_grid": schema.log_grid("effective gains g_eff from near 1 to 100 (Fig. 10 inset)"),
    "transition_offsets": schema.log_grid("offsets g_eff - 1 near the transition"),
    "transition_fit_range": schema.positive_range(
        "offsets g_eff - 1 over which PR_iid ~ c (g_eff - 1)^3 is fitted"),
})
STAGE_KEYS = {
    "plan": ("gains", "gain_grid", "transition_offsets"),
    "aggregate": ("transition_fit_range",),
}


def check(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """Ordered grids above the transition, and a transition fit range holding points.

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
    problems = grid_problems("gain_grid", params["gain_grid"])
    problems += grid_problems("transition_offsets", params["transition_offsets"])
    if problems:
        return problems
    if log_grid(params["gain_grid"]).min() <= 1.0:
        problems.append(Problem("gain_grid.log10_min", params["gain_grid"]["log10_min"],
                                "above 0 (gains above the transition g_eff = 1)"))
    problems += fit_points_problems("transition_fit_range", params["transition_fit_range"],
                                    log_grid(params["transition_offsets"]),
                                    "transition offsets", minimum=3)
    return problems


def kernel_names(params: dict[str, Any]) -> list[str]:
    """None: the theory needs no kernel.

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


def gains(params: dict[str, Any]) -> dict[str, np.ndarray]:
    """The three grids of gains, by the name of the grid.

    Parameters
    ----------
    params : dict
        The plan's keys.

    Returns
    -------
    dict of str to ndarray
        ``listed``, ``grid``, ``transition``.
    """
    return {"listed": np.asarray(params["gains"], float),
            "grid": log_grid(params["gain_grid"]),
            "transition": 1.0 + log_grid(params["transition_offsets"])}


def plan(params: dict[str, Any], kernels: dict) -> pd.DataFrame:
    """One row per distinct gain, with the grid it belongs to (first listed wins).

    Parameters
    ----------
    params : dict
        The plan's keys.
    kernels : dict
        Unused.

    Returns
    -------
    DataFrame
        ``run_id``, ``grid``, ``g_eff``, in ascending ``g_eff``.
    """
    seen: dict[float, str] = {}
    for grid, values in gains(params).items():
        for value in values:
            seen.setdefault(float(f"{value:.12g}"), grid)
    rows = [{"run_id": run_id({"experiment": NAME, "g_eff": g}), "grid": grid, "g_eff": g}
            for g, grid in sorted(seen.items())]
    return pd.DataFrame(rows)


def simulate(runs: pd.DataFrame, kernels: dict, params: dict[str, Any]
             ) -> dict[str, np.ndarray]:
    """Solve the DMFT for the shard's gains (two-point function, four-point constants).

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
        One array per column of :data:`COLUMNS`, and ``k_phi_over_pr_phi_iid``.
    """
    table = theory.theory_table(runs["g_eff"].to_numpy(float))
    raw = {column: table[column].to_numpy(float) for column in COLUMNS}
    raw["run_id"] = runs["run_id"].to_numpy().astype(str)
    return raw


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame, kernels: dict,
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per gain: the theory's numbers, and ``K / PR_iid`` for both variables.

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
        One row per gain.
    """
    rows = runs_of_shard(runs, raw["run_id"])
    for column in COLUMNS:
        rows[column] = raw[column]
    rows["k_phi_over_pr_iid"] = rows["k_phi"] / rows["pr_phi_iid"]
    rows["k_x_over_pr_iid"] = rows["k_x"] / rows["pr_x_iid"]
    return rows


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, kernels: dict,
              params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The theory table, with the near-transition law ``PR_iid = c (g_eff - 1)^p`` fitted.

    Beside the table: ``pr_phi_iid_transition`` (the asymptote ``c (g - 1)^3``) and its
    ratio to the full solution.  The fits give the exponent and prefactor of
    ``PR^a_iid`` against ``g_eff - 1`` over ``transition_fit_range``, with the exact
    asymptotic exponent 3 and constant ``c`` beside them.

    Parameters
    ----------
    rows : DataFrame
        Measured rows of every shard.
    runs : DataFrame
        The plan.
    kernels : dict
        Unused.
    params : dict
        The plan's keys and ``transition_fit_range``.

    Returns
    -------
    table, fits : DataFrame
        The theory table and the transition fits.
    """
    table = in_plan_order(rows, runs)
    g = table["g_eff"].to_numpy(float)
    table["pr_phi_iid_transition"] = theory.pr_iid_near_transition(g)
    table["pr_phi_iid_rel_dev_transition"] = (table["pr_phi_iid"]
                                              / table["pr_phi_iid_transition"] - 1.0)
    constant = theory.transition_constant()
    fits = []
    for variable in ("phi", "x"):
        fit = fit_power_law(g - 1.0, table[f"pr_{variable}_iid"],
                            tuple(params["transition_fit_range"]))
        fits.append({"experiment": NAME, "quantity": f"pr_{variable}_iid",
                     "variable": "g_eff - 1", **vars(fit),
                     "exponent_theory_range": fit.exponent,
                     "prefactor_theory_range": fit.prefactor,
                     "exponent_asymptotic": 3.0, "prefactor_asymptotic": constant})
    return table, pd.DataFrame(fits)
