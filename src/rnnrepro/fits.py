"""Generic fits of measured data: straight lines and power laws.

Nothing here knows a theory: every number is fitted from the data it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnrepro.grids import in_range

__all__ = ["LineFit", "fit_line", "PowerLawFit", "fit_power_law"]


@dataclass
class LineFit:
    """Ordinary least squares ``y = intercept + slope x`` with standard errors."""

    slope: float
    intercept: float
    slope_stderr: float
    intercept_stderr: float
    residual_rms: float
    n_points: int


def fit_line(x: np.ndarray, y: np.ndarray, sigma: np.ndarray | None = None) -> LineFit:
    """Least-squares line; standard errors from the residual scatter (``n - 2`` dof), or,
    given each point's standard error ``sigma``, the weighted (chi-square) line with the
    standard errors those ``sigma`` imply.

    Parameters
    ----------
    x : array_like
        Abscissae, shape ``(n,)``, ``n >= 2``, not all equal.
    y : array_like
        Ordinates, shape ``(n,)``.
    sigma : array_like, optional
        Standard errors of ``y`` (positive), shape ``(n,)``: weights ``1/sigma^2``.

    Returns
    -------
    LineFit
        Slope, intercept, their standard errors, the (unweighted) RMS residual and
        ``n``; without ``sigma`` and with ``n = 2`` the line is exact and the standard
        errors are 0.

    Raises
    ------
    ValueError
        If fewer than 2 points are given, or a ``sigma`` is not positive.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n < 2:
        raise ValueError(f"a line fit needs at least 2 points, got {n}")
    if sigma is None:
        x_mean = x.mean()
        dx = x - x_mean
        sxx = float(dx @ dx)
        slope = float(dx @ (y - y.mean())) / sxx
        intercept = float(y.mean() - slope * x_mean)
        residuals = y - (intercept + slope * x)
        s2 = float(residuals @ residuals) / max(n - 2, 1)
        slope_se = np.sqrt(s2 / sxx)
        intercept_se = np.sqrt(s2 * (1.0 / n + x_mean ** 2 / sxx))
    else:
        sigma = np.asarray(sigma, dtype=float)
        if sigma.shape != x.shape or not np.all(sigma > 0):
            raise ValueError("sigma needs one positive standard error per point")
        w = 1.0 / sigma ** 2
        x_mean = float(w @ x) / w.sum()
        dx = x - x_mean
        sxx = float(w @ (dx * dx))
        slope = float(w @ (dx * y)) / sxx
        intercept = float(w @ y) / float(w.sum()) - slope * x_mean
        residuals = y - (intercept + slope * x)
        slope_se = np.sqrt(1.0 / sxx)
        intercept_se = np.sqrt(1.0 / w.sum() + x_mean ** 2 / sxx)
    return LineFit(slope, intercept, float(slope_se), float(intercept_se),
                   float(np.sqrt(np.mean(residuals ** 2))), n)


@dataclass
class PowerLawFit:
    """``y = prefactor * x^exponent`` fitted in log-log space over ``[x_min, x_max]``."""

    exponent: float
    exponent_stderr: float
    prefactor: float
    prefactor_stderr: float
    x_min: float
    x_max: float
    n_points: int
    log_residual_rms: float


def fit_power_law(x: np.ndarray, y: np.ndarray, x_range: tuple[float, float] | None = None
                  ) -> PowerLawFit:
    """Least squares of ``ln y = ln c + p ln x`` over the points with ``x`` in ``x_range``.

    Points with a non-finite or non-positive ``x`` or ``y`` are dropped.

    Parameters
    ----------
    x : array_like
        Abscissae, shape ``(n,)``.
    y : array_like
        Ordinates, shape ``(n,)``.
    x_range : tuple of (float, float), optional
        Inclusive ``(x_min, x_max)`` of the points to fit (with
        :data:`rnnrepro.grids.RANGE_SLACK`); all points if None.

    Returns
    -------
    PowerLawFit
        Exponent ``p``, prefactor ``c`` and their standard errors (that of ``c``
        propagated from ``ln c``), the range of the points used, their number and the
        RMS residual of ``ln y``.

    Raises
    ------
    ValueError
        If fewer than 2 points are usable.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    use = np.isfinite(x) & np.isfinite(y) & (x > 0) & (y > 0)
    if x_range is not None:
        use &= in_range(x, x_range)
    line = fit_line(np.log(x[use]), np.log(y[use]))
    prefactor = float(np.exp(line.intercept))
    return PowerLawFit(exponent=line.slope, exponent_stderr=line.slope_stderr,
                       prefactor=prefactor, prefactor_stderr=prefactor * line.intercept_stderr,
                       x_min=float(x[use].min()), x_max=float(x[use].max()),
                       n_points=line.n_points, log_residual_rms=line.residual_rms)
