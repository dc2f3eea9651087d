"""Fig. 5: resonances of a network with a completely random unitary kernel.

Top: lock-in amplitude at the driven site against the forcing frequency, single-site
drive, one curve per intensity (dots: simulation, open orange: not converged; red:
the independent-mode prediction, every mode driven by ``A/N`` and summed; thin blue
lines: the kernel's eigenphases).  Bottom left: the widening, the observed mode's
amplitude around one eigenvalue, normalised to its peak.  Bottom right: the laws,
peak ``r(0)``, off-resonance response and half-width at half power against ``A``, for
the plane-wave drive (exact theory in red, asymptotes dashed) and the site drive.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style
from rnnrepro.chandra2024 import theory

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig5_resonances"
TABLES = ("resonance", "resonance_laws", "fits/resonance")
#: the one-line claim the figure supports (README)
CLAIM = (r"the kernel's eigenvalues are resonances that widen as $A^{2/3}$; the peak grows "
         r"as $A^{1/3}$, off resonance linearly")
CAPTION = (r"Response amplitude against forcing frequency for five intensities "
           r"$10^{-(1:5)/2}$ (single-site drive, completely random kernel): simulation dots, "
           r"the exact single-mode theory (red; for the site drive the independent-mode sum), "
           r"eigenvalues (blue); open orange markers are runs that did not converge. Bottom: "
           r"the widening near one eigenvalue, and the laws of peak, off-resonance response "
           r"and half-width against the amplitude.")
LAWS = {"peak": ("o", r"peak $r(0)$"), "off_resonance": ("s", "off resonance"),
        "half_width": ("^", "half-width")}


def amplitude_colors(amplitudes: np.ndarray) -> dict[float, tuple]:
    palette = plt.get_cmap("viridis")(np.linspace(0.0, 0.85, len(amplitudes)))
    return {a: tuple(c) for a, c in zip(sorted(amplitudes), palette)}


def draw_spectrum(ax: plt.Axes, table: pd.DataFrame) -> None:
    spectrum = table[table["kind"] == "spectrum"]
    thetas = np.unique(spectrum["nearest_theta"])
    for theta in thetas:
        ax.axvline(theta, color="tab:blue", linewidth=0.3, alpha=0.25, zorder=0)
    for amplitude, group in spectrum.groupby("amplitude", sort=True):
        group = group.sort_values("omega")
        ok = group["converged"].to_numpy(bool)
        ax.plot(group["omega"], group["response_site_theory"],
                **{**style.THEORY, "linewidth": 0.6})
        ax.plot(group["omega"][ok], group["response_site"][ok],
                **{**style.SIMULATION, "markersize": 1.2})
        if (~ok).any():
            ax.plot(group["omega"][~ok], group["response_site"][~ok],
                    **{**style.unconverged_style(style.SIMULATION), "markersize": 2.5})
        ax.text(2 * np.pi * 1.005, group["response_site"].median(),
                f"$A = 10^{{{np.log10(amplitude):.1f}}}$", fontsize=6, va="center")
    n_sites = int(spectrum["N"].iat[0])
    ax.set_yscale("log")
    ax.set_xlim(0, 2 * np.pi)
    ax.set_xlabel(r"forcing frequency $\omega$")
    ax.set_ylabel(r"$|a|$ at the driven site")
    ax.set_title(f"single-site drive, N = {n_sites}, completely random kernel; dots: "
                 "simulation, red: independent modes, blue: eigenphases", fontsize=8)


def draw_detail(ax: plt.Axes, table: pd.DataFrame) -> None:
    detail = table[table["kind"] == "detail"]
    first = detail["mode"].iat[0]
    detail = detail[detail["mode"] == first]
    colors = amplitude_colors(detail["amplitude"].unique())
    for amplitude, group in detail.groupby("amplitude", sort=True):
        group = group.sort_values("detuning")
        peak = group["response_mode"].max()
        ok = group["converged"].to_numpy(bool)
        color = colors[amplitude]
        ax.plot(group["detuning"], group["response_mode_theory"] / group[
            "response_mode_theory"].max(), color=color, linewidth=0.8, alpha=0.7)
        ax.plot(group["detuning"][ok], group["response_mode"][ok] / peak,
                **{**style.SIMULATION, "color": color, "markersize": 2.5},
                label=f"$10^{{{np.log10(amplitude):.1f}}}$")
        if (~ok).any():
            ax.plot(group["detuning"][~ok], group["response_mode"][~ok] / peak,
                    **style.unconverged_style(style.SIMULATION))
    ax.set_xlabel(r"detuning $\omega - \theta_k$")
    ax.set_ylabel(r"mode amplitude / peak")
    ax.set_title("widening with the drive (lines: single mode, $A/N$)", fontsize=8)
    ax.legend(title="A", fontsize=6, title_fontsize=6, loc="upper right")


def draw_laws(ax: plt.Axes, laws: pd.DataFrame) -> None:
    for pattern, group in laws.groupby("pattern", sort=True):
        plane = pattern == "plane"
        for quantity, (marker, label) in LAWS.items():
            marker_style = {**style.SIMULATION, "marker": marker, "markersize": 3}
            if not plane:
                marker_style.update(markerfacecolor="none", color="0.35")
            ax.plot(group["amplitude"], group[quantity], **marker_style,
                    label=f"{label} ({pattern})")
            # exact comparator: single-mode theory (plane), direct steady-state solve (site)
            ax.plot(group["amplitude"], group[f"{quantity}_theory"],
                    **{**style.THEORY, "linewidth": 0.8,
                       **({} if plane else {"color": "0.5", "linestyle": "-."})})
    amplitudes = np.logspace(np.log10(laws["amplitude"].min()),
                             np.log10(laws["amplitude"].max()), 50)
    for quantity in ("peak", "half_width"):
        exponent, prefactor = theory.RESONANCE_POWER_LAWS[quantity]
        ax.plot(amplitudes, prefactor * amplitudes ** exponent, **style.ASYMPTOTE)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("drive amplitude $A$")
    ax.set_ylabel("response, half-width (rad)")
    ax.set_title(r"laws: $r(0) \sim (2A)^{1/3}$, width $\sim \frac{\sqrt{7}}{4}(2A)^{2/3}$"
                 "\n(red: exact, plane; dash-dot: direct solve, site)", fontsize=7)
    ax.legend(fontsize=5.5, loc="lower right", ncol=2)


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw the spectrum (top), the widening (bottom left) and the laws (bottom right).

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``resonance`` (the runs: ``spectrum`` rows against ``omega`` and the detail
        around one eigenphase), ``resonance_laws`` (peak, off-resonance response and
        half-width per amplitude and drive pattern) and ``fits/resonance`` (listed in
        ``TABLES`` but not read here).
    kernels : dict of str to Kernel
        Unused.
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    table = tables["resonance"]
    fig = plt.figure(figsize=(style.PAGE_WIDTH, 6.2))
    grid = fig.add_gridspec(2, 2, height_ratios=[1.2, 1], hspace=0.35, wspace=0.3)
    draw_spectrum(fig.add_subplot(grid[0, :]), table)
    draw_detail(fig.add_subplot(grid[1, 0]), table)
    draw_laws(fig.add_subplot(grid[1, 1]), tables["resonance_laws"])
    return fig
