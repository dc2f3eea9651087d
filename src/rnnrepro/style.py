"""Shared look of every figure of every paper, and a deterministic writer.

Sizes are in inches for a journal column (3.4 in) or a full page width (7.0 in).
Simulation is drawn as black dots, exact theory as red lines, fits dotted, asymptotes
dashed; runs that did not converge as open orange markers.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from rnnrepro.io import atomic_write  # noqa: E402

__all__ = ["COLUMN_WIDTH", "PAGE_WIDTH", "SIMULATION", "THEORY", "ASYMPTOTE", "FIT",
           "apply_style", "unconverged_style", "three_panels", "letter_titles",
           "save_figure"]

COLUMN_WIDTH = 3.4
PAGE_WIDTH = 7.0
#: simulation in black dots, theory in red lines, fits dotted, asymptotes dashed
SIMULATION = dict(color="black", marker="o", markersize=3.5, linestyle="none")
THEORY = dict(color="tab:red", linewidth=1.3)
ASYMPTOTE = dict(color="tab:blue", linewidth=1.0, linestyle="--")
FIT = dict(color="0.4", linewidth=1.0, linestyle=":")


def apply_style() -> None:
    sns.set_theme(context="paper", style="ticks", font_scale=0.9)
    plt.rcParams.update({
        "figure.dpi": 100,
        "axes.titlesize": 9,
        "legend.fontsize": 7,
        "legend.frameon": False,
        "savefig.bbox": "tight",
        "pdf.fonttype": 42,
        "svg.hashsalt": "rnnrepro",
    })


def unconverged_style(style: dict) -> dict:
    """Open markers for runs that did not converge: shown, never mixed in silently."""
    return {**style, "markerfacecolor": "none", "color": "tab:orange"}


def three_panels(width_ratios=(1.4, 1, 1)) -> tuple[plt.Figure, list[plt.Axes]]:
    """A page-wide row of three panels (Figs. 6-7)."""
    fig, axes = plt.subplots(1, 3, figsize=(PAGE_WIDTH, 3.2),
                             gridspec_kw={"width_ratios": list(width_ratios), "wspace": 0.6})
    return fig, list(axes)


def letter_titles(axes) -> None:
    """Prefix each panel's title with (a), (b), ..."""
    for ax, letter in zip(axes, "abcdefgh"):
        ax.set_title(f"({letter}) {ax.get_title()}", fontsize=8)


def save_figure(fig: plt.Figure, pdf: str | Path, png: str | Path, dpi: int) -> None:
    """Write PDF and PNG atomically, with no timestamps so the bytes are reproducible."""
    with atomic_write(pdf) as tmp:
        fig.savefig(tmp, format="pdf", metadata={"CreationDate": None, "ModDate": None})
    with atomic_write(png) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
