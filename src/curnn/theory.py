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


# --- single oscillation (Fig. 5) ------------------------------------------------------
#
# A plane-wave drive I_n = A exp(i omega n) e_k has the steady state
# Z_n = a exp(i omega n) e_k with r = |a| the unique root of
#     A^2 = r^2 [ (1/s - cos d)^2 + sin^2 d ],   s = sqrt(1 - r^2),  d = omega - theta_k,
# (equal to r^2 [1/(1-r^2) + 1 - 2 cos(d)/s]) and a = A / (exp(i omega)/s - exp(i theta_k)).

def _one_over_s_minus_cos(r2: np.ndarray, detuning: np.ndarray) -> np.ndarray:
    """``1/s - cos d`` without cancellation: ``(2 sin^2(d/2) + cos(d) r^2/(1+s)) / s``."""
    s = np.sqrt(1.0 - r2)
    return (2.0 * np.sin(0.5 * detuning) ** 2 + np.cos(detuning) * r2 / (1.0 + s)) / s


def drive_for_response(r: np.ndarray, detuning: np.ndarray) -> np.ndarray:
    """The drive amplitude ``A(r, d)`` that gives response ``r``: the right side, square-rooted."""
    r = np.asarray(r, dtype=float)
    r2 = r * r
    real = _one_over_s_minus_cos(r2, detuning)
    return r * np.sqrt(real * real + np.sin(detuning) ** 2)


def resonance_response(amplitude: np.ndarray | float, detuning: np.ndarray | float,
                       iterations: int = 90) -> np.ndarray:
    """Steady response ``r`` of one mode to a drive of amplitude ``A`` at detuning ``d``.

    Vectorised bisection on ``ln r`` (the right side is monotone in ``r``, so the root is
    unique) between ``A/4`` and ``1``, followed by Newton polishing; relative accuracy
    about 1e-15 for any detuning and ``0 < A < 1``.
    """
    amplitude, detuning = np.broadcast_arrays(np.asarray(amplitude, dtype=float),
                                              np.asarray(detuning, dtype=float))
    lo = np.log(amplitude / 4.0)
    hi = np.zeros_like(lo)  # r = 1 is the saturation limit, never reached
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        above = drive_for_response(np.exp(mid), detuning) > amplitude
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    log_r = 0.5 * (lo + hi)
    for _ in range(3):
        # Newton on ln A(r) - ln A with a numerical derivative in ln r
        h = 1e-7
        f = np.log(drive_for_response(np.exp(log_r), detuning)) - np.log(amplitude)
        df = (np.log(drive_for_response(np.exp(log_r + h), detuning))
              - np.log(drive_for_response(np.exp(log_r - h), detuning))) / (2 * h)
        log_r = log_r - f / df
    return np.exp(log_r)


def resonance_amplitude(amplitude: np.ndarray | float, omega: np.ndarray | float,
                        theta: np.ndarray | float) -> np.ndarray:
    """Complex steady amplitude ``a = A / (exp(i omega)/s - exp(i theta))`` of one mode."""
    omega = np.asarray(omega, dtype=float)
    detuning = omega - np.asarray(theta, dtype=float)
    r = resonance_response(amplitude, detuning)
    # exp(i omega)/s - exp(i theta) = exp(i omega) (1/s - exp(-i d))
    denominator = np.exp(1j * omega) * (_one_over_s_minus_cos(r * r, detuning)
                                         + 1j * np.sin(detuning))
    return np.asarray(amplitude, dtype=float) / denominator


def site_drive_prediction(amplitude: float, omega: float, thetas: np.ndarray
                          ) -> tuple[complex, np.ndarray]:
    """Single-site drive on ``N`` sites as independent modes each driven by ``A/N``.

    Returns the predicted response at the driven site, ``sum_k a_k`` (``e_k(0) = 1``),
    and every mode's amplitude ``a_k``.  Modes share one saturation in reality, so this
    is accurate only at weak drive (MODEL.md section 3).
    """
    thetas = np.asarray(thetas, dtype=float).ravel()
    modes = resonance_amplitude(amplitude / thetas.size, omega, thetas)
    return complex(modes.sum()), modes


def resonance_half_width(amplitude: float) -> float:
    """Exact half-width at half power of a single-mode resonance, in radians.

    The detuning ``d > 0`` at which ``r(d)^2 = r(0)^2 / 2``.
    """
    peak = float(resonance_response(amplitude, 0.0))
    target = peak / np.sqrt(2.0)
    # at fixed r the drive needed grows with |d|: solve A(target, d) = A for d
    return brentq(lambda d: float(drive_for_response(target, d)) - amplitude,
                  0.0, np.pi, xtol=1e-300, rtol=1e-14, maxiter=500)


#: asymptotic resonance laws, name -> (exponent, prefactor) in the drive amplitude A
RESONANCE_POWER_LAWS = {
    "peak": (1.0 / 3.0, 2.0 ** (1.0 / 3.0)),                 # r ~ (2A)^(1/3)
    "half_width": (2.0 / 3.0, np.sqrt(7.0) / 4.0 * 2.0 ** (2.0 / 3.0)),
    "off_resonance": (1.0, None),                            # r ~ A / |2 sin(d/2)|
}
