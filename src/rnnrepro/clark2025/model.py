r"""Random-mode network model and simulator (Clark et al., PRX 15, 041019, 2025).

The model (Secs. II-III of the paper)
-------------------------------------
Couplings are a sum of ``M`` random modes (Eq. 2),

.. math::  J = \sum_{a=1}^{M} D_a\, l_a r_a^T = (L \odot D)\, R^T ,

with ``L, R`` of shape ``(N, M)`` and i.i.d. ``N(0, 1/N)`` entries (Eqs. 3-5),
``alpha = M/N`` (Eq. 7), moments ``r_n = <D^n>``, ``PR^D = r_2^2 / r_4``
(Eq. 11), effective rank ``alpha PR^D`` (Eq. 12) and effective coupling
strength ``g_eff = sqrt(alpha r_2)`` (Eq. 37).  The dynamics are (Eq. 15)

.. math::  (1 + \partial_t)\, x_i = \sum_j J_{ij}\, \phi(x_j),
           \qquad \phi(x) = \mathrm{erf}(\sqrt{\pi} x / 2),

with time measured in units of the neuronal time constant, integrated with the
classical fourth-order Runge-Kutta scheme at ``dt = 0.05`` (App. M2).

Statistics (Eqs. 16-28)
-----------------------
``C^a_ij(tau) = <a_i(t) a_j(t + tau)>_t`` for ``a in {x, phi}`` (Eq. 16, the
estimator of Eq. M6).  Means are *not* subtracted, as in Eqs. 16 and M6: the
dynamics are odd under ``x -> -x`` (``phi`` odd, no input), so the ensemble mean
is zero; the time-averaged mean of every neuron is accumulated as well and
:func:`mean_activity_ratio` reports it, so a symmetry-broken state (a fixed
point or limit cycle away from the origin) is visible rather than silently
folded into the covariance.  Samples are taken every ``sample_interval`` time
units after a burn-in, from ``trajectories`` independent initial conditions per
network that are advanced together; nothing but running sums is stored.

Dimension estimators
--------------------
``plain``: ``PR = (tr C)^2 / (N ||C||_F^2)`` (Eqs. 20-21) with ``C`` the
covariance of all samples.  Finite sampling adds noise ``delta C`` whose
squared norm adds to ``||C||_F^2``; for samples with temporal correlation
``rho(k)`` (lag ``k`` in samples) the expected inflation is
``E||C_hat||^2 - ||C||^2 = kappa/n ((tr C)^2 + ||C||^2)`` (Gaussian fourth
moments), ``kappa = sum_k rho(k)^2`` over all integer lags, ``n`` sample
vectors, i.e. ``1/PR_plain ~= (1 + kappa/n)/PR + N kappa / n``: the bias
grows like ``N / n_eff`` with ``n_eff = n / kappa``.

``crossblock``: the sampling period is cut into ``n_blocks`` consecutive time
blocks; with ``S_b`` the (unnormalized) sum of outer products and ``n_b`` the
number of sample vectors in block ``b``,
``||C||^2 ~ sum_{a != b} tr(S_a S_b) / sum_{a != b} n_a n_b`` and
``(tr C)^2 ~ sum_{a != b} tr S_a tr S_b / sum_{a != b} n_a n_b``: products of
statistically independent blocks, so the noise terms average to zero.  Only
block scalars and the running total are needed
(``sum_{a != b} tr(S_a S_b) = ||S||^2 - sum_b ||S_b||^2``).  Blocks are
consecutive in time, so neighbouring blocks share samples within a correlation
time of their boundary; the residual bias is of relative order
``N PR sum_k k rho(k)^2 / (B T_b^2)`` (``T_b`` samples per block, ``B``
trajectories): negligible once blocks are many correlation times long, and
visible when they are not (last row of the table below).
The same construction, streamed, gives ``Psi^phi(tau, 0)``: for each sample
``a(t)`` in block ``b`` and its lagged partner ``a(t - tau)`` in the *same*
block, ``a(t - tau)^T P a(t)`` with ``P`` the sum of outer products over the
blocks already closed is an unbiased estimate of ``tr(C(0) C(tau))`` summed
over pairs (Eq. 24 with Eq. 28's identity ``Psi(tau, 0) = N^-1 tr(C(0) C(tau))``).

Measured bias on a known case (:func:`gaussian_reference_case`: Gaussian
AR(1) samples, correlation time ``tau_c`` time units, sampled every time unit,
32 independent chains, 8 time blocks, true ``PR`` 0.2 or 0.05; relative error
``PR_hat/PR - 1`` in percent, mean +- standard error over 3-6 repetitions;
"predicted" is the first-order formula above)::

     PR  tau_c     N  T   plain          crossblock     predicted
    0.20   3     250  250  -1.75 +- 0.19  +0.10 +- 0.20  -1.94
    0.20   3     500  250  -3.35 +- 0.13  +0.25 +- 0.14  -3.78
    0.20   3    1000 1000  -1.90 +- 0.06  -0.01 +- 0.06  -1.92
    0.20   3    2000 1000  -3.79 +- 0.04  -0.10 +- 0.05  -3.75
    0.20  10     250  250  -5.87 +- 0.26  -1.00 +- 0.29  -6.01
    0.20  10     500  250 -10.21 +- 0.11  -0.98 +- 0.15 -11.24
    0.20  10     500 1000  -2.90 +- 0.12  +0.04 +- 0.13  -3.07
    0.20  10    1000 1000  -5.88 +- 0.13  -0.23 +- 0.15  -5.93
    0.20  10    1000 4000  -1.53 +- 0.05  -0.00 +- 0.05  -1.55
    0.20  10    2000 1000 -11.19 +- 0.09  -0.57 +- 0.10 -11.17
    0.05  10    2000 1000  -3.33 +- 0.04  -0.39 +- 0.04  -3.07
    0.20  10     250  256  (64 blocks of 4 units: neighbouring blocks correlated)
                           -5.78 +- 0.26  -4.05 +- 0.27

(``T`` = time units per chain.)  The plain bias follows the prediction; the
cross-block residual is below 0.6 % whenever blocks are at least ~10
correlation times long and grows as ``(N / n_eff)^2`` (ratio of means) or
when blocks approach the correlation time.  Normalized ``Psi(tau, 0)``
matched ``rho^tau`` to better than 0.017 in every case.

Public API: see ``__all__``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import optimize, special
from scipy.linalg import blas

__all__ = [
    "phi",
    "RandomModeSpectrum",
    "exponential_spectrum",
    "flat_spectrum",
    "step_spectrum",
    "spectrum_pr",
    "solve_beta_d",
    "random_mode_spectrum",
    "derive_seed",
    "couplings",
    "LowRankCouplings",
    "coupling_factors",
    "coupling_operator",
    "factors_are_cheaper",
    "iid_couplings",
    "integrate",
    "NetworkStats",
    "SimulationResult",
    "simulate",
    "ESTIMATORS",
    "participation_ratio",
    "pr_crossblock",
    "c_phi0",
    "c_x0",
    "pr_phi",
    "pr_x",
    "psi_phi",
    "psi_phi_normalized",
    "covariance_spectrum",
    "mean_activity_ratio",
    "pc_autocorrelations",
    "pc_traces",
    "time_by_time_covariance",
    "gaussian_reference_case",
    "benchmark",
]

#: Modes are drawn in fixed chunks of this many columns; part of the definition
#: of :func:`couplings` (changing it changes J for a given seed).
MODE_CHUNK = 256

#: Names of the dimension estimators, as recorded by the pipeline.
ESTIMATORS = {
    "plain": "(tr C)^2 / (N ||C||_F^2) of the covariance of all samples (Eqs. 20-21); "
    "biased low by finite sampling (1/PR inflated by about N kappa / n)",
    "crossblock": "cross products of covariances from independent time blocks, "
    "(sum_{a!=b} trS_a trS_b) / (N sum_{a!=b} tr(S_a S_b)); unbiased to sampling error",
}

_SQRT_PI_2 = math.sqrt(math.pi) / 2.0


# ----------------------------------------------------------------------------
# nonlinearity
# ----------------------------------------------------------------------------
def _fit_fast_phi32(degree: int = 10) -> tuple[float, tuple[np.float32, ...]]:
    """Coefficients of the float32 ``phi`` (see :func:`phi`), fitted at import.

    ``phi(x) = sign(x) (1 - exp(-|x| P(s)))``, ``s = 2 min(|x|, t_max) / t_max - 1``,
    with ``P`` the degree-``degree`` Chebyshev least-squares fit of
    ``-log(erfc(sqrt(pi) t / 2)) / t`` on ``(0, t_max]``, ``sqrt(pi) t_max / 2 = 4``
    (beyond it ``erfc < 1.6e-8`` and ``phi`` rounds to +-1 in float32).
    """
    t_max = 4.0 / _SQRT_PI_2
    t = np.linspace(0.0, t_max, 20001)[1:]
    g = -np.log(special.erfc(_SQRT_PI_2 * t)) / t
    ch = np.polynomial.chebyshev.Chebyshev.fit(2.0 * t / t_max - 1.0, g, degree, domain=[-1, 1])
    mono = ch.convert(kind=np.polynomial.Polynomial).coef
    return t_max, tuple(np.float32(c) for c in mono[::-1])


_FAST_TMAX, _FAST_COEF = _fit_fast_phi32()


def _phi_fast32(x: np.ndarray, out: np.ndarray, w1: np.ndarray, w2: np.ndarray) -> None:
    """Float32 ``phi`` from numpy SIMD primitives (about 4x faster than scipy's erf)."""
    f32 = np.float32
    np.abs(x, out=w1)
    np.minimum(w1, f32(_FAST_TMAX), out=w1)
    np.multiply(w1, f32(2.0 / _FAST_TMAX), out=w2)
    np.subtract(w2, f32(1.0), out=w2)
    out.fill(_FAST_COEF[0])
    for c in _FAST_COEF[1:]:
        np.multiply(out, w2, out=out)
        np.add(out, c, out=out)
    np.multiply(out, w1, out=out)
    np.negative(out, out=out)
    np.expm1(out, out=out)
    np.negative(out, out=out)
    np.copysign(out, x, out=out)


def phi(x: np.ndarray, out: np.ndarray | None = None, impl: str = "auto") -> np.ndarray:
    r"""Activation ``phi(x) = erf(sqrt(pi) x / 2)`` (Sec. II, App. M1); ``phi'(0) = 1``.

    Two implementations.  ``"scipy"``: ``scipy.special.erf`` (about 17 ns per
    element here, in either precision; correctly rounded to float64).
    ``"fast"`` (float32 only): ``sign(x) (1 - exp(-|x| P(s)))`` with a
    degree-10 polynomial ``P`` fitted to ``-log(erfc)`` at import, evaluated
    with numpy SIMD primitives in float32 (about 4.5 ns per element); its
    maximum absolute error against the float64 erf is 1.4e-7, about twice that
    of evaluating scipy's erf on the float32-rounded argument (6.9e-8), i.e.
    about 2 float32 ulps of 1.  ``"auto"`` uses ``"fast"`` for float32 and
    ``"scipy"`` otherwise.

    Parameters
    ----------
    x : ndarray
        Preactivations (dimensionless).
    out : ndarray, optional
        Output buffer of the same shape and dtype as ``x`` (``"scipy"`` allows ``out is x``).
    impl : {"auto", "scipy", "fast"}
        Implementation (see above).

    Returns
    -------
    ndarray
        ``phi(x)`` in the dtype of ``x``.
    """
    if out is None:
        out = np.empty_like(x)
    if impl == "auto":
        impl = "fast" if x.dtype == np.float32 else "scipy"
    if impl == "fast":
        if x.dtype != np.float32:
            raise ValueError("the fast phi is float32 only")
        if out is x:
            raise ValueError("the fast phi cannot work in place")
        _phi_fast32(x, out, np.empty_like(x), np.empty_like(x))
        return out
    if impl != "scipy":
        raise ValueError(f"unknown phi implementation {impl!r}")
    np.multiply(x, x.dtype.type(_SQRT_PI_2), out=out)
    special.erf(out, out=out)
    return out


# ----------------------------------------------------------------------------
# spectra
# ----------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True, eq=False)
class RandomModeSpectrum:
    """Mode strengths ``D_a`` of a random-mode network and their measured moments.

    All moments are those of the finite vector ``D`` (length ``M``), not of a
    continuum limit: ``r2 = mean(D^2)``, ``r4 = mean(D^4)``,
    ``pr_d = r2^2 / r4`` (Eq. 11), ``effective_rank = alpha * pr_d`` (Eq. 12),
    ``g_eff = sqrt(alpha * r2)`` (Eq. 37), ``alpha = M / N`` (Eq. 7).

    Attributes
    ----------
    N : int
        Number of neurons.
    kind : str
        ``"exponential"``, ``"flat"`` or ``"step"``.
    alpha : float
        ``M / N``.
    M : int
        Number of modes.
    D : ndarray
        Mode strengths, shape ``(M,)``, float64, sorted non-increasing.
    r2, r4 : float
        ``<D^2>``, ``<D^4>`` over the ``M`` modes.
    pr_d : float
        ``PR^D = r2^2 / r4``.
    effective_rank : float
        ``alpha PR^D`` realized by ``D``.
    g_eff : float
        ``sqrt(alpha r2)`` realized by ``D``.
    requested_effective_rank : float
        The value asked for (differs from ``effective_rank`` only by the
        integer rounding of ``M`` or of the number of non-zero modes).
    beta_d : float
        Decay constant of the exponential spectrum (``nan`` otherwise).
    """

    N: int
    kind: str
    alpha: float
    M: int
    D: np.ndarray
    r2: float
    r4: float
    pr_d: float
    effective_rank: float
    g_eff: float
    requested_effective_rank: float
    beta_d: float = float("nan")

    def params(self) -> dict[str, Any]:
        """Scalar description (for labels and tables).

        Returns
        -------
        dict
            Every field except ``D``.
        """
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "D"}


