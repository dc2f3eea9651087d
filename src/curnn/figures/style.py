"""Shared look of the figures and a deterministic writer.

Sizes are in inches for a journal column (3.4 in) or a full page width (7.0 in).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from curnn.io import atomic_write  # noqa: E402

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
        "svg.hashsalt": "curnn",
    })


def unconverged_style(style: dict) -> dict:
    """Open markers for runs that did not converge: shown, never mixed in silently."""
    return {**style, "markerfacecolor": "none", "color": "tab:orange"}


def save_figure(fig: plt.Figure, pdf: str | Path, png: str | Path, dpi: int) -> None:
    """Write PDF and PNG atomically, with no timestamps so the bytes are reproducible."""
    with atomic_write(pdf) as tmp:
        fig.savefig(tmp, format="pdf", metadata={"CreationDate": None, "ModDate": None})
    with atomic_write(png) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
