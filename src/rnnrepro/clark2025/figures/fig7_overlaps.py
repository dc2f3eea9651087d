"""Fig. 7: the dimension against the strength of right-left mode overlaps.

One panel per ``PR^D`` (0.3, 0.8, 1), one colour per ``g_eff`` (3, 6, 10): the theory
from the sampled single site and Eq. 51 (lines and small dots at the solved strengths;
``gamma_rho = 0`` is exact) and simulated networks (large dots: mean and two standard
errors).  The solver's settings and the networks' scale are printed on the figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig7_overlaps"
TABLES = ("overlaps",)
#: the one-line claim the figure supports (README)
CLAIM = ("strong right-left overlaps of either sign lower the dimension; the effect weakens "
         r"as $g_\mathrm{eff}$ grows")
CAPTION = (r"Right-left mode overlaps. $\mathrm{PR}^\phi$ against the overlap strength "
           r"$\gamma_\rho$ for $\mathrm{PR}^D = 0.3, 0.8, 1$ (panels) and "
           r"$g_\mathrm{eff} = 3, 6, 10$: theory from the sampled single site and Eq. 51 "
           r"(lines; exact at $\gamma_\rho = 0$) and simulated networks (dots: mean and two "
           r"standard errors). Solver settings and network sizes are printed on the figure "
           r"and listed in the overlaps table.")
COLORS = {3.0: "#c9a227", 6.0: "#d9534f", 10.0: "#2c6e9b"}


def _labels(theory: pd.DataFrame, networks: pd.DataFrame) -> str:
    first = theory.iloc[0]
    text = (f"theory: App. M1 sampler '{first['solver']}' ({int(first['solver_samples'])} "
            f"paths, {int(first['solver_iterations'])} iterations, dtau "
            f"{first['solver_dtau']:g})")
    if len(networks):
        text += (f"; simulations: N = {int(networks['N'].iat[0])}, "
                 f"{int(networks['network'].max()) + 1} networks per point, "
                 f"{networks['time_units'].iat[0]:g} time units x "
                 f"{int(networks['trajectories'].iat[0])} trajectories")
    return text


def draw_panel(ax: plt.Axes, theory: pd.DataFrame, networks: pd.DataFrame,
               pr_d: float) -> None:
    """One ``PR^D``: a curve per gain and the simulated points.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The panel.
    theory : DataFrame
        Theory rows.
    networks : DataFrame
        Network rows.
    pr_d : float
        ``PR^D``.

    Returns
    -------
    None
        Draws on ``ax``.
    """
    for g, color in COLORS.items():
        curve = theory[np.isclose(theory["pr_d"], pr_d) & np.isclose(theory["g_eff"], g)]
        curve = curve.sort_values("overlap")
        ax.plot(curve["overlap"], curve["pr_phi_theory"], "-", color=color, linewidth=1.0,
                marker=".", markersize=3, label=rf"$g_\mathrm{{eff}} = {g:g}$")
        sim = networks[np.isclose(networks["pr_d"], pr_d) & np.isclose(networks["g_eff"], g)]
        if len(sim):
            points = sim.drop_duplicates(["overlap"])
            ax.plot(sim["overlap"], sim["pr_phi"], "o", color=color, markersize=2,
                    alpha=0.35)
            ax.errorbar(points["overlap"], points["pr_phi_mean"],
                        yerr=2 * points["pr_phi_sem"], fmt="o", color=color, markersize=4,
                        capsize=1.5, mec="black", mew=0.4)
    ax.set_title(rf"$\mathrm{{PR}}^D = {pr_d:g}$", fontsize=8)
    ax.set_xlabel(r"overlap strength $\gamma_\rho$")


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw ``PR^phi`` against the overlap strength, one panel per ``PR^D``.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``overlaps`` (theory points of the sampler and simulated networks).
    kernels : dict
        Unused (this paper has no kernel files).
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    table = tables["overlaps"]
    theory = table[table["kind"] == "theory"]
    networks = table[table["kind"] == "network"]
    values = sorted(theory["pr_d"].unique())
    fig, axes = plt.subplots(1, len(values), figsize=(style.PAGE_WIDTH, 2.5), sharey=True,
                             squeeze=False)
    for ax, pr_d in zip(axes[0], values):
        draw_panel(ax, theory, networks, pr_d)
    # the panels share y: fix the range once, from every panel's curves and points
    # (an axis limit set on one panel stops the others from widening it)
    top = np.nanmax(np.concatenate([theory["pr_phi_theory"].to_numpy(float),
                                    networks["pr_phi"].to_numpy(float),
                                    (networks["pr_phi_mean"] + 2 * networks["pr_phi_sem"])
                                    .to_numpy(float), [0.0]]))
    axes[0][0].set_ylim(0, 1.08 * top)
    axes[0][0].set_ylabel(r"$\mathrm{PR}^\phi$")
    axes[0][-1].legend(fontsize=6, loc="upper right")
    fig.text(0.5, 1.0, _labels(theory, networks), ha="center", va="bottom", fontsize=6.5)
    return fig
