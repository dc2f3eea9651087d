"""Fig. 3: the fixed point of ``x -> phi(x + I)`` and the slope there, for two inputs.

Each panel draws the map (the model itself, exact), the diagonal, the *measured*
fixed point ``x*`` from the simulation, and the tangent with the *measured* slope
``g_r = exp(-1/tau_r)`` (``tau_r`` fitted from a radial kick).  The theory fixed point
is marked with a cross; the text box lists measured and theory values.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style
from rnnrepro.chandra2024.model import phi

__all__ = ["NAME", "TABLES", "OPTIONS", "CLAIM", "CAPTION", "plot"]

NAME = "fig3_fixed_point"
TABLES = ("fixed_points",)
#: the caption's inputs, written once in the config (they are also runs of the plan)
OPTIONS = {"caption_inputs": ("experiments", "fixed_points", "caption_inputs")}
#: the one-line claim the figure supports (README)
CLAIM = (r"$I = 0.001$ moves the fixed point to 0.12549 with a 42-iteration relaxation "
         r"time; $I = 0.11$ to 0.55 and 1.8")
CAPTION = (r"Fixed point and slope of $x \mapsto \phi(x + I)$ for the inputs the paper's "
           r"caption quotes ($I = 0.001$ and $0.11$): the exact map, the fixed point measured "
           r"from simulation, and the tangent with the slope $e^{-1/\tau_r}$ of the radial "
           r"relaxation time fitted to a simulated kick, beside the theory and the caption's "
           r"numbers.")


def panel_width(x_star: float) -> float:
    """The panel's extent: about ``1.8 x*``, rounded up to a quarter.

    Parameters
    ----------
    x_star : float
        The fixed point drawn.

    Returns
    -------
    float
        Upper limit of both axes.
    """
    return 0.25 * float(np.ceil(1.8 * x_star / 0.25))


def caption_row(table: pd.DataFrame, value: float) -> pd.Series:
    """The run at input ``value`` (the caption's inputs are always in the plan).

    Parameters
    ----------
    table : DataFrame
        The fixed-point table.
    value : float
        An input.

    Returns
    -------
    Series
        Its row.
    """
    match = table[np.isclose(table["input"], value, rtol=1e-9, atol=0)]
    if match.empty:
        raise ValueError(f"no run at input {value}: add it to caption_inputs")
    return match.iloc[0]


def draw_panel(ax: plt.Axes, row: pd.Series, x_max: float) -> None:
    uniform_input = float(row["input"])
    x = np.linspace(0.0, x_max, 400)
    ax.plot(x, x, color="0.6", linewidth=0.8, label="diagonal")
    ax.plot(x, phi(x + uniform_input).real, color="black", linewidth=1.2,
            label=r"map $x \mapsto \varphi(x + I)$")
    x_star, gain = row["x_star"], row["tau_radial_rate"]
    half = 0.25 * x_max
    ax.plot([x_star - half, x_star + half], [x_star - gain * half, x_star + gain * half],
            color="tab:green", linewidth=1.0,
            label=r"measured slope $e^{-1/\tau_r}$")
    ax.plot([x_star], [x_star], **{**style.SIMULATION, "markersize": 5},
            label=r"simulated $x^*$")
    ax.plot([row["x_star_theory"]], [row["x_star_theory"]], marker="x", color="tab:red",
            markersize=7, linestyle="none", label=r"theory $x^*$")
    ax.set_xlim(0, x_max)
    ax.set_ylim(0, x_max)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$x_n$")
    ax.set_ylabel(r"$x_{n+1}$")
    ax.set_title(f"$I = {uniform_input:g}$")
    text = (f"simulation: $x^* = {x_star:.5f}$, $\\tau_r = {row['tau_radial']:.2f}$\n"
            f"theory:       $x^* = {row['x_star_theory']:.5f}$, "
            f"$\\tau_r = {row['tau_radial_theory']:.2f}$\n"
            f"$(2I)^{{1/3}} = {np.cbrt(2 * uniform_input):.5f}$")
    ax.text(0.03, 0.97, text, transform=ax.transAxes, va="top", fontsize=6.5)
    draw_displacement_inset(ax, row, x_max)


def draw_displacement_inset(ax: plt.Axes, row: pd.Series, x_max: float) -> None:
    """Inset: the map minus the diagonal, ``phi(x + I) - x``, which vanishes at ``x*``.

    It shows the displacement of the curve that is nearly invisible at small inputs.
    """
    uniform_input = float(row["input"])
    inset = ax.inset_axes([0.58, 0.1, 0.38, 0.3])
    x = np.linspace(0.0, x_max, 400)
    inset.plot(x, phi(x + uniform_input).real - x, color="black", linewidth=1.0)
    inset.axhline(0.0, color="0.6", linewidth=0.8)
    inset.plot([row["x_star"]], [0.0], **{**style.SIMULATION, "markersize": 3})
    inset.set_xlim(0, x_max)
    inset.tick_params(labelsize=5, length=2)
    inset.set_title(r"$\varphi(x+I) - x$", fontsize=6, pad=2)
    inset.ticklabel_format(axis="y", style="sci", scilimits=(-2, 2))
    inset.yaxis.get_offset_text().set_fontsize(5)


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw one panel per caption input: map, diagonal, fixed point and slope.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``fixed_points``: the fixed-point table, one row per input ``I``, with
        ``x_star``, ``tau_radial``, ``tau_radial_rate`` and their theory columns.
    kernels : dict of str to Kernel
        Unused.
    options : dict
        ``caption_inputs``: the inputs ``I`` to draw (at least two; each must be a
        run of the table).

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.

    Raises
    ------
    ValueError
        If a caption input has no run in the table.
    """
    table = tables["fixed_points"]
    inputs = options["caption_inputs"]
    fig, axes = plt.subplots(1, len(inputs), figsize=(style.PAGE_WIDTH, 3.5), squeeze=False)
    axes = axes[0]
    for ax, value in zip(axes, inputs):
        row = caption_row(table, value)
        draw_panel(ax, row, panel_width(row["x_star"]))
    axes[1].legend(loc="upper left", bbox_to_anchor=(0.0, 0.8))
    fig.suptitle(r"Fixed point and slope at the fixed point; $\tau_r$: radial relaxation "
                 "time (iterations)", fontsize=9)
    return fig
