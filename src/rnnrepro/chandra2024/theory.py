"""Closed forms and exact solutions of the model (docs/chandra2024.md).

Fixed point of the uniform mode (``lambda_0 = 1``) under a constant real input ``I``:
``x* = phi(x* + I)``.  Linearising at the pre-activation ``y = x* + I`` gives the
radial gain ``g_r = (1 + y^2)^(-3/2)`` and the phase gain
``g_t = (1 + y^2)^(-1/2)``; a perturbation along either direction decays as ``g^n``,
i.e. with relaxation time ``tau = -1 / ln g`` iterations.  Because
``ln g_t = ln(g_r) / 3`` exactly, ``tau_t = 3 tau_r`` for the uniform mode.

Asymptotes for ``I -> 0``: ``x* ~ (2 I)^(1/3)``, ``tau_r ~ (2/3) (2 I)^(-2/3)``,
``tau_t ~ 2 (2 I)^(-2/3)``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from rnnrepro.chandra2024.model import phase_gain, radial_gain

__all__ = ["preactivation", "fixed_point", "relaxation_time", "tau_radial", "tau_phase",
           "gains_at_fixed_point", "fixed_point_asymptote", "tau_radial_asymptote",
           "tau_phase_asymptote", "FIXED_POINT_POWER_LAWS", "drive_for_response",
           "resonance_response", "resonance_amplitude", "response_estimate",
           "site_drive_prediction", "resonance_half_width", "RESONANCE_POWER_LAWS",
           "tau_local", "tau_local_asymptote", "mode_maps", "local_kick_norms",
           "static_response", "pole_wavenumber", "propagation_length",
           "propagation_length_asymptote", "BACKGROUND_POWER_LAWS"]

def _fixed_point_residual(y: float, uniform_input: float) -> float:
    # y - phi(y) = y^3 / (s (s + 1)), s = sqrt(1 + y^2): no cancellation at small y
    s = np.sqrt(1.0 + y * y)
    return y ** 3 / (s * (s + 1.0)) - uniform_input


def _preactivation_scalar(uniform_input: float) -> float:
    if uniform_input == 0.0:
        return 0.0
    if uniform_input < 0.0:
        return -_preactivation_scalar(-uniform_input)
    lower = (2.0 * uniform_input) ** (1.0 / 3.0)
    upper = 2.0 * lower + uniform_input + 2.0
    return brentq(_fixed_point_residual, lower, upper, args=(uniform_input,),
                  xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)


def preactivation(uniform_input: np.ndarray | float) -> np.ndarray:
    """Pre-activation ``y = x* + I`` at the fixed point, the root of ``y - phi(y) = I``.

    Parameters
    ----------
    uniform_input : float or array_like
        Constant real input ``I`` of the uniform mode (any sign; ``y`` is odd in
        ``I``).

    Returns
    -------
    numpy.ndarray
        ``y``, float, of the shape of ``uniform_input`` (0-d for a scalar), solved by
        Brent's method to about 4 ulp relative.
    """
    return np.vectorize(_preactivation_scalar, otypes=[float])(uniform_input)


def fixed_point(uniform_input: np.ndarray | float) -> np.ndarray:
    """Fixed point ``x*`` of ``x -> phi(x + I)`` for a real input ``I``.

    Parameters
    ----------
    uniform_input : float or array_like
        Constant real input ``I``.

    Returns
    -------
    numpy.ndarray
        ``x* = y - I`` (:func:`preactivation`), of the shape of ``uniform_input``;
        ``|x*| < 1``.
    """
    uniform_input = np.asarray(uniform_input, dtype=float)
    return preactivation(uniform_input) - uniform_input


def relaxation_time(gain: np.ndarray | float) -> np.ndarray:
    """``tau = -1 / ln g`` in iterations: a perturbation decays as ``exp(-n / tau)``.

    Parameters
    ----------
    gain : float or array_like
        Per-iteration gain ``g`` of the perturbation, ``0 < g < 1``.

    Returns
    -------
    numpy.ndarray
        ``tau`` (iterations), of the shape of ``gain``.
    """
    return -1.0 / np.log(np.asarray(gain, dtype=float))


def tau_radial(uniform_input: np.ndarray | float) -> np.ndarray:
    """Radial relaxation time of the uniform fixed point, ``1 / (1.5 ln(1 + y^2))``.

    Parameters
    ----------
    uniform_input : float or array_like
        Constant real input ``I``; ``y`` is its :func:`preactivation`.

    Returns
    -------
    numpy.ndarray
        ``tau_r = -1 / ln g_r`` (iterations), of the shape of ``uniform_input``.
    """
    y = preactivation(uniform_input)
    return 1.0 / (1.5 * np.log1p(y * y))


def tau_phase(uniform_input: np.ndarray | float) -> np.ndarray:
    """Phase relaxation time of the uniform fixed point, ``1 / (0.5 ln(1 + y^2))``.

    Parameters
    ----------
    uniform_input : float or array_like
        Constant real input ``I``; ``y`` is its :func:`preactivation`.

    Returns
    -------
    numpy.ndarray
        ``tau_t = -1 / ln g_t = 3 tau_r`` (iterations), of the shape of
        ``uniform_input``.
    """
    y = preactivation(uniform_input)
    return 1.0 / (0.5 * np.log1p(y * y))


def gains_at_fixed_point(uniform_input: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """``(g_r, g_t)`` at the pre-activation of the fixed point.

    Parameters
    ----------
    uniform_input : float or array_like
        Constant real input ``I``.

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray)
        Radial gain ``g_r = (1 + y^2)^(-3/2)`` and phase gain ``g_t = (1 + y^2)^(-1/2)``
        per iteration, each of the shape of ``uniform_input``.
    """
    y = preactivation(uniform_input)
    return radial_gain(y), phase_gain(y)


def fixed_point_asymptote(uniform_input: np.ndarray | float) -> np.ndarray:
    """``x* ~ (2 I)^(1/3)`` for ``I -> 0``.

    Parameters
    ----------
    uniform_input : float or array_like
        Constant real input ``I``.

    Returns
    -------
    numpy.ndarray
        The leading-order ``x*`` (real cube root, so odd in ``I``).
    """
    return np.cbrt(2.0 * np.asarray(uniform_input, dtype=float))


def tau_radial_asymptote(uniform_input: np.ndarray | float) -> np.ndarray:
    """``tau_r ~ (2/3) (2 I)^(-2/3)`` for ``I -> 0``.

    Parameters
    ----------
    uniform_input : float or array_like
        Constant real input ``I > 0``.

    Returns
    -------
    numpy.ndarray
        The leading-order ``tau_r`` (iterations).
    """
    return (2.0 / 3.0) * (2.0 * np.asarray(uniform_input, dtype=float)) ** (-2.0 / 3.0)


def tau_phase_asymptote(uniform_input: np.ndarray | float) -> np.ndarray:
    """``tau_t ~ 2 (2 I)^(-2/3)`` for ``I -> 0``.

    Parameters
    ----------
    uniform_input : float or array_like
        Constant real input ``I > 0``.

    Returns
    -------
    numpy.ndarray
        The leading-order ``tau_t = 3 tau_r`` (iterations).
    """
    return 3.0 * tau_radial_asymptote(uniform_input)


#: Asymptotic power laws ``c I^p`` of the fixed-point quantities: name -> (p, c)
FIXED_POINT_POWER_LAWS = {
    "x_star": (1.0 / 3.0, 2.0 ** (1.0 / 3.0)),
    "tau_radial": (-2.0 / 3.0, (2.0 / 3.0) * 2.0 ** (-2.0 / 3.0)),
    "tau_phase": (-2.0 / 3.0, 2.0 * 2.0 ** (-2.0 / 3.0)),
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
    """The drive amplitude ``A(r, d)`` that gives response ``r``: the right side, square-rooted.

    Parameters
    ----------
    r : float or array_like
        Steady response modulus ``r = |a|``, ``0 <= r < 1``.
    detuning : float or array_like
        ``d = omega - theta_k`` (radians), broadcastable against ``r``.

    Returns
    -------
    numpy.ndarray
        ``A = r sqrt((1/s - cos d)^2 + sin^2 d)``, ``s = sqrt(1 - r^2)``, of the
        broadcast shape.
    """
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

    Parameters
    ----------
    amplitude : float or array_like
        Drive amplitude ``A > 0`` (the modulus of the mode's input per iteration).
    detuning : float or array_like
        ``d = omega - theta_k`` (radians), broadcastable against ``amplitude``.
    iterations : int, optional
        Bisection steps (each halves the bracket of ``ln r``).

    Returns
    -------
    numpy.ndarray
        ``r`` in ``(0, 1)``, of the broadcast shape.
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
    """Complex steady amplitude ``a = A / (exp(i omega)/s - exp(i theta))`` of one mode.

    The steady state is ``Z_n = a exp(i omega n) e_k`` for the drive
    ``I_n = A exp(i omega n) e_k``.

    Parameters
    ----------
    amplitude : float or array_like
        Drive amplitude ``A > 0``.
    omega : float or array_like
        Drive frequency ``omega`` (radians per iteration).
    theta : float or array_like
        The mode's eigenphase ``theta_k`` (radians); all three broadcast together.

    Returns
    -------
    numpy.ndarray
        Complex ``a`` of the broadcast shape, ``|a| = r`` of
        :func:`resonance_response`.
    """
    omega = np.asarray(omega, dtype=float)
    detuning = omega - np.asarray(theta, dtype=float)
    r = resonance_response(amplitude, detuning)
    # exp(i omega)/s - exp(i theta) = exp(i omega) (1/s - exp(-i d))
    denominator = np.exp(1j * omega) * (_one_over_s_minus_cos(r * r, detuning)
                                         + 1j * np.sin(detuning))
    return np.asarray(amplitude, dtype=float) / denominator


def response_estimate(amplitude: np.ndarray | float, detuning: np.ndarray | float
                      ) -> np.ndarray:
    """Cheap single-mode response ``min(A / |2 sin(d/2)|, (2 A)^(1/3))``.

    The linear response off resonance and the cube-root peak at it; it overestimates the
    exact :func:`resonance_response` by at most ~30 % (where the two branches cross).
    Used only to size a run's switch-on, never as a prediction.

    Parameters
    ----------
    amplitude : float or array_like
        Drive amplitude ``A``.
    detuning : float or array_like
        ``d = omega - theta_k`` (radians), broadcastable against ``amplitude``.

    Returns
    -------
    numpy.ndarray
        The estimate of ``r``, of the broadcast shape (the cube-root branch at
        ``d = 0``).
    """
    amplitude = np.asarray(amplitude, dtype=float)
    with np.errstate(divide="ignore"):
        linear = amplitude / np.abs(2.0 * np.sin(0.5 * np.asarray(detuning, dtype=float)))
    return np.minimum(linear, np.cbrt(2.0 * amplitude))


def site_drive_prediction(amplitude: float, omega: float, thetas: np.ndarray
                          ) -> tuple[complex, np.ndarray]:
    """Single-site drive on ``N`` sites as independent modes each driven by ``A/N``.

    Returns the predicted response at the driven site, ``sum_k a_k`` (``e_k(0) = 1``),
    and every mode's amplitude ``a_k``.  Modes share one saturation in reality, so this
    is accurate only at weak drive (docs/chandra2024.md).

    Parameters
    ----------
    amplitude : float
        Drive amplitude ``A`` at the driven site.
    omega : float
        Drive frequency (radians per iteration).
    thetas : numpy.ndarray
        Eigenphases ``theta_k`` of the kernel (radians), any shape; flattened, so
        ``N = thetas.size``.

    Returns
    -------
    tuple of (complex, numpy.ndarray)
        The predicted complex response at the driven site, and the complex
        amplitudes ``a_k``, shape ``(N,)`` in the flattened order of ``thetas``.
    """
    thetas = np.asarray(thetas, dtype=float).ravel()
    modes = resonance_amplitude(amplitude / thetas.size, omega, thetas)
    return complex(modes.sum()), modes


def resonance_half_width(amplitude: float) -> float:
    """Exact half-width at half power of a single-mode resonance, in radians.

    The detuning ``d > 0`` at which ``r(d)^2 = r(0)^2 / 2``.

    Parameters
    ----------
    amplitude : float
        Drive amplitude ``A``, ``0 < A < 1``.

    Returns
    -------
    float
        The half-width ``d`` in ``(0, pi)`` (radians).
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


