"""Fig. 5: single-neuron gain heterogeneity and z-scoring.

(a) The dimension of the z-scored (normalized) activity against the participation ratio
``PR^G`` of the neurons' gains, for effective ranks 10, 1, 0.1 (panels) and ``g_eff`` 3,
6, 10 (colours): theory lines (Eq. 46b) and simulated networks (mean and two standard
errors).  (b) At ``g_eff = 10``: the ratios ``PR^{G phi} / PR^phi`` (unnormalized readout,
solid) and ``PR^{G' phi} / PR^phi`` (random readout gains, dashed) against ``PR^G``,
theory and simulation (ratios of the same network's readouts).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig5_heterogeneity"
TABLES = ("heterogeneity",)
#: the one-line claim the figure supports (README)
CLAIM = ("z-scoring does not undo recurrent gain heterogeneity: the dimension falls with "
         r"$\mathrm{PR}^G$; z-scored > random readout > unnormalized")
CAPTION = (r"Gain heterogeneity. (a) Dimension of the z-scored activity $\mathrm{PR}^\phi$ "
           r"against the participation ratio of the gains $\mathrm{PR}^G$, for effective "
           r"ranks 10, 1 and 0.1 (left to right) and $g_\mathrm{eff} = 3, 6, 10$: theory "
           r"(lines, Eq. 46b) and simulated networks (dots: mean and two standard errors). "
           r"(b) At $g_\mathrm{eff} = 10$, the dimension of the unnormalized activity "
           r"$G\phi$ (solid) and of a random readout $G'\phi$ (dashed) relative to the "
           r"z-scored one: theory and simulation (ratios within each network).")
COLORS = {3.0: "#c9a227", 6.0: "#d9534f", 10.0: "#2c6e9b"}
RANK_COLORS = {10.0: "#1b9e77", 1.0: "#7570b3", 0.1: "#e7298a"}


def _scale(networks: pd.DataFrame) -> str:
    if networks.empty:
        return "theory only"
    return (f"simulations: N = {int(networks['N'].iat[0])}, "
            f"{int(networks['network'].max()) + 1} networks per point, "
            f"{networks['time_units'].iat[0]:g} time units x "
            f"{int(networks['trajectories'].iat[0])} trajectories")


def draw_dimension(ax: plt.Axes, theory: pd.DataFrame, networks: pd.DataFrame,
                   rank: float) -> None:
    """One panel of (a): the normalized readout at one effective rank.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The panel.
    theory : DataFrame
        Theory rows of the normalized readout.
    networks : DataFrame
        Network rows of the normalized readout.
    rank : float
        Effective rank ``alpha PR^D``.

    Returns
    -------
    None
        Draws on ``ax``.
    """
    for g, color in COLORS.items():
        line = theory[np.isclose(theory["g_eff"], g) & np.isclose(theory["effective_rank"], rank)]
        ax.plot(line["pr_g"], line["pr_phi_theory"], color=color, linewidth=1.0,
                label=rf"$g_\mathrm{{eff}} = {g:g}$")
        sim = networks[np.isclose(networks["g_eff"], g)
                       & np.isclose(networks["effective_rank"], rank)]
        points = sim.drop_duplicates(["pr_g"])
        ax.errorbar(points["pr_g"], points["pr_phi_mean"], yerr=2 * points["pr_phi_sem"],
                    fmt="o", color=color, markersize=3, capsize=1.5)
    ax.set_title(rf"$\alpha\mathrm{{PR}}^D = {rank:g}$", fontsize=8)
    ax.set_xlabel(r"$\mathrm{PR}^G$")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(bottom=0)


def draw_ratios(ax: plt.Axes, theory: pd.DataFrame, networks: pd.DataFrame,
                g: float = 10.0) -> None:
    """(b): the two readouts relative to the z-scored one at ``g_eff = g``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The panel.
    theory : DataFrame
        Theory rows.
    networks : DataFrame
        Network rows.
    g : float
        Effective gain.

    Returns
    -------
    None
        Draws on ``ax``.
    """
    for rank, color in RANK_COLORS.items():
        for readout, dashes in (("unnormalized", "-"), ("random_readout", "--")):
            line = theory[np.isclose(theory["g_eff"], g)
                          & np.isclose(theory["effective_rank"], rank)
                          & (theory["readout"] == readout)]
            ax.plot(line["pr_g"], line["ratio_theory"], dashes, color=color, linewidth=1.0,
                    label=rf"$\alpha\mathrm{{PR}}^D = {rank:g}$" if readout == "unnormalized"
                    else None)
            sim = networks[np.isclose(networks["g_eff"], g)
                           & np.isclose(networks["effective_rank"], rank)
                           & (networks["readout"] == readout)].drop_duplicates(["pr_g"])
            ax.errorbar(sim["pr_g"], sim["ratio_mean"], yerr=2 * sim["ratio_sem"],
                        fmt="o" if readout == "unnormalized" else "s", color=color,
                        markersize=3, capsize=1.5, mfc="none" if readout != "unnormalized"
                        else color)
    ax.set_xlabel(r"$\mathrm{PR}^G$")
    ax.set_ylabel(r"$\mathrm{PR}^{G\phi}/\mathrm{PR}^\phi$ (solid), "
                  r"$\mathrm{PR}^{G'\phi}/\mathrm{PR}^\phi$ (dashed)", fontsize=6.5)
    ax.set_title(rf"(b) $g_\mathrm{{eff}} = {g:g}$", fontsize=8)
    ax.set_xlim(0, 1.02)
    ax.legend(fontsize=5.5, loc="lower right")


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw (a) the z-scored dimension against ``PR^G`` and (b) the readout ratios.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``heterogeneity`` (theory rows on a ``PR^G`` grid and simulated networks, one row
        per readout).
    kernels : dict
        Unused (this paper has no kernel files).
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    table = tables["heterogeneity"]
    theory = table[table["kind"] == "theory"]
    networks = table[table["kind"] == "network"]
    fig = plt.figure(figsize=(style.PAGE_WIDTH, 2.6))
    # an empty column before panel (b) leaves room for its y label
    grid = fig.add_gridspec(1, 5, width_ratios=[1, 1, 1, 0.12, 1.25], wspace=0.62)
    normalized = theory[theory["readout"] == "normalized"]
    simulated = networks[networks["readout"] == "normalized"] if len(networks) else networks
    for i, rank in enumerate((10.0, 1.0, 0.1)):
        ax = fig.add_subplot(grid[0, i])
        draw_dimension(ax, normalized, simulated, rank)
        if i == 0:
            ax.set_ylabel(r"$\mathrm{PR}^\phi$ (z-scored)")
            ax.legend(fontsize=5.5, loc="upper left")
            ax.text(-0.35, 1.08, "(a)", transform=ax.transAxes, fontsize=8)
    draw_ratios(fig.add_subplot(grid[0, 4]), theory, networks)
    fig.text(0.5, 1.0, _scale(networks), ha="center", va="bottom", fontsize=6.5)
    return fig
