"""Parameter grids shared by the experiments and the fits."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["RANGE_SLACK", "log_grid", "in_range", "is_multiple"]

#: relative slack so that grid values written as decimals land inside a range
RANGE_SLACK = 1e-9


def log_grid(spec: dict[str, Any]) -> np.ndarray:
    """``10^(log10_min + k / per_decade)``, ``k = 0, 1, ...`` up to ``log10_max``.

    Parameters
    ----------
    spec : dict
        Config entry with ``log10_min`` and ``log10_max`` (decimal logarithms of the
        first and last values) and ``per_decade`` (points per factor of 10).

    Returns
    -------
    numpy.ndarray
        The ``round((log10_max - log10_min) per_decade) + 1`` values, increasing, both
        ends included.
    """
    lo, hi, per_decade = spec["log10_min"], spec["log10_max"], spec["per_decade"]
    count = int(round((hi - lo) * per_decade)) + 1
    return 10.0 ** (lo + np.arange(count) / per_decade)


def in_range(x: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    """Mask of ``bounds[0] <= x <= bounds[1]``, with :data:`RANGE_SLACK` at both ends.

    Parameters
    ----------
    x : array_like
        Values to test (positive bounds assumed: the slack is relative).
    bounds : tuple of (float, float)
        Inclusive ``(low, high)``.

    Returns
    -------
    numpy.ndarray
        Boolean mask of the shape of ``x``.
    """
    x = np.asarray(x, dtype=float)
    return (x >= bounds[0] * (1 - RANGE_SLACK)) & (x <= bounds[1] * (1 + RANGE_SLACK))


def is_multiple(value: float, step: float) -> bool:
    """Whether ``value`` is a whole number of ``step`` (to 1e-9 of a step).

    Parameters
    ----------
    value : float
        A time or length.
    step : float
        The unit it must be a multiple of (for example ``dt``).

    Returns
    -------
    bool
    """
    return abs(value / step - round(value / step)) < 1e-9