# --- background input (Figs. 6-7) -----------------------------------------------------
#
# A uniform real input B on a kernel with lambda_0 = 1 holds the network at the uniform
# fixed point x*(B) of the Fig. 3 map.  A perturbation u + i v (u: radial, v: phase) of
# Fourier mode k, multiplier lambda_k = c - i s, is mapped linearly by
#     (u, v) -> G R_k (u, v),   G = diag(g_r, g_t),   R_k = [[c, s], [-s, c]],
# with the gains at the pre-activation y = x* + B.  For a symmetric kernel
# (lambda_k = lambda_-k, the Laplacian) the same real map acts on the Fourier
# coefficients of the real fields u(x), v(x).

def tau_local(background: np.ndarray | float) -> np.ndarray:
    """Decay time of a generic (localised) perturbation, ``-1 / ln sqrt(g_r g_t)``.

    Modes whose linear map has complex eigenvalues (all but those near ``k = 0``) have
    ``|mu| = sqrt(det G R_k) = sqrt(g_r g_t)``.  Asymptotically ``tau_t / 2 = 1.5 tau_r
    ~ 0.630 B^(-2/3)``.  Iterations.

    Parameters
    ----------
    background : float or array_like
        Uniform real background input ``B``.

    Returns
    -------
    numpy.ndarray
        ``tau_local`` (iterations), of the shape of ``background``.
    """
    g_r, g_t = gains_at_fixed_point(background)
    return relaxation_time(np.sqrt(g_r * g_t))