def exponential_spectrum(M: int, beta_d: float) -> np.ndarray:
    r"""Exponential spectrum ``D_a = exp(-beta_D a / M)``, ``a = 1..M`` (Sec. V).

    In the continuum limit ``PR^D = tanh(beta_D) / beta_D``; use
    :func:`spectrum_pr` for the exact value of the finite vector.

    Parameters
    ----------
    M : int
        Number of modes.
    beta_d : float
        Decay constant (dimensionless), ``>= 0``.

    Returns
    -------
    ndarray
        Shape ``(M,)``, float64, unnormalized (``D_1 = exp(-beta_D / M)``).
    """
    if M < 1 or beta_d < 0:
        raise ValueError(f"need M >= 1 and beta_d >= 0, got M={M}, beta_d={beta_d}")
    a = np.arange(1, M + 1, dtype=np.float64)
    return np.exp(-beta_d * a / M)


def flat_spectrum(M: int) -> np.ndarray:
    """Flat spectrum ``D_a = 1``, ``a = 1..M`` (``PR^D = 1``; Sec. V, Fig. 4a inset).

    Parameters
    ----------
    M : int
        Number of modes.

    Returns
    -------
    ndarray
        Ones, shape ``(M,)``.
    """
    if M < 1:
        raise ValueError(f"need M >= 1, got {M}")
    return np.ones(M)


def step_spectrum(M: int, n_nonzero: int) -> np.ndarray:
    """Step spectrum of Fig. 10: ``D_a = 1`` for ``a <= n_nonzero``, else 0.

    The paper writes it with ``alpha = 1`` as "``D_a`` constant for
    ``a/N <= PR^D`` and 0 otherwise", so ``PR^D = n_nonzero / M``.

    Parameters
    ----------
    M : int
        Number of modes (``M = N`` in Fig. 10).
    n_nonzero : int
        Number of non-zero modes, ``1 <= n_nonzero <= M``.

    Returns
    -------
    ndarray
        Shape ``(M,)``.
    """
    if not 1 <= n_nonzero <= M:
        raise ValueError(f"need 1 <= n_nonzero <= M, got {n_nonzero}, M={M}")
    D = np.zeros(M)
    D[:n_nonzero] = 1.0
    return D


def spectrum_pr(D: np.ndarray) -> float:
    """Participation ratio of a finite spectrum, ``PR^D = <D^2>^2 / <D^4>`` (Eq. 11).

    Parameters
    ----------
    D : ndarray
        Mode strengths.

    Returns
    -------
    float
        In ``(0, 1]``.
    """
    d2 = np.asarray(D, dtype=np.float64) ** 2
    return float(np.mean(d2) ** 2 / np.mean(d2 * d2))


def solve_beta_d(M: int, pr_d: float) -> float:
    """Decay constant of the finite exponential spectrum with ``PR^D = pr_d`` exactly.

    Solves ``spectrum_pr(exponential_spectrum(M, beta)) = pr_d`` by Brent's
    method (the finite-``M`` PR decreases monotonically from 1 at ``beta = 0``
    to ``1/M`` as ``beta -> inf``).  For large ``M`` the root approaches the
    continuum solution of ``tanh(beta)/beta = pr_d``.

    Parameters
    ----------
    M : int
        Number of modes.
    pr_d : float
        Target, ``1/M < pr_d <= 1``.

    Returns
    -------
    float
        ``beta_D >= 0``.
    """
    if not (1.0 / M < pr_d <= 1.0):
        raise ValueError(f"PR^D = {pr_d} unreachable with M = {M} exponential modes")
    if pr_d == 1.0:
        return 0.0

    def f(beta: float) -> float:
        return spectrum_pr(exponential_spectrum(M, beta)) - pr_d

    hi = 1.0
    while f(hi) > 0:
        hi *= 2.0
        if hi > 1e6 * M:  # pragma: no cover - guarded by the range check
            raise RuntimeError("no bracket for beta_D")
    return float(optimize.brentq(f, 0.0, hi, xtol=1e-14, rtol=1e-14))


