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

#: width of a journal column, inches
COLUMN_WIDTH = 3.4
#: full page width, inches
PAGE_WIDTH = 7.0
#: simulation in black dots, theory in red lines, fits dotted, asymptotes dashed
SIMULATION = dict(color="black", marker="o", markersize=3.5, linestyle="none")
THEORY = dict(color="tab:red", linewidth=1.3)
ASYMPTOTE = dict(color="tab:blue", linewidth=1.0, linestyle="--")
FIT = dict(color="0.4", linewidth=1.0, linestyle=":")


def apply_style() -> None:
    """Set the shared look: seaborn's ``paper`` context and ``ticks`` style.

    Returns
    -------
    None
        Changes matplotlib's global ``rcParams`` instead: small titles and legends
        without frames, tight bounding boxes, TrueType fonts in PDFs (``pdf.fonttype``
        42) and a fixed SVG hash salt.
    """
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
    """Open markers for runs that did not converge: shown, never mixed in silently.

    Parameters
    ----------
    style : dict
        Keyword arguments of ``Axes.plot`` (e.g. :data:`SIMULATION`).

    Returns
    -------
    dict
        A copy with orange colour and unfilled markers.
    """
    return {**style, "markerfacecolor": "none", "color": "tab:orange"}


def three_panels(width_ratios=(1.4, 1, 1)) -> tuple[plt.Figure, list[plt.Axes]]:
    """A page-wide row of three panels (Figs. 6-7).

    Parameters
    ----------
    width_ratios : sequence of 3 floats, optional
        Relative widths of the panels.

    Returns
    -------
    tuple of (Figure, list of Axes)
        The figure, :data:`PAGE_WIDTH` by 3.2 inches, and its three axes, left to
        right.
    """
    fig, axes = plt.subplots(1, 3, figsize=(PAGE_WIDTH, 3.2),
                             gridspec_kw={"width_ratios": list(width_ratios), "wspace": 0.6})
    return fig, list(axes)


def letter_titles(axes) -> None:
    """Prefix each panel's title with (a), (b), ...

    Parameters
    ----------
    axes : iterable of Axes
        The panels, in reading order (at most 8 are lettered).

    Returns
    -------
    None
        Sets each panel's title in place (font size 8).
    """
    for ax, letter in zip(axes, "abcdefgh"):
        ax.set_title(f"({letter}) {ax.get_title()}", fontsize=8)


def save_figure(fig: plt.Figure, pdf: str | Path, png: str | Path, dpi: int) -> None:
    """Write PDF and PNG atomically, with no timestamps so the bytes are reproducible.

    Parameters
    ----------
    fig : Figure
        The figure; it is closed afterwards.
    pdf : str or Path
        Output path of the PDF.
    png : str or Path
        Output path of the PNG.
    dpi : int
        Resolution of the PNG, dots per inch.

    Returns
    -------
    None
        Writes both files (see :func:`rnnrepro.io.atomic_write`) and closes ``fig``.
    """
    with atomic_write(pdf) as tmp:
        fig.savefig(tmp, format="pdf", metadata={"CreationDate": None, "ModDate": None})
    with atomic_write(png) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
