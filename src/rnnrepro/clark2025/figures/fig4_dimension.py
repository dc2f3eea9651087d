"""Fig. 4: dimension of activity and collective timescales in the random-mode model.

(a) ``PR^phi`` against the effective rank ``alpha PR^D`` (0.1 .. 1) for ``g_eff`` 3, 6,
10: thin dots, individual networks; thick dots with error bars, their mean and standard
error; lines, DMFT theory (Eq. 38).  Inset: ``g_eff = 6`` up to ``alpha PR^D = 10``,
approaching the i.i.d. value (dashed).  (b) The normalized four-point function
``Psi^phi(tau, 0)`` at ``alpha PR^D`` 0.3, 1 and 10 for ``g_eff`` 3, 10 and 20:
simulation (dots, mean over networks) and theory (lines).  The simulations' scale
(``N``, networks per point, time sampled) is printed in the figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style
from rnnrepro.clark2025 import theory

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig4_dimension"
TABLES = ("dimension", "dimension_points")
#: the one-line claim the figure supports (README)
CLAIM = (r"the dimension grows with $g_\mathrm{eff}$ and with the effective rank, below "
         r"the i.i.d. value, while collective timescales hardly depend on the rank")
CAPTION = (r"Dimension of activity and collective timescales. (a) $\mathrm{PR}^\phi$ "
           r"against the effective rank $\alpha \mathrm{PR}^D$ for $g_\mathrm{eff}$ = 3, 6, "
           r"10: thin dots, individual simulated networks; thick dots, their mean with its "
           r"standard error; lines, theory (Eq. 38). Inset: $g_\mathrm{eff} = 6$ up to "
           r"$\alpha \mathrm{PR}^D = 10$, approaching the i.i.d. value (dashed). (b) "
           r"Normalized four-point function $\Psi^\phi(\tau, 0)$ for $g_\mathrm{eff}$ = 3, 10, "
           r"20 at $\alpha \mathrm{PR}^D$ = 0.3, 1 and 10: simulation (dots) and theory "
           r"(lines). The simulations' size, networks per point and sampled time are "
           r"printed on the figure.")
COLORS = {3.0: "#c9a227", 6.0: "#d9534f", 10.0: "#2c6e9b", 20.0: "#8e44ad"}
RANK_GAINS = (3.0, 6.0, 10.0)
TIMESCALE_GAINS = (3.0, 10.0, 20.0)
TIMESCALE_RANKS = (0.3, 1.0, 10.0)


def scale_label(points: pd.DataFrame) -> str:
    """``N = 500, 3 networks per point, 200 time units x 16 trajectories``."""
    sizes = ", ".join(str(n) for n in sorted(points["N"].unique()))
    networks = int(points["networks"].max())
    return (f"simulations: N = {sizes}; {networks} networks per point; "
            f"{points['time_units'].iat[0]:g} time units x {points['trajectories'].iat[0]} "
            "trajectories each")


def main_points(points: pd.DataFrame) -> pd.DataFrame:
    """The points of the paper's spectrum at the most common network size."""
    paper = points[points["spectrum"] == "paper"]
    size = paper["N"].mode().iat[0]
    return paper[paper["N"] == size]


def draw_rank(ax: plt.Axes, table: pd.DataFrame, points: pd.DataFrame) -> None:
    ranks = np.linspace(0.05, 1.05, 120)
    for g in RANK_GAINS:
        color = COLORS[g]
        ax.plot(ranks, theory.dimension(g, ranks), color=color, linewidth=1.2)
        rows = points[np.isclose(points["g_eff"], g) & (points["effective_rank"] <= 1.0)]
        nets = table[np.isclose(table["g_eff"], g) & (table["spectrum"] == "paper")
                     & table["N"].isin(rows["N"]) & (table["effective_rank"] <= 1.0)]
        ax.plot(nets["effective_rank_realized"], nets["pr_phi"], "o", color=color,
                markersize=2, alpha=0.35, linestyle="none")
        ax.errorbar(rows["effective_rank_realized"], rows["pr_phi_mean"],
                    yerr=rows["pr_phi_sem"], fmt="o", color=color, markersize=4,
                    label=rf"$g_\mathrm{{eff}} = {g:g}$")
    ax.set_xlim(0, 1.05)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(r"effective rank $\alpha\mathrm{PR}^D$")
    ax.set_ylabel(r"$\mathrm{PR}^\phi$")
    ax.set_title("(a) dimension of activity", fontsize=8)
    ax.legend(fontsize=6, loc="upper left")