def random_mode_spectrum(
    N: int, effective_rank: float, g_eff: float, kind: str = "paper"
) -> RandomModeSpectrum:
    r"""Spectrum ``D`` with given effective rank ``alpha PR^D`` and ``g_eff`` (Eqs. 7, 11, 12, 37).

    The finite vector is matched, not the continuum formula: for the
    exponential kind ``beta_D`` solves the finite-``M`` equation
    (:func:`solve_beta_d`) so that ``alpha * spectrum_pr(D)`` equals the request
    to ~1e-12; then all ``D_a`` are rescaled so that ``sqrt(alpha <D^2>) = g_eff``
    to round-off.  Flat and step kinds round ``M`` (resp. the number of
    non-zero modes) to an integer, so their realized effective rank differs
    from the request by at most ``1/(2N)``; it is recorded in the result.

    Parameters
    ----------
    N : int
        Number of neurons.
    effective_rank : float
        Requested ``alpha PR^D`` (> 0).
    g_eff : float
        Requested effective coupling strength (> 0).
    kind : {"paper", "exponential", "flat", "step"}
        ``"paper"`` (default) is the choice of Sec. V / Fig. 4: exponential with
        ``alpha = 1`` if ``effective_rank <= 1``, else flat with
        ``alpha = effective_rank`` (``M > N``).  ``"exponential"`` and
        ``"step"`` (Fig. 10) use ``alpha = 1`` and need ``effective_rank <= 1``;
        ``"flat"`` uses ``M = round(effective_rank N)`` modes of equal strength.

    Returns
    -------
    RandomModeSpectrum
        With the realized moments.
    """
    if effective_rank <= 0 or g_eff <= 0 or N < 1:
        raise ValueError("need N >= 1, effective_rank > 0, g_eff > 0")
    if kind == "paper":
        kind = "exponential" if effective_rank <= 1.0 else "flat"
    beta = float("nan")
    if kind == "exponential":
        if effective_rank > 1.0:
            raise ValueError("exponential spectrum uses alpha = 1, so effective_rank <= 1")
        M = N
        beta = solve_beta_d(M, effective_rank)
        D = exponential_spectrum(M, beta)
    elif kind == "flat":
        M = max(1, int(round(effective_rank * N)))
        D = flat_spectrum(M)
    elif kind == "step":
        if effective_rank > 1.0:
            raise ValueError("step spectrum uses alpha = 1, so effective_rank <= 1")
        M = N
        D = step_spectrum(M, max(1, int(round(effective_rank * N))))
    else:
        raise ValueError(f"unknown spectrum kind {kind!r}")
    alpha = M / N
    D = D * (g_eff / math.sqrt(alpha * float(np.mean(D**2))))
    r2 = float(np.mean(D**2))
    r4 = float(np.mean(D**4))
    pr = r2 * r2 / r4
    return RandomModeSpectrum(
        N=N, kind=kind, alpha=alpha, M=M, D=D, r2=r2, r4=r4, pr_d=pr,
        effective_rank=alpha * pr, g_eff=math.sqrt(alpha * r2),
        requested_effective_rank=float(effective_rank), beta_d=beta,
    )


# ----------------------------------------------------------------------------
# couplings
# ----------------------------------------------------------------------------
def derive_seed(*parts: Any) -> int:
    """Stable 63-bit integer seed from a network's parameters (SHA-256 of their repr).

    Optional helper; any integer works as a seed.

    Parameters
    ----------
    *parts
        Values whose ``repr`` identifies the network (e.g. base seed, N,
        effective rank, g_eff, network index).  Floats are written with
        ``repr``, so ``0.3`` and ``0.30000000000000004`` differ.

    Returns
    -------
    int
        In ``[0, 2**63)``.
    """
    h = hashlib.sha256(repr(tuple(parts)).encode()).digest()
    return int.from_bytes(h[:8], "little") >> 1


def _rng(seed: int, stream: int) -> np.random.Generator:
    """Independent generator ``stream`` (0 couplings, 1 initial conditions) of ``seed``."""
    sequence = np.random.SeedSequence(int(seed), spawn_key=(stream,))
    return np.random.Generator(np.random.PCG64(sequence))


def _last_nonzero_mode(D: np.ndarray) -> int:
    """Index of the last non-zero strength (-1 if none).  Chunks after it are not drawn:
    they would add nothing, and the chunks before it are drawn first, so ``J`` is the
    same as if they were."""
    nonzero = np.flatnonzero(D)
    return int(nonzero[-1]) if nonzero.size else -1


def _drawn_chunks(N: int, spectrum: RandomModeSpectrum, seed: int):
    """``(D_c, L_c, R_c)`` per chunk of :data:`MODE_CHUNK` modes, drawn ``L`` block then
    ``R`` block (unscaled) from stream 0 of ``seed``, up to the last non-zero mode."""
    if spectrum.N != N:
        raise ValueError(f"spectrum is for N = {spectrum.N}, not {N}")
    rng = _rng(seed, 0)
    D = spectrum.D
    for a0 in range(0, _last_nonzero_mode(D) + 1, MODE_CHUNK):
        Dc = D[a0:a0 + MODE_CHUNK]
        yield Dc, rng.standard_normal((N, Dc.size)), rng.standard_normal((N, Dc.size))


def couplings(N: int, spectrum: RandomModeSpectrum, seed: int, dtype=np.float64) -> np.ndarray:
    r"""Coupling matrix ``J = (L * D) R^T`` of the random-mode model (Eqs. 2-5).

    ``L, R`` have i.i.d. ``N(0, 1/N)`` entries.  They are drawn (and multiplied
    in float64) in chunks of :data:`MODE_CHUNK` modes, ``L`` block then ``R``
    block, from stream 0 of ``seed``, so memory stays at ``J`` plus
    ``2 N MODE_CHUNK`` numbers however large ``M`` is, and ``J`` is a
    deterministic function of ``(N, D, seed)``.  Expected
    ``<J_ij^2> = alpha r_2 / N = g_eff^2 / N``.

    Parameters
    ----------
    N : int
        Number of neurons (must equal ``spectrum.N``).
    spectrum : RandomModeSpectrum
        Mode strengths.
    seed : int
        Network seed (the same integer seeds the initial conditions in
        :func:`simulate`, on an independent stream).
    dtype : numpy dtype
        Output dtype (float32 or float64).

    Returns
    -------
    ndarray
        ``J``, shape ``(N, N)``.
    """
    J = np.zeros((N, N))
    for Dc, Lc, Rc in _drawn_chunks(N, spectrum, seed):
        if np.any(Dc != 0):
            Lc *= Dc / N  # both 1/sqrt(N) factors applied once
            J += Lc @ Rc.T
    return J.astype(dtype, copy=False)


@dataclasses.dataclass(frozen=True, eq=False)
class LowRankCouplings:
    """Couplings ``J = U V^T`` kept as their two thin factors (only non-zero modes).

    Applying ``J`` to ``B`` vectors as ``U (V^T p)`` costs ``4 N P B`` flops instead of
    ``2 N^2 B``: worth it when the number of non-zero modes ``P`` is below ``N/2``
    (the step spectrum of Fig. 10 at small ``PR^D``).

    Attributes
    ----------
    U : ndarray
        ``(N, P)``: the non-zero modes' ``l_a D_a`` with both ``1/sqrt(N)`` factors.
    Vt : ndarray
        ``(P, N)``: their ``r_a^T``.
    """

    U: np.ndarray
    Vt: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        """``(N, N)``, the shape of ``J``."""
        return (self.U.shape[0], self.Vt.shape[1])

    @property
    def rank(self) -> int:
        """``P``, the number of non-zero modes."""
        return self.U.shape[1]

    def dense(self) -> np.ndarray:
        """``J = U V^T`` in the factors' dtype.

        Returns
        -------
        ndarray
            Shape ``(N, N)``.
        """
        return self.U @ self.Vt

    def for_simulation(self, dtype) -> np.ndarray | LowRankCouplings:
        """The cheaper form for :func:`simulate` in ``dtype``: the factors when
        ``4 N P < 2 N^2`` flops per vector (``P < N/2``), else the product ``J``.

        Parameters
        ----------
        dtype : numpy dtype
            dtype of the dynamics.

        Returns
        -------
        ndarray or LowRankCouplings
        """
        if factors_are_cheaper(self.shape[0], self.rank):
            return LowRankCouplings(U=self.U.astype(dtype), Vt=self.Vt.astype(dtype))
        return self.dense().astype(dtype)


def factors_are_cheaper(N: int, modes: int) -> bool:
    """Whether two thin products (``4 N P`` flops per vector) beat one ``N x N`` (``2 N^2``).

    Parameters
    ----------
    N : int
        Neurons.
    modes : int
        Non-zero modes ``P``.

    Returns
    -------
    bool
        ``P < N/2``.
    """
    return 2 * modes < N


def coupling_factors(N: int, spectrum: RandomModeSpectrum, seed: int,
                     dtype=np.float64) -> LowRankCouplings:
    r"""The couplings of :func:`couplings` as thin factors of their non-zero modes.

    The same random numbers as :func:`couplings` (stream 0 of ``seed``, chunks of
    :data:`MODE_CHUNK` modes, ``L`` block then ``R`` block), so ``U V^T`` is the same
    ``J`` up to the rounding of the products.

    Parameters
    ----------
    N : int
        Number of neurons (must equal ``spectrum.N``).
    spectrum : RandomModeSpectrum
        Mode strengths (at least one non-zero).
    seed : int
        Network seed.
    dtype : numpy dtype
        dtype of the factors.

    Returns
    -------
    LowRankCouplings
        ``U`` of shape ``(N, P)``, ``Vt`` of shape ``(P, N)``, ``P`` the non-zero modes.
    """
    left, right = [], []
    for Dc, Lc, Rc in _drawn_chunks(N, spectrum, seed):
        keep = Dc != 0
        if np.any(keep):
            left.append(Lc[:, keep] * (Dc[keep] / N))  # both 1/sqrt(N) factors, as in J
            right.append(Rc[:, keep])
    if not left:
        raise ValueError("the spectrum has no non-zero mode")
    return LowRankCouplings(U=np.ascontiguousarray(np.hstack(left), dtype=dtype),
                            Vt=np.ascontiguousarray(np.hstack(right).T, dtype=dtype))