def tau_local_asymptote(background: np.ndarray | float) -> np.ndarray:
    """``tau_local ~ (2 B)^(-2/3)`` for ``B -> 0`` (``1.5 tau_r``).

    Parameters
    ----------
    background : float or array_like
        Uniform real background input ``B > 0``.

    Returns
    -------
    numpy.ndarray
        The leading-order ``tau_local`` (iterations).
    """
    return 1.5 * tau_radial_asymptote(background)


def mode_maps(background: float, multipliers: np.ndarray) -> np.ndarray:
    """The real ``2 x 2`` linear map ``G R_k`` of every mode, shape ``(*lattice, 2, 2)``.

    Parameters
    ----------
    background : float
        Uniform real background input ``B``; sets the gains ``G = diag(g_r, g_t)``.
    multipliers : numpy.ndarray
        Kernel multipliers ``lambda_k = c - i s``, complex, lattice shape, FFT
        ordering.

    Returns
    -------
    numpy.ndarray
        ``[[g_r c, g_r s], [-g_t s, g_t c]]`` per mode, acting on ``(u_k, v_k)``
        (radial, phase), shape ``(*multipliers.shape, 2, 2)``.
    """
    g_r, g_t = (float(g) for g in gains_at_fixed_point(background))
    c, s = multipliers.real, -multipliers.imag
    return np.stack([np.stack([g_r * c, g_r * s], -1), np.stack([-g_t * s, g_t * c], -1)], -2)


