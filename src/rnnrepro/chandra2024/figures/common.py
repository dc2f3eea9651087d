"""Labels the first paper's figures share."""

from __future__ import annotations

import pandas as pd

__all__ = ["lattice_label"]


def lattice_label(runs: pd.DataFrame) -> str:
    """``1D N=2048, alpha=1`` or ``2D 128^2, alpha=0.5``: the Laplacian kernel of runs.

    Parameters
    ----------
    runs : DataFrame
        Rows with columns ``dim``, ``N``, ``E``, ``alpha`` (of one kernel).

    Returns
    -------
    str
        A label with LaTeX math.
    """
    dim, alpha = int(runs["dim"].iat[0]), float(runs["alpha"].iat[0])
    size = f"N={runs['N'].iat[0]}" if dim == 1 else f"{runs['E'].iat[0]}$^2$"
    return f"{dim}D {size}, $\\alpha$={alpha:g}"