def coupling_operator(N: int, spectrum: RandomModeSpectrum, seed: int, dtype=np.float64
                      ) -> np.ndarray | LowRankCouplings:
    """The cheaper form of the same couplings for the simulator: the factors when fewer
    than ``N/2`` modes are non-zero (``4 N P < 2 N^2`` flops per vector), else ``J``.

    Parameters
    ----------
    N : int
        Number of neurons.
    spectrum : RandomModeSpectrum
        Mode strengths.
    seed : int
        Network seed.
    dtype : numpy dtype
        dtype of the couplings.

    Returns
    -------
    ndarray or LowRankCouplings
        What :func:`simulate` accepts.
    """
    if factors_are_cheaper(N, int(np.count_nonzero(spectrum.D))):
        return coupling_factors(N, spectrum, seed, dtype)
    return couplings(N, spectrum, seed, dtype)


def iid_couplings(N: int, g: float, seed: int, dtype=np.float64) -> np.ndarray:
    """I.i.d. Gaussian couplings ``J_ij ~ N(0, g^2/N)`` (Eq. E1; Figs. 3, 9).

    Parameters
    ----------
    N : int
        Number of neurons.
    g : float
        Coupling strength.
    seed : int
        Network seed (stream 0, as in :func:`couplings`).
    dtype : numpy dtype
        Output dtype.

    Returns
    -------
    ndarray
        Shape ``(N, N)``.
    """
    J = _rng(seed, 0).standard_normal((N, N))
    J *= g / math.sqrt(N)
    return J.astype(dtype, copy=False)


# ----------------------------------------------------------------------------
# integrator
# ----------------------------------------------------------------------------
class _RK4:
    """Classical RK4 for ``dx/dt = -x + J phi(x)`` on a stack ``(networks, N, B)``.

    One batched matmul ``(K, N, N) @ (K, N, B)`` per stage (or two thin ones,
    ``U (V^T p)``, when ``J`` is given as factors ``(U, Vt)`` of shapes
    ``(K, N, P)``, ``(K, P, N)``); numpy calls one BLAS gemm per network slice,
    so each network's arithmetic is independent of the others in the batch.
    """

    def __init__(self, J: np.ndarray | tuple[np.ndarray, np.ndarray], B: int, dt: float,
                 phi_impl: str = "auto"):
        self.factors = J if isinstance(J, tuple) else None
        self.J = None if self.factors else J
        U = self.factors[0] if self.factors else J
        shape = (U.shape[0], U.shape[1], B)
        dtp = U.dtype
        if self.factors:
            self.q = np.empty((U.shape[0], U.shape[2], B), dtp)
        self.k = np.empty(shape, dtp)
        self.acc = np.empty(shape, dtp)
        self.tmp = np.empty(shape, dtp)
        self.p = np.empty(shape, dtp)
        if phi_impl == "auto":
            phi_impl = "fast" if dtp == np.float32 else "scipy"
        if phi_impl == "fast" and dtp != np.float32:
            raise ValueError("the fast phi is float32 only")
        if phi_impl not in ("fast", "scipy"):
            raise ValueError(f"unknown phi implementation {phi_impl!r}")
        self.phi_impl = phi_impl
        if phi_impl == "fast":
            self.w1 = np.empty(shape, dtp)
            self.w2 = np.empty(shape, dtp)
        self.dt = dt

    def apply(self, p: np.ndarray, out: np.ndarray) -> None:
        """``out = J p`` for the whole stack: the products of one stage."""
        if self.factors:
            np.matmul(self.factors[1], p, out=self.q)
            np.matmul(self.factors[0], self.q, out=out)
        else:
            np.matmul(self.J, p, out=out)

    def _f(self, x: np.ndarray, out: np.ndarray) -> None:
        if self.phi_impl == "fast":
            _phi_fast32(x, self.p, self.w1, self.w2)
        else:
            phi(x, out=self.p, impl="scipy")
        self.apply(self.p, out)
        out -= x

    def step(self, x: np.ndarray) -> None:
        dt = self.dt
        k, acc, tmp = self.k, self.acc, self.tmp
        self._f(x, k)                       # k1
        np.copyto(acc, k)
        np.multiply(k, 0.5 * dt, out=tmp)
        tmp += x
        self._f(tmp, k)                     # k2
        acc += k
        acc += k
        np.multiply(k, 0.5 * dt, out=tmp)
        tmp += x
        self._f(tmp, k)                     # k3
        acc += k
        acc += k
        np.multiply(k, dt, out=tmp)
        tmp += x
        self._f(tmp, k)                     # k4
        acc += k
        acc *= dt / 6.0
        x += acc


