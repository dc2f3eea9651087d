"""Fig. 9: principal-component timescales against the two- and four-point functions.

(a) Traces of principal components 1, 10 and 100 of an i.i.d. network (``g = 6``): the
leading components vary slowly.  (b) Autocorrelations ``<p_k(t) p_k(t + tau)>`` of the
leading components, coloured by ``k``.  (c) Weighted by the eigenvalues,
``N^-1 sum_k lambda_k <p_k p_k(tau)>`` is the single-neuron ``C^phi(tau)``; (d) weighted
by their squares it is ``Psi^phi(tau, 0)`` (Eq. 28): simulation (dots) against DMFT
(lines).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig9_pc_timescales"
TABLES = ("iid_networks",)
#: the one-line claim the figure supports (README)
CLAIM = (r"eigenvalue-weighted component autocorrelations give $C^\phi(\tau)$; "
         r"squared-eigenvalue-weighted, $\Psi^\phi(\tau, 0)$")
CAPTION = (r"Principal-component timescales, one network with i.i.d. couplings. (a) Traces "
           r"of components 1, 10 and 100. (b) Autocorrelations of the leading components. "
           r"(c) Weighted by the eigenvalues, their average is the two-point function "
           r"$C^\phi(\tau)$; (d) weighted by the squared eigenvalues, the four-point "
           r"function $\Psi^\phi(\tau, 0)$ (Eq. 28): simulation (dots) and theory (lines).")


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw the principal-component traces and autocorrelations of one i.i.d. network and their
    eigenvalue-weighted averages against ``C^phi(tau)`` and ``Psi^phi(tau, 0)``.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``iid_networks`` (the row of case ``fig9_pc_timescales``).
    kernels : dict
        Unused (this paper has no kernel files).
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    table = tables["iid_networks"]
    row = table[table["case"] == NAME].iloc[0]   # the network simulated for this figure
    lags = np.asarray(row["lags"])
    fig, axes = plt.subplots(1, 4, figsize=(style.PAGE_WIDTH, 2.3),
                             gridspec_kw={"wspace": 0.45})
    traces = np.asarray(row["traces"]).reshape(3, -1)
    for k, trace, shift in zip((1, 10, 100), traces, (0, -4, -8)):
        axes[0].plot(np.arange(len(trace)), trace + shift, linewidth=0.6,
                     label=f"PC {k}")
    axes[0].set_xlabel("time")
    axes[0].set_yticks([])
    axes[0].set_title("(a) component traces", fontsize=7)
    axes[0].legend(fontsize=5, loc="lower right")
    acf = np.asarray(row["acf"]).reshape(int(row["components"]), -1)
    colors = plt.get_cmap("viridis")(np.linspace(0, 0.9, len(acf)))
    for color, curve in zip(colors, acf):
        axes[1].plot(lags, curve, color=color, linewidth=0.6)
    axes[1].set_title(f"(b) autocorrelation, PCs 1-{len(acf)}", fontsize=7)
    for ax, key, theory_key, name in (
            (axes[2], "lambda_weighted", "c_phi_tau_theory", r"$C^\phi(\tau)$"),
            (axes[3], "lambda2_weighted", "psi_tau_theory", r"$\Psi^\phi(\tau, 0)$")):
        simulated = np.asarray(row[key])
        ax.plot(lags, simulated / simulated[0], "o", color="black", markersize=2.5,
                label="simulation")
        exact = np.asarray(row[theory_key])
        ax.plot(lags, exact / exact[0], **style.THEORY, label="theory")
        ax.set_title(("(c) " if key == "lambda_weighted" else "(d) ") + name
                     + " (normalized)", fontsize=7)
        ax.legend(fontsize=5)
    for ax in axes[1:]:
        ax.set_xlabel(r"lag $\tau$")
    fig.text(0.5, -0.08, f"N = {int(row['N'])}, g = {row['g']:g}, "
             f"{row['trajectory_time_units']:g} trajectory-time-units", ha="center",
             fontsize=6.5)
    return fig
