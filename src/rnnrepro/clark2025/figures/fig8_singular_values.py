"""Fig. 8: the singular values of ``L D R^T`` (``D_a = 1``) for several ``alpha``.

One panel per ``alpha``: the histogram of the nonzero singular values of one sampled
matrix of the paper's size (``N = 5000`` by default), the limiting density from free
probability (App. C; red) and the edges ``S_-``, ``S_+`` of Eq. 14 (vertical lines).
The extremes measured on larger matrices (``singular_values`` table, purpose
``edges``) are printed against Eq. 14 in each panel.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style
from rnnrepro.clark2025 import theory

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig8_singular_values"
TABLES = ("singular_values",)
#: the one-line claim the figure supports (README)
CLAIM = (r"singular values of $LDR^T$ fill the band of Eq. 14 and concentrate at 1 as "
         r"$\alpha \to 0$")
CAPTION = (r"Singular values of $L D R^T$ with $D_a = 1$ for several $\alpha$: histograms of "
           r"one sampled matrix, the limiting density from free probability (red) and the "
           r"edges of Eq. 14 (vertical lines); each panel prints the mean extremes measured "
           r"on larger matrices with more modes against Eq. 14. For "
           r"$\alpha \ll 1$ the singular values "
           r"concentrate at 1.")


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw the histograms of the singular values of ``L D R^T`` against the free-probability
    density, and the measured edges against Eq. 14.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``singular_values`` (one row per sampled matrix).
    kernels : dict
        Unused (this paper has no kernel files).
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    table = tables["singular_values"]
    histograms = table[(table["purpose"] == "histogram") & (table["matrix"] == 0)]
    edges = table[table["purpose"] == "edges"]
    alphas = sorted(histograms["alpha"].unique())
    fig, axes = plt.subplots(1, len(alphas), figsize=(style.PAGE_WIDTH, 1.9), sharey=False,
                             squeeze=False)
    for ax, alpha in zip(axes[0], alphas):
        row = histograms[np.isclose(histograms["alpha"], alpha)].iloc[0]
        bins = np.asarray(row["histogram_edges"])
        ax.stairs(row["histogram_density"], bins, fill=True, color="tab:blue", alpha=0.8)
        lower, upper = theory.singular_value_edges(alpha)
        s = np.linspace(max(lower, 1e-3), upper, 400)
        ax.plot(s, theory.singular_value_density(s, alpha), color="tab:red", linewidth=0.9)
        for edge in (lower, upper):
            ax.axvline(edge, color="tab:red", linewidth=0.7)
        measured = edges[np.isclose(edges["alpha"], alpha)]
        if len(measured):
            ax.text(0.02, 0.97, f"edges (M={int(measured['M'].iat[0])}):\n"
                    f"{measured['s_min'].mean():.3f} | {lower:.3f}\n"
                    f"{measured['s_max'].mean():.3f} | {upper:.3f}",
                    transform=ax.transAxes, va="top", fontsize=4.5)
        ax.set_xlim(0, 2)
        ax.set_title(rf"$\alpha = {alpha:g}$", fontsize=7)
        ax.set_xlabel("$S_a$")
        ax.tick_params(labelsize=5)
    axes[0][0].set_ylabel("density")
    fig.suptitle(f"N = {int(histograms['N'].iat[0])}; measured | Eq. 14", fontsize=7, y=1.02)
    return fig