def _stacked_couplings(Js: np.ndarray | list, dtp: np.dtype
                       ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """A batch of couplings as :class:`_RK4` takes it: ``(n, N, N)`` dense, or the factors
    ``(n, N, P)``, ``(n, P, N)`` of networks that are all :class:`LowRankCouplings` of one
    rank."""
    low_rank = [isinstance(Ji, LowRankCouplings) for Ji in Js]
    if any(low_rank) and not all(low_rank):
        raise ValueError("a batch is either all dense or all LowRankCouplings")
    N = Js[0].shape[0]
    if all(low_rank):
        P = Js[0].rank
        if any(Ji.shape != (N, N) or Ji.rank != P for Ji in Js):
            raise ValueError("all low-rank networks of a batch need the same N and rank")
        return (np.stack([Ji.U for Ji in Js]).astype(dtp, copy=False),
                np.stack([Ji.Vt for Ji in Js]).astype(dtp, copy=False))
    if isinstance(Js, np.ndarray):
        return np.ascontiguousarray(Js, dtype=dtp)
    stacked = np.empty((len(Js), N, N), dtp)
    for i, Ji in enumerate(Js):
        if Ji.shape != (N, N):
            raise ValueError("all networks must have the same N")
        stacked[i] = Ji
    return stacked


def integrate(J: np.ndarray, x0: np.ndarray, t: float, dt: float = 0.05,
              phi_impl: str = "auto") -> np.ndarray:
    r"""Integrate ``(1 + d/dt) x = J phi(x)`` (Eq. 15) from ``x0`` for time ``t`` with RK4.

    The same stepper as :func:`simulate`; for tests and short transients.

    Parameters
    ----------
    J : ndarray
        ``(N, N)`` or ``(networks, N, N)``.
    x0 : ndarray
        ``(N,)``, ``(N, B)`` or ``(networks, N, B)`` initial state, cast to ``J.dtype``.
    t : float
        Duration in units of the neuronal time constant; ``t / dt`` must be an integer.
    dt : float
        Step (default 0.05, App. M2).
    phi_impl : {"auto", "scipy", "fast"}
        Implementation of ``phi`` in the dynamics (see :func:`phi`).

    Returns
    -------
    ndarray
        State at time ``t``, the shape of ``x0``.
    """
    n_steps = _n_steps(t, dt, "t")
    J3 = J[None] if J.ndim == 2 else J
    x = np.asarray(x0, dtype=J.dtype)
    shape = x.shape
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim == 2:
        x = x[None]
    x = np.ascontiguousarray(x).copy()
    rk = _RK4(np.ascontiguousarray(J3), x.shape[2], dt, phi_impl)
    with np.errstate(all="ignore"):
        for _ in range(n_steps):
            rk.step(x)
    return x.reshape(shape)


def _n_steps(t: float, dt: float, name: str) -> int:
    n = int(round(t / dt))
    if abs(n * dt - t) > 1e-9 * max(1.0, abs(t)):
        raise ValueError(f"{name} = {t} is not a multiple of dt = {dt}")
    return n


# ----------------------------------------------------------------------------
# running moments
# ----------------------------------------------------------------------------
class _Moments:
    """Running second moments of a stack of sample matrices ``a`` (networks, N, B).

    Keeps, per network: the lower triangle of the sum of outer products over
    closed blocks ``S`` and over the current block ``cur`` (float64, updated by
    BLAS syrk, half the flops of a gemm, no temporary), the sum of samples,
    block scalars (count, trace, squared Frobenius norm), a ring buffer of the
    last ``K + 1`` samples (for lagged two-point functions ``<a(t) . a(t-k)>``),
    optionally the streamed cross-block ``a(t-k)^T S a(t)``, the full lagged
    matrices and the (symmetrized) sum of outer products of every block.  With
    ``covariances=False`` only the diagonal (per-neuron) sums are kept: no
    ``N x N`` memory or work, and no cross-block statistics.
    """

    def __init__(self, n_net: int, N: int, B: int, n_samples: int, n_blocks: int, K: int,
                 psi_stream: bool, lagged: bool, keep_blocks: bool = False,
                 covariances: bool = True):
        if not covariances and (psi_stream or lagged or keep_blocks):
            raise ValueError("Psi, lagged and block matrices need the covariances")
        self.covariances = covariances
        if n_blocks < 1 or n_samples < n_blocks:
            raise ValueError(f"need 1 <= n_blocks <= n_samples, got {n_blocks}, {n_samples}")
        self.n_net, self.N, self.B, self.K = n_net, N, B, K
        self.n_samples, self.n_blocks = n_samples, n_blocks
        self.bounds = [(b * n_samples) // n_blocks for b in range(n_blocks + 1)]
        matrix = (n_net, N, N) if covariances else (n_net, N)
        self.S = np.zeros(matrix)
        self.cur = np.zeros(matrix)
        self.sum = np.zeros((n_net, N))
        self.H = np.zeros((n_net, K + 1, N * B))
        self.c2 = np.zeros((n_net, K + 1))
        self.c2_pairs = np.zeros(K + 1)
        self.psi_stream = psi_stream
        self.psi = np.zeros((n_net, K + 1))
        self.psi_pairs = np.zeros(K + 1)
        self.block_n = np.zeros(n_blocks)
        self.block_tr = np.zeros((n_net, n_blocks))
        self.block_fro2 = np.zeros((n_net, n_blocks))
        self.lagged = np.zeros((n_net, K, N, N)) if (lagged and K > 0) else None
        self.blocks = np.zeros((n_net, n_blocks, N, N)) if keep_blocks else None
        self.lag_pairs = np.zeros(K + 1)
        self.t = 0
        self.block = 0
        self.n_closed = 0.0

    def add(self, a: np.ndarray) -> None:
        t, K, B = self.t, self.K, self.B
        if t >= self.n_samples:
            raise RuntimeError("more samples than declared")
        b = self.block
        b0 = self.bounds[b]
        slot = t % (K + 1)
        kmax = min(t, K)
        idx = [(t - k) % (K + 1) for k in range(kmax + 1)]
        kin = min(t - b0, K)  # lags whose partner lies in the current block
        idx_in = idx[: kin + 1]
        for n in range(self.n_net):
            an = a[n]
            self.H[n, slot] = an.ravel()
            if self.covariances:
                blas.dsyrk(1.0, an.T, beta=1.0, c=self.cur[n].T, trans=1, lower=0,
                           overwrite_c=1)
            else:
                self.cur[n] += np.einsum("ib,ib->i", an, an)
            self.sum[n] += an.sum(axis=1)
            d = self.H[n] @ self.H[n, slot]
            self.c2[n, : kmax + 1] += d[idx]
            if self.psi_stream and self.n_closed > 0:
                q = blas.dsymm(1.0, self.S[n].T, an.T, side=1, lower=0)  # (B, N) F-order = (S a)^T
                d2 = self.H[n] @ q.T.ravel()
                self.psi[n, : kin + 1] += d2[idx_in]
            if self.lagged is not None:
                for k in range(1, kmax + 1):
                    hk = self.H[n, idx[k]].reshape(self.N, B)
                    # lagged[k-1] += a(t-k) a(t)^T  (C_ij(tau) = <a_i(t) a_j(t+tau)>)
                    blas.dgemm(1.0, an.T, hk.T, trans_a=1, trans_b=0, beta=1.0,
                               c=self.lagged[n, k - 1].T, overwrite_c=1)
        self.c2_pairs[: kmax + 1] += B
        self.lag_pairs[: kmax + 1] += B
        if self.psi_stream and self.n_closed > 0:
            self.psi_pairs[: kin + 1] += self.n_closed * B
        self.t += 1
        if self.t == self.bounds[b + 1]:
            self._close_block()

    def _close_block(self) -> None:
        b = self.block
        for n in range(self.n_net):
            c = self.cur[n]
            if not self.covariances:
                self.block_tr[n, b] = c.sum()
                self.block_fro2[n, b] = np.nan
                self.S[n] += c
                c.fill(0.0)
                continue
            dg = np.diagonal(c)
            self.block_tr[n, b] = dg.sum()
            self.block_fro2[n, b] = 2.0 * np.vdot(c, c) - np.vdot(dg, dg)
            if self.blocks is not None:  # full symmetric block sum S_b (lower triangle kept)
                self.blocks[n, b] = c
                self.blocks[n, b] += np.tril(c, -1).T
            self.S[n] += c
            c.fill(0.0)
        nb = (self.bounds[b + 1] - self.bounds[b]) * self.B
        self.block_n[b] = nb
        self.n_closed += nb
        self.block += 1

    def finalize(self) -> dict[str, Any]:
        if self.t != self.n_samples:
            raise RuntimeError("finalize before all samples were added")
        del self.cur
        n_tot = float(self.n_closed)
        covs = self.S
        if self.covariances:
            for n in range(self.n_net):
                s = covs[n]
                s += np.tril(s, -1).T
                s /= n_tot
            variances = np.stack([np.diagonal(c).copy() for c in covs])
        else:
            variances, covs = covs / n_tot, [None] * self.n_net
        out: dict[str, Any] = dict(
            cov=covs, var=variances, mean=self.sum / n_tot,
            block_n=self.block_n.copy(), block_tr=self.block_tr, block_fro2=self.block_fro2,
            c2=self.c2 / self.c2_pairs, lag_pairs=self.lag_pairs.copy(),
        )
        if self.psi_stream:
            with np.errstate(invalid="ignore", divide="ignore"):
                out["psi_cross"] = self.psi / self.psi_pairs / self.N
            out["psi_pairs"] = self.psi_pairs.copy()
        if self.lagged is not None:
            self.lagged /= self.lag_pairs[1:, None, None]
            out["lagged"] = self.lagged
        if self.blocks is not None:
            out["blocks"] = self.blocks
        return out


# ----------------------------------------------------------------------------
# results
# ----------------------------------------------------------------------------
@dataclasses.dataclass(eq=False)
class NetworkStats:
    """Accumulated statistics of one network (time in units of the neuronal time constant).

    Attributes
    ----------
    label : str
        Caller's name for the network (used in error messages).
    seed : int
        Network seed (initial conditions used stream 1 of it).
    N : int
        Number of neurons.
    n_vectors : int
        Sample vectors used, ``n_samples * trajectories``.
    cov_phi, cov_x : ndarray or None
        ``C^phi_ij(0)``, ``C^x_ij(0)`` (Eq. 16 / M6, means not subtracted), (N, N)
        float64; None when simulated with ``covariances=False``.
    var_phi, var_x : ndarray
        Their diagonals ``C_ii(0)``, (N,) (kept in either case).
    mean_phi, mean_x : ndarray
        Time- and trajectory-averaged activity, (N,).
    lags : ndarray
        Lags ``tau`` in time units, ``0, s, 2s, ... , K s`` (``s`` = sample interval).
    c_phi_tau, c_x_tau : ndarray
        Neuron-averaged two-point functions ``C^a(tau) = N^-1 tr C^a(tau)`` (Eq. 19).
    psi_phi_cross : ndarray
        ``Psi^phi(tau, 0) = N^-1 sum_ij C_ij(0) C_ij(tau)`` (Eq. 24) by the
        streamed cross-block estimator (``nan`` where no pairs).
    block_n : ndarray
        Sample vectors per time block, (n_blocks,).
    block_tr_phi, block_fro2_phi, block_tr_x, block_fro2_x : ndarray
        Per block: ``tr S_b`` and ``||S_b||_F^2`` of the unnormalized block sums.
    lagged_phi : ndarray or None
        ``C^phi_ij(tau_k)`` for ``k = 1..K`` (shape (K, N, N)) if requested.
    record_t, record_phi, record_x : ndarray or None
        Last ``record_samples`` samples of trajectory 0: times (R,), ``phi`` and
        ``x`` (R, N), if requested.
    block_sums_phi : ndarray or None
        Unnormalized per-block sums of outer products ``S_b`` of ``phi``
        (shape (n_blocks, N, N), symmetric; ``block_n`` vectors each) if
        ``store_blocks`` was requested: the cross-block estimator of any
        transformed covariance (e.g. ``diag(w) C diag(w)``) needs them.
    """

    label: str
    seed: int
    N: int
    n_vectors: int
    cov_phi: np.ndarray | None
    cov_x: np.ndarray | None
    var_phi: np.ndarray
    var_x: np.ndarray
    mean_phi: np.ndarray
    mean_x: np.ndarray
    lags: np.ndarray
    c_phi_tau: np.ndarray
    c_x_tau: np.ndarray
    psi_phi_cross: np.ndarray
    block_n: np.ndarray
    block_tr_phi: np.ndarray
    block_fro2_phi: np.ndarray
    block_tr_x: np.ndarray
    block_fro2_x: np.ndarray
    lagged_phi: np.ndarray | None = None
    record_t: np.ndarray | None = None
    record_phi: np.ndarray | None = None
    record_x: np.ndarray | None = None
    block_sums_phi: np.ndarray | None = None


@dataclasses.dataclass(eq=False)
class SimulationResult:
    """Output of :func:`simulate`: per-network statistics plus bookkeeping.

    Attributes
    ----------
    networks : list of NetworkStats
        In the order of the input couplings.
    N : int
        Neurons per network.
    trajectories : int
        Independent trajectories per network.
    dt : float
        RK4 step.
    dtype : str
        Dtype of the dynamics (statistics are float64).
    t_burn : float
        Burn-in per trajectory (time units, not sampled).
    sample_interval : float
        Time between samples.
    n_samples : int
        Samples per trajectory.
    t_sampled : float
        Sampled time per trajectory, ``n_samples * sample_interval``.
    trajectory_time_units : float
        ``t_sampled * trajectories`` per network.
    n_blocks : int
        Time blocks of the cross-block estimators.
    phi_impl : str
        ``phi`` implementation used in the dynamics ("scipy" or "fast").
    steps : int
        RK4 steps per trajectory including burn-in.
    wall_s : float
        Wall-clock time of the run.
    """

    networks: list[NetworkStats]
    N: int
    trajectories: int
    dt: float
    dtype: str
    t_burn: float
    sample_interval: float
    n_samples: int
    t_sampled: float
    trajectory_time_units: float
    n_blocks: int
    phi_impl: str
    steps: int
    wall_s: float

    def bookkeeping(self) -> dict[str, Any]:
        """Scalar fields (everything but the statistics).

        Returns
        -------
        dict
        """
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if f.name != "networks"}


# ----------------------------------------------------------------------------
# simulator
# ----------------------------------------------------------------------------
def simulate(
    J: np.ndarray | Sequence[np.ndarray],
    labels: Sequence[str],
    seeds: Sequence[int],
    *,
    trajectories: int = 32,
    t_burn: float = 200.0,
    t_sample: float = 1000.0,
    sample_interval: float = 1.0,
    dt: float = 0.05,
    dtype=None,
    max_lag: float = 20.0,
    n_blocks: int = 8,
    x0_std: float = 1.0,
    store_lagged: bool = False,
    record_samples: int = 0,
    phi_impl: str = "auto",
    store_blocks: bool = False,
    covariances: bool = True,
) -> SimulationResult:
    r"""Simulate ``(1 + d/dt) x = J phi(x)`` (Eq. 15) for several networks, accumulating
    statistics.

    All networks (same ``N``) and their ``trajectories`` independent initial
    conditions advance together: each RK4 stage (App. M2, ``dt = 0.05``) is one
    batched product ``(networks, N, N) @ (networks, N, trajectories)``.  After
    ``t_burn`` time units, every ``sample_interval`` time units the state is
    sampled and only running sums are updated (float64):

    * ``C^phi_ij(0)``, ``C^x_ij(0)`` (Eq. 16 at ``tau = 0``, estimator Eq. M6
      with the ``1/T`` normalization; means not subtracted, see module doc);
    * neuron-averaged ``C^a(tau)`` (Eq. 19) for ``tau = 0, s, ..., max_lag``;
    * ``Psi^phi(tau, 0)`` (Eqs. 24, 28) for the same lags by the streamed
      cross-block estimator, from a ring buffer of the last ``max_lag / s + 1``
      samples per trajectory;
    * block scalars for the cross-block dimension estimator;
    * optionally the lagged matrices ``C^phi_ij(tau)`` (``K N^2`` memory) and
      a window of trajectory 0.

    Initial conditions: ``x_i(0) ~ N(0, x0_std^2)`` i.i.d., from stream 1 of
    each network's seed, independent of the batch composition.  With a
    fixed ``trajectories``, a network's result is bit-for-bit the same whether
    simulated alone or batched (per-slice BLAS calls, elementwise updates).

    Memory per network: ``4 N^2`` float64 for the running sums (two per
    variable), ``2 (max_lag/s + 1) N B`` float64 ring buffers, ``N^2`` for
    ``J`` in ``dtype``; plus ``(max_lag/s) N^2`` float64 if ``store_lagged``.

    Parameters
    ----------
    J : ndarray or sequence of ndarray or of LowRankCouplings
        ``(N, N)``, ``(networks, N, N)``, a list of ``(N, N)`` couplings, or a list
        of :class:`LowRankCouplings` of one rank (applied as two thin products).
    labels : sequence of str
        One per network, naming it by its parameters (used in errors).
    seeds : sequence of int
        One per network (initial conditions).
    trajectories : int
        Independent trajectories per network ``B``.
    t_burn : float
        Burn-in time, not sampled (time units; multiple of ``dt``).
    t_sample : float
        Sampled time per trajectory (rounded to a multiple of ``sample_interval``).
    sample_interval : float
        Time between samples (multiple of ``dt``); default 1 as in App. M2.
    dt : float
        RK4 step (0.05 in the paper).
    dtype : numpy dtype, optional
        float32 or float64 for the dynamics; default ``J``'s dtype.
    max_lag : float
        Largest lag for ``C(tau)`` and ``Psi(tau, 0)`` (multiple of ``sample_interval``).
    n_blocks : int
        Time blocks for the cross-block estimators (>= 2 for them to exist).
    x0_std : float
        Standard deviation of the initial preactivations.
    store_lagged : bool
        Also accumulate full lagged matrices ``C^phi_ij(tau)`` (Fig. 9, plain ``Psi``).
    record_samples : int
        Keep the last this many samples of trajectory 0 (``phi`` and ``x``).
    phi_impl : {"auto", "scipy", "fast"}
        ``phi`` in the dynamics (:func:`phi`; "auto" = fast float32 polynomial
        for float32, scipy's erf for float64).  Statistics always use scipy's
        erf on the float64 state.
    store_blocks : bool
        Also keep the per-block sums of outer products of ``phi``
        (``NetworkStats.block_sums_phi``, ``n_blocks N^2`` float64 per network),
        for cross-block estimates of transformed covariances.  Nothing else
        changes.
    covariances : bool
        Accumulate the ``N x N`` covariances (default).  False keeps only what
        needs no matrix: per-neuron variances, means, block traces and the
        neuron-averaged ``C(tau)`` (for ``C^phi(0)`` of many networks); then
        ``cov_phi``, ``cov_x`` are None, ``Psi`` and the block norms are NaN
        and the dimension estimators raise.

    Returns
    -------
    SimulationResult
        Per-network :class:`NetworkStats` and the bookkeeping.

    Raises
    ------
    FloatingPointError
        If any state becomes non-finite (NaN or overflow); the message names the
        network by its label and gives the time.
    """
    t_start = time.perf_counter()
    Js = (J[None] if J.ndim == 2 else J) if isinstance(J, np.ndarray) else list(J)
    n_net = len(Js)
    if len(labels) != n_net or len(seeds) != n_net:
        raise ValueError("need one label and one seed per network")
    dtp = np.dtype(dtype if dtype is not None else (
        Js[0].U if isinstance(Js[0], LowRankCouplings) else Js[0]).dtype)
    if dtp not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dtp}")
    N = Js[0].shape[0]
    operator = _stacked_couplings(Js, dtp)
    B = int(trajectories)
    steps_per_sample = _n_steps(sample_interval, dt, "sample_interval")
    burn_steps = _n_steps(t_burn, dt, "t_burn")
    n_samples = int(round(t_sample / sample_interval))
    K = int(round(max_lag / sample_interval))
    if abs(K * sample_interval - max_lag) > 1e-9 * max(1.0, max_lag):
        raise ValueError("max_lag must be a multiple of sample_interval")

    x = np.empty((n_net, N, B), dtp)
    for i, s in enumerate(seeds):
        x[i] = (x0_std * _rng(s, 1).standard_normal((N, B))).astype(dtp)
    rk = _RK4(operator, B, dt, phi_impl)

    m_phi = _Moments(n_net, N, B, n_samples, n_blocks, K, psi_stream=covariances,
                     lagged=store_lagged, keep_blocks=store_blocks, covariances=covariances)
    m_x = _Moments(n_net, N, B, n_samples, n_blocks, K, psi_stream=False, lagged=False,
                   covariances=covariances)
    R = int(record_samples)
    rec_phi = np.zeros((n_net, R, N)) if R else None
    rec_x = np.zeros((n_net, R, N)) if R else None
    a_x = np.empty((n_net, N, B))
    a_phi = np.empty((n_net, N, B))

    def check(step: int) -> None:
        ok = np.isfinite(x).reshape(n_net, -1).all(axis=1)
        if not ok.all():
            bad = [labels[i] for i in np.flatnonzero(~ok)]
            raise FloatingPointError(
                f"non-finite state (NaN or overflow) at t = {step * dt:.4g} "
                f"(dt = {dt}, dtype = {dtp.name}) in network(s): {', '.join(bad)}")

    step = 0
    with np.errstate(all="ignore"):
        for _ in range(burn_steps):
            rk.step(x)
            step += 1
            if step % steps_per_sample == 0:
                check(step)
        check(step)
        for s in range(n_samples):
            for _ in range(steps_per_sample):
                rk.step(x)
            step += steps_per_sample
            check(step)
            np.copyto(a_x, x)
            phi(a_x, out=a_phi, impl="scipy")  # float64 phi of the current state
            m_phi.add(a_phi)
            m_x.add(a_x)
            if R:
                r = s % R
                rec_phi[:, r] = a_phi[:, :, 0]
                rec_x[:, r] = a_x[:, :, 0]
    fp = m_phi.finalize()
    fx = m_x.finalize()
    lags = np.arange(K + 1) * sample_interval
    rec_t = None
    if R:
        n_rec = min(R, n_samples)
        order = [(n_samples - n_rec + j) % R for j in range(n_rec)]
        rec_t = (t_burn + sample_interval * (np.arange(n_samples - n_rec, n_samples) + 1))
        rec_phi = rec_phi[:, order]
        rec_x = rec_x[:, order]
    nets = []
    for i in range(n_net):
        nets.append(NetworkStats(
            label=str(labels[i]), seed=int(seeds[i]), N=N, n_vectors=n_samples * B,
            cov_phi=fp["cov"][i], cov_x=fx["cov"][i], var_phi=fp["var"][i], var_x=fx["var"][i],
            mean_phi=fp["mean"][i], mean_x=fx["mean"][i],
            lags=lags, c_phi_tau=fp["c2"][i] / N, c_x_tau=fx["c2"][i] / N,
            psi_phi_cross=fp["psi_cross"][i] if "psi_cross" in fp else np.full(K + 1, np.nan),
            block_n=fp["block_n"],
            block_tr_phi=fp["block_tr"][i], block_fro2_phi=fp["block_fro2"][i],
            block_tr_x=fx["block_tr"][i], block_fro2_x=fx["block_fro2"][i],
            lagged_phi=fp["lagged"][i] if "lagged" in fp else None,
            record_t=rec_t, record_phi=None if rec_phi is None else rec_phi[i],
            record_x=None if rec_x is None else rec_x[i],
            block_sums_phi=fp["blocks"][i] if "blocks" in fp else None,
        ))
    return SimulationResult(
        networks=nets, N=N, trajectories=B, dt=dt, dtype=dtp.name, t_burn=t_burn,
        sample_interval=sample_interval, n_samples=n_samples,
        t_sampled=n_samples * sample_interval,
        trajectory_time_units=n_samples * sample_interval * B, n_blocks=n_blocks,
        phi_impl=rk.phi_impl, steps=burn_steps + n_samples * steps_per_sample,
        wall_s=time.perf_counter() - t_start,
    )


