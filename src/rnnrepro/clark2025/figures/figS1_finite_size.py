"""Fig. S1 (this reproduction's own): how the simulated dimension approaches the theory.

For the points simulated at several network sizes: each network's ``PR^phi`` (small
dots) and their mean with its standard error (large dots) against ``1/N``, the
weighted line ``PR(N) = PR_inf + a/N`` fitted through the means (its intercept in the
``dimension`` fits table), and the DMFT value at ``1/N = 0`` (star).  The gap between
reduced-size simulations and the infinite-``N`` theory is shown, not tuned away.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "figS1_finite_size"
TABLES = ("dimension", "dimension_points", "fits/dimension")
#: the one-line claim the figure supports (README)
CLAIM = "the simulated dimension approaches the infinite-N theory as 1/N"
CAPTION = (r"Finite size (this reproduction's figure). $\mathrm{PR}^\phi$ against $1/N$ "
           r"for the points simulated at several network sizes: networks (small dots), "
           r"their mean and standard error (large dots), the line $\mathrm{PR}_\infty + "
           r"a/N$ fitted through the means, and the theory at $1/N = 0$ (stars).")
COLORS = ("tab:blue", "tab:red", "tab:green", "tab:purple")


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw the simulated dimension against ``1/N`` with its extrapolation to infinite ``N``
    and the theory.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``dimension``, ``dimension_points`` and ``fits/dimension`` (the ``1/N``
        extrapolations).
    kernels : dict
        Unused (this paper has no kernel files).
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    table, points = tables["dimension"], tables["dimension_points"]
    fits = tables["fits/dimension"]
    fits = fits[fits["quantity"] == "pr_phi_infinite_n"] if "quantity" in fits else fits
    fig, ax = plt.subplots(figsize=(style.COLUMN_WIDTH * 1.3, 3.0))
    for color, (_, fit) in zip(COLORS, fits.iterrows()):
        select = ((points["spectrum"] == fit["spectrum"])
                  & np.isclose(points["g_eff"], fit["g_eff"])
                  & np.isclose(points["effective_rank"], fit["effective_rank"]))
        rows = points[select].sort_values("N")
        nets = table[(table["spectrum"] == fit["spectrum"])
                     & np.isclose(table["g_eff"], fit["g_eff"])
                     & np.isclose(table["effective_rank"], fit["effective_rank"])]
        label = (rf"$g_\mathrm{{eff}} = {fit['g_eff']:g}$, "
                 rf"$\alpha\mathrm{{PR}}^D = {fit['effective_rank']:g}$")
        ax.plot(1.0 / nets["N"], nets["pr_phi"], "o", color=color, markersize=2, alpha=0.35)
        ax.errorbar(1.0 / rows["N"], rows["pr_phi_mean"], yerr=rows["pr_phi_sem"], fmt="o",
                    color=color, markersize=4, label=label)
        x = np.linspace(0.0, fit["x_max"] * 1.05, 50)
        ax.plot(x, fit["value"] + fit["slope"] * x, color=color, linestyle=":", linewidth=0.9)
        ax.plot([0.0], [fit["value_theory"]], marker="*", color=color, markersize=8,
                linestyle="none")
    ax.set_xlim(left=-0.0002)
    ax.set_xlabel("$1/N$")
    ax.set_ylabel(r"$\mathrm{PR}^\phi$")
    ax.set_title("finite size: networks, means, fit; star: theory", fontsize=8)
    ax.legend(fontsize=6)
    return fig
