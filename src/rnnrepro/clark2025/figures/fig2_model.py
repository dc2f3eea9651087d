"""Fig. 2: the random-mode model, and what its two connectivity statistics set.

Upper row, drawn by code: the couplings as a sum of outer products ``D_a l_a r_a^T``
(a sampled small example: the modes, the strengths, the matrix), and the mode
spectrum ``D_a`` at three effective ranks.  Lower row: the two-point function
``C^phi(tau)``, which depends on ``g_eff`` alone, and the normalized four-point function
``Psi^phi(tau, 0)``, which depends on ``g_eff`` and the effective rank ``alpha PR^D``:
DMFT theory (lines) and simulated networks (dots, the mean over the networks of a
point; ``dimension`` table).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style
from rnnrepro.clark2025 import model, theory

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig2_model"
TABLES = ("dimension_points",)
#: the one-line claim the figure supports (README)
CLAIM = (r"single neurons see only $g_\mathrm{eff}$; collective activity also sees the "
         r"effective rank $\alpha \mathrm{PR}^D$")
CAPTION = (r"The random-mode model. Upper: couplings $J = \sum_a D_a l_a r_a^T$ are a sum "
           r"of outer products of random modes with strengths $D_a$ (a sampled example, "
           r"$N = 12$), and the strengths of the exponential spectrum at three effective "
           r"ranks $\alpha \mathrm{PR}^D$. Lower: the two-point function $C^\phi(\tau)$ "
           r"depends only on $g_\mathrm{eff}$; the normalized four-point function "
           r"$\Psi^\phi(\tau, 0)$ depends on $g_\mathrm{eff}$ and $\alpha \mathrm{PR}^D$. "
           r"Lines: DMFT theory; dots: simulated networks (mean over the networks of a "
           r"point).")
GAINS = (3.0, 6.0, 10.0)
RANKS = (0.3, 1.0, 10.0)
COLORS = {3.0: "#c9a227", 6.0: "#d9534f", 10.0: "#2c6e9b", 20.0: "#8e44ad"}


def draw_outer_products(ax: plt.Axes) -> None:
    """A sampled 12-neuron example: ``J`` and its first three rank-one terms."""
    n, modes = 12, 3
    spectrum = model.random_mode_spectrum(n, 0.5, 3.0, "exponential")
    rng = np.random.default_rng(2025)
    left, right = rng.standard_normal((2, n, spectrum.M)) / np.sqrt(n)
    j = (left * spectrum.D) @ right.T
    limit = np.abs(j).max()
    ax.imshow(j, cmap="RdBu_r", vmin=-limit, vmax=limit, extent=(0, 1, 0, 1))
    for a in range(modes):
        term = spectrum.D[a] * np.outer(left[:, a], right[:, a])
        x0 = 1.35 + 0.6 * a
        ax.imshow(term, cmap="RdBu_r", vmin=-np.abs(term).max(), vmax=np.abs(term).max(),
                  extent=(x0, x0 + 0.45, 0.25, 0.7))
        ax.text(x0 + 0.225, 0.12, f"$D_{a + 1} l_{a + 1} r_{a + 1}^T$", ha="center",
                fontsize=6)
        ax.text(x0 - 0.08, 0.47, "+" if a else "=", ha="center", va="center", fontsize=9)
    ax.text(3.2, 0.47, r"$+ \cdots$", va="center", fontsize=9)
    ax.text(0.5, -0.1, "$J$", ha="center", fontsize=8)
    ax.set_xlim(-0.05, 3.6)
    ax.set_ylim(-0.2, 1.05)
    ax.axis("off")
    ax.set_title("couplings: a sum of random modes", fontsize=8)


def draw_spectra(ax: plt.Axes, n: int = 200) -> None:
    """Mode strengths ``D_a`` of the exponential spectrum (``g_eff = 1``) at three ranks."""
    for rank, shade in zip((0.1, 0.3, 1.0), ("0.1", "0.45", "0.75")):
        spectrum = model.random_mode_spectrum(n, rank, 1.0, "exponential")
        ax.plot(np.arange(1, n + 1) / n, spectrum.D, color=shade,
                label=rf"$\alpha\mathrm{{PR}}^D = {rank:g}$")
    ax.set_xlabel("mode $a / N$")
    ax.set_ylabel("strength $D_a$")
    ax.set_title(r"spectrum: $\alpha\mathrm{PR}^D$ sets the effective rank", fontsize=8)
    ax.legend(fontsize=6)


def draw_two_point(ax: plt.Axes, points: pd.DataFrame) -> None:
    tau = np.linspace(0.0, 20.0, 201)
    for g in GAINS:
        solution = theory.two_point(g)
        ax.plot(solution.tau, solution.c_phi, color=COLORS[g], linewidth=1.2,
                label=rf"$g_\mathrm{{eff}} = {g:g}$")
        rows = points[np.isclose(points["g_eff"], g)]
        for _, row in rows.iterrows():
            lags = np.asarray(row["lags"])
            ax.plot(lags, row["c_phi_tau_mean"], "o", color=COLORS[g], markersize=2,
                    alpha=0.35)
    ax.set_xlim(tau[0], tau[-1])
    ax.set_xlabel(r"lag $\tau$")
    ax.set_ylabel(r"$C^\phi(\tau)$")
    ax.set_title(r"two-point: $g_\mathrm{eff}$ only (all ranks overlaid)", fontsize=8)
    ax.legend(fontsize=6)


def draw_four_point(ax: plt.Axes, points: pd.DataFrame, g: float = 6.0) -> None:
    tau = np.linspace(0.0, 20.0, 201)
    for rank, shade in zip(RANKS, ("0.1", "0.4", "0.7")):
        ax.plot(tau, theory.normalized_psi_phi_tau(g, rank, tau), color=shade,
                label=rf"$\alpha\mathrm{{PR}}^D = {rank:g}$")
        rows = points[np.isclose(points["g_eff"], g) & np.isclose(points["effective_rank"], rank)
                      & (points["spectrum"] == "paper")]
        for _, row in rows.iterrows():
            ax.plot(row["lags"], row["psi_phi_mean"], "o", color=shade, markersize=2.5)
    ax.set_xlabel(r"lag $\tau$")
    ax.set_ylabel(r"$\Psi^\phi(\tau, 0) / \Psi^\phi(0, 0)$")
    ax.set_title(rf"four-point: $g_\mathrm{{eff}}$ and rank ($g_\mathrm{{eff}} = {g:g}$)",
                 fontsize=8)
    ax.legend(fontsize=6)


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw the schematic of the random-mode couplings, their mode spectra, the single-neuron
    ``C^phi(tau)`` and the normalized ``Psi^phi(tau, 0)``.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``dimension_points`` (per point: the networks' mean curves and the theory).
    kernels : dict
        Unused (this paper has no kernel files).
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    points = tables["dimension_points"]
    fig = plt.figure(figsize=(style.PAGE_WIDTH, 5.2))
    grid = fig.add_gridspec(2, 2, height_ratios=[1, 1.1], hspace=0.45, wspace=0.3)
    draw_outer_products(fig.add_subplot(grid[0, 0]))
    draw_spectra(fig.add_subplot(grid[0, 1]))
    draw_two_point(fig.add_subplot(grid[1, 0]), points)
    draw_four_point(fig.add_subplot(grid[1, 1]), points)
    return fig
