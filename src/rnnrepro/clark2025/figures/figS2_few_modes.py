"""Fig. S2 (this reproduction's own): single neurons in networks of few modes.

(a) Each network's ``C^phi(0)`` relative to the DMFT value against its number of
non-zero modes ``P`` (step spectrum; small dots, open where the network sits in a
static state, its mean activity as large as its fluctuations), the means with their
standard errors (large dots) for each size ``N``, ``b_inf + c/P`` fitted per size (dotted)
and the theory (0) with a 1 % band.  (b) The spread between networks against ``P`` with
the power law fitted per size and the ``P^-1/2`` of independent modes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker

from rnnrepro import style

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "STATIC", "plot"]

NAME = "figS2_few_modes"
TABLES = ("few_modes", "few_modes_points", "fits/few_modes")
#: the one-line claim the figure supports (README)
CLAIM = "few-mode networks scatter about the DMFT C^phi(0); the mean's bias falls as 1/P"
CAPTION = (r"Few modes (this reproduction's figure). (a) $C^\phi(0)$ of single neurons "
           r"relative to the DMFT value against the number of non-zero modes $P$ of "
           r"step-spectrum networks: networks (small dots; open: static states), means "
           r"and standard errors per size $N$ (large dots), $b_\infty + c/P$ fitted per size "
           r"(dotted) and the theory (0, with a 1 % band).  (b) The spread between "
           r"networks with the power law fitted per size (dashed) and the $P^{-1/2}$ of "
           r"independent modes (grey).")
#: mean activity over its root-mean-square above which a network counts as static
STATIC = 0.99
COLORS = ("tab:blue", "tab:red", "tab:green", "tab:purple")


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw the networks' ``C^phi(0)`` deviations and their spread against the number of
    modes.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``few_modes``, ``few_modes_points`` and ``fits/few_modes``.
    kernels : dict
        Unused (this paper has no kernel files).
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    table, points, fits = tables["few_modes"], tables["few_modes_points"], tables["fits/few_modes"]
    g = float(points["g_eff"].min())
    table = table[np.isclose(table["g_eff"], g)]
    points = points[np.isclose(points["g_eff"], g)]
    fits = fits[np.isclose(fits["g_eff"], g)] if "g_eff" in fits else fits
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(style.COLUMN_WIDTH * 2.0, 2.8))
    sizes = sorted(points["N"].unique())
    for k, (n, color) in enumerate(zip(sizes, COLORS)):
        shift = 1.0 + 0.06 * (k - (len(sizes) - 1) / 2)   # side by side at equal P
        nets = table[table["N"] == n]
        static = nets["mean_activity_ratio"] > STATIC
        for mask, face in ((~static, color), (static, "none")):
            ax.plot(nets.loc[mask, "modes"] * shift, 100 * nets.loc[mask, "c_phi0_rel_dev"],
                    "o", markersize=2, alpha=0.35, color=color, markerfacecolor=face,
                    markeredgewidth=0.5)
        rows = points[points["N"] == n].sort_values("modes")
        ax.errorbar(rows["modes"] * shift, 100 * rows["c_phi0_rel_dev_mean"],
                    yerr=100 * rows["c_phi0_rel_dev_sem"], fmt="o", markersize=4, color=color,
                    label=f"$N = {n}$", zorder=3)
        bx.plot(rows["modes"], 100 * rows["c_phi0_rel_dev_std"], "o", color=color,
                label=f"$N = {n}$")
    ax.axhspan(-1.0, 1.0, color="0.9", zorder=0)
    ax.axhline(0.0, color="k", linewidth=0.8, label="theory (DMFT)")
    for n, color in zip(sizes, COLORS):
        of_n = fits[fits["N"] == n] if "N" in fits else fits.iloc[:0]
        bias = of_n[of_n["quantity"] == "c_phi0_bias"]
        if len(bias):
            b = bias.iloc[0]
            p = np.geomspace(b["x_min"] * 0.85, b["x_max"] * 1.15, 40)   # the fitted range
            ax.plot(p, 100 * (b["value"] + b["slope"] / p), ":", color=color, linewidth=1.0,
                    label=rf"$b_\infty + c/P$: $b_\infty = {100 * b['value']:.1f} \pm "
                          rf"{100 * b['value_stderr']:.1f}\,\%$")
        spread = of_n[of_n["quantity"] == "c_phi0_spread"]
        if len(spread):
            s = spread.iloc[0]
            p = np.geomspace(s["x_min"] * 0.85, s["x_max"] * 1.15, 40)
            # two points fix the line exactly: no error to quote
            error = rf" \pm {s['exponent_stderr']:.2f}" if s["n_points"] > 2 else ""
            bx.plot(p, 100 * s["prefactor"] * p ** s["exponent"], "--", color=color,
                    linewidth=0.9, label=rf"$P^{{{s['exponent']:.2f}{error}}}$")
    anchor = points.loc[points["modes"].idxmax()]
    p = np.geomspace(points["modes"].min() * 0.85, points["modes"].max() * 1.15, 40)
    bx.plot(p, 100 * anchor["c_phi0_rel_dev_std"] * (p / anchor["modes"]) ** -0.5,
            color="0.6", linewidth=0.9, label=r"$P^{-1/2}$")
    modes = sorted(points["modes"].unique())
    for axis in (ax, bx):
        axis.set_xscale("log")
        axis.set_xticks(modes, [str(m) for m in modes])
        axis.xaxis.set_minor_locator(ticker.NullLocator())
        axis.set_xlabel("non-zero modes $P$")
    bx.set_yscale("log")
    bx.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
    bx.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
    bx.yaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_ylabel(r"$C^\phi(0) / C^\phi_\mathrm{DMFT}(0) - 1$ (%)")
    bx.set_ylabel("spread between networks (%)")
    ax.set_title(rf"(a) $g_\mathrm{{eff}} = {g:g}$: networks, means, theory", fontsize=8)
    bx.set_title("(b) network-to-network spread", fontsize=8)
    ax.legend(fontsize=5.5, loc="lower right")
    bx.legend(fontsize=6)
    fig.tight_layout()
    return fig
