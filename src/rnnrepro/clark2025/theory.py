r"""Mean-field theory of the random-mode model with i.i.d. modes and erf units.

Clark, Marschall, van Meegen & Litwin-Kumar, Phys. Rev. X 15, 041019 (2025).
Equation numbers refer to that paper.  Time is measured in units of the
neuronal time constant (the dynamics are ``(1 + d/dt) x = J phi(x)``, Eq. 15)
and angular frequency ``omega`` in inverse units of it.  Fourier conventions:
``F(omega) = int dtau exp(-i omega tau) F(tau)`` and
``F(tau) = int domega / (2 pi) exp(i omega tau) F(omega)``; then
``S^phi(omega) = <phi'> / (1 + i omega)`` (Eq. M3).

Contents
--------
* Two-point function (DMFT, App. M1).  The single site is the
  Sompolinsky-Crisanti-Sommers problem with gain ``g_eff = sqrt(alpha r_2)``
  (Eq. 37).  With ``phi(x) = erf(sqrt(pi) x / 2)``,
  ``C^phi = (2/pi) arcsin(C^x / (C^x(0) + 2/pi))`` (Eq. M1, written there as
  an arctan), ``C^x'' = C^x - g_eff^2 C^phi`` with potential ``V`` (Eq. M2),
  and the energy condition ``V(C0, C0) = V(0, C0)`` fixes ``C0 = C^x(0)``.
* Four-point functions at ``tau = (0, 0)`` and along ``(tau, 0)`` for
  activations (Eq. 38) and preactivations (Eq. I22), the dimension
  ``PR^a = C^a(0)^2 / Psi^a(0, 0)`` (Eq. 26), the i.i.d. limit, the
  low-rank constant ``K^a`` (Eq. 43) and the exact rearrangement
  ``1/PR^a = 1/PR^a_iid + 1/(K^a alpha PR^D)``.
* Near-transition asymptotics (Eqs. 39-41) with the constant of
  ``PR_iid ~ c (g_eff - 1)^3`` derived here (the paper states the power only).
* Random-matrix facts for ``L D R^T``: singular-value edges (Eq. 14), their
  free-probability density (App. C, Eq. C13) and ``PR^S`` (Eq. 13).

Numerical method (details in ``docs/clark2025_theory.md``)
-----------------------------------------------------------
The two-point ODE is integrated in two phases with DOP853 at ``rtol = 1e-13``:
the Newtonian form from the turning point ``C0`` down to ``C0 / 2``, then the
exact first integral ``d ln C / dtau = -sqrt(2 (V(0) - V(C))) / C``, which
is stable on the approach to the hyperbolic fixed point ``C = 0`` (the
Newtonian form amplifies any error in ``C0`` like ``exp(lambda tau)``).

Four-point integrals are reduced to one frequency integral.  Writing
``q = g_eff^2 <phi'>^2``, ``s = 1/(1 + i omega)`` and ``z = q s1 s2``,
for fixed ``omega_2`` the ``omega_1`` dependence of ``1/|1 - z|^2`` is
rational, so the ``omega_1`` integral is a Laplace transform of ``C(tau)``
at the complex rate ``beta = 1 - q s(omega_2)``.  The remaining
``omega_2`` integral uses composite Gauss-Legendre panels (geometric,
refined near 0 where the ridge ``|1 - z|^{-2}`` has width ``sqrt(1 - q)``);
the slowly decaying low orders of the geometric series in ``z`` are summed
exactly in the time domain.  ``tau`` integrals use a uniform grid with
Euler-Maclaurin endpoint corrections (order 8) or, for cosine transforms of
the even, smooth correlation functions, the plain trapezoid rule (spectrally
accurate).  For ``Psi(tau, 0)`` the same ``omega_2`` quadrature first builds
even time-domain kernels, followed by three FFT convolutions.  The paper's own
method (a full 2D FFT grid, App. M1) is kept in :func:`four_point_fft` as an
independent check; the two agree to ~1e-12.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import fft as sfft
from scipy.integrate import quad, solve_ivp
from scipy.interpolate import make_interp_spline
from scipy.optimize import brentq
from scipy.special import gammaln

__all__ = [
    "TwoPoint",
    "FourPointConstants",
    "two_point",
    "c_phi_of_c_x",
    "potential",
    "mean_phi_prime",
    "s_phi",
    "c_omega",
    "psi_omega",
    "four_point_constants",
    "four_point_zero",
    "dimension",
    "pr_iid",
    "k_constant",
    "k_over_pr_iid",
    "psi_tau",
    "normalized_psi_phi_tau",
    "four_point_fft",
    "transition_constant",
    "pr_iid_near_transition",
    "dimension_near_transition",
    "singular_value_edges",
    "singular_value_density",
    "pr_singular_values",
    "spectrum_statistics",
    "theory_table",
]

_TWO_OVER_PI = 2.0 / math.pi
_HALF_PI = math.pi / 2.0
_EM_ORDER = 8  # Euler-Maclaurin endpoint-correction order (nodes used)
_N_PEEL = 6  # orders of the z-series summed exactly in the time domain
_TAIL = 1e-18  # C^x(tau) / C^x(0) at which correlation functions are cut


# ---------------------------------------------------------------------------
# Two-point function
# ---------------------------------------------------------------------------


def c_phi_of_c_x(c_x, c_x0):
    r"""Activation correlation from the preactivation correlation, Eq. (M1).

    ``C^phi(tau) = (2/pi) arctan[C^x / sqrt((C^x(0) + 2/pi)^2 - C^x^2)]``,
    evaluated in the equivalent form ``(2/pi) arcsin(C^x / (C^x(0) + 2/pi))``.
    Valid for the erf nonlinearity ``phi(x) = erf(sqrt(pi) x / 2)`` and
    Gaussian ``x`` with variance ``C^x(0)``.

    Parameters
    ----------
    c_x : float or ndarray
        Preactivation correlation ``C^x(tau)`` (dimensionless).
    c_x0 : float
        Preactivation variance ``C^x(0) >= 0``.

    Returns
    -------
    ndarray
        ``C^phi(tau)`` (dimensionless), same shape as ``c_x``.
    """
    return _TWO_OVER_PI * np.arcsin(np.asarray(c_x, dtype=float) / (c_x0 + _TWO_OVER_PI))


def potential(c_x, c_x0, g_eff):
    r"""Newtonian potential of the two-point ODE, Eq. (M2).

    ``V(C, C0) = -C^2/2 + g_eff^2 [(2/pi) sqrt((C0 + 2/pi)^2 - C^2) + C C^phi(C)]``
    so that ``d^2 C^x / dtau^2 = -dV/dC = C^x - g_eff^2 C^phi``.

    Parameters
    ----------
    c_x : float or ndarray
        Position ``C = C^x(tau)``.
    c_x0 : float
        Initial condition ``C0 = C^x(0)`` (the potential depends on it).
    g_eff : float
        Effective gain ``sqrt(alpha r_2)`` (Eq. 37).

    Returns
    -------
    ndarray
        ``V(C, C0)`` (units of ``C^2`` per time squared, time in neuronal
        time constants).
    """
    c = np.asarray(c_x, dtype=float)
    a = c_x0 + _TWO_OVER_PI
    return -0.5 * c**2 + g_eff**2 * (
        _TWO_OVER_PI * np.sqrt(a**2 - c**2) + c * c_phi_of_c_x(c, c_x0)
    )


def _asin_over_minus_one(u):
    """``arcsin(u)/u - 1`` without cancellation (Taylor series for |u| < 0.1)."""
    u = np.asarray(u, dtype=float)
    u2 = u * u
    # arcsin(u)/u = sum_k (2k)! / (4^k (k!)^2 (2k+1)) u^(2k); 10 terms: error < 1e-21
    series = np.zeros_like(u)
    for k in range(10, 0, -1):
        coef = math.factorial(2 * k) / (4**k * math.factorial(k) ** 2 * (2 * k + 1))
        series = (series + coef) * u2  # Horner in u^2
    small = np.abs(u) < 0.1
    safe = np.where(small, 1.0, u)
    return np.where(small, series, np.arcsin(safe) / safe - 1.0)


def _half_kinetic_over_c2(c, c0, g):
    """``(V(0, C0) - V(C, C0)) / C^2``, written without cancellation.

    Equals the kinetic energy ``(C')^2 / (2 C^2)`` on the trajectory that
    starts at rest at ``C0`` once the energy condition holds; tends to
    ``(1 - q) / 2`` as ``C -> 0``.  With ``u = C / (C0 + 2/pi)`` and
    ``q = g^2 / (1 + (pi/2) C0)``, Eq. (M2) gives
    ``(1 - q)/2 - q [arcsin(u)/u - 1 - u^2 / (2 (1 + sqrt(1 - u^2))^2)]``;
    ``1 - q = ((pi/2) C0 - (g - 1)(g + 1)) / (1 + (pi/2) C0)`` keeps relative
    precision ~ eps / (g - 1) near the transition.
    """
    a = c0 + _TWO_OVER_PI
    u = np.asarray(c, dtype=float) / a
    q = g**2 / (1.0 + _HALF_PI * c0)
    one_minus_q = (_HALF_PI * c0 - (g - 1.0) * (g + 1.0)) / (1.0 + _HALF_PI * c0)
    root = np.sqrt(1.0 - u**2)
    excess = _asin_over_minus_one(u) - u**2 / (2.0 * (1.0 + root) ** 2)  # B(u) - 1/2
    return 0.5 * one_minus_q - q * excess


def mean_phi_prime(c_x0):
    r"""Mean slope of the nonlinearity, ``<phi'> = 1/sqrt(1 + (pi/2) C^x(0))``.

    Below Eq. (M3); exact for ``phi(x) = erf(sqrt(pi) x / 2)`` and Gaussian
    ``x`` of variance ``C^x(0)``.

    Parameters
    ----------
    c_x0 : float or ndarray
        Preactivation variance ``C^x(0)``.

    Returns
    -------
    float or ndarray
        ``<phi'>`` (dimensionless, 1 in the quiescent state).
    """
    return 1.0 / np.sqrt(1.0 + _HALF_PI * np.asarray(c_x0, dtype=float))


def s_phi(omega, g_eff):
    r"""Activation response function in frequency space, Eq. (M3).

    ``S^phi(omega) = <phi'> / (1 + i omega)``.

    Parameters
    ----------
    omega : float or ndarray
        Angular frequency (inverse neuronal time constants).
    g_eff : float
        Effective gain (Eq. 37); sets ``<phi'>`` through ``C^x(0)``.

    Returns
    -------
    ndarray of complex
        ``S^phi(omega)``.
    """
    sol = _solution(float(g_eff))
    return sol.mean_phi_prime / (1.0 + 1j * np.asarray(omega, dtype=float))


@dataclass(frozen=True)
class _Solution:
    """Dense solution of the two-point problem for one ``g_eff`` (internal)."""

    g_eff: float
    c_x0: float
    c_phi0: float
    mean_phi_prime: float
    q: float  # g_eff^2 <phi'>^2, the slope of the linearised single site
    decay_rate: float  # sqrt(1 - q): C^x ~ exp(-decay_rate tau) at large tau
    tau_switch: float
    tau_end: float
    energy_residual: float
    root_residual: float
    _phase1: object = field(repr=False, compare=False)
    _phase2: object = field(repr=False, compare=False)
    _log_c_end: float = field(repr=False, compare=False, default=0.0)

    def c_x(self, tau):
        """``C^x(tau)`` at any real ``tau`` (even function)."""
        t = np.abs(np.asarray(tau, dtype=float))
        out = np.zeros_like(t)
        if self.c_x0 == 0.0:
            return out
        m1 = t <= self.tau_switch
        m2 = (~m1) & (t <= self.tau_end)
        m3 = t > self.tau_end
        if np.any(m1):
            out[m1] = self._phase1(t[m1])[0]
        if np.any(m2):
            out[m2] = np.exp(self._phase2(t[m2])[0])
        if np.any(m3):
            out[m3] = np.exp(self._log_c_end - self.decay_rate * (t[m3] - self.tau_end))
        return out

    def dc_x(self, tau):
        """``dC^x/dtau`` at ``tau >= 0``."""
        t = np.asarray(tau, dtype=float)
        out = np.zeros_like(t)
        if self.c_x0 == 0.0:
            return out
        m1 = t <= self.tau_switch
        if np.any(m1):
            out[m1] = self._phase1(t[m1])[1]
        c = self.c_x(t[~m1])
        out[~m1] = -c * np.sqrt(
            2.0 * np.maximum(_half_kinetic_over_c2(c, self.c_x0, self.g_eff), 0.0)
        )
        return out

    def c_phi(self, tau):
        """``C^phi(tau)`` at any real ``tau`` via Eq. (M1)."""
        return c_phi_of_c_x(self.c_x(tau), self.c_x0)


def _root_c_x0(g):
    """Solve the energy condition V(C0, C0) = V(0, C0) for C0 > 0 (g > 1)."""

    def mismatch(c0):  # (V(0,C0) - V(C0,C0)) / C0^2: (1 - g^2)/2 < 0 at 0+, 1/2 at inf
        return float(_half_kinetic_over_c2(c0, c0, g))

    hi = 1.0
    while mismatch(hi) < 0.0:
        hi *= 2.0
    lo = hi / 2.0
    while mismatch(lo) > 0.0:
        lo /= 2.0
    c0 = brentq(mismatch, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)
    return c0


@lru_cache(maxsize=256)
def _solution(g: float) -> _Solution:
    if not np.isfinite(g) or g < 0:
        raise ValueError(f"g_eff must be finite and non-negative, got {g}")
    if g <= 1.0:
        return _Solution(g, 0.0, 0.0, 1.0, g**2, math.sqrt(max(1.0 - g**2, 0.0)),
                         0.0, 0.0, 0.0, 0.0, None, None, -np.inf)
    c0 = _root_c_x0(g)
    mpp = float(mean_phi_prime(c0))
    q = g**2 * mpp**2
    lam = math.sqrt(2.0 * float(_half_kinetic_over_c2(0.0, c0, g)))
    a = c0 + _TWO_OVER_PI

    one_minus_q = (_HALF_PI * c0 - (g - 1.0) * (g + 1.0)) / (1.0 + _HALF_PI * c0)

    def rhs1(_t, y):
        # C - g^2 C^phi(C) = C [(1 - q) - q (arcsin(u)/u - 1)], u = C / a:
        # no cancellation of the two O(C) terms near the transition
        u = y[0] / a
        return [y[1], y[0] * (one_minus_q - q * float(_asin_over_minus_one(u)))]

    def half_way(_t, y):
        return y[0] - 0.5 * c0

    half_way.terminal = True
    half_way.direction = -1
    t_guess = 50.0 / lam  # C reaches C0/2 after ~ 2/lambda
    s1 = solve_ivp(rhs1, (0.0, t_guess), [c0, 0.0], method="DOP853", rtol=1e-13,
                   atol=1e-16 * c0, dense_output=True, events=half_way)
    if s1.status != 1:
        raise RuntimeError(f"two-point ODE did not reach C0/2 for g_eff={g}")
    t1 = float(s1.t_events[0][0])
    c1 = float(s1.y_events[0][0][0])

    def rhs2(_t, y):
        c = math.exp(y[0])
        k = float(_half_kinetic_over_c2(c, c0, g))
        return [-math.sqrt(2.0 * max(k, 0.0))]

    log_stop = math.log(c0 * _TAIL)

    def tail(_t, y):
        return y[0] - log_stop

    tail.terminal = True
    tail.direction = -1
    t2_guess = t1 + 2.0 * (math.log(c1) - log_stop) / lam + 10.0
    s2 = solve_ivp(rhs2, (t1, t2_guess), [math.log(c1)], method="DOP853", rtol=1e-13,
                   atol=1e-14, dense_output=True, events=tail)
    if s2.status != 1:
        raise RuntimeError(f"two-point tail did not decay for g_eff={g}")
    t_end = float(s2.t_events[0][0])

    # Energy bookkeeping on the Newtonian phase: E(tau) = C'^2/2 + V(C) - V(0).
    tt = np.linspace(0.0, t1, 2001)
    y = s1.sol(tt)
    kin = 0.5 * y[1] ** 2
    pot = -y[0] ** 2 * _half_kinetic_over_c2(y[0], c0, g)  # V(C) - V(0)
    scale = max(float(np.max(kin)), 0.5 * lam**2 * c1**2)
    tt2 = np.linspace(t1, t_end, 2001)
    c2 = np.exp(s2.sol(tt2)[0])
    scale = max(scale, float(np.max(c2**2 * _half_kinetic_over_c2(c2, c0, g))))
    energy_residual = float(np.max(np.abs(kin + pot))) / scale
    root_residual = abs(float(_half_kinetic_over_c2(c0, c0, g))) * c0**2 / scale
    return _Solution(g, c0, float(c_phi_of_c_x(c0, c0)), mpp, q, lam, t1, t_end,
                     energy_residual, root_residual, s1.sol, s2.sol,
                     float(s2.y_events[0][0][0]))


@dataclass(frozen=True)
class TwoPoint:
    r"""Two-point functions of the i.i.d.-mode network (App. M1).

    Attributes
    ----------
    g_eff : float
        Effective gain ``sqrt(alpha r_2)`` (Eq. 37).
    tau : ndarray
        Lags ``0, dtau, 2 dtau, ...`` (neuronal time constants).
    c_x, c_phi : ndarray
        ``C^x(tau)`` and ``C^phi(tau)`` on ``tau``.
    c_x0, c_phi0 : float
        Equal-time variances ``C^x(0)``, ``C^phi(0)``.
    mean_phi_prime : float
        ``<phi'> = 1/sqrt(1 + (pi/2) C^x(0))``.
    energy_residual : float
        ``max_tau |C'^2/2 + V(C) - V(0)|`` over the integrated trajectory,
        relative to the largest kinetic energy; includes the residual of the
        energy condition at ``tau = 0``.  Zero in the quiescent state.
    decay_rate : float
        ``lambda = sqrt(1 - g_eff^2 <phi'>^2)``; ``C^x ~ exp(-lambda tau)``.
    dc_x : ndarray
        ``dC^x/dtau`` on ``tau``.
    """

    g_eff: float
    tau: np.ndarray
    c_x: np.ndarray
    c_phi: np.ndarray
    c_x0: float
    c_phi0: float
    mean_phi_prime: float
    energy_residual: float
    decay_rate: float
    dc_x: np.ndarray


def two_point(g_eff, *, tau_max=None, dtau=None):
    r"""Solve the DMFT two-point problem (App. M1, Eqs. M1-M3).

    ``C^x'' = C^x - g_eff^2 C^phi(C^x)`` with ``C^x'(0) = 0``,
    ``C^x -> 0`` as ``tau -> infinity``; ``C^x(0)`` from the energy condition
    ``V(C0, C0) = V(0, C0)`` (Eq. M2) by bracketed root finding to machine
    precision, then the trajectory by the two-phase DOP853 integration
    described in the module docstring.  For ``g_eff <= 1`` the only solution
    is the quiescent state and all correlation functions are returned as
    zeros (with ``<phi'> = 1``).

    Parameters
    ----------
    g_eff : float
        Effective gain (Eq. 37), ``>= 0``.
    tau_max : float, optional
        Largest lag returned.  Default: the lag at which
        ``C^x(tau) / C^x(0)`` has decayed to ``1e-16`` (at least 20).
    dtau : float, optional
        Lag spacing of the returned arrays (neuronal time constants).
        Default 0.01, coarsened if needed so that at most ``10^6 + 1``
        samples are returned.  The values are samples of the dense solution,
        so ``dtau`` does not affect their accuracy.

    Returns
    -------
    TwoPoint
        Frozen dataclass with the sampled solution.
    """
    sol = _solution(float(g_eff))
    if tau_max is None:
        if sol.c_x0 > 0:
            tau_max = max(20.0, sol.tau_switch + math.log(0.5 / 1e-16) / sol.decay_rate)
        else:
            tau_max = 20.0
    if dtau is None:
        dtau = max(0.01, tau_max / 1e6)
    n = int(round(tau_max / dtau)) + 1
    tau = dtau * np.arange(n)
    cx = sol.c_x(tau)
    return TwoPoint(float(g_eff), tau, cx, c_phi_of_c_x(cx, sol.c_x0), sol.c_x0,
                    sol.c_phi0, sol.mean_phi_prime,
                    max(sol.energy_residual, sol.root_residual), sol.decay_rate,
                    sol.dc_x(tau))


# ---------------------------------------------------------------------------
# Quadrature helpers
# ---------------------------------------------------------------------------


def _em_corrections(m: int) -> np.ndarray:
    """Euler-Maclaurin left-end corrections (in units of h) from m nodes.

    ``int_0^inf f = h [f_0/2 + f_1 + ...] + h sum_j a_j f_j + O(h^m)`` for
    ``f`` smooth on ``[0, inf)`` and decayed at the far end: the odd
    derivatives ``f^(2k-1)(0)`` of the Euler-Maclaurin series
    ``sum_k B_2k h^2k / (2k)! f^(2k-1)(0)`` are replaced by one-sided finite
    differences on nodes ``0..m-1`` (computed in exact rational arithmetic).
    """
    return np.array(_em_corrections_exact(m))


@lru_cache(maxsize=8)
def _em_corrections_exact(m: int):
    """Exact rational version of :func:`_em_corrections` (as floats)."""
    # Bernoulli numbers B_{2k} via the Akiyama-Tanigawa algorithm (exact).
    def bernoulli(n):
        a = [Fraction(0)] * (n + 1)
        for i in range(n + 1):
            a[i] = Fraction(1, i + 1)
            for j in range(i, 0, -1):
                a[j - 1] = j * (a[j - 1] - a[j])
        return a[0]  # B_n with B_1 = +1/2 (irrelevant: only even n used)

    # finite-difference weights d^{(r)}_j: sum_j d_j j^i = r! delta_{ir}
    def fd_weights(r):
        mat = [[Fraction(j) ** i for j in range(m)] for i in range(m)]
        rhs = [Fraction(math.factorial(r)) if i == r else Fraction(0) for i in range(m)]
        # Gaussian elimination in exact arithmetic
        n = m
        aug = [row[:] + [rhs[i]] for i, row in enumerate(mat)]
        for col in range(n):
            piv = next(r_ for r_ in range(col, n) if aug[r_][col] != 0)
            aug[col], aug[piv] = aug[piv], aug[col]
            pv = aug[col][col]
            aug[col] = [v / pv for v in aug[col]]
            for r_ in range(n):
                if r_ != col and aug[r_][col] != 0:
                    f = aug[r_][col]
                    aug[r_] = [v - f * w for v, w in zip(aug[r_], aug[col])]
        return [aug[i][n] for i in range(n)]

    corr = [Fraction(0)] * m
    k = 1
    while 2 * k - 1 < m:
        coef = bernoulli(2 * k) / math.factorial(2 * k)
        d = fd_weights(2 * k - 1)
        corr = [c + coef * dj for c, dj in zip(corr, d)]
        k += 1
    return tuple(float(c) for c in corr)


def _left_weights(n: int, h: float, m: int = _EM_ORDER) -> np.ndarray:
    """Weights for ``int_0^inf f`` on ``0, h, ..., (n-1) h`` (far end decayed)."""
    w = np.full(n, h)
    w[0] = 0.5 * h
    a = _em_corrections(m)
    w[: len(a)] += h * a
    return w


def _gauss_panels(edges, n_per_panel):
    x, w = np.polynomial.legendre.leggauss(n_per_panel)
    lo = np.asarray(edges[:-1])[:, None]
    hi = np.asarray(edges[1:])[:, None]
    nodes = 0.5 * (hi - lo) * x[None, :] + 0.5 * (hi + lo)
    weights = 0.5 * (hi - lo) * w[None, :]
    return nodes.ravel(), weights.ravel()


def _gamma_kernel(n, t):
    """``gamma_n(t) = t^(n-1) exp(-t) / (n-1)!`` for t >= 0 (inverse FT of s^n)."""
    t = np.asarray(t, dtype=float)
    if n == 1:
        return np.exp(-t)
    with np.errstate(divide="ignore"):
        return np.where(t > 0, np.exp((n - 1) * np.log(np.where(t > 0, t, 1.0)) - t
                                      - gammaln(n)), 0.0)


def _cos_weights(n: int, h: float) -> np.ndarray:
    """Trapezoid weights for ``int_{-inf}^{inf} f`` of an even smooth ``f`` from
    samples on ``0, h, ...`` (spectrally accurate: the even extension is smooth)."""
    w = np.full(n, 2.0 * h)
    w[0] = h
    return w


def _chunks(n_rows: int, n_cols: int, budget: int = 2_000_000):
    step = max(1, budget // max(n_rows, 1))
    for i in range(0, n_cols, step):
        yield slice(i, min(i + step, n_cols))


# ---------------------------------------------------------------------------
# Four-point functions
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FourPointConstants:
    r"""Equal-time four-point quantities for one ``g_eff`` (Eqs. 26, 38, 43, I22).

    ``Psi^a(0, 0) = psi_a_iid + psi_a_rank / (alpha PR^D)`` exactly, for
    ``a in {phi, x}``; the dimension is ``PR^a = C^a(0)^2 / Psi^a(0, 0)``
    (Eq. 26), so ``1/PR^a = 1/pr_a_iid + 1/(k_a alpha PR^D)``.

    Attributes
    ----------
    g_eff, c_x0, c_phi0, mean_phi_prime : float
        Gain and two-point quantities (see :class:`TwoPoint`).
    psi_phi_iid, psi_phi_rank, psi_x_iid, psi_x_rank : float
        The two parts of ``Psi^a(0, 0)`` (units of ``C^2``).
    pr_phi_iid, pr_x_iid : float
        i.i.d.-coupling dimensions ``C^a(0)^2 / psi_a_iid`` (Eq. E5, E6).
    k_phi, k_x : float
        Low-rank constants ``C^a(0)^2 / psi_a_rank`` (Eq. 43).
    grid : dict
        The quadrature settings actually used.
    """

    g_eff: float
    c_x0: float
    c_phi0: float
    mean_phi_prime: float
    psi_phi_iid: float
    psi_phi_rank: float
    psi_x_iid: float
    psi_x_rank: float
    pr_phi_iid: float
    k_phi: float
    pr_x_iid: float
    k_x: float
    grid: dict = field(compare=False, repr=False)


def _phi_width(sol: _Solution) -> float:
    """RMS angular frequency of C^phi: sqrt(-C^phi''(0) / C^phi(0))."""
    a = sol.c_x0 + _TWO_OVER_PI
    cxx0 = sol.c_x0 - sol.g_eff**2 * sol.c_phi0  # C^x''(0) from the ODE
    cpp0 = _TWO_OVER_PI * cxx0 / math.sqrt(a**2 - sol.c_x0**2)
    return math.sqrt(max(-cpp0 / sol.c_phi0, 0.0))


def _resolve_grid(sol: _Solution, dtau, tau_max, omega_nodes, omega_max) -> tuple:
    w = _phi_width(sol)
    if omega_max is None:
        # 40 RMS widths of C^phi(omega): beyond, C(omega) (and the peeled
        # integrands, ~ omega^-6 C(omega)) are negligible
        omega_max = float(min(max(40.0 * w, 1.0), 400.0))
    if dtau is None:
        # resolve C^phi near tau = 0 (scale 1/w), avoid aliasing of the cosine
        # transforms at omega_max, and keep |beta| dtau <= 0.1 for the
        # endpoint-corrected Laplace transforms
        om = np.linspace(0.0, omega_max, 257)
        beta_max = float(np.max(np.abs(1.0 - sol.q / (1.0 + 1j * om))))
        dtau = float(min(0.05 / w, math.pi / (3.0 * omega_max), 0.1 / beta_max))
    if tau_max is None:
        tau_max = sol.tau_end
    if omega_nodes is None:
        omega_nodes = 16
    return float(dtau), float(tau_max), int(omega_nodes), float(omega_max)


def _omega_nodes(sol: _Solution, n_per_panel: int, omega_max: float, ratio: float = 1.5):
    """Composite Gauss-Legendre nodes on [0, omega_max], geometric panels."""
    a0 = 0.25 * min(1.0, sol.decay_rate)
    edges = [0.0, a0]
    while edges[-1] * ratio < omega_max:
        edges.append(edges[-1] * ratio)
    edges.append(omega_max)
    return _gauss_panels(np.array(edges), n_per_panel)


@dataclass(frozen=True)
class _Spectral:
    """Time grid, frequency nodes and transforms shared by the four-point code."""

    tau: np.ndarray
    c_x: np.ndarray
    c_phi: np.ndarray
    omega: np.ndarray
    w_omega: np.ndarray
    cw_x: np.ndarray  # C^x(omega) at the nodes
    cw_phi: np.ndarray
    lap_x: np.ndarray  # int_0^inf C^x(t) exp(-beta t) dt at beta(omega)
    lap_phi: np.ndarray
    b_x: np.ndarray  # b_n = int_0^inf C(t) gamma_n(t) dt, n = 1.._N_PEEL
    b_phi: np.ndarray


@lru_cache(maxsize=64)
def _spectral(g: float, dtau: float, tau_max: float, n_gl: int, omega_max: float) -> _Spectral:
    sol = _solution(g)
    n = int(math.ceil(tau_max / dtau)) + 1
    tau = dtau * np.arange(n)
    cx = sol.c_x(tau)
    cphi = c_phi_of_c_x(cx, sol.c_x0)
    om, w_om = _omega_nodes(sol, n_gl, omega_max)
    beta = 1.0 - sol.q / (1.0 + 1j * om)
    wl = _left_weights(n, dtau)
    wc = _cos_weights(n, dtau)
    cw_x = np.empty(om.size)
    cw_phi = np.empty(om.size)
    lap_x = np.empty(om.size, dtype=complex)
    lap_phi = np.empty(om.size, dtype=complex)
    ax, aphi = wc * cx, wc * cphi
    lx, lphi = wl * cx, wl * cphi
    for sl in _chunks(n, om.size):
        cosm = np.cos(np.outer(tau, om[sl]))
        cw_x[sl] = ax @ cosm
        cw_phi[sl] = aphi @ cosm
        ex = np.exp(-np.outer(tau, beta[sl]))
        lap_x[sl] = lx @ ex
        lap_phi[sl] = lphi @ ex
    gam = np.array([_gamma_kernel(k, tau) for k in range(1, _N_PEEL + 1)])
    return _Spectral(tau, cx, cphi, om, w_om, cw_x, cw_phi, lap_x, lap_phi,
                     gam @ lx, gam @ lphi)


def _t_term(sol, sp, cw, lap, b):
    r"""``T = int dw/(2pi)^2 C1 C2 Re[z/(1-z)]`` (the cross term of 1/|1-z|^2)."""
    s = 1.0 / (1.0 + 1j * sp.omega)
    k = np.arange(1, _N_PEEL + 1)
    peel_w = (sol.q * s[:, None]) ** k[None, :] @ b  # low orders, summed exactly below
    rem = np.real(sol.q * s * lap - peel_w)
    return float(np.sum(sol.q**k * b**2) + np.sum(sp.w_omega * cw * rem) / math.pi)


@lru_cache(maxsize=256)
def _four_point_cached(g: float, dtau: float, tau_max: float, n_gl: int,
                       omega_max: float) -> FourPointConstants:
    sol = _solution(g)
    grid = dict(dtau=dtau, tau_max=tau_max, omega_nodes=n_gl, omega_max=omega_max)
    if sol.c_x0 == 0.0:
        nan = float("nan")
        return FourPointConstants(g, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, nan, nan, nan,
                                  nan, grid)
    sp = _spectral(g, dtau, tau_max, n_gl, omega_max)
    t_x = _t_term(sol, sp, sp.cw_x, sp.lap_x, sp.b_x)
    t_phi = _t_term(sol, sp, sp.cw_phi, sp.lap_phi, sp.b_phi)
    sig = sol.q / (1.0 + 1j * sp.omega)
    beta = 1.0 - sig
    y = float(np.sum(sp.w_omega * sp.cw_x * np.abs(sig) ** 2 / beta.real
                     * sp.lap_x.real) / math.pi)
    j_x = sol.c_x0**2 + 2.0 * t_x + y  # int dw/(2pi)^2 C^x_12 / |1 - z|^2
    m4 = sol.mean_phi_prime**4
    psi_phi_iid = sol.c_phi0**2 + 2.0 * t_phi + m4 * j_x
    psi_phi_rank = m4 * j_x
    psi_x_iid = sol.c_x0**2 + 2.0 * t_x + j_x
    psi_x_rank = j_x
    return FourPointConstants(
        g, sol.c_x0, sol.c_phi0, sol.mean_phi_prime, psi_phi_iid, psi_phi_rank,
        psi_x_iid, psi_x_rank, sol.c_phi0**2 / psi_phi_iid, sol.c_phi0**2 / psi_phi_rank,
        sol.c_x0**2 / psi_x_iid, sol.c_x0**2 / psi_x_rank, grid)


def four_point_constants(g_eff, *, dtau=None, tau_max=None, omega_nodes=None,
                         omega_max=None) -> FourPointConstants:
    r"""Equal-time four-point function split into i.i.d. and rank parts.

    Evaluates ``Psi^a(0, 0) = int d omega_1 d omega_2 / (2 pi)^2 Psi^a(omega)``
    for activations (Eq. 38) and preactivations (Eq. I22) in the form
    ``Psi^a(0,0) = psi_a_iid + psi_a_rank / (alpha PR^D)``.  With
    ``q = g_eff^2 <phi'>^2``, ``s = 1/(1+i omega)``, ``z = q s_1 s_2``:

    * ``psi_phi_iid = int C^phi_12 / |1 - z|^2`` (Eq. E5),
      ``psi_phi_rank = int |z|^2 C^phi_12 / |1 - z|^2 = <phi'>^4 J``;
    * ``psi_x_iid = int [C^x_12 + 2 Re(U C^{x phi}_12) + |U|^2 C^phi_12]``
      (Eq. E6, with ``C^{x phi} = <phi'> C^x`` by Price's theorem),
      ``psi_x_rank = int |U|^2 C^phi_12 = J``;

    where ``J = int C^x_12 / |1 - z|^2`` and ``C^x(omega) = g_eff^2
    |s|^2 C^phi(omega)`` were used.  Results are cached per argument set.

    Parameters
    ----------
    g_eff : float
        Effective gain (Eq. 37).
    dtau : float, optional
        Lag step of the internal time grid (neuronal time constants).
        Default resolves both the width of ``C^phi`` near ``tau = 0`` and
        the largest frequency node.
    tau_max : float, optional
        Extent of the time grid.  Default: where ``C^x / C^x(0) = 1e-18``.
    omega_nodes : int, optional
        Gauss-Legendre nodes per frequency panel (default 16).
    omega_max : float, optional
        Upper end of the frequency quadrature (inverse time constants).

    Returns
    -------
    FourPointConstants
        ``NaN`` dimensions and constants for ``g_eff <= 1`` (quiescent state,
        where ``C = Psi = 0`` and ``PR`` is undefined).
    """
    sol = _solution(float(g_eff))
    if sol.c_x0 == 0.0:
        return _four_point_cached(float(g_eff), 0.0, 0.0, 0, 0.0)
    return _four_point_cached(float(g_eff), *_resolve_grid(sol, dtau, tau_max,
                                                           omega_nodes, omega_max))


def _check_variable(variable: str) -> str:
    if variable not in ("phi", "x"):
        raise ValueError(f"variable must be 'phi' or 'x', got {variable!r}")
    return variable


def _per_g(g_eff, fn):
    """Apply ``fn(float g)`` elementwise, returning a float for scalar input."""
    g = np.asarray(g_eff, dtype=float)
    out = np.array([fn(float(v)) for v in g.ravel()], dtype=float).reshape(g.shape)
    return float(out) if out.ndim == 0 else out


def four_point_zero(g_eff, eff_rank, *, variable="phi"):
    r"""Equal-time four-point function ``Psi^a(0, 0)`` (Eqs. 38, I22).

    ``Psi^a(0, 0) = psi_a_iid + psi_a_rank / (alpha PR^D)``; see
    :func:`four_point_constants`.

    Parameters
    ----------
    g_eff : float
        Effective gain (Eq. 37).
    eff_rank : float or ndarray
        Effective rank ``alpha PR^D`` (Eq. 12), ``> 0``; ``np.inf`` gives
        i.i.d. couplings.
    variable : {"phi", "x"}
        Activations (Eq. 38) or preactivations (Eq. I22).

    Returns
    -------
    float or ndarray
        ``Psi^a(0, 0)`` (units of ``C^2``).
    """
    f = four_point_constants(g_eff)
    v = _check_variable(variable)
    iid, rank = (f.psi_phi_iid, f.psi_phi_rank) if v == "phi" else (f.psi_x_iid, f.psi_x_rank)
    r = np.asarray(eff_rank, dtype=float)
    with np.errstate(divide="ignore"):
        out = iid + rank / r
    return float(out) if out.ndim == 0 else out


def pr_iid(g_eff, *, variable="phi"):
    r"""Dimension of activity for i.i.d. couplings, ``alpha PR^D -> infinity``.

    ``PR^a_iid = C^a(0)^2 / Psi^a_iid(0, 0)`` with ``Psi`` from Eq. (E5)
    (activations) or Eq. (E6) (preactivations) at ``g = g_eff``.

    Parameters
    ----------
    g_eff : float or ndarray
        Effective gain (Eq. 37).
    variable : {"phi", "x"}
        Activations or preactivations.

    Returns
    -------
    float or ndarray
        ``PR^a_iid`` (dimensionless, in ``(0, 1)``); NaN for ``g_eff <= 1``.
    """
    v = _check_variable(variable)
    return _per_g(g_eff, lambda g: getattr(four_point_constants(g), f"pr_{v}_iid"))


def k_constant(g_eff, *, variable="phi"):
    r"""Low-effective-rank slope ``K^a(g_eff)``, Eq. (43).

    ``K^a = C^a(0)^2 [int d omega |g_eff^2 S^a_12 / (1 - g_eff^2 S^phi_12)|^2
    C^phi_12]^{-1}`` (``int d omega`` includes ``(2 pi)^{-2}``), so that
    ``PR^a = K^a alpha PR^D`` as ``alpha PR^D -> 0`` (Eq. 42).

    Parameters
    ----------
    g_eff : float or ndarray
        Effective gain (Eq. 37).
    variable : {"phi", "x"}
        Activations or preactivations.

    Returns
    -------
    float or ndarray
        ``K^a`` (dimensionless); NaN for ``g_eff <= 1``.
    """
    v = _check_variable(variable)
    return _per_g(g_eff, lambda g: getattr(four_point_constants(g), f"k_{v}"))


def k_over_pr_iid(g_eff, *, variable="phi"):
    r"""Ratio ``K^a(g_eff) / PR^a_iid(g_eff)`` (Fig. 10a inset).

    Tends to 1 as ``g_eff -> 1+`` (Eq. 41) and, for activations, to about
    1.53 at large ``g_eff`` (Sec. V).

    Parameters
    ----------
    g_eff : float or ndarray
        Effective gain (Eq. 37).
    variable : {"phi", "x"}
        Activations or preactivations.

    Returns
    -------
    float or ndarray
        The ratio (dimensionless); NaN for ``g_eff <= 1``.
    """
    v = _check_variable(variable)

    def one(g):
        f = four_point_constants(g)
        return getattr(f, f"k_{v}") / getattr(f, f"pr_{v}_iid")

    return _per_g(g_eff, one)


def dimension(g_eff, eff_rank, *, variable="phi"):
    r"""Dimension of activity ``PR^a`` of the random-mode model, Eqs. (26), (38).

    Uses the exact rearrangement of Eq. (38) (and Eq. I22)
    ``1/PR^a = 1/PR^a_iid(g_eff) + 1/(K^a(g_eff) alpha PR^D)``.

    Parameters
    ----------
    g_eff : float
        Effective gain (Eq. 37).
    eff_rank : float or ndarray
        Effective rank ``alpha PR^D`` (Eq. 12); ``np.inf`` for i.i.d.
        couplings, ``0`` gives ``PR = 0``.
    variable : {"phi", "x"}
        Activations or preactivations.

    Returns
    -------
    float or ndarray
        ``PR^a`` (dimensionless); NaN for ``g_eff <= 1``.
    """
    v = _check_variable(variable)
    f = four_point_constants(g_eff)
    p, k = getattr(f, f"pr_{v}_iid"), getattr(f, f"k_{v}")
    r = np.asarray(eff_rank, dtype=float)
    with np.errstate(divide="ignore"):
        out = 1.0 / (1.0 / p + 1.0 / (k * r))
    return float(out) if out.ndim == 0 else out


# ---------------------------------------------------------------------------
# Frequency-domain functions
# ---------------------------------------------------------------------------


def c_omega(g_eff, omega, *, variable="phi"):
    r"""Power spectrum ``C^a(omega) = int dtau exp(-i omega tau) C^a(tau)``.

    Cosine transform of the dense two-point solution (App. M1) by the
    trapezoid rule on the internal grid (spectrally accurate for the even,
    smooth ``C^a``).  ``C^x(omega) = g_eff^2 C^phi(omega) / (1 + omega^2)``
    holds to quadrature accuracy.

    Parameters
    ----------
    g_eff : float
        Effective gain (Eq. 37).
    omega : float or ndarray
        Angular frequencies (inverse neuronal time constants); keep
        ``|omega|`` below ``pi / dtau`` of the internal grid.
    variable : {"phi", "x"}
        Activations or preactivations.

    Returns
    -------
    ndarray
        ``C^a(omega)`` (units of ``C`` times time); zeros for ``g_eff <= 1``.
    """
    v = _check_variable(variable)
    sol = _solution(float(g_eff))
    om = np.asarray(omega, dtype=float)
    if sol.c_x0 == 0.0:
        return np.zeros_like(om)
    dtau, tau_max, n_gl, om_max = _resolve_grid(sol, None, None, None, None)
    sp = _spectral(float(g_eff), dtau, tau_max, n_gl, om_max)
    c = sp.c_phi if v == "phi" else sp.c_x
    a = _cos_weights(c.size, dtau) * c
    flat = om.ravel()
    out = np.empty(flat.size)
    for sl in _chunks(c.size, flat.size):
        out[sl] = a @ np.cos(np.outer(sp.tau, flat[sl]))
    return out.reshape(om.shape)


def psi_omega(omega1, omega2, g_eff, eff_rank, *, variable="phi"):
    r"""Four-point function in frequency space, Eq. (38) or Eq. (I22).

    Activations (Eq. 38)::

        Psi^phi = (1 + |g^2 S12|^2 / (alpha PR^D)) / |1 - g^2 S12|^2 * C^phi_12

    Preactivations (Eq. I22)::

        Psi^x = C^x_12 + (1 + 1/(alpha PR^D)) |U|^2 C^phi_12 + U C^{x phi}_12 + c.c.

    with ``S12 = S^phi(w1) S^phi(w2)``, ``C_12 = C(w1) C(w2)``,
    ``U = g^2 S^x_12 / (1 - g^2 S^phi_12)``, ``S^x = 1/(1 + i w)``,
    ``C^{x phi} = <phi'> C^x`` (Price's theorem) and ``g = g_eff``.

    Parameters
    ----------
    omega1, omega2 : float or ndarray
        Angular frequencies (broadcast together).
    g_eff : float
        Effective gain (Eq. 37).
    eff_rank : float
        Effective rank ``alpha PR^D``; ``np.inf`` for i.i.d. couplings.
    variable : {"phi", "x"}
        Activations or preactivations.

    Returns
    -------
    ndarray
        ``Psi^a(omega1, omega2)`` (real; units of ``C^2`` times time squared).
    """
    v = _check_variable(variable)
    w1, w2 = np.broadcast_arrays(np.asarray(omega1, float), np.asarray(omega2, float))
    sol = _solution(float(g_eff))
    kappa = 1.0 / float(eff_rank)
    g2 = float(g_eff) ** 2
    s12 = s_phi(w1, g_eff) * s_phi(w2, g_eff)
    cphi12 = c_omega(g_eff, w1, variable="phi") * c_omega(g_eff, w2, variable="phi")
    if v == "phi":
        return (1.0 + kappa * np.abs(g2 * s12) ** 2) / np.abs(1.0 - g2 * s12) ** 2 * cphi12
    cx12 = c_omega(g_eff, w1, variable="x") * c_omega(g_eff, w2, variable="x")
    sx12 = 1.0 / ((1.0 + 1j * w1) * (1.0 + 1j * w2))
    u = g2 * sx12 / (1.0 - g2 * s12)
    cxphi12 = sol.mean_phi_prime**2 * cx12
    return cx12 + (1.0 + kappa) * np.abs(u) ** 2 * cphi12 + 2.0 * np.real(u * cxphi12)


# ---------------------------------------------------------------------------
# Four-point function along (tau, 0)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _TauParts:
    tau: np.ndarray
    l_phi: np.ndarray  # FT^-1[C^phi_12 (1 + 2 Re w)](tau, 0)
    l_x: np.ndarray  # FT^-1[C^x_12 (1 + 2 Re w)](tau, 0)
    y: np.ndarray  # FT^-1[C^x_12 |w|^2](tau, 0);  J = l_x + y


def _symmetric_weights(half_len: int, h: float) -> np.ndarray:
    """Weights for ``int_{-inf}^{inf} f`` with ``f`` smooth on each side of 0."""
    a = _em_corrections(_EM_ORDER)
    w = np.ones(2 * half_len + 1)
    mid = half_len
    w[mid] = 1.0 + 2.0 * a[0]
    for j in range(1, len(a)):
        w[mid + j] += a[j]
        w[mid - j] += a[j]
    return h * w


@lru_cache(maxsize=64)
def _tau_parts(g: float, tau_out: float, dtau: float, tau_max: float, n_gl: int,
               omega_max: float) -> _TauParts:
    """``Psi`` building blocks on ``tau = 0, dtau, ..`` up to ``tau_out``.

    The ``omega_2`` integral is linear, so it is done first, giving
    even time-domain kernels (``u = |v|``)::

        h_a(u) = int domega_2/(2 pi) C^a(omega_2) sigma exp(-beta u)
               = int_0^inf k(u, u2) C^a(u2) du2,
               k(u1, u2) = q exp(-u1 - u2) I_0(2 sqrt(q u1 u2))  (FT^-1 of z/(1-z)),
        y(u)   = int domega_2/(2 pi) C^x(omega_2) |sigma|^2 / (2 Re beta) exp(-beta u),

    and then ``FT^-1[C^a_12 (1 + 2 Re w)](tau, 0) = C^a(tau) C^a(0) + (h_a * C^a)(tau)``
    and ``FT^-1[C^x_12 |w|^2](tau, 0) = (y * C^x)(tau)`` are three FFT
    convolutions.  The low orders of ``h_a`` (``sum_n q^n b_n gamma_n(u)``)
    are added in closed form so that the frequency remainder decays fast.
    """
    sol = _solution(g)
    sp = _spectral(g, dtau, tau_max, n_gl, omega_max)
    h, n = dtau, sp.tau.size
    m_out = int(math.ceil(tau_out / h)) + 4
    jk = n - 1 + m_out  # kernel half-length: |v| <= tau_max + tau_out
    u = h * np.arange(jk + 1)
    s = 1.0 / (1.0 + 1j * sp.omega)
    sig = sol.q * s
    beta = 1.0 - sig
    orders = np.arange(1, _N_PEEL + 1)
    qs = (sol.q * s[:, None]) ** orders[None, :]  # (n_omega, n_peel)
    gam = np.array([_gamma_kernel(k, u) for k in orders])  # (n_peel, jk + 1)
    wc = {"x": sp.w_omega * sp.cw_x / math.pi, "phi": sp.w_omega * sp.cw_phi / math.pi}
    wy = sp.w_omega * sp.cw_x * np.abs(sig) ** 2 / (2.0 * beta.real) / math.pi
    kern = {"x": gam.T @ (sol.q**orders * sp.b_x), "phi": gam.T @ (sol.q**orders * sp.b_phi),
            "y": np.zeros(jk + 1)}
    for sl in _chunks(sp.omega.size, jk + 1):
        e = np.exp(-np.outer(u[sl], beta))  # (chunk, n_omega)
        peel = gam[:, sl].T @ qs.T  # (chunk, n_omega)
        rem = np.real(e * sig[None, :] - peel)
        kern["x"][sl] += rem @ wc["x"]
        kern["phi"][sl] += rem @ wc["phi"]
        kern["y"][sl] += np.real(e) @ wy
    wk = _symmetric_weights(jk, h)
    c_even = {"x": np.concatenate([sp.c_x[:0:-1], sp.c_x]),
              "phi": np.concatenate([sp.c_phi[:0:-1], sp.c_phi])}
    nfft = sfft.next_fast_len(c_even["x"].size + 2 * jk)
    out_idx = np.arange(m_out + 1) + (n - 1) + jk  # full-convolution index of tau_m

    def convolve(k_half, c):
        k_full = np.concatenate([k_half[:0:-1], k_half]) * wk
        return sfft.irfft(sfft.rfft(k_full, nfft) * sfft.rfft(c, nfft), nfft)[out_idx]

    tau = h * np.arange(m_out + 1)
    l_x = sp.c_x[: m_out + 1] * sp.c_x[0] + convolve(kern["x"], c_even["x"])
    l_phi = sp.c_phi[: m_out + 1] * sp.c_phi[0] + convolve(kern["phi"], c_even["phi"])
    y = convolve(kern["y"], c_even["x"])
    return _TauParts(tau, l_phi, l_x, y)


def psi_tau(g_eff, eff_rank, tau, *, variable="phi", dtau=None):
    r"""Four-point function ``Psi^a(tau, 0)`` along the first lag, Eqs. (38), (I22).

    Inverse Fourier transform over ``omega_1`` at lag ``tau`` with
    ``omega_2`` integrated (``tau_2 = 0``).  By Eq. (28) this is the
    eigenvalue-squared-weighted autocorrelation of the principal components.
    ``Psi^a(tau, 0)`` is even in ``tau``.

    Parameters
    ----------
    g_eff : float
        Effective gain (Eq. 37).
    eff_rank : float
        Effective rank ``alpha PR^D``; ``np.inf`` for i.i.d. couplings.
    tau : float or ndarray
        Lags (neuronal time constants).
    variable : {"phi", "x"}
        Activations or preactivations.
    dtau : float, optional
        Internal lag step (default as in :func:`four_point_constants`).

    Returns
    -------
    ndarray
        ``Psi^a(tau, 0)`` (units of ``C^2``); zeros for ``g_eff <= 1``.
    """
    v = _check_variable(variable)
    t = np.abs(np.asarray(tau, dtype=float))
    sol = _solution(float(g_eff))
    if sol.c_x0 == 0.0:
        return np.zeros_like(t)
    grid = _resolve_grid(sol, dtau, None, None, None)
    tau_out = float(max(10.0, 5.0 * math.ceil(float(np.max(t, initial=0.0)) / 5.0)))
    parts = _tau_parts(float(g_eff), tau_out, *grid)
    kappa = 1.0 / float(eff_rank)
    j = parts.l_x + parts.y
    if v == "phi":
        curve = parts.l_phi + (1.0 + kappa) * sol.mean_phi_prime**4 * j
    else:
        curve = parts.l_x + (1.0 + kappa) * j
    # quintic spline through the even extension (Psi(tau, 0) is even in tau)
    tt = np.concatenate([-parts.tau[:0:-1], parts.tau])
    cc = np.concatenate([curve[:0:-1], curve])
    return make_interp_spline(tt, cc, k=5)(t)


def normalized_psi_phi_tau(g_eff, eff_rank, tau):
    r"""Normalized activation four-point function ``Psi^phi(tau, 0) / Psi^phi(0, 0)``.

    The quantity of Fig. 4(b); see :func:`psi_tau` (Eq. 38).

    Parameters
    ----------
    g_eff : float
        Effective gain (Eq. 37).
    eff_rank : float
        Effective rank ``alpha PR^D``.
    tau : float or ndarray
        Lags (neuronal time constants).

    Returns
    -------
    ndarray
        The normalized function (dimensionless, 1 at ``tau = 0``).
    """
    t = np.asarray(tau, dtype=float)
    vals = psi_tau(g_eff, eff_rank, np.concatenate([[0.0], t.ravel()]))
    return (vals[1:] / vals[0]).reshape(t.shape)


def four_point_fft(g_eff, eff_rank, *, variable="phi", tau_max=50.0, dtau=0.05):
    r"""Brute-force ``Psi^a(tau, 0)`` on a two-dimensional FFT grid (App. M1).

    The paper's procedure: sample ``C^a(tau)`` on a periodic grid, FFT,
    evaluate Eq. (38) / Eq. (I22) on the full ``(omega_1, omega_2)`` grid and
    transform back.  Cost and memory grow as ``(2 tau_max / dtau)^2``; this
    is an independent check of :func:`four_point_constants` and
    :func:`psi_tau`, not the production path.

    Parameters
    ----------
    g_eff : float
        Effective gain (Eq. 37), ``> 1``.
    eff_rank : float
        Effective rank ``alpha PR^D``; ``np.inf`` for i.i.d. couplings.
    variable : {"phi", "x"}
        Activations or preactivations.
    tau_max : float
        Half-period of the grid (neuronal time constants).
    dtau : float
        Grid step.

    Returns
    -------
    tau : ndarray
        Lags ``0 .. tau_max`` (step ``dtau``).
    psi : ndarray
        ``Psi^a(tau, 0)`` on ``tau``.
    """
    v = _check_variable(variable)
    sol = _solution(float(g_eff))
    if sol.c_x0 == 0.0:
        raise ValueError("g_eff <= 1: quiescent state, no four-point function")
    n = 2 * int(round(tau_max / dtau))
    t = (np.arange(n) - n // 2) * dtau
    cx = sol.c_x(t)
    spec = {"x": np.real(np.fft.fft(np.fft.ifftshift(cx))) * dtau,
            "phi": np.real(np.fft.fft(np.fft.ifftshift(c_phi_of_c_x(cx, sol.c_x0)))) * dtau}
    om = 2.0 * math.pi * np.fft.fftfreq(n, dtau)
    g2 = float(g_eff) ** 2
    sphi = sol.mean_phi_prime / (1.0 + 1j * om)
    sx = 1.0 / (1.0 + 1j * om)
    kappa = 1.0 / float(eff_rank)
    rows = np.empty(n)
    for sl in _chunks(n, n, budget=4_000_000):
        s12 = sphi[sl, None] * sphi[None, :]
        cphi12 = spec["phi"][sl, None] * spec["phi"][None, :]
        if v == "phi":
            psi = (1.0 + kappa * np.abs(g2 * s12) ** 2) / np.abs(1.0 - g2 * s12) ** 2 * cphi12
        else:
            cx12 = spec["x"][sl, None] * spec["x"][None, :]
            u = g2 * sx[sl, None] * sx[None, :] / (1.0 - g2 * s12)
            psi = (cx12 + (1.0 + kappa) * np.abs(u) ** 2 * cphi12
                   + 2.0 * np.real(u * sol.mean_phi_prime**2 * cx12))
        rows[sl] = psi.sum(axis=1) / (n * dtau)
    curve = np.real(np.fft.ifft(rows)) / dtau
    m = n // 2
    return dtau * np.arange(m + 1), curve[: m + 1]


# ---------------------------------------------------------------------------
# Limits (Sec. V)
# ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def transition_constant() -> float:
    r"""Constant ``c`` of ``PR^a_iid ~ c (g_eff - 1)^3`` as ``g_eff -> 1+``.

    The paper states the power law (Sec. V, from Ref. [39]) without the
    prefactor; derived here.  With ``epsilon = g_eff - 1``, expanding Eqs.
    (M1)-(M2) to cubic order gives ``C^x(tau) = C0 sech(lambda tau)``,
    ``C0 = 4 epsilon / pi``, ``lambda = epsilon / sqrt(3)``.  On the
    ridge ``omega_1 + omega_2 = 0`` of ``|1 - z|^{-2}`` the ``omega``
    integrals of Eq. (E5) give
    ``Psi(0,0) = pi C0^2 I / (4 lambda^3)`` with
    ``I = int dx sech^2(pi x / 2) / (1 + x^2) = pi / 3``, so
    ``c = 4 / (3 sqrt(3) pi I) = 4 / (sqrt(3) pi^2) ~= 0.234``.
    The same constant holds for activations and preactivations.

    Returns
    -------
    float
        ``c`` (``I`` evaluated by adaptive quadrature).
    """
    def integrand(x):  # sech^2(pi x / 2) / (1 + x^2), overflow-free, x >= 0
        e = math.exp(-math.pi * x)
        return 4.0 * e / ((1.0 + e) ** 2 * (1.0 + x * x))

    half, _ = quad(integrand, 0.0, np.inf, epsabs=0.0, epsrel=1e-13, limit=200)
    return 4.0 / (3.0 * math.sqrt(3.0) * math.pi * (2.0 * half))


def pr_iid_near_transition(g_eff):
    r"""Leading-order ``PR_iid ~ c (g_eff - 1)^3`` near the transition (Sec. V).

    Parameters
    ----------
    g_eff : float or ndarray
        Effective gain slightly above 1.

    Returns
    -------
    float or ndarray
        ``c (g_eff - 1)^3`` with ``c`` from :func:`transition_constant`
        (valid for both ``phi`` and ``x`` at leading order); 0 for
        ``g_eff <= 1``.
    """
    eps = np.maximum(np.asarray(g_eff, dtype=float) - 1.0, 0.0)
    out = transition_constant() * eps**3
    return float(out) if out.ndim == 0 else out


def dimension_near_transition(g_eff, eff_rank):
    r"""Near-transition dimension, Eq. (40): ``PR = PR_iid / (1 + 1/(alpha PR^D))``.

    For ``alpha PR^D -> 0`` this is Eq. (41), ``PR = alpha PR^D PR_iid``.

    Parameters
    ----------
    g_eff : float or ndarray
        Effective gain slightly above 1.
    eff_rank : float or ndarray
        Effective rank ``alpha PR^D``.

    Returns
    -------
    float or ndarray
        Leading-order ``PR^a`` (dimensionless), with ``PR_iid`` from
        :func:`pr_iid_near_transition`.
    """
    r = np.asarray(eff_rank, dtype=float)
    out = pr_iid_near_transition(g_eff) / (1.0 + 1.0 / r)
    return float(out) if np.ndim(out) == 0 else out


# ---------------------------------------------------------------------------
# Random matrices (Sec. II D, App. C)
# ---------------------------------------------------------------------------


def singular_value_edges(alpha):
    r"""Edges ``S_-, S_+`` of the singular values of ``L D R^T`` with ``D_a = 1``, Eq. (14).

    ``S_pm^2 = 1 + 5 alpha/2 - alpha^2/8 pm (1 + alpha/8)^{3/2} sqrt(8 alpha)``
    (Eq. C16).  ``S_-^2`` vanishes at ``alpha = 1`` and is negative beyond,
    where the bulk reaches zero: ``S_-`` is then returned as 0.

    Parameters
    ----------
    alpha : float or ndarray
        ``M / N`` (Eq. 7), ``> 0``.

    Returns
    -------
    (ndarray, ndarray)
        Lower and upper edges (singular values; modes have variance 1/N).
    """
    a = np.asarray(alpha, dtype=float)
    base = 1.0 + 2.5 * a - a**2 / 8.0
    spread = (1.0 + a / 8.0) ** 1.5 * np.sqrt(8.0 * a)
    lo = np.sqrt(np.maximum(base - spread, 0.0))
    hi = np.sqrt(base + spread)
    if a.ndim == 0:
        return float(lo), float(hi)
    return lo, hi


def singular_value_density(s, alpha):
    r"""Limiting density of the nonzero singular values of ``L D R^T``, ``D_a = 1`` (App. C).

    The Stieltjes transform ``G`` of the eigenvalues ``lambda = S^2`` of
    ``L^T L R^T R`` (product of two free Marchenko-Pastur matrices) solves the
    cubic Eq. (C13),
    ``-alpha^2 z^3 G^3 + 2 z^2 (alpha^2 - alpha) G^2 + z (z + 2 alpha -
    alpha^2 - 1) G - z = 0``; ``rho(lambda) = |Im G(lambda)| / pi`` (Eq. C6)
    and ``p(S) = 2 S rho(S^2)``.  For ``alpha > 1`` the ``M - N`` zero
    eigenvalues are dropped and the density is renormalised to the ``N``
    nonzero singular values.

    Parameters
    ----------
    s : float or ndarray
        Singular values ``>= 0``.
    alpha : float
        ``M / N`` (Eq. 7).

    Returns
    -------
    ndarray
        Density ``p(S)`` (integrates to 1 over ``S > 0``).
    """
    sv = np.asarray(s, dtype=float)
    lam = sv.ravel() ** 2
    a = float(alpha)
    # coefficients of the cubic in G (divided by z): c3 G^3 + c2 G^2 + c1 G + c0 = 0
    c3 = a**2 * lam**2
    c2 = -2.0 * lam * (a**2 - a)
    c1 = -(lam + 2.0 * a - a**2 - 1.0)
    c0 = np.ones_like(lam)
    rho = np.zeros_like(lam)
    ok = (lam > 0) & (c3 > 0)
    comp = np.zeros((int(ok.sum()), 3, 3))
    comp[:, 0, :] = -np.stack([c2[ok], c1[ok], c0[ok]], axis=1) / c3[ok, None]
    comp[:, 1, 0] = 1.0
    comp[:, 2, 1] = 1.0
    if comp.shape[0]:
        roots = np.linalg.eigvals(comp)
        rho[ok] = np.max(np.abs(roots.imag), axis=1) / math.pi
    dens = 2.0 * np.sqrt(lam) * rho * max(a, 1.0)
    return dens.reshape(sv.shape)


def pr_singular_values(eff_rank):
    r"""Participation ratio of the squared singular values of ``J``, Eq. (13).

    ``PR^S = alpha PR^D / (1 + 2 alpha PR^D)``, with
    ``PR^S = (sum_a S_a^2)^2 / (N sum_a S_a^4)`` at large ``N``.

    Parameters
    ----------
    eff_rank : float or ndarray
        Effective rank ``alpha PR^D`` (Eq. 12).

    Returns
    -------
    float or ndarray
        ``PR^S`` (dimensionless, below 1/2).
    """
    r = np.asarray(eff_rank, dtype=float)
    out = r / (1.0 + 2.0 * r)
    return float(out) if out.ndim == 0 else out


def spectrum_statistics(d, alpha):
    r"""Connectivity statistics of a component-strength spectrum (Eqs. 10-12, 37).

    Parameters
    ----------
    d : array_like
        Component strengths ``D_a``, ``a = 1..M``.
    alpha : float
        ``M / N`` (Eq. 7).

    Returns
    -------
    dict
        ``r2``, ``r4`` (moments ``<D^n>``, Eq. 10), ``pr_d`` (Eq. 11),
        ``eff_rank = alpha PR^D`` (Eq. 12) and ``g_eff = sqrt(alpha r2)``
        (Eq. 37).
    """
    dv = np.asarray(d, dtype=float)
    r2 = float(np.mean(dv**2))
    r4 = float(np.mean(dv**4))
    pr_d = r2**2 / r4
    return {"r2": r2, "r4": r4, "pr_d": pr_d, "eff_rank": float(alpha) * pr_d,
            "g_eff": math.sqrt(float(alpha) * r2)}


# ---------------------------------------------------------------------------
# Table
# ---------------------------------------------------------------------------


def theory_table(g_effs) -> pd.DataFrame:
    r"""Two- and four-point constants for a list of gains.

    One row per ``g_eff`` with columns ``g_eff``, ``c_x0`` (``C^x(0)``, Eq.
    M2), ``c_phi0`` (``C^phi(0)``, Eq. M1), ``mean_phi_prime``
    (``<phi'>``, Eq. M3), ``pr_phi_iid``, ``k_phi`` (Eqs. E5, 43),
    ``pr_x_iid``, ``k_x`` (Eqs. E6, 43).  The dimension at any effective
    rank follows from ``1/PR = 1/PR_iid + 1/(K alpha PR^D)``.

    Parameters
    ----------
    g_effs : iterable of float
        Effective gains (Eq. 37).  ``g_eff <= 1`` rows hold the quiescent
        state (zeros, ``<phi'> = 1``) and NaN dimensions.

    Returns
    -------
    pandas.DataFrame
        The table, in the order given.
    """
    rows = []
    for g in g_effs:
        f = four_point_constants(float(g))
        rows.append({"g_eff": float(g), "c_x0": f.c_x0, "c_phi0": f.c_phi0,
                     "mean_phi_prime": f.mean_phi_prime, "pr_phi_iid": f.pr_phi_iid,
                     "k_phi": f.k_phi, "pr_x_iid": f.pr_x_iid, "k_x": f.k_x})
    return pd.DataFrame(rows, columns=["g_eff", "c_x0", "c_phi0", "mean_phi_prime",
                                       "pr_phi_iid", "k_phi", "pr_x_iid", "k_x"])