def draw_inset(ax: plt.Axes, points: pd.DataFrame, g: float = 6.0) -> None:
    inset = ax.inset_axes([0.62, 0.12, 0.35, 0.35])
    ranks = np.logspace(-1.3, 1.1, 120)
    inset.plot(ranks, theory.dimension(g, ranks), color=COLORS[g], linewidth=1.0)
    inset.axhline(float(theory.pr_iid(g)), color="0.4", linestyle="--", linewidth=0.8)
    rows = points[np.isclose(points["g_eff"], g)]
    inset.errorbar(rows["effective_rank_realized"], rows["pr_phi_mean"],
                   yerr=rows["pr_phi_sem"], fmt="o", color=COLORS[g], markersize=2.5)
    inset.set_xscale("log")
    inset.set_ylim(bottom=0)
    inset.tick_params(labelsize=5, length=2)
    inset.set_title(rf"$g_\mathrm{{eff}} = {g:g}$; dashed: i.i.d.", fontsize=6, pad=2)


def draw_timescales(axes, points: pd.DataFrame) -> None:
    tau = np.linspace(0.0, 20.0, 201)
    for ax, rank in zip(axes, TIMESCALE_RANKS):
        for g in TIMESCALE_GAINS:
            color = COLORS[g]
            ax.plot(tau, theory.normalized_psi_phi_tau(g, rank, tau), color=color,
                    linewidth=1.0, label=rf"$g_\mathrm{{eff}} = {g:g}$")
            rows = points[np.isclose(points["g_eff"], g)
                          & np.isclose(points["effective_rank"], rank)]
            for _, row in rows.iterrows():
                ax.plot(row["lags"], row["psi_phi_mean"], "o", color=color, markersize=2.5)
        ax.set_ylim(-0.1, 1.05)
        ax.set_xlim(0, 20)
        ax.text(0.97, 0.85, rf"$\alpha\mathrm{{PR}}^D = {rank:g}$", transform=ax.transAxes,
                ha="right", fontsize=7)
        ax.set_ylabel(r"$\Psi^\phi(\tau,0)/\Psi^\phi(0,0)$", fontsize=6)
        if ax is not axes[-1]:
            ax.tick_params(labelbottom=False)
    axes[0].set_title("(b) collective timescales", fontsize=8)
    axes[0].legend(fontsize=5.5, loc="lower left")
    axes[-1].set_xlabel(r"lag $\tau$")


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw (a) the dimension against the effective rank for three gains, with the i.i.d. limit
    in the inset, and (b) the normalized ``Psi^phi(tau, 0)`` for three gains and ranks.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``dimension`` (one row per network: thin dots) and ``dimension_points``
        (means: thick dots, and the theory lines).
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
    paper = main_points(points)
    fig = plt.figure(figsize=(style.PAGE_WIDTH, 3.6))
    grid = fig.add_gridspec(3, 2, width_ratios=[1.3, 1], hspace=0.15, wspace=0.3)
    rank_axes = fig.add_subplot(grid[:, 0])
    draw_rank(rank_axes, table, paper)
    draw_inset(rank_axes, paper)
    draw_timescales([fig.add_subplot(grid[i, 1]) for i in range(3)], paper)
    fig.text(0.5, 0.99, scale_label(paper), ha="center", va="bottom", fontsize=6.5)
    return fig