def local_kick_norms(background: float, multipliers: np.ndarray, kick: float,
                     steps: np.ndarray) -> np.ndarray:
    """``||delta Z_n||`` (2-norm over sites) after a radial kick ``kick`` at one site.

    Exact linearised evolution: every mode starts at ``(u_k, v_k) = (kick, 0)`` and is
    mapped by :func:`mode_maps`; Parseval gives the norm.  ``steps`` must be increasing.

    Parameters
    ----------
    background : float
        Uniform real background input ``B``.
    multipliers : numpy.ndarray
        Kernel multipliers ``lambda_k``, complex, lattice shape.
    kick : float
        Size of the radial perturbation at the kicked site.
    steps : array_like of int
        Iterations ``n >= 0`` after the kick at which to report the norm, increasing.

    Returns
    -------
    numpy.ndarray
        ``||delta Z_n||``, shape ``(len(steps),)``; equal to ``|kick|`` at ``n = 0``.
    """
    maps = mode_maps(background, multipliers).reshape(-1, 2, 2)
    state = np.zeros((maps.shape[0], 2))
    state[:, 0] = kick
    out = np.empty(len(steps))
    n = 0
    for i, target in enumerate(np.asarray(steps, np.int64)):
        while n < target:
            state = np.einsum("kij,kj->ki", maps, state)
            n += 1
        out[i] = np.sqrt((state ** 2).sum() / maps.shape[0])
    return out


def static_response(background: float, multipliers: np.ndarray, source: float
                    ) -> np.ndarray:
    """Linear steady response ``u + i v`` to a static real source at site 0, every site.

    Solves ``(1 - G R_k) (u_k, v_k) = G (source, 0)`` mode by mode, then inverse FFT:
    the exact lattice theory of the propagation experiment (complex array, lattice
    shape; site 0 is the source).

    Parameters
    ----------
    background : float
        Uniform real background input ``B``.
    multipliers : numpy.ndarray
        Kernel multipliers ``lambda_k``, complex, lattice shape, FFT ordering.
    source : float
        Strength of the static real input added at site 0.

    Returns
    -------
    numpy.ndarray
        Complex response ``u + i v`` (radial, phase) at every site, shape
        ``multipliers.shape``, index 0 being the source site.
    """
    g_r, g_t = (float(g) for g in gains_at_fixed_point(background))
    maps = mode_maps(background, multipliers)
    system = np.eye(2) - maps
    rhs = np.broadcast_to(np.array([g_r * source, 0.0]), maps.shape[:-1])
    uv = np.linalg.solve(system, rhs[..., None])[..., 0]
    axes = tuple(range(multipliers.ndim))
    return np.fft.ifftn(uv[..., 0], axes=axes) + 1j * np.fft.ifftn(uv[..., 1], axes=axes)


