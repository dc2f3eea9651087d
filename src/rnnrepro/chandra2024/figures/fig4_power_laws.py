"""Fig. 4: fixed point and relaxation times as functions of the input.

Left: ``x*`` against ``I``.  Right: the radial and tangential (phase) relaxation
times, each the e-folding time in iterations of a uniform kick of that kind.
Simulation (dots; open orange where a run did not converge), exact theory (red),
asymptotic power laws (dashed blue) and the power law fitted to the simulation over
the fit range (dotted grey, exponents printed; the numbers are in the fits table).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style
from rnnrepro.chandra2024 import theory
from rnnrepro.chandra2024.experiments.fixed_points import THEORY

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig4_power_laws"
TABLES = ("fixed_points", "fits/fixed_points")
#: the one-line claim the figure supports (README)
CLAIM = r"the fixed point grows as $I^{1/3}$, the relaxation times diverge as $I^{-2/3}$"
CAPTION = (r"Fixed point $x^*$ and the radial and phase relaxation times against the input "
           r"$I$: simulation (dots), exact theory (red), asymptotes (dashed) and fitted power "
           r"laws (exponents printed; all in the fits table).")
SERIES = {
    "x_star": (r"x^*", "o", "black"),
    "tau_radial": (r"\tau_r", "o", "black"),
    "tau_phase": (r"\tau_t", "s", "tab:purple"),
}


def fit_label(fit: pd.Series, symbol: str) -> str:
    return (f"${symbol} \\propto I^{{{fit['exponent']:.4f} \\pm "
            f"{fit['exponent_stderr']:.0e}}}$ (exact: {fit['exponent_theory_range']:.4f})")


def draw_quantity(ax: plt.Axes, table: pd.DataFrame, fits: pd.DataFrame,
                  quantity: str) -> str:
    """Simulation, exact theory, asymptote and fit of one quantity; returns fit text."""
    symbol, marker, color = SERIES[quantity]
    inputs = table["input"].to_numpy(float)
    dense = np.logspace(np.log10(inputs.min()), np.log10(inputs.max()), 200)
    ok = table["converged"].to_numpy(bool)
    ax.plot(inputs[ok], table[quantity][ok],
            **{**style.SIMULATION, "marker": marker, "color": color},
            label=f"${symbol}$ simulation")
    if (~ok).any():
        ax.plot(inputs[~ok], table[quantity][~ok],
                **style.unconverged_style({**style.SIMULATION, "marker": marker}),
                label=f"${symbol}$ not converged")
    ax.plot(dense, THEORY[quantity](dense), **style.THEORY)
    exponent, prefactor = theory.FIXED_POINT_POWER_LAWS[quantity]
    ax.plot(dense, prefactor * dense ** exponent, **style.ASYMPTOTE)
    fit = fits[fits["quantity"] == quantity].iloc[0]
    span = np.logspace(np.log10(fit["x_min"]), np.log10(fit["x_max"]), 50)
    ax.plot(span, 1.6 * fit["prefactor"] * span ** fit["exponent"], **style.FIT)
    return fit_label(fit, symbol)


def legend_handles() -> list[plt.Line2D]:
    return [plt.Line2D([], [], **style.THEORY, label="exact theory"),
            plt.Line2D([], [], **style.ASYMPTOTE, label="asymptote"),
            plt.Line2D([], [], **style.FIT, label="fit (shifted up x1.6)")]


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw ``x*`` (left) and ``tau_r``, ``tau_t`` (right) against ``I``, log-log.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``fixed_points`` (one row per input ``I``, with ``x_star``, ``tau_radial``,
        ``tau_phase`` and ``converged``) and ``fits/fixed_points`` (one fitted power
        law per quantity).
    kernels : dict of str to Kernel
        Unused.
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    table, fits = tables["fixed_points"], tables["fits/fixed_points"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(style.PAGE_WIDTH, 3.6))
    text = draw_quantity(left, table, fits, "x_star")
    left.set_ylabel(r"fixed point $x^*$")
    left.set_title(r"fixed point; asymptote $(2I)^{1/3}$")
    left.text(0.97, 0.04, text, transform=left.transAxes, ha="right", fontsize=6.5)
    texts = [draw_quantity(right, table, fits, q) for q in ("tau_radial", "tau_phase")]
    right.set_ylabel("relaxation time (iterations)")
    right.set_title(r"uniform kicks: radial $\tau_r$, phase $\tau_t$")
    right.text(0.97, 0.90, "\n".join(texts), transform=right.transAxes, ha="right",
               va="top", fontsize=6.5)
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("input $I$")
    left.legend(handles=left.get_legend_handles_labels()[0] + legend_handles(),
                loc="upper left")
    right.legend(loc="lower left")
    fit = fits.iloc[0]
    fig.text(0.5, -0.06, f"fits over $I \\in [{fit['x_min']:.0e}, {fit['x_max']:.0e}]$; "
             "exact: the same fit applied to the exact theory at the same inputs",
             ha="center", fontsize=7)
    return fig
