"""Fig. 3: the duality of neuron-by-neuron and time-by-time covariances (one network).

Left: the neuron-by-neuron covariance ``C^phi_ij(0)`` of an i.i.d. network (a corner of
60 neurons, from a window of one trajectory); right: the time-by-time covariance
``C^phi(t1, t2)`` of the same window.  Both are built from the same time-by-neuron
matrix ``A`` as ``A^T A`` and ``A A^T``: they share their nonzero eigenvalues, so the
dimension follows from either, printed with the dimension of the whole run and the
DMFT value.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rnnrepro import style

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig3_duality"
TABLES = ("iid_networks",)
#: the one-line claim the figure supports (README)
CLAIM = ("the neuron-by-neuron and time-by-time covariances of one network give the same "
         "dimension")
CAPTION = (r"Duality of neuron-by-neuron and time-by-time covariances, one network with "
           r"i.i.d. couplings. Left: the neuron-by-neuron covariance $C^\phi_{ij}(0)$ (60 "
           r"neurons); right: the time-by-time covariance $C^\phi(t_1, t_2)$ of the same "
           r"window of activity. Both come from one time-by-neuron matrix and share its "
           r"nonzero spectrum, so either gives the dimension (printed, with the whole run's "
           r"and the theory's); off-diagonal structure in one is low-dimensional structure "
           r"in the other.")


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw the neuron-by-neuron and the time-by-time covariance of one window of one i.i.d.
    network.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``iid_networks`` (the row of case ``fig3_duality``: the covariances and both
        dimensions).
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
    fig, (left, right) = plt.subplots(1, 2, figsize=(style.PAGE_WIDTH, 3.2))
    corner = np.asarray(row["neuron_covariance_corner"]).reshape(60, 60)
    limit = np.abs(corner).max()
    image = left.imshow(corner, cmap="RdBu_r", vmin=-limit, vmax=limit)
    fig.colorbar(image, ax=left, shrink=0.8)
    left.set_xlabel("neuron $j$")
    left.set_ylabel("neuron $i$")
    left.set_title(r"neuron by neuron $C^\phi_{ij}(0)$", fontsize=8)
    size = int(np.sqrt(len(row["time_covariance"])))
    time = np.asarray(row["time_covariance"]).reshape(size, size)
    limit = np.abs(time).max()
    image = right.imshow(time, cmap="RdBu_r", vmin=-limit, vmax=limit,
                         extent=(0, size, size, 0))
    fig.colorbar(image, ax=right, shrink=0.8)
    right.set_xlabel("time $t_2$")
    right.set_ylabel("time $t_1$")
    right.set_title(r"time by time $C^\phi(t_1, t_2)$", fontsize=8)
    fig.text(0.5, -0.04,
             f"N = {int(row['N'])}, g = {row['g']:g}; window of {size} time units: "
             f"PR from neurons {row['pr_window_neuron']:.5f}, from times "
             f"{row['pr_window_time']:.5f}; whole run ({row['trajectory_time_units']:g} "
             f"time units) {row['pr_phi']:.4f}; theory {row['pr_phi_theory']:.4f}",
             ha="center", fontsize=6.5)
    return fig
