"""Fig. 7: how far a local signal travels in the background state.

For each case (a Laplacian ring or torus) and background ``B``: the uniform steady
state under ``B`` is relaxed (``Z_B``), a small static point source ``s = source * B``
is added at site 0 and the network is relaxed again to its new steady state ``Z_S``
(:func:`curnn.model.relax`: adaptive, with the convergence record).  The response
``Z_S - Z_B`` along a lattice axis is fitted away from the source, from ``fit_start``
sites to where it has fallen by ``fit_drop``:

- 1D: a damped cosine ``e^{-x/xi} (A cos qx + B sin qx)`` (the response oscillates:
  ``q ≈ 1/xi``, so a straight line through ``ln|response|`` would be biased);
- 2D: ``Re[a K0(m x)]``, the continuum Green's function, ``xi = 1 / Re m``;

both with the periodic image at ``E - x``.  Theory beside it: ``xi_theory`` and
``wavenumber_theory`` from the pole of the linearised response on the lattice
(:func:`curnn.theory.pole_wavenumber`), the asymptote ``2 sqrt(alpha) / (3^(1/4) y)``,
and ``xi_linear_fit``: the same fit applied to the exact linear response of the
lattice (it separates the bias of the fit from the error of the simulation).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from curnn import theory
from curnn.experiments import background as bg
from curnn.grids import in_range
from curnn.kernels import Kernel
from curnn.measure import fit_damped_cosine, fit_k0_profile, fit_power_law
from curnn.model import Stepper

NAME = "length"
RUN_KEYS = ("tol", "max_iter", "check_every", "source")


def kernel_names(params: dict[str, Any]) -> list[str]:
    return bg.kernel_names(params)


def plan(params: dict[str, Any], kernel_specs: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """One row per (case, background)."""
    return bg.plan(NAME, params, kernel_specs, RUN_KEYS)


def axis_profile(field: np.ndarray) -> np.ndarray:
    """Values at distance ``x = 0 .. E/2`` from the origin along the first lattice axis."""
    lattice = field.shape[1:]
    index = (slice(None), slice(0, lattice[0] // 2 + 1)) + (0,) * (len(lattice) - 1)
    return field[index]


def simulate(runs: pd.DataFrame, kernels: dict[str, Kernel],
             params: dict[str, Any]) -> dict[str, np.ndarray]:
    """Per kernel: steady state without and with the point source; their difference."""
    size = len(runs)
    raw = {key: np.zeros(size, np.int64) for key in ("iterations", "background_iterations")}
    raw.update(converged=np.zeros(size, bool), rel_error=np.full(size, np.nan),
               background_converged=np.zeros(size, bool))
    profiles: dict[int, np.ndarray] = {}
    for kernel_name, index in runs.groupby("kernel", sort=True).indices.items():
        part = runs.iloc[index]
        labels = list(part["run_id"])
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
    """The model fit of one response profile (NaN columns if the fit is impossible)."""
    fit = fit_damped_cosine if dim == 1 else fit_k0_profile
    try:
        return fit(profile, start=params["fit_start"], drop=params["fit_drop"],
                   period=period).as_dict()
    except ValueError:
        return {"xi": np.nan}


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame,
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per run: fitted ``xi`` and wavenumber, window, convergence, the profile."""
    runs = runs.set_index("run_id").loc[raw["run_id"]].reset_index()
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
                                          params["source"] * row.background)
        linear.append(fit_profile(axis_profile(response[None])[0], row.dim, row.E,
                                  params)["xi"])
    table["xi_linear_fit"] = linear
    return table


def fit_laws(table: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """``xi ∝ B^p`` per kernel, beside the exact (pole) and asymptotic laws."""
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


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, params: dict[str, Any],
              kernels: dict[str, Kernel]) -> tuple[pd.DataFrame, pd.DataFrame]:
    from curnn.experiments import in_plan_order

    table = add_theory(in_plan_order(rows, runs), kernels, params)
    return table, fit_laws(table, params)
