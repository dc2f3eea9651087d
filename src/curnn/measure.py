"""Measurements on simulated data: decay times and power laws.

Nothing here knows the theory: every number is fitted from simulation output.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from curnn.grids import in_range


@dataclass
class LineFit:
    """Ordinary least squares ``y = intercept + slope x`` with standard errors."""

    slope: float
    intercept: float
    slope_stderr: float
    intercept_stderr: float
    residual_rms: float
    n_points: int


def fit_line(x: np.ndarray, y: np.ndarray) -> LineFit:
    """Least-squares line; standard errors from the residual scatter (``n - 2`` dof)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n < 2:
        raise ValueError(f"a line fit needs at least 2 points, got {n}")
    x_mean = x.mean()
    dx = x - x_mean
    sxx = float(dx @ dx)
    slope = float(dx @ (y - y.mean())) / sxx
    intercept = float(y.mean() - slope * x_mean)
    residuals = y - (intercept + slope * x)
    dof = max(n - 2, 1)
    s2 = float(residuals @ residuals) / dof
    slope_se = np.sqrt(s2 / sxx)
    intercept_se = np.sqrt(s2 * (1.0 / n + x_mean ** 2 / sxx))
    return LineFit(slope, intercept, float(slope_se), float(intercept_se),
                   float(np.sqrt(np.mean(residuals ** 2))), n)


@dataclass
class DecayFit:
    """Exponential decay ``|o_n| ∝ exp(-n / tau)`` fitted on a window of steps."""

    tau: float               # decay time, iterations
    tau_stderr: float
    rate: float              # contraction per step, exp(-1 / tau)
    window_start: int        # first step used
    window_end: int          # last step used
    n_points: int
    log_residual_rms: float  # rms misfit of ln|o_n|: ~0 for a clean exponential

    def as_dict(self, prefix: str) -> dict[str, float]:
        """Columns ``prefix`` (the decay time), ``prefix_stderr``, ``prefix_rate``, ..."""
        return {prefix if k == "tau" else f"{prefix}_{k.removeprefix('tau_')}": v
                for k, v in asdict(self).items()}


def fit_decay_time(steps: np.ndarray, values: np.ndarray, *, skip: int = 0,
                   floor: float = 0.0) -> DecayFit:
    """Fit ``ln|o_n| = c - n / tau`` by least squares.

    ``skip`` drops the first points (a transient); points with ``|o_n| <= floor``
    (round-off noise) are excluded.  ``tau`` is in the units of ``steps``.
    """
    steps = np.asarray(steps, dtype=float)
    magnitude = np.abs(np.asarray(values, dtype=float))
    use = np.zeros(len(steps), dtype=bool)
    use[skip:] = True
    use &= magnitude > floor
    if use.sum() < 3:
        raise ValueError(f"decay fit needs at least 3 points above the floor, got {use.sum()}")
    line = fit_line(steps[use], np.log(magnitude[use]))
    if line.slope >= 0:
        raise ValueError(f"trace does not decay (slope {line.slope:.3e} per step)")
    tau = -1.0 / line.slope
    return DecayFit(tau=tau, tau_stderr=line.slope_stderr / line.slope ** 2,
                    rate=float(np.exp(line.slope)),
                    window_start=int(steps[use][0]), window_end=int(steps[use][-1]),
                    n_points=line.n_points, log_residual_rms=line.residual_rms)


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
    """Least squares of ``ln y = ln c + p ln x`` over the points with ``x`` in ``x_range``."""
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


def hann_weights(length: int) -> np.ndarray:
    """Hann window ``w_n = sin^2(pi (n + 1/2) / L)``, ``n = 0 .. L-1``, for lock-in sums.

    Its sidelobes fall as ``(L d)^-3`` at detuning ``d``, so a free oscillation at
    another frequency leaks little into the lock-in amplitude.
    """
    return np.sin(np.pi * (np.arange(length) + 0.5) / length) ** 2