def pole_wavenumber(background: np.ndarray | float, alpha: float) -> np.ndarray:
    """Complex wavenumber ``k`` (radians per site, ``Im k > 0``) of the static response.

    The response ``~ exp(i k |x|)`` has its poles where ``det(1 - G R_k) = 0``, i.e.
    ``cos(alpha eps(k)) = (1 + g_r g_t) / (g_r + g_t) = C >= 1``, with
    ``eps(k) = 2 - 2 cos k`` along a lattice axis: ``cos k = 1 - i arccosh(C) / (2 alpha)``.
    The propagation length is ``xi = 1 / Im k`` sites and the response oscillates with
    wavenumber ``Re k``.  Along an axis of the 2D torus the far response has the same
    pole (its saddle sits at ``k_perp = 0``).

    Parameters
    ----------
    background : float or array_like
        Uniform real background input ``B``.
    alpha : float
        Laplacian kernel strength ``alpha`` (``lambda_k = exp(-i alpha eps(k))``).

    Returns
    -------
    numpy.ndarray
        Complex ``k`` with ``Im k > 0``, of the shape of ``background``.
    """
    g_r, g_t = gains_at_fixed_point(background)
    # C - 1 = (1 - g_r)(1 - g_t) / (g_r + g_t), written without cancellation
    c_minus_1 = (1.0 - g_r) * (1.0 - g_t) / (g_r + g_t)
    eta = _arccosh1p(c_minus_1)
    k = np.arccos(1.0 - 0.5j * eta / alpha)
    return np.where(k.imag < 0, -k, k)


def _arccosh1p(x: np.ndarray) -> np.ndarray:
    """``arccosh(1 + x)`` accurate for small ``x``: ``log1p(x + sqrt(x (2 + x)))``."""
    x = np.asarray(x, dtype=float)
    return np.log1p(x + np.sqrt(x * (2.0 + x)))


def propagation_length(background: np.ndarray | float, alpha: float) -> np.ndarray:
    """``xi = 1 / Im k`` of :func:`pole_wavenumber`, in sites.

    Parameters
    ----------
    background : float or array_like
        Uniform real background input ``B``.
    alpha : float
        Laplacian kernel strength ``alpha``.

    Returns
    -------
    numpy.ndarray
        ``xi`` (sites), of the shape of ``background``.
    """
    return 1.0 / pole_wavenumber(background, alpha).imag


def propagation_length_asymptote(background: np.ndarray | float, alpha: float
                                 ) -> np.ndarray:
    """``xi ~ 2 sqrt(alpha) / (3^(1/4) y)`` for ``B -> 0`` (``y``: pre-activation).

    Parameters
    ----------
    background : float or array_like
        Uniform real background input ``B > 0``; ``y`` is its :func:`preactivation`.
    alpha : float
        Laplacian kernel strength ``alpha``.

    Returns
    -------
    numpy.ndarray
        The leading-order ``xi`` (sites), of the shape of ``background``.
    """
    return 2.0 * np.sqrt(alpha) / (3.0 ** 0.25 * preactivation(background))


#: asymptotic background laws, name -> (exponent, prefactor) in B (alpha = 1 for xi)
BACKGROUND_POWER_LAWS = {
    "tau_radial": FIXED_POINT_POWER_LAWS["tau_radial"],
    "tau_phase": FIXED_POINT_POWER_LAWS["tau_phase"],
    "tau_local": (-2.0 / 3.0, 2.0 ** (-2.0 / 3.0)),
    # y ~ (2B)^(1/3): xi ~ 2 sqrt(alpha) 3^(-1/4) (2B)^(-1/3)
    "xi": (-1.0 / 3.0, 2.0 * 3.0 ** -0.25 * 2.0 ** (-1.0 / 3.0)),
}
