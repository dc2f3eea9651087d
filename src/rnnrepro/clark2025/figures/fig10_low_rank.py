"""Fig. 10: dimension and covariance spectrum in the low-effective-rank limit.

(a) ``PR^phi`` (top) and ``PR^x`` (bottom) against ``PR^D`` (``alpha = 1``, a step
spectrum: ``D`` constant for ``a/N <= PR^D``, else 0), log-log, for ``g_eff`` 3, 6, 10:
small dots, networks; large dots, their means; lines, DMFT theory; dotted, the
small-``PR^D`` expansion ``K(g_eff) PR^D`` (Eq. 43).  Inset: ``K^phi / PR^phi_iid``
against ``g_eff`` from the theory table (``mean_field``).  (b) Rank-ordered eigenvalues
of the simulated covariance matrices ``C^phi(0)`` (top) and ``C^x(0)`` (bottom) at
``g_eff = 6``, one curve per ``PR^D``, with ``N PR^D`` marked.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style
from rnnrepro.clark2025 import theory

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig10_low_rank"
TABLES = ("dimension", "dimension_points", "mean_field")
#: the one-line claim the figure supports (README)
CLAIM = (r"at low effective rank the dimension is $K(g_\mathrm{eff})\,\alpha\mathrm{PR}^D$, "
         r"with $K / \mathrm{PR}_\mathrm{iid}$ rising from 1 to about 1.53")
CAPTION = (r"Low effective rank. (a) $\mathrm{PR}^\phi$ (top) and $\mathrm{PR}^x$ (bottom) "
           r"against $\mathrm{PR}^D$ ($\alpha = 1$; $D_a$ constant for $a/N \le "
           r"\mathrm{PR}^D$, else 0) for $g_\mathrm{eff}$ = 3, 6, 10: small dots, simulated "
           r"networks; large dots, their means; lines, theory; dotted, the small-rank "
           r"expansion $K(g_\mathrm{eff})\,\mathrm{PR}^D$. Inset: $K^\phi / "
           r"\mathrm{PR}^\phi_\mathrm{iid}$ against $g_\mathrm{eff}$ (theory). (b) "
           r"Rank-ordered eigenvalues of the simulated covariances $C^\phi(0)$ and "
           r"$C^x(0)$ at $g_\mathrm{eff} = 6$, one curve per $\mathrm{PR}^D$, with "
           r"$N\,\mathrm{PR}^D$ marked (dotted).")
COLORS = {3.0: "#c9a227", 6.0: "#d9534f", 10.0: "#2c6e9b"}


def draw_dimension(ax: plt.Axes, table: pd.DataFrame, points: pd.DataFrame, variable: str
                   ) -> None:
    ranks = np.logspace(-1.35, 0.05, 100)
    for g, color in COLORS.items():
        rows = points[np.isclose(points["g_eff"], g)]
        nets = table[np.isclose(table["g_eff"], g) & (table["spectrum"] == "step")]
        ax.plot(ranks, theory.dimension(g, ranks, variable=variable), color=color,
                linewidth=1.1)
        ax.plot(ranks, theory.k_constant(g, variable=variable) * ranks, color=color,
                linestyle=":", linewidth=0.9)
        ax.plot(nets["effective_rank_realized"], nets[f"pr_{variable}"], "o", color=color,
                markersize=1.5, alpha=0.35)
        ax.plot(rows["effective_rank_realized"], rows[f"pr_{variable}_mean"], "o",
                color=color, markersize=4, label=rf"$g_\mathrm{{eff}} = {g:g}$")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylabel(rf"$\mathrm{{PR}}^{variable if variable == 'x' else chr(92) + 'phi'}$")
    ax.legend(fontsize=5.5, loc="lower right")


def draw_inset(ax: plt.Axes, mean_field: pd.DataFrame) -> None:
    inset = ax.inset_axes([0.08, 0.62, 0.35, 0.32])
    grid = mean_field.sort_values("g_eff")
    inset.plot(grid["g_eff"], grid["k_phi_over_pr_iid"], color="black", linewidth=1.0)
    inset.axhline(1.0, color="0.5", linestyle="--", linewidth=0.7)
    inset.set_xscale("log")
    inset.tick_params(labelsize=5, length=2)
    inset.set_title(r"$K^\phi / \mathrm{PR}^\phi_\mathrm{iid}$ vs $g_\mathrm{eff}$", fontsize=5.5,
                    pad=2)


def draw_spectra(ax: plt.Axes, table: pd.DataFrame, variable: str, g: float = 6.0) -> None:
    nets = table[np.isclose(table["g_eff"], g) & (table["spectrum"] == "step")
                 & (table["network"] == 0)].sort_values("effective_rank")
    shades = plt.get_cmap("Reds")(np.linspace(0.35, 0.95, max(len(nets), 1)))
    for shade, (_, row) in zip(shades, nets.iterrows()):
        values = np.asarray(row[f"eigenvalues_{variable}"])
        ax.loglog(np.arange(1, len(values) + 1), values, color=shade, linewidth=0.8)
        ax.axvline(row["N"] * row["effective_rank_realized"], color=shade, linestyle=":",
                   linewidth=0.6)
    ax.set_ylabel(rf"eigenvalue of $C^{{{variable if variable == 'x' else chr(92) + 'phi'}}}(0)$")
    ax.set_title(rf"$g_\mathrm{{eff}} = {g:g}$; dark: larger $\mathrm{{PR}}^D$", fontsize=7)


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw (a) the dimension against PR^D on the step spectrum with the low-rank asymptote,
    its inset K / PR_iid, and (b) covariance spectra.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``dimension`` (one row per network), ``dimension_points`` (their means and
        the theory per point) and ``mean_field`` (``K`` and ``PR_iid`` against
        ``g_eff``).
    kernels : dict
        Unused (this paper has no kernel files).
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    table = tables["dimension"]
    points = tables["dimension_points"]
    step_points = points[points["spectrum"] == "step"]
    fig, axes = plt.subplots(2, 2, figsize=(style.PAGE_WIDTH, 5.0),
                             gridspec_kw={"hspace": 0.35, "wspace": 0.3})
    for row, variable in enumerate(("phi", "x")):
        draw_dimension(axes[row][0], table, step_points, variable)
        draw_spectra(axes[row][1], table, variable)
    draw_inset(axes[0][0], tables["mean_field"])
    axes[0][0].set_title("(a) dimension against the rank", fontsize=8)
    axes[1][0].set_xlabel(r"$\mathrm{PR}^D$ ($\alpha = 1$)")
    axes[1][1].set_xlabel("rank of the eigenvalue")
    axes[0][1].set_title("(b) covariance spectra, " + axes[0][1].get_title(), fontsize=8)
    if len(step_points):
        fig.text(0.5, -0.01, f"simulations: N = {int(step_points['N'].iat[0])}; "
                 f"{int(step_points['networks'].max())} networks per point", ha="center",
                 fontsize=6.5)
    return fig
