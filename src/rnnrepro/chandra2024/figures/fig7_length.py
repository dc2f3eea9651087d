"""Fig. 7: how far a static point source's response reaches, against ``B``.

(a) Propagation length ``xi`` (sites) fitted to the simulated response away from the
source (1D: damped cosine; 2D, along an axis: ``Re[a K0(m x)]``), one marker per
kernel, open orange where the steady state did not converge; solid lines: the exact
lattice theory ``1 / Im k`` from the pole of the linearised response; dashed: the
asymptote ``2 sqrt(alpha) / (3^(1/4) y) ∝ sqrt(alpha) B^(-1/3)``.
(b) Relative deviation from the exact theory (dotted: the 0.5 % and 2 % marks).
(c) What "length" means: one simulated response ``|Z_S - Z_B|`` against distance,
the exact linear response of the lattice, the fitted envelope ``e^{-x/xi}`` and the
fit window (shaded); the dips are the response's oscillation, ``Re k ≈ Im k``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style
from rnnrepro.chandra2024 import theory
from rnnrepro.chandra2024.figures.common import lattice_label

__all__ = ["NAME", "TABLES", "KERNELS", "CLAIM", "CAPTION", "plot"]

NAME = "fig7_length"
TABLES = ("length", "fits/length")
#: the profile panel draws the exact linear response from the kernel's multipliers
KERNELS = ("length",)
#: the one-line claim the figure supports (README)
CLAIM = r"the propagation length diverges as $\sqrt{\alpha}\,B^{-1/3}$"
CAPTION = (r"Propagation length $\xi$ (sites) of the response to a static point source "
           r"against $B$, fitted by a damped cosine (1D) or $\mathrm{Re}[a K_0(m x)]$ (2D), "
           r"with the exact lattice pole theory and the $\sqrt{\alpha}\,B^{-1/3}$ asymptote; "
           r"the deviations; one response profile with the fitted envelope and the fit "
           r"window.")
COLORS = ("black", "tab:blue", "tab:green", "tab:purple", "tab:brown")
MARKERS = ("o", "s", "^", "D", "v")


def kernels(table: pd.DataFrame):
    return enumerate(table.groupby("kernel", sort=False))


def draw_lengths(ax: plt.Axes, table: pd.DataFrame, fits: pd.DataFrame) -> None:
    for m, (kernel, group) in kernels(table):
        color, marker = COLORS[m % len(COLORS)], MARKERS[m % len(MARKERS)]
        b = group["background"].to_numpy(float)
        alpha = float(group["alpha"].iat[0])
        dense = np.logspace(np.log10(b.min()), np.log10(b.max()), 200)
        ax.plot(dense, theory.propagation_length(dense, alpha), color=color, linewidth=1.0)
        ax.plot(dense, theory.propagation_length_asymptote(dense, alpha), color=color,
                linewidth=0.8, linestyle="--")
        ok = group["converged"].to_numpy(bool)
        fit = fits[fits["kernel"] == kernel]
        label = lattice_label(group)
        if len(fit):
            label += (f": $B^{{{fit['exponent'].iat[0]:.4f}}}$ "
                      f"(exact {fit['exponent_theory_range'].iat[0]:.4f})")
        ax.plot(b[ok], group["xi"][ok], marker=marker, color=color, markersize=3.5,
                linestyle="none", label=label)
        if (~ok).any():
            ax.plot(b[~ok], group["xi"][~ok],
                    **style.unconverged_style({**style.SIMULATION, "marker": marker}))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("background input $B$")
    ax.set_ylabel(r"propagation length $\xi$ (sites)")
    ax.set_title("$\\xi$; solid: lattice pole\n"
                 r"dashed: $\propto\sqrt{\alpha}\,B^{-1/3}$")
    ax.legend(loc="lower left", fontsize=5)


def draw_deviation(ax: plt.Axes, table: pd.DataFrame) -> None:
    for m, (_kernel, group) in kernels(table):
        ax.plot(group["background"], np.abs(group["xi_rel_dev"]).clip(lower=1e-16),
                marker=MARKERS[m % len(MARKERS)], color=COLORS[m % len(COLORS)],
                markersize=3.5, linestyle="none", label=lattice_label(group))
    for level, text in ((5e-3, " 0.5 %"), (2e-2, " 2 %")):
        ax.axhline(level, color="0.5", linewidth=0.8, linestyle=":")
        ax.text(0.02, level, text, color="0.4", fontsize=6, va="bottom",
                transform=ax.get_yaxis_transform())
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("background input $B$")
    ax.set_ylabel(r"$|\xi / \xi_\mathrm{theory} - 1|$")
    ax.set_title("against the lattice pole")


def draw_profile(ax: plt.Axes, table: pd.DataFrame, kernels: dict, source: float) -> None:
    """The 1D run nearest ``B = 1e-4`` of the first kernel."""
    group = table[(table["dim"] == 1) & np.isfinite(table["xi"])]
    group = group[group["kernel"] == group["kernel"].iat[0]]
    row = group.iloc[int(np.argmin(np.abs(np.log10(group["background"]) + 4)))]
    profile = np.asarray(row["profile_re"]) + 1j * np.asarray(row["profile_im"])
    x = np.arange(len(profile))
    exact = theory.static_response(row["background"], kernels[row["kernel"]].multipliers,
                                   source * row["background"])[: len(profile)]
    lo, hi = int(row["window_start"]), int(row["window_end"])
    scale = np.abs(profile[lo])
    ax.axvspan(lo, hi, color="0.92", zorder=0)
    ax.semilogy(x, np.abs(profile) / scale, **{**style.SIMULATION, "markersize": 2},
                label="simulation")
    ax.semilogy(x, np.abs(exact) / scale, **style.THEORY, label="exact linear response")
    ax.semilogy(x, np.exp(-(x - lo) / row["xi"]), **{**style.FIT, "linewidth": 1.2},
                label=f"$e^{{-x/\\xi}}$, $\\xi$ = {row['xi']:.4g}")
    ax.set_ylim(1e-5, 10)
    ax.set_xlim(0, min(len(profile), 1.3 * hi))
    ax.set_xlabel("distance from the source $x$ (sites)")
    ax.set_ylabel(r"$|Z_S - Z_B|$ (relative)")
    ax.set_title(f"response profile, $B$ = {row['background']:.2g}\n{lattice_label(group)}")
    ax.legend(loc="upper right", fontsize=6)


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw (a) the propagation lengths, (b) their deviations, (c) one profile.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``length`` (one row per kernel and background ``B``, with the fitted ``xi`` in
        sites, the fit window and the response profile) and ``fits/length`` (the
        power law fitted to ``xi`` against ``B`` per kernel).
    kernels : dict of str to Kernel
        The ``length`` experiment's kernels by name; the profile panel computes the
        exact linear response from the multipliers of the drawn run's kernel.
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    table, fits = tables["length"], tables["fits/length"]
    fig, axes = style.three_panels()
    draw_lengths(axes[0], table, fits)
    draw_deviation(axes[1], table)
    draw_profile(axes[2], table, kernels, float(table["source"].iat[0]))
    style.letter_titles(axes)
    return fig