# ----------------------------------------------------------------------------
# estimators and summaries
# ----------------------------------------------------------------------------
def participation_ratio(C: np.ndarray) -> float:
    r"""Plain participation ratio ``PR = (tr C)^2 / (N ||C||_F^2)`` (Eqs. 20-21).

    Equivalent to ``(sum lambda)^2 / (N sum lambda^2)`` over the eigenvalues
    of the symmetric ``C``.  Biased low when ``C`` is estimated from finite
    samples (see module doc).

    Parameters
    ----------
    C : ndarray
        Symmetric (N, N) covariance.

    Returns
    -------
    float
        In ``[1/N, 1]``.
    """
    N = C.shape[0]
    tr = float(np.trace(C))
    return tr * tr / (N * float(np.vdot(C, C)))


def pr_crossblock(block_n: np.ndarray, block_tr: np.ndarray, block_fro2: np.ndarray,
                  total_fro2: float, N: int) -> float:
    r"""Cross-block participation ratio from block scalars (Eqs. 20-21, bias removed).

    With unnormalized block sums ``S_b`` (``n_b`` vectors),
    ``PR = [sum_{a!=b} trS_a trS_b / W] / (N [sum_{a!=b} tr(S_a S_b) / W])``,
    ``W = sum_{a!=b} n_a n_b``, using
    ``sum_{a!=b} tr(S_a S_b) = ||S||^2 - sum_b ||S_b||^2`` and the analogous
    identity for the traces.

    Parameters
    ----------
    block_n : ndarray
        Vectors per block.
    block_tr : ndarray
        ``tr S_b``.
    block_fro2 : ndarray
        ``||S_b||_F^2``.
    total_fro2 : float
        ``||sum_b S_b||_F^2``.
    N : int
        Dimension.

    Returns
    -------
    float
        Estimate of PR (``nan`` with fewer than two blocks).
    """
    if len(block_n) < 2:
        return float("nan")
    n = float(np.sum(block_n))
    w = n * n - float(np.sum(block_n**2))
    tr_all = float(np.sum(block_tr))
    num = (tr_all * tr_all - float(np.sum(block_tr**2))) / w
    den = (total_fro2 - float(np.sum(block_fro2))) / w
    return num / (N * den)


