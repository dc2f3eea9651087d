"""Fig. 11: the two-site cavity in the bipartite picture of the random-mode model.

The network written as two populations (App. L, Eqs. L1-L2): neurons
``x_i`` driven by latent variables through ``L`` (``T[x_i] = sum_a L_ia z_a``) and latent
variables ``z_a = D_a sum_j R_ja phi_j`` read from the neurons through ``D R^T``.  Left:
the neuronal cavity, two neurons ``x_0, x_0'`` added to the network; right: the latent
cavity, two latent variables ``z_0, z_0'`` added.  Drawn by code (no data): the
schematic has nothing to compare with, so it has no theory overlay.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

from rnnrepro import style

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig11_cavity"
TABLES: tuple[str, ...] = ()
#: the one-line claim the figure supports (README)
CLAIM = ("the four-point function follows from two coupled two-site cavities: neurons "
         "and latent variables")
CAPTION = (r"The two-site cavity for the bipartite picture of the random-mode model "
           r"(schematic). Neurons $x_i$ (circles) receive the latent variables $z_a$ "
           r"(squares) through $L$; latent variables read the neurons through $D R^T$. "
           r"Left: neuronal cavity, introducing two neurons $x_0, x_{0'}$ (red). Right: "
           r"latent-variable cavity, introducing $z_{\hat 0}, z_{\hat 0'}$ (red). The two "
           r"pictures are coupled: averages in one enter the self-consistent equations of "
           r"the other.")
NEURONS, LATENTS = 6, 5
CAVITY = "#d9534f"


def _row(n: int, y: float, width: float = 0.8) -> list[tuple[float, float]]:
    return [(0.1 + width * (k + 0.5) / n, y) for k in range(n)]


def _link(ax: plt.Axes, start, end, color: str, width: float) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=6,
                                 color=color, linewidth=width, shrinkA=6, shrinkB=6))


def draw_cavity(ax: plt.Axes, cavity: str) -> None:
    """One cavity picture: the bipartite network with two added sites in red.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The panel (its data coordinates are used as a unit square).
    cavity : {"neurons", "latents"}
        Which population receives the two cavity sites.

    Returns
    -------
    None
        Draws on ``ax``.
    """
    neurons, latents = _row(NEURONS, 0.72), _row(LATENTS, 0.28)
    added = [(0.93, 0.72), (1.03, 0.72)] if cavity == "neurons" else [(0.93, 0.28),
                                                                       (1.03, 0.28)]
    for k, (xn, yn) in enumerate(neurons):
        for j, (xl, yl) in enumerate(latents):
            if (k + 2 * j) % 3 == 0:   # a few links drawn, not all: it is a sketch
                _link(ax, (xl, yl), (xn, yn), "0.65", 0.5)
            if (2 * k + j) % 4 == 0:
                _link(ax, (xn, yn), (xl, yl), "0.8", 0.5)
    others = latents if cavity == "neurons" else neurons
    for x0, y0 in added:
        for x1, y1 in others[::2]:
            _link(ax, (x1, y1), (x0, y0), CAVITY, 0.8)
            _link(ax, (x0, y0), (x1, y1), CAVITY, 0.5)
    for x, y in neurons:
        ax.add_patch(Circle((x, y), 0.035, facecolor="white", edgecolor="black", lw=0.8))
    for x, y in latents:
        ax.add_patch(Rectangle((x - 0.032, y - 0.032), 0.064, 0.064, facecolor="white",
                               edgecolor="black", lw=0.8))
    for (x, y), name in zip(added, ("0", "0'")):
        if cavity == "neurons":
            ax.add_patch(Circle((x, y), 0.035, facecolor=CAVITY, edgecolor="black", lw=0.8))
            ax.text(x, y + 0.07, rf"$x_{{{name}}}$", ha="center", fontsize=7, color=CAVITY)
        else:
            ax.add_patch(Rectangle((x - 0.032, y - 0.032), 0.064, 0.064, facecolor=CAVITY,
                                   edgecolor="black", lw=0.8))
            ax.text(x, y - 0.11, rf"$z_{{\hat {name}}}$", ha="center", fontsize=7,
                    color=CAVITY)
    ax.text(0.02, 0.72, r"neurons $x_i$", ha="right", va="center", fontsize=7)
    ax.text(0.02, 0.28, r"latents $z_a$", ha="right", va="center", fontsize=7)
    ax.text(0.5, 0.5, r"$L$ (down-up), $D R^T$ (up-down)", ha="center", va="center",
            fontsize=6, color="0.4", bbox=dict(facecolor="white", edgecolor="none", pad=1))
    ax.set_title("neuronal cavity" if cavity == "neurons" else "latent-variable cavity",
                 fontsize=8)
    ax.set_xlim(-0.25, 1.12)
    ax.set_ylim(0.05, 0.95)
    ax.set_aspect("equal")
    ax.axis("off")


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw the two cavity pictures side by side.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Unused (a schematic reads no table).
    kernels : dict
        Unused.
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    fig, axes = plt.subplots(1, 2, figsize=(style.PAGE_WIDTH, 2.4))
    draw_cavity(axes[0], "neurons")
    draw_cavity(axes[1], "latents")
    fig.text(0.5, 0.5, r"$\leftrightarrow$", ha="center", va="center", fontsize=14)
    return fig
