"""Fig. 1: schematic of the map ``Z_{n+1} = phi(U ⊛ Z_n + I_n)``, drawn by code.

A row of layer elements at time ``n``; each element of the next layer sums the
convolution of its neighbours (kernel weights on the arrows) and its own external
input, then applies the activation; the result is the layer at time ``n + 1``, which
feeds back.  The curve in the activation box is ``|phi(z)| = |z| / sqrt(1 + |z|^2)``
itself, computed by :func:`rnnrepro.chandra2024.model.phi`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from rnnrepro import style
from rnnrepro.chandra2024.model import phi

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig1_schematic"
TABLES: tuple[str, ...] = ()
#: the one-line claim the figure supports (README)
CLAIM = (r"the map: convolve with a unitary kernel, add the input, apply the "
         r"phase-preserving sigmoid")
CAPTION = (r"Schematic of the map $Z_{n+1} = \phi(U \circledast Z_n + I_n)$: each element "
           r"sums the convolution of its neighbours and its own external input, then the "
           r"activation is applied; the result is the layer at the next step.")
SITES = 7
CENTRE = SITES // 2


def arrow(ax: plt.Axes, start, end, **kw) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=7,
                                 shrinkA=kw.pop("shrinkA", 5), shrinkB=kw.pop("shrinkB", 5),
                                 linewidth=kw.pop("linewidth", 0.8),
                                 color=kw.pop("color", "black"), **kw))


def layer(ax: plt.Axes, y: float, label: str, highlight: int | None = None) -> None:
    for i in range(SITES):
        face = "tab:orange" if i == highlight else "white"
        ax.add_patch(plt.Circle((i, y), 0.22, facecolor=face, edgecolor="black", linewidth=0.8))
    ax.text(-0.8, y, label, ha="right", va="center", fontsize=8)
    ax.text(SITES - 0.4, y, r"$\cdots$", ha="left", va="center")


def box(ax: plt.Axes, x: float, y: float, w: float, h: float, text: str) -> None:
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05",
                                facecolor="0.95", edgecolor="black", linewidth=0.8))
    ax.text(x, y, text, ha="center", va="center", fontsize=7.5)


def draw_activation(fig: plt.Figure, ax: plt.Axes, x: float, y: float) -> None:
    """An inset with the activation curve at data position ``(x, y)``."""
    inv = fig.transFigure.inverted()
    (fx, fy), = inv.transform(ax.transData.transform([(x - 0.55, y - 0.42)]))
    (fx2, fy2), = inv.transform(ax.transData.transform([(x + 0.55, y + 0.42)]))
    inset = fig.add_axes([fx, fy, fx2 - fx, fy2 - fy])
    z = np.linspace(-4, 4, 200)
    inset.plot(z, phi(z.astype(complex)).real, color="tab:red", linewidth=1.2)
    inset.plot(z, z, color="0.6", linewidth=0.6, linestyle=":")
    inset.set_xlim(-4, 4)
    inset.set_ylim(-1.3, 1.3)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.text(1.08, -0.05, r"$\phi(z) = z/\sqrt{1+|z|^2}$", fontsize=7,
               transform=inset.transAxes, va="top")


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw the schematic: two layers, the convolution, the input, the activation.

    Parameters
    ----------
    tables : dict of str to DataFrame
        The tables of ``TABLES``: none, the figure is drawn from code alone.
    kernels : dict of str to Kernel
        Unused.
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    fig, ax = plt.subplots(figsize=(style.COLUMN_WIDTH * 1.6, 3.6))
    ax.set_xlim(-3.0, SITES + 3.2)
    ax.set_ylim(-0.7, 5.4)
    ax.set_aspect("equal")
    ax.axis("off")
    layer(ax, 0.0, r"$Z_n$")
    layer(ax, 5.0, r"$Z_{n+1}$", highlight=CENTRE)
    # the convolution: every element of the new layer sums its neighbours
    sum_xy = (CENTRE, 1.55)
    for offset, weight in zip((-1, 0, 1), ("c", "a", "b")):
        arrow(ax, (CENTRE + offset, 0.0), sum_xy, color="tab:blue")
        ax.text(CENTRE + offset * 0.62 - 0.1, 0.75, f"${weight}$", color="tab:blue",
                fontsize=7, ha="center")
    ax.add_patch(plt.Circle(sum_xy, 0.25, facecolor="white", edgecolor="black", linewidth=0.8))
    ax.text(*sum_xy, r"$+$", ha="center", va="center", fontsize=9)
    box(ax, CENTRE + 3.6, 0.8, 2.2, 0.75, r"$U \circledast Z_n$:" "\n" r"unitary kernel")
    arrow(ax, (CENTRE + 2.45, 0.8), (CENTRE + 0.75, 0.8), color="tab:blue", linestyle=":")
    # the external input, element-wise
    arrow(ax, (CENTRE + 2.2, 1.55), sum_xy, color="tab:green")
    ax.text(CENTRE + 2.3, 1.55, r"$I_n$ (external input)", color="tab:green",
            fontsize=7.5, va="center")
    # the activation, then the next layer
    arrow(ax, sum_xy, (CENTRE, 2.55))
    draw_activation(fig, ax, CENTRE, 3.1)
    ax.text(CENTRE + 0.75, 3.1, "activation,\nelement-wise", fontsize=7, va="center")
    arrow(ax, (CENTRE, 3.55), (CENTRE, 5.0))
    # feedback: the new layer is the next step's input layer
    ax.add_patch(FancyArrowPatch((-1.2, 5.0), (-1.2, 0.0), connectionstyle="arc3,rad=0.5",
                                 arrowstyle="-|>", mutation_scale=7, linewidth=0.8,
                                 linestyle="--", color="0.4"))
    ax.text(-2.75, 2.5, r"$n \to n+1$", fontsize=7, color="0.4", rotation=90, va="center",
            ha="center")
    ax.set_title(r"$Z_{n+1} = \phi(U \circledast Z_n + I_n)$", fontsize=9)
    return fig