def _pr(stats: NetworkStats, var: str, estimator: str) -> float:
    C = stats.cov_phi if var == "phi" else stats.cov_x
    if C is None:
        raise ValueError(f"network {stats.label}: the dimension needs the covariances "
                         "(it was simulated with covariances=False)")
    if estimator == "plain":
        return participation_ratio(C)
    if estimator == "crossblock":
        n_tot = float(np.sum(stats.block_n))
        total = float(np.vdot(C, C)) * n_tot * n_tot
        tr = stats.block_tr_phi if var == "phi" else stats.block_tr_x
        f2 = stats.block_fro2_phi if var == "phi" else stats.block_fro2_x
        return pr_crossblock(stats.block_n, tr, f2, total, stats.N)
    raise ValueError(f"unknown estimator {estimator!r}; choose from {list(ESTIMATORS)}")


def c_phi0(stats: NetworkStats) -> float:
    """``C^phi(0) = N^-1 tr C^phi(0)``, the mean diagonal (Eq. 19 at ``tau = 0``).

    Parameters
    ----------
    stats : NetworkStats

    Returns
    -------
    float
    """
    return float(stats.var_phi.sum()) / stats.N


def c_x0(stats: NetworkStats) -> float:
    """``C^x(0) = N^-1 tr C^x(0)`` (Eq. 19 at ``tau = 0``).

    Parameters
    ----------
    stats : NetworkStats

    Returns
    -------
    float
    """
    return float(stats.var_x.sum()) / stats.N


def pr_phi(stats: NetworkStats, estimator: str = "crossblock") -> float:
    """Dimension of activity ``PR^phi`` (Eqs. 20-21, 26).

    Parameters
    ----------
    stats : NetworkStats
    estimator : {"crossblock", "plain"}
        See :data:`ESTIMATORS`.

    Returns
    -------
    float
    """
    return _pr(stats, "phi", estimator)


def pr_x(stats: NetworkStats, estimator: str = "crossblock") -> float:
    """Dimension of preactivations ``PR^x`` (Eqs. 20-21; Fig. 10a bottom).

    Parameters
    ----------
    stats : NetworkStats
    estimator : {"crossblock", "plain"}

    Returns
    -------
    float
    """
    return _pr(stats, "x", estimator)


def psi_phi(stats: NetworkStats, estimator: str = "crossblock") -> tuple[np.ndarray, np.ndarray]:
    r"""Four-point function ``Psi^phi(tau, 0) = N^-1 sum_ij C_ij(tau) C_ij(0)`` (Eqs. 24, 28).

    Parameters
    ----------
    stats : NetworkStats
    estimator : {"crossblock", "plain"}
        ``"crossblock"``: streamed cross-block estimate (always available);
        ``"plain"``: ``N^-1 tr(C(0) C(tau))`` from all samples, needs
        ``store_lagged=True``.

    Returns
    -------
    lags : ndarray
        ``tau`` in time units.
    psi : ndarray
        ``Psi^phi(tau, 0)``.
    """
    if estimator == "crossblock":
        return stats.lags, stats.psi_phi_cross
    if estimator == "plain":
        if stats.lagged_phi is None:
            raise ValueError("plain Psi(tau, 0) needs simulate(..., store_lagged=True)")
        C0 = stats.cov_phi
        vals = [float(np.vdot(C0, C0))] + [float(np.vdot(C0, Ck)) for Ck in stats.lagged_phi]
        return stats.lags, np.array(vals) / stats.N
    raise ValueError(f"unknown estimator {estimator!r}")


