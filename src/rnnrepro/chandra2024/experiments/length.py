"""Fig. 7: how far a local signal travels in the background state.

For each case (a Laplacian ring or torus) and background ``B``: the uniform steady
state under ``B`` is relaxed (``Z_B``), a small static point source ``s = source * B``
is added at site 0 and the network is relaxed again to its new steady state ``Z_S``
(:func:`rnnrepro.chandra2024.model.relax`: adaptive, with the convergence record).  The response
``Z_S - Z_B`` along a lattice axis is fitted away from the source, from ``fit_start``
sites to where it has fallen by ``fit_drop``:

- 1D: a damped cosine ``e^{-x/xi} (A cos qx + B sin qx)`` (the response oscillates:
  ``q ≈ 1/xi``, so a straight line through ``ln|response|`` would be biased);
- 2D: ``Re[a K0(m x)]``, the continuum Green's function, ``xi = 1 / Re m``;

both with the periodic image at ``E - x``.  Theory beside it: ``xi_theory`` and
``wavenumber_theory`` from the pole of the linearised response on the lattice
(:func:`rnnrepro.chandra2024.theory.pole_wavenumber`), the asymptote
``2 sqrt(alpha) / (3^(1/4) y)``,
and ``xi_linear_fit``: the same fit applied to the exact linear response of the
lattice (it separates the bias of the fit from the error of the simulation).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnnrepro import schema
from rnnrepro.chandra2024 import theory
from rnnrepro.chandra2024.experiments import background as bg
from rnnrepro.chandra2024.experiments.common import describe_runs
from rnnrepro.chandra2024.fits import fit_damped_cosine, fit_k0_profile
from rnnrepro.chandra2024.kernels import Kernel
from rnnrepro.chandra2024.model import Stepper
from rnnrepro.config import Problem
from rnnrepro.experiments import in_plan_order, runs_of_shard
from rnnrepro.fits import fit_power_law
from rnnrepro.grids import in_range

__all__ = ["NAME", "SCHEMA", "STAGE_KEYS", "RUN_KEYS", "MIN_FIT_POINTS", "check",
           "kernel_names", "plan", "axis_profile", "simulate", "fit_profile", "measure",
           "add_theory", "fit_laws", "aggregate"]

NAME = "length"
RUN_KEYS = ("tol", "max_iter", "check_every", "source")
#: fewest sites a profile fit uses (:func:`rnnrepro.chandra2024.fits.fit_window`)
MIN_FIT_POINTS = 9

SCHEMA = schema.section("Fig. 7: propagation length of a static point source on the "
                        "background", {
    "cases": bg.CASES,
    "dtype": schema.DTYPE,
    "shards": schema.SHARDS,
    "tol": schema.fraction("the relaxation to the steady state stops at this estimated "
                           "relative distance"),
    "max_iter": schema.integer("cap on that relaxation (iterations)"),
    "check_every": schema.integer("iterations between convergence checks"),
    "source": schema.fraction("strength of the point source at site 0, in units of B"),
    "fit_start": schema.integer("first distance from the source used by the fit (sites)"),
    "fit_drop": schema.fraction("the fit window ends where the response has fallen by "
                                "this factor"),
    "fit_range": schema.positive_range("backgrounds B over which power laws are fitted"),
})
STAGE_KEYS = {
    "plan": ("cases", "dtype", *RUN_KEYS),
    "measure": ("fit_start", "fit_drop"),
    "aggregate": ("fit_start", "fit_drop", "fit_range"),
}


def check(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """Problems of the section that the schema cannot see.

    The cases (:func:`rnnrepro.chandra2024.experiments.background.case_problems`), and
    a fit window that fits inside every lattice: from ``fit_start`` at least
    ``MIN_FIT_POINTS`` sites before the half-width ``E/2`` (the periodic image).

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
    for case in params["cases"]:
        side = paper["kernels"][case["kernel"]]["shape"][0]
        last = side // 2 - 1
        if params["fit_start"] + MIN_FIT_POINTS - 1 > last:
            problems.append(Problem(
                "fit_start", params["fit_start"],
                f"at most {last - MIN_FIT_POINTS + 1}: the fit needs {MIN_FIT_POINTS} sites "
                f"before the half-width of kernel {case['kernel']!r} (side {side})"))
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
    """One row per (case, background).

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
    return bg.plan(NAME, params, kernels, RUN_KEYS)


def axis_profile(field: np.ndarray) -> np.ndarray:
    """Values at distance ``x = 0 .. E/2`` from the origin along the first lattice axis.

    Parameters
    ----------
    field : ndarray
        Batch of lattice fields.

    Returns
    -------
    ndarray
        Shape ``(batch, E/2 + 1)``.
    """
    lattice = field.shape[1:]
    index = (slice(None), slice(0, lattice[0] // 2 + 1)) + (0,) * (len(lattice) - 1)
    return field[index]


def simulate(runs: pd.DataFrame, kernels: dict[str, Kernel],
             params: dict[str, Any]) -> dict[str, np.ndarray]:
    """Per kernel: steady state without and with the point source; their difference.

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
        Relaxation records and the response profiles.
    """
    size = len(runs)
    raw = {key: np.zeros(size, np.int64) for key in ("iterations", "background_iterations")}
    raw.update(converged=np.zeros(size, bool), rel_error=np.full(size, np.nan),
               background_converged=np.zeros(size, bool))
    profiles: dict[int, np.ndarray] = {}
    for kernel_name, index in runs.groupby("kernel", sort=True).indices.items():
        part = runs.iloc[index]
        labels = describe_runs(NAME, part, ("kernel", "background"))
        stepper = Stepper(kernels[kernel_name].multipliers, params["dtype"])
        backgrounds = part["background"].to_numpy(float)
        steady = bg.steady_state(stepper, backgrounds, params, labels)
        sourced = bg.steady_state(stepper, backgrounds, params, labels,
                                  source=bg.point_source(stepper, params["source"] * backgrounds),
                                  start=steady.state)
        response = axis_profile(sourced.state.astype(complex) - steady.state.astype(complex))
        for j, i in enumerate(index):
            profiles[i] = response[j]
        raw["iterations"][index] = sourced.iterations
        raw["converged"][index] = sourced.converged
        raw["rel_error"][index] = sourced.rel_error
        raw["background_iterations"][index] = steady.iterations
        raw["background_converged"][index] = steady.converged
    width = max(len(p) for p in profiles.values())
    raw["profile"] = np.full((size, width), np.nan, dtype=complex)
    for i, p in profiles.items():
        raw["profile"][i, :len(p)] = p
    raw["run_id"] = runs["run_id"].to_numpy().astype(str)
    return raw


def fit_profile(profile: np.ndarray, dim: int, period: int, params: dict[str, Any]
                ) -> dict[str, float]:
    """The model fit of one response profile (NaN columns if the fit is impossible).

    Parameters
    ----------
    profile : ndarray
        Complex response at distance ``0 .. E/2``.
    dim : int
        Lattice dimension (1: damped cosine; 2: ``K0``).
    period : int
        Side ``E`` (for the periodic image).
    params : dict
        ``fit_start``, ``fit_drop``.

    Returns
    -------
    dict
        The :class:`rnnrepro.chandra2024.fits.LengthFit` columns.
    """
    fit = fit_damped_cosine if dim == 1 else fit_k0_profile
    try:
        return fit(profile, start=params["fit_start"], drop=params["fit_drop"],
                   period=period).as_dict()
    except ValueError:
        return {"xi": np.nan}


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame, kernels: dict[str, Kernel],
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per run: fitted ``xi`` and wavenumber, window, convergence, the profile.

    Parameters
    ----------
    raw : dict of str to ndarray
        The shard's output of :func:`simulate`.
    runs : DataFrame
        The whole plan.
    kernels : dict of str to Kernel
        The kernels (unused).
    params : dict
        The plan's keys, ``fit_start`` and ``fit_drop``.

    Returns
    -------
    DataFrame
        One row per run.
    """
    runs = runs_of_shard(runs, raw["run_id"])
    rows = []
    for i, run in enumerate(runs.itertuples(index=False)):
        profile = raw["profile"][i][: run.E // 2 + 1]
        rows.append({**fit_profile(profile, run.dim, run.E, params),
                     "profile_re": profile.real.copy(), "profile_im": profile.imag.copy()})
    measured = pd.DataFrame(rows, index=runs.index)
    return pd.concat([runs.assign(
        iterations=raw["iterations"], converged=raw["converged"].astype(bool),
        rel_error=raw["rel_error"], background_iterations=raw["background_iterations"],
        background_converged=raw["background_converged"].astype(bool)), measured], axis=1)


def add_theory(table: pd.DataFrame, kernels: dict[str, Kernel],
               params: dict[str, Any]) -> pd.DataFrame:
    """The lattice pole's ``xi`` and wavenumber, the asymptote, and the same fit applied
    to the exact linear response, beside the measured values.

    Parameters
    ----------
    table : DataFrame
        Measured rows.
    kernels : dict of str to Kernel
        The kernels (their multipliers give the exact linear response).
    params : dict
        ``fit_start``, ``fit_drop`` (the fit applied to the linear response).

    Returns
    -------
    DataFrame
        With the theory columns.
    """
    table = table.copy()
    b, alpha = table["background"].to_numpy(float), table["alpha"].to_numpy(float)
    pole = np.array([complex(theory.pole_wavenumber(bi, ai)) for bi, ai in zip(b, alpha)])
    table["xi_theory"] = 1.0 / pole.imag
    table["wavenumber_theory"] = pole.real
    table["xi_asymptote"] = theory.propagation_length_asymptote(b, alpha)
    table["xi_rel_dev"] = table["xi"] / table["xi_theory"] - 1.0
    linear = []
    for row in table.itertuples(index=False):
        response = theory.static_response(row.background, kernels[row.kernel].multipliers,
                                          row.source * row.background)
        linear.append(fit_profile(axis_profile(response[None])[0], row.dim, row.E,
                                  params)["xi"])
    table["xi_linear_fit"] = linear
    return table


def fit_laws(table: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """``xi ∝ B^p`` per kernel, beside the exact (pole) and asymptotic laws.

    Parameters
    ----------
    table : DataFrame
        The experiment's table.
    params : dict
        ``fit_range``.

    Returns
    -------
    DataFrame
        One row per kernel.
    """
    rows = []
    usable = table[table["converged"] & np.isfinite(table["xi"])
                   & in_range(table["background"], tuple(params["fit_range"]))]
    for kernel, group in usable.groupby("kernel", sort=False):
        if len(group) < 2:
            continue
        measured = fit_power_law(group["background"], group["xi"])
        exact = fit_power_law(group["background"], group["xi_theory"])
        exponent, prefactor = theory.BACKGROUND_POWER_LAWS["xi"]
        alpha = float(group["alpha"].iat[0])
        rows.append({"experiment": NAME, "quantity": "xi", "variable": "background",
                     "kernel": kernel, "dim": int(group["dim"].iat[0]), "alpha": alpha,
                     **vars(measured), "exponent_theory_range": exact.exponent,
                     "prefactor_theory_range": exact.prefactor,
                     "exponent_asymptotic": exponent,
                     "prefactor_asymptotic": prefactor * np.sqrt(alpha)})
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
        The plan's keys and the aggregate keys.

    Returns
    -------
    table, fits : DataFrame
        The table and its fitted laws.
    """
    table = add_theory(in_plan_order(rows, runs), kernels, params)
    return table, fit_laws(table, params)
