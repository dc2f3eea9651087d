"""Fig. 6: decay time of a perturbation of the background state against ``B``.

(a) Fitted e-folding times (iterations) of three kicks: the uniform radial kick
(``tau_r = -1/ln g_r``), the uniform phase kick (``tau_t = -1/ln g_t``) and a radial
kick at one site, whose norm over the lattice decays at the generic rate
``-1/ln sqrt(g_r g_t)`` (solid lines: exact theory; dashed: asymptotes
``c B^(-2/3)``).  Markers: simulation, one shape per kernel; open orange where the
steady state did not converge.  For the local kick, short grey ticks mark the exact
linearised evolution fitted over the same window (the lattice's slow modes near
``k = 0`` lengthen it at large ``B``).
(b) Relative deviation of each measured time from its exact theory.
(c) One local-kick trace with its fitted exponential.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style
from rnnrepro.chandra2024.experiments.decay import ASYMPTOTE, LAW, RATE_THEORY
from rnnrepro.chandra2024.figures.common import lattice_label

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig6_decay"
TABLES = ("decay", "fits/decay")
#: the one-line claim the figure supports (README)
CLAIM = r"decay times of perturbations of the background state diverge as $B^{-2/3}$"
CAPTION = (r"Decay time (iterations) of a uniform radial kick ($\tau_r$), a uniform phase "
           r"kick ($\tau_t$) and a kick at one site (norm over the lattice; generic rate "
           r"$-1/\ln\sqrt{g_r g_t}$) against the background input $B$, with exact theory and "
           r"the $B^{-2/3}$ asymptotes; the deviation of each from its exact theory; one "
           r"local-kick trace with its fit.")
COLORS = {"radial": "black", "phase": "tab:purple", "local": "tab:green"}
LABELS = {"radial": r"uniform radial $\tau_r$", "phase": r"uniform phase $\tau_t$",
          "local": r"local kick, $-1/\ln\sqrt{g_r g_t}$"}
MARKERS = ("o", "s", "^", "D", "v")


def draw_times(ax: plt.Axes, table: pd.DataFrame, fits: pd.DataFrame) -> None:
    b = table["background"].to_numpy(float)
    dense = np.logspace(np.log10(b.min()), np.log10(b.max()), 200)
    for kind, color in COLORS.items():
        ax.plot(dense, RATE_THEORY[kind](dense), color=color, linewidth=1.0)
        ax.plot(dense, ASYMPTOTE[kind](dense), color=color, linewidth=0.8, linestyle="--")
    for m, (_kernel, group) in enumerate(table.groupby("kernel", sort=False)):
        for kind, color in COLORS.items():
            rows = group[group["kick"] == kind]
            ok = rows["converged"].to_numpy(bool)
            marker = MARKERS[m % len(MARKERS)]
            ax.plot(rows["background"][ok], rows["tau"][ok], marker=marker, color=color,
                    markersize=3, linestyle="none", markerfacecolor="none" if m else color)
            if (~ok).any():
                ax.plot(rows["background"][~ok], rows["tau"][~ok],
                        **style.unconverged_style({**style.SIMULATION, "marker": marker}))
            if kind == "local":
                ax.plot(rows["background"], rows["tau_theory"], marker="_", color="0.4",
                        markersize=7, linestyle="none")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("background input $B$")
    ax.set_ylabel("decay time (iterations)")
    handles = [plt.Line2D([], [], color=c, label=LABELS[k]) for k, c in COLORS.items()]
    handles += [plt.Line2D([], [], color="black", marker=MARKERS[m % len(MARKERS)],
                           linestyle="none", markersize=3,
                           markerfacecolor="none" if m else "black", label=lattice_label(g))
                for m, (_, g) in enumerate(table.groupby("kernel", sort=False))]
    handles.append(plt.Line2D([], [], color="0.4", marker="_", linestyle="none",
                              label="local: exact linear, same window"))
    ax.legend(handles=handles, loc="lower left", fontsize=5)
    text = []
    for kind in COLORS:
        rows = fits[fits["quantity"] == LAW[kind]]
        if len(rows):
            fit = rows.iloc[0]
            text.append(f"{kind}: $B^{{{fit['exponent']:.4f}}}$ "
                        f"(exact {fit['exponent_theory_range']:.4f})")
    if len(fits):
        text.append(f"fits: {fits['kernel'].iat[0]}, $B$ in [{fits['x_min'].iat[0]:.0e}, "
                    f"{fits['x_max'].iat[0]:.0e}]")
    ax.set_title(r"decay times; dashed: $\propto B^{-2/3}$")
    ax.text(0.98, 0.98, "\n".join(text), transform=ax.transAxes, ha="right", va="top",
            fontsize=5.5)


def draw_deviation(ax: plt.Axes, table: pd.DataFrame) -> None:
    for m, (_kernel, group) in enumerate(table.groupby("kernel", sort=False)):
        for kind, color in COLORS.items():
            rows = group[group["kick"] == kind]
            ax.plot(rows["background"], np.abs(rows["tau_rel_dev"]).clip(lower=1e-16),
                    marker=MARKERS[m % len(MARKERS)], color=color, markersize=3,
                    linestyle="none", markerfacecolor="none" if m else color)
    ax.axhline(5e-3, color="0.5", linewidth=0.8, linestyle=":")
    ax.text(0.02, 5e-3, " 0.5 %", color="0.4", fontsize=6,
            va="bottom", transform=ax.get_yaxis_transform())
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("background input $B$")
    ax.set_ylabel(r"$|\tau / \tau_\mathrm{theory} - 1|$")
    ax.set_title("against exact theory")


def draw_trace(ax: plt.Axes, table: pd.DataFrame) -> None:
    local = table[(table["kick"] == "local") & np.isfinite(table["tau"])]
    first_kernel = local[local["kernel"] == local["kernel"].iat[0]]
    row = first_kernel.iloc[len(first_kernel) // 2]
    steps, values = np.asarray(row["trace_steps"]), np.asarray(row["trace_values"])
    ax.semilogy(steps, values / values[0], color="tab:green", linewidth=1.2,
                label="simulation")
    fitted = np.exp(-(steps - steps[0]) / row["tau"])
    ax.semilogy(steps, fitted, **{**style.FIT, "linewidth": 1.2},
                label=f"fit: $\\tau$ = {row['tau']:.4g}")
    ax.semilogy(steps, np.exp(-(steps - steps[0]) / row["tau_rate_theory"]),
                color="tab:red", linewidth=0.8, linestyle="--",
                label=f"$-1/\\ln\\sqrt{{g_r g_t}}$ = {row['tau_rate_theory']:.4g}")
    ax.set_xlabel("iterations after the kick")
    ax.set_ylabel(r"$\|Z_n - Z^*\|$ (normalised)")
    ax.set_title(f"local kick, $B$ = {row['background']:.2g}\n{lattice_label(first_kernel)}")
    ax.legend(loc="upper right", fontsize=6)


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw (a) the decay times, (b) their deviations, (c) one local-kick trace.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``decay`` (one row per kernel, background ``B`` and kick, with the fitted
        ``tau`` in iterations, its theory and the traces) and ``fits/decay`` (the
        power laws fitted to ``tau`` against ``B``).
    kernels : dict of str to Kernel
        Unused.
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    table, fits = tables["decay"], tables["fits/decay"]
    fig, axes = style.three_panels()
    draw_times(axes[0], table, fits)
    draw_deviation(axes[1], table)
    draw_trace(axes[2], table)
    style.letter_titles(axes)
    return fig