def psi_phi_normalized(stats: NetworkStats, estimator: str = "crossblock"
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Normalized ``Psi^phi(tau, 0) / Psi^phi(0, 0)`` (Fig. 4b).

    Parameters
    ----------
    stats : NetworkStats
    estimator : {"crossblock", "plain"}

    Returns
    -------
    lags, psi_normalized : ndarray
    """
    lags, p = psi_phi(stats, estimator)
    return lags, p / p[0]


def covariance_spectrum(stats: NetworkStats, var: str = "phi") -> np.ndarray:
    """Eigenvalues of ``C^a(0)``, sorted in decreasing order (Eq. 20; Fig. 10b).

    Parameters
    ----------
    stats : NetworkStats
    var : {"phi", "x"}

    Returns
    -------
    ndarray
        Shape (N,).
    """
    C = stats.cov_phi if var == "phi" else stats.cov_x
    return np.linalg.eigvalsh(C)[::-1].copy()


def mean_activity_ratio(stats: NetworkStats, var: str = "phi") -> float:
    """Largest ``|<a_i>| / sqrt(C_ii)`` over neurons: ~``1/sqrt(n_eff)`` when the mean is zero.

    Parameters
    ----------
    stats : NetworkStats
    var : {"phi", "x"}

    Returns
    -------
    float
    """
    m = stats.mean_phi if var == "phi" else stats.mean_x
    variance = stats.var_phi if var == "phi" else stats.var_x
    return float(np.max(np.abs(m) / np.sqrt(variance)))


def pc_autocorrelations(stats: NetworkStats, n_pcs: int | None = None) -> dict[str, np.ndarray]:
    r"""Principal-component autocorrelations ``<p_k(t) p_k(t+tau)>`` (Eqs. 27-28; Fig. 9b-d).

    ``<p_k(t) p_k(t + tau)> = v_k^T C(tau) v_k / lambda_k`` with ``v_k``,
    ``lambda_k`` the eigenpairs of ``C^phi(0)``.  Needs ``store_lagged=True``.

    Parameters
    ----------
    stats : NetworkStats
    n_pcs : int, optional
        Number of leading PCs returned individually (default all).

    Returns
    -------
    dict
        ``lags``; ``eigenvalues`` (descending); ``acf`` (n_pcs, lags);
        ``lambda_weighted`` ``= N^-1 sum_k lambda_k <p_k p_k(tau)>`` (equals
        ``C^phi(tau)``) and ``lambda2_weighted`` ``= N^-1 sum_k lambda_k^2
        <p_k p_k(tau)>`` (equals ``Psi^phi(tau, 0)``, Eq. 28), over all PCs.
    """
    if stats.lagged_phi is None:
        raise ValueError("needs simulate(..., store_lagged=True)")
    lam, V = np.linalg.eigh(stats.cov_phi)
    lam, V = lam[::-1], V[:, ::-1]
    mats = [stats.cov_phi] + list(stats.lagged_phi)
    quad = np.array([np.einsum("ik,ij,jk->k", V, Ck, V) for Ck in mats])  # (lags, N): v^T C v
    acf = (quad / lam).T
    N = stats.N
    n = N if n_pcs is None else int(n_pcs)
    return dict(lags=stats.lags, eigenvalues=lam, acf=acf[:n],
                lambda_weighted=quad.sum(axis=1) / N,
                lambda2_weighted=(quad * lam).sum(axis=1) / N)


def pc_traces(stats: NetworkStats, ks: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Principal-component traces ``p_k(t) = v_k^T phi(t) / sqrt(lambda_k)`` (Eq. 27; Fig. 9a).

    From the recorded window of trajectory 0 (``record_samples > 0``).

    Parameters
    ----------
    stats : NetworkStats
    ks : sequence of int
        PC indices, 0-based in decreasing eigenvalue order.

    Returns
    -------
    t : ndarray
        Sample times (time units).
    p : ndarray
        Shape (len(ks), samples).
    """
    if stats.record_phi is None:
        raise ValueError("needs simulate(..., record_samples=R)")
    lam, V = np.linalg.eigh(stats.cov_phi)
    lam, V = lam[::-1], V[:, ::-1]
    ks = list(ks)
    return stats.record_t, (stats.record_phi @ V[:, ks] / np.sqrt(lam[ks])).T


def time_by_time_covariance(stats: NetworkStats) -> tuple[np.ndarray, np.ndarray]:
    """Time-by-time covariance ``C^phi(t1, t2) = N^-1 sum_i phi_i(t1) phi_i(t2)`` (Eq. 17; Fig. 3).

    From the recorded window of trajectory 0.

    Parameters
    ----------
    stats : NetworkStats

    Returns
    -------
    t : ndarray
        Sample times.
    C : ndarray
        (R, R).
    """
    if stats.record_phi is None:
        raise ValueError("needs simulate(..., record_samples=R)")
    a = stats.record_phi
    return stats.record_t, a @ a.T / stats.N


# ----------------------------------------------------------------------------
# known case for the estimators
# ----------------------------------------------------------------------------
def gaussian_reference_case(
    N: int, pr_true: float, n_samples: int, trajectories: int, tau_c: float,
    n_blocks: int = 8, seed: int = 0, max_lag: int = 10,
) -> dict[str, float | np.ndarray]:
    r"""Estimators on Gaussian samples with known covariance and correlation time.

    Samples ``y(t)`` (sample interval 1 time unit) are AR(1):
    ``y(t) = rho y(t-1) + sqrt(1 - rho^2) Lambda^{1/2} xi(t)``,
    ``rho = exp(-1/tau_c)``, stationary start, ``B = trajectories``
    independent chains.  ``Lambda`` is diagonal with eigenvalues
    ``exp(-2 beta k / N)`` (``beta`` solved so that their PR equals
    ``pr_true`` exactly); the estimators are rotation invariant, so a diagonal
    covariance is as general as any.  Exact values: ``PR = pr_true`` and
    ``Psi(tau, 0) / Psi(0, 0) = rho^tau``.  The samples go through the same
    accumulator as :func:`simulate`.

    Parameters
    ----------
    N : int
        Dimension.
    pr_true : float
        Participation ratio of the true covariance.
    n_samples : int
        Samples per chain (time units).
    trajectories : int
        Independent chains.
    tau_c : float
        Correlation time in time units.
    n_blocks : int
        Time blocks.
    seed : int
        RNG seed.
    max_lag : int
        Lags for ``Psi`` (time units).

    Returns
    -------
    dict
        ``pr_true``, ``pr_plain``, ``pr_crossblock``,
        ``pr_plain_predicted`` (first-order bias formula, see module doc),
        ``psi_norm`` (cross-block normalized ``Psi(tau, 0)``),
        ``psi_norm_true``, ``lags``.
    """
    lam = exponential_spectrum(N, solve_beta_d(N, pr_true)) ** 2
    sq = np.sqrt(lam)[None, :, None]
    rho = math.exp(-1.0 / tau_c)
    rng = np.random.default_rng(seed)
    B = trajectories
    y = sq * rng.standard_normal((1, N, B))
    acc = _Moments(1, N, B, n_samples, n_blocks, max_lag, psi_stream=True, lagged=False)
    c = math.sqrt(1.0 - rho * rho)
    for _ in range(n_samples):
        y = rho * y + c * sq * rng.standard_normal((1, N, B))
        acc.add(np.ascontiguousarray(y))
    out = acc.finalize()
    C = out["cov"][0]
    n_tot = float(np.sum(out["block_n"]))
    pr_cb = pr_crossblock(out["block_n"], out["block_tr"][0], out["block_fro2"][0],
                          float(np.vdot(C, C)) * n_tot**2, N)
    kappa = (1 + rho * rho) / (1 - rho * rho)
    psi = out["psi_cross"][0]
    lags = np.arange(max_lag + 1, dtype=float)
    return dict(pr_true=float(spectrum_pr(np.sqrt(lam))), pr_plain=participation_ratio(C),
                pr_crossblock=pr_cb,
                pr_plain_predicted=1.0 / ((1.0 + kappa / n_tot) / pr_true + N * kappa / n_tot),
                psi_norm=psi / psi[0], psi_norm_true=rho**lags, lags=lags)


# ----------------------------------------------------------------------------
# benchmark
# ----------------------------------------------------------------------------
def benchmark(N: int, trajectories: int = 64, networks: int = 1, dtype=np.float64,
              t_sample: float = 20.0, seed: int = 0, phi_impl: str = "auto",
              repeats: int = 3, modes: int | None = None, covariances: bool = True
              ) -> dict[str, Any]:
    """Throughput of :func:`simulate` against the bare matrix-product floor at the same shapes.

    Runs short simulations (no burn-in, ``t_sample`` time units sampled every
    time unit, full statistics: time in units of the neuronal time constant,
    RK4 with ``dt = 0.05``) of i.i.d. networks with ``g = 3`` (or of step-spectrum
    networks of ``modes`` modes, applied as thin factors when cheaper), and times
    the four products by the couplings one RK4 step needs.
    Simulation and floor are timed alternately ``repeats`` times and the
    fastest of each is kept (robust to other load on a shared machine; the
    1-minute load average is returned).  Uses whatever BLAS threads the
    environment allows.

    Parameters
    ----------
    N : int
        Neurons.
    trajectories : int
        Trajectories per network.
    networks : int
        Networks batched together.
    dtype : numpy dtype
        Dynamics dtype.
    t_sample : float
        Simulated time units per trajectory and repeat.
    seed : int
        Seed.
    phi_impl : {"auto", "scipy", "fast"}
        ``phi`` in the dynamics.
    repeats : int
        Alternating timing repeats.
    modes : int, optional
        Time step-spectrum networks of this many non-zero modes instead (in the
        form :meth:`LowRankCouplings.for_simulation` picks).
    covariances : bool
        Accumulate the covariance matrices (see :func:`simulate`).

    Returns
    -------
    dict
        ``seconds_per_step`` (one RK4 step of the whole batch, statistics
        included), ``floor_seconds_per_step`` (4 bare matmuls),
        ``floor_ratio`` (floor / actual, 1 = matmul-bound),
        ``traj_time_units_per_s`` (all networks together, = networks *
        trajectories * dt / seconds_per_step), ``per_network_traj_time_units_per_s``,
        ``gflops`` achieved by the bare matmuls, ``loadavg``.
    """
    import os

    dtp = np.dtype(dtype)
    if modes is None:
        Js = np.stack([iid_couplings(N, 3.0, seed + i, dtp) for i in range(networks)])
    else:
        step = random_mode_spectrum(N, modes / N, 3.0, "step")
        Js = [coupling_factors(N, step, seed + i).for_simulation(dtp) for i in range(networks)]
    dt = 0.05
    labels = [f"bench{i}" for i in range(networks)]
    seeds = list(range(networks))
    # warm-up (page faults, BLAS buffers)
    simulate(Js, labels, seeds, trajectories=trajectories, t_burn=0.0,
             t_sample=2.0, max_lag=1.0, n_blocks=2, phi_impl=phi_impl,
             covariances=covariances)
    X = np.random.default_rng(seed).standard_normal((networks, N, trajectories)).astype(dtp)
    out = np.empty_like(X)
    products = _RK4(_stacked_couplings(Js, dtp), trajectories, dt, phi_impl)
    sps, floors = [], []
    impl = None
    for _ in range(repeats):
        res = simulate(Js, labels, seeds, trajectories=trajectories, t_burn=0.0,
                       t_sample=t_sample, max_lag=float(min(20, int(t_sample) // 2)), n_blocks=2,
                       phi_impl=phi_impl, covariances=covariances)
        impl = res.phi_impl
        sps.append(res.wall_s / res.steps)
        reps = max(3, int(0.3 / max(1e-6, sps[-1])))
        t0 = time.perf_counter()
        for _ in range(reps):
            for _ in range(4):
                products.apply(X, out)
        floors.append((time.perf_counter() - t0) / reps)
    s_min, f_min = min(sps), min(floors)
    product = 2.0 * N * (2 * Js[0].rank if isinstance(Js[0], LowRankCouplings) else N)
    return dict(N=N, modes=modes, trajectories=trajectories, networks=networks,
                dtype=dtp.name,
                phi_impl=impl, seconds_per_step=s_min, floor_seconds_per_step=f_min,
                floor_ratio=f_min / s_min,
                traj_time_units_per_s=networks * trajectories * dt / s_min,
                per_network_traj_time_units_per_s=trajectories * dt / s_min,
                gflops=4 * product * networks * trajectories / f_min / 1e9,
                loadavg=os.getloadavg()[0])

