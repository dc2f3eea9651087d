"""Closed forms and exact solutions of the model (MODEL.md section 3).

Fixed point of the uniform mode (``lambda_0 = 1``) under a constant real input ``I``:
``x* = phi(x* + I)``.  Linearising at the pre-activation ``y = x* + I`` gives the
radial gain ``g_r = (1 + y^2)^(-3/2)`` and the tangential (phase) gain
``g_t = (1 + y^2)^(-1/2)``; a perturbation along either direction decays as ``g^n``,
i.e. with relaxation time ``tau = -1 / ln g`` iterations.  Because
``ln g_t = ln(g_r) / 3`` exactly, ``tau_t = 3 tau_r`` for the uniform mode.

Asymptotes for ``I -> 0``: ``x* ~ (2 I)^(1/3)``, ``tau_r ~ (2/3) (2 I)^(-2/3)``,
``tau_t ~ 2 (2 I)^(-2/3)``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from curnn.model import radial_gain, tangential_gain


def _fixed_point_residual(y: float, drive: float) -> float:
    # y - phi(y) = y^3 / (s (s + 1)), s = sqrt(1 + y^2): no cancellation at small y
    s = np.sqrt(1.0 + y * y)
    return y ** 3 / (s * (s + 1.0)) - drive


def _preactivation_scalar(drive: float) -> float:
    if drive == 0.0:
        return 0.0
    if drive < 0.0:
        return -_preactivation_scalar(-drive)
    lower = (2.0 * drive) ** (1.0 / 3.0)
    upper = 2.0 * lower + drive + 2.0
    return brentq(_fixed_point_residual, lower, upper, args=(drive,),
                  xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)


def preactivation(drive: np.ndarray | float) -> np.ndarray:
    """Pre-activation ``y = x* + I`` at the fixed point, the root of ``y - phi(y) = I``."""
    return np.vectorize(_preactivation_scalar, otypes=[float])(drive)


def fixed_point(drive: np.ndarray | float) -> np.ndarray:
    """Fixed point ``x*`` of ``x -> phi(x + I)`` for a real input ``I``."""
    drive = np.asarray(drive, dtype=float)
    return preactivation(drive) - drive


def relaxation_time(gain: np.ndarray | float) -> np.ndarray:
    """``tau = -1 / ln g`` in iterations: a perturbation decays as ``exp(-n / tau)``."""
    return -1.0 / np.log(np.asarray(gain, dtype=float))


def tau_radial(drive: np.ndarray | float) -> np.ndarray:
    """Radial relaxation time of the uniform fixed point, ``1 / (1.5 ln(1 + y^2))``."""
    y = preactivation(drive)
    return 1.0 / (1.5 * np.log1p(y * y))


def tau_tangential(drive: np.ndarray | float) -> np.ndarray:
    """Phase relaxation time of the uniform fixed point, ``1 / (0.5 ln(1 + y^2))``."""
    y = preactivation(drive)
    return 1.0 / (0.5 * np.log1p(y * y))


def gains_at_fixed_point(drive: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """``(g_r, g_t)`` at the pre-activation of the fixed point."""
    y = preactivation(drive)
    return radial_gain(y), tangential_gain(y)


def fixed_point_asymptote(drive: np.ndarray | float) -> np.ndarray:
    """``x* ~ (2 I)^(1/3)`` for ``I -> 0``."""
    return np.cbrt(2.0 * np.asarray(drive, dtype=float))


def tau_radial_asymptote(drive: np.ndarray | float) -> np.ndarray:
    """``tau_r ~ (2/3) (2 I)^(-2/3)`` for ``I -> 0``."""
    return (2.0 / 3.0) * (2.0 * np.asarray(drive, dtype=float)) ** (-2.0 / 3.0)


def tau_tangential_asymptote(drive: np.ndarray | float) -> np.ndarray:
    """``tau_t ~ 2 (2 I)^(-2/3)`` for ``I -> 0``."""
    return 3.0 * tau_radial_asymptote(drive)


#: Asymptotic power laws ``c I^p`` of the fixed-point quantities: name -> (p, c)
FIXED_POINT_POWER_LAWS = {
    "x_star": (1.0 / 3.0, 2.0 ** (1.0 / 3.0)),
    "tau_radial": (-2.0 / 3.0, (2.0 / 3.0) * 2.0 ** (-2.0 / 3.0)),
    "tau_tangential": (-2.0 / 3.0, 2.0 * 2.0 ** (-2.0 / 3.0)),
}
