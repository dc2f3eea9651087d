r"""Right-left mode overlaps (Clark et al., PRX 15, 041019, Sec. VII, Apps. H, K, M1).

The model
---------
Each mode pair ``(l_a, r_a)`` is drawn from a zero-mean bivariate Gaussian with
marginal variance ``1/N`` and covariance ``rho_a / N`` (Sec. VII), built from
independent ``N(0, 1/N)`` matrices ``X1, X2, Y`` as (Eqs. K1-K2)

.. math::  L_{ia} = \sqrt{1-|\rho_a|} X^1_{ia} + \sqrt{|\rho_a|} Y_{ia},\quad
           R_{ia} = \sqrt{1-|\rho_a|} X^2_{ia} + \mathrm{sgn}(\rho_a)\sqrt{|\rho_a|} Y_{ia},

so ``l_a . r_a = rho_a + O(N^-1/2)``.  The overlap profile is the sigmoid of
Eq. K35, ``rho_a = gamma_rho (1 - 2 / (1 + exp[-beta_rho (a/N - u_flip)]))``
``= -gamma_rho tanh(beta_rho (a/N - u_flip) / 2)``: ``+gamma_rho`` for the
leading (strong) modes, ``-gamma_rho`` for the trailing ones, ``beta_rho = 16``,
and ``u_flip`` set so that ``<D rho> = 0`` (no ``O(1)`` self-couplings,
``<J_ii> = alpha <D rho> = 0``, Eq. 50).  ``u_flip`` depends on the
``D`` spectrum only, not on ``gamma_rho``.  As for Fig. 7: ``alpha = 1`` and
``D_a ∝ exp(-beta_D a / N)``.

Single site (Eqs. 47-49, K25-K28)
---------------------------------
``(1 + d/dt) x = eta + [R * phi](t)`` with ``eta ~ GP(0, Q)``,

.. math::  Q(\omega) = \alpha\langle D^2 / |1 - D\rho S(\omega)|^2\rangle C^\phi(\omega),
           \qquad R(\omega) = \alpha\langle D\rho / (1 - D\rho S(\omega))\rangle,

``C^phi(tau) = <phi(t) phi(t + tau)>`` and ``S(tau) = <delta phi(t + tau) / delta I(t)>``
solved self-consistently.  The process is not Gaussian (the self-coupling), so
it is solved by sampling as in App. M1: ``N_sample`` Gaussian-process paths
``eta`` (circulant embedding, exact on the grid), paths integrated with the
self-coupling, the response from the Furutsu-Novikov relation
``C^{phi eta} = S * Q`` (solved as a Toeplitz system in the time domain),
damped updates ``C <- 0.2 C_old + 0.8 C_new`` (same for ``S``) and averages over
the last iterations (:func:`solve_single_site`), optionally with a control
variate and a frozen-noise warm-up (see there).  The partially
symmetric i.i.d. network of App. H has the same structure with ``Q = g^2 C^phi``
and ``R = sigma S``, ``sigma = rho g^2`` (Eqs. H16-H17); with ``rho = 0`` it is
the i.i.d. network whose solution is known in closed form
(:mod:`rnnrepro.clark2025.theory`), which is how the solver is validated.

Four-point function (Eq. 51)
----------------------------
``Psi^phi = [V - 1 + {(1 + X_12)(1 + X_21^*)/(1 - W^*) + c.c.}] / |1 - U|^2 C_12``
with ``Sigma_k = S_k / (1 - D rho S_k)``, ``U = alpha<D^2 Sigma_1 Sigma_2>``,
``V = alpha<D^4 |Sigma_1 Sigma_2|^2>``, ``W = alpha<D^2 rho^2 Sigma_1^* Sigma_2>``,
``X_12 = alpha<D^3 rho Sigma_1 |Sigma_2|^2>`` (``X_21``: ``1 <-> 2``).  This is
the upper-left element of the inverse of the Hessian K29 (checked numerically
in the tests); ``rho = 0`` gives Eq. 38, and the partially symmetric limit
(large ``alpha``, ``D -> 0``, ``alpha <(D rho)^2> = sigma``) gives Eq. H19.
``PR^phi = C^phi(0)^2 / Psi^phi(0, 0)`` (Eq. 26).

The double frequency integral is done in rotated coordinates
``nu = omega_1 + omega_2``, ``w = (omega_1 - omega_2)/2`` (unit Jacobian) with
graded Gauss-Legendre panels, because the integrand concentrates on the ridge
``nu ~ 0`` with a width ``|1 - U(w, -w)|`` that can be small; the exactly known
part ``int C_12 = C^phi(0)^2`` is subtracted first so that the remainder
decays like ``|S_1 S_2| C_12``.

Public API: see ``__all__``.
"""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import fft as sfft
from scipy import interpolate, linalg, optimize, signal, special
from scipy.linalg import blas

from rnnrepro.clark2025 import model, theory

__all__ = [
    "BETA_RHO",
    "overlap_profile",
    "flip_point",
    "ModeDistribution",
    "overlap_modes",
    "discrete_overlap_modes",
    "sample_mode_pairs",
    "overlap_couplings",
    "PartiallySymmetric",
    "SamplerSettings",
    "PAPER_SETTINGS",
    "CLUSTER_SETTINGS",
    "DEFAULT_SETTINGS",
    "FIG7_GAMMAS",
    "DEFAULT_GAMMAS",
    "SingleSiteSolution",
    "iid_solution",
    "solve_single_site",
    "psi_zero_eq51",
    "psi_zero_h19",
    "dimension_eq51",
    "dimension_h19",
    "overlap_dimension",
    "solved_overlaps",
    "overlap_curve",
    "overlap_table",
    "foh_weights",
]

#: Steepness of the overlap sigmoid of Eq. K35 (the paper's value).
BETA_RHO = 16.0

_SQRT_PI_2 = math.sqrt(math.pi) / 2.0


# ----------------------------------------------------------------------------
# overlap profile and mode distributions
# ----------------------------------------------------------------------------
def overlap_profile(u, gamma_rho: float, u_flip: float, beta_rho: float = BETA_RHO):
    r"""Overlap ``rho(a/N)`` of Eq. K35.

    ``rho = gamma_rho (1 - 2 / (1 + exp[-beta_rho (u - u_flip)]))``
    ``= -gamma_rho tanh(beta_rho (u - u_flip) / 2)`` (overflow-free form).

    Parameters
    ----------
    u : float or ndarray
        Mode position ``a/N`` (``a/M`` with ``alpha = 1``).
    gamma_rho : float
        Overall magnitude and sign of the overlaps, ``|gamma_rho| <= 1``.
    u_flip : float
        Position where ``rho = 0``.
    beta_rho : float
        Steepness (16 in the paper).

    Returns
    -------
    ndarray
        ``rho`` in ``[-|gamma_rho|, |gamma_rho|]``.
    """
    return -gamma_rho * np.tanh(0.5 * beta_rho * (np.asarray(u, float) - u_flip))


def _continuum_beta_d(pr_d: float) -> float:
    """``beta_D`` of the continuum exponential spectrum, ``tanh(beta)/beta = PR^D``."""
    if not 0.0 < pr_d <= 1.0:
        raise ValueError(f"need 0 < PR^D <= 1, got {pr_d}")
    if pr_d == 1.0:
        return 0.0
    return float(optimize.brentq(lambda b: math.tanh(b) / b - pr_d, 1e-12, 2.0 / pr_d + 10.0,
                                 xtol=1e-15, rtol=1e-15))


def flip_point(beta_d: float, beta_rho: float = BETA_RHO) -> float:
    r"""``u_flip`` with ``<D rho> = 0`` for ``D(u) ∝ exp(-beta_D u)``, ``u in (0, 1)`` (App. K3).

    Root of ``int_0^1 exp(-beta_D u) tanh(beta_rho (u - u_flip)/2) du = 0``
    (Gauss-Legendre, 64 panels of 16 nodes: converged to round-off since the
    integrand's singularities lie ``pi / beta_rho`` off the real axis;
    independent of ``gamma_rho`` and ``g_eff``).
    ``beta_D = 0`` gives ``1/2``; a decaying spectrum puts the flip earlier.

    Parameters
    ----------
    beta_d : float
        Decay constant of the continuum spectrum.
    beta_rho : float
        Sigmoid steepness.

    Returns
    -------
    float
        ``u_flip`` in (0, 1/2].
    """
    u, w = _gl_nodes(64, 16)
    d = np.exp(-beta_d * u)

    def mean_d_rho(uf):
        return float(np.dot(w * d, np.tanh(0.5 * beta_rho * (u - uf))))

    return float(optimize.brentq(mean_d_rho, 0.0, 1.0, xtol=1e-15, rtol=1e-15))


@dataclasses.dataclass(frozen=True, eq=False)
class ModeDistribution:
    r"""Joint distribution of ``(D, rho)`` as weighted nodes (Eqs. 48-51).

    ``alpha <f(D, rho)> = alpha * sum_q weights_q f(D_q, rho_q)``.

    Attributes
    ----------
    alpha : float
        ``M / N``.
    D, rho, weights : ndarray
        Nodes and weights (weights sum to 1).
    pr_d, g_eff, gamma_rho, beta_rho, beta_d, u_flip : float
        Parameters (``g_eff = sqrt(alpha <D^2>)``).
    kind : str
        ``"continuum"`` (Gauss-Legendre in ``a/N``) or ``"discrete"`` (finite ``N``).
    """

    alpha: float
    D: np.ndarray
    rho: np.ndarray
    weights: np.ndarray
    pr_d: float
    g_eff: float
    gamma_rho: float
    beta_rho: float
    beta_d: float
    u_flip: float
    kind: str

    def mean(self, values: np.ndarray) -> np.ndarray:
        """``alpha <values>`` over the nodes (last axis).

        Parameters
        ----------
        values : ndarray
            ``(..., n_nodes)``.

        Returns
        -------
        ndarray
        """
        return self.alpha * (values @ self.weights)

    def moments(self) -> dict[str, float]:
        r"""Self-coupling statistics of Eq. 50 and the spectrum moments.

        Returns
        -------
        dict
            ``mean_jii = alpha<D rho>`` (``<J_ii>``), ``n_jij_jji = alpha<(D rho)^2>``
            (``<N J_ij J_ji>``), ``g_eff``, ``pr_d``, ``effective_rank``.
        """
        dr = self.D * self.rho
        r2, r4 = float(self.weights @ self.D**2), float(self.weights @ self.D**4)
        return dict(mean_jii=float(self.mean(dr)), n_jij_jji=float(self.mean(dr * dr)),
                    g_eff=math.sqrt(self.alpha * r2), pr_d=r2 * r2 / r4,
                    effective_rank=self.alpha * r2 * r2 / r4)

    def kernels(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r"""``Q(omega)/C^phi(omega)`` and ``R(omega)`` of Eqs. 48-49 for given ``S^phi(omega)``.

        Parameters
        ----------
        s : ndarray
            ``S^phi(omega)`` (complex), any shape.

        Returns
        -------
        qfac : ndarray
            ``alpha <D^2 / |1 - D rho S|^2>`` (real).
        r : ndarray
            ``alpha <D rho / (1 - D rho S)>`` (complex).
        """
        flat = np.asarray(s, complex).ravel()
        qfac = np.empty(flat.size)
        r = np.empty(flat.size, complex)
        dr = self.D * self.rho
        for sl in _chunks(flat.size, self.D.size):
            inv = 1.0 / (1.0 - flat[sl, None] * dr[None, :])
            qfac[sl] = self.mean(np.abs(inv) ** 2 * self.D**2)
            r[sl] = self.mean(inv * dr)
        return qfac.reshape(np.shape(s)), r.reshape(np.shape(s))


def _gl_nodes(n_panels: int, n_per_panel: int) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss-Legendre nodes and weights on [0, 1] (equal panels)."""
    x, w = np.polynomial.legendre.leggauss(n_per_panel)
    edges = np.linspace(0.0, 1.0, n_panels + 1)
    h = np.diff(edges)
    u = (0.5 * (edges[:-1] + edges[1:])[:, None] + 0.5 * h[:, None] * x[None, :]).ravel()
    return u, (0.5 * h[:, None] * w[None, :]).ravel()


def _chunks(n_rows: int, n_cols: int, budget: int = 1_000_000):
    step = max(1, budget // max(1, n_cols))
    for i in range(0, n_rows, step):
        yield slice(i, min(n_rows, i + step))


def overlap_modes(pr_d: float, g_eff: float, gamma_rho: float, *, beta_rho: float = BETA_RHO,
                  n_panels: int = 16, n_per_panel: int = 8) -> ModeDistribution:
    r"""Continuum (``N -> infinity``) mode distribution of Fig. 7 (App. K3).

    ``alpha = 1``, ``D(u) = c exp(-beta_D u)`` on ``u = a/N in (0, 1)`` with
    ``tanh(beta_D)/beta_D = PR^D`` and ``c`` such that ``<D^2> = g_eff^2``;
    ``rho(u)`` from Eq. K35 with ``u_flip`` from :func:`flip_point`.  Averages
    use composite Gauss-Legendre quadrature (``n_panels`` equal panels with
    ``n_per_panel`` nodes; the integrands are analytic with singularities at
    least ``pi / beta_rho`` from the real axis, or at the pole of
    ``1/(1 - D rho S)``; the default 128 nodes agree with 512 to 1e-10 even at
    ``|D rho S| = 0.8``, see the tests).  The paper instead averaged over
    every other of ``N = 5000`` discrete modes (App. M1), which differs by
    ``O(1/N)``.

    Parameters
    ----------
    pr_d : float
        ``PR^D`` in (0, 1] (the effective rank, since ``alpha = 1``).
    g_eff : float
        Effective gain.
    gamma_rho : float
        Overlap strength, ``|gamma_rho| <= 1``.
    beta_rho : float
        Sigmoid steepness (16).
    n_panels, n_per_panel : int
        Quadrature.

    Returns
    -------
    ModeDistribution
    """
    if abs(gamma_rho) > 1:
        raise ValueError("need |gamma_rho| <= 1")
    beta_d = _continuum_beta_d(pr_d)
    uf = flip_point(beta_d, beta_rho)
    u, wt = _gl_nodes(n_panels, n_per_panel)
    D = np.exp(-beta_d * u)
    D *= g_eff / math.sqrt(float(wt @ D**2))
    rho = overlap_profile(u, gamma_rho, uf, beta_rho)
    return ModeDistribution(alpha=1.0, D=D, rho=rho, weights=wt, pr_d=float(pr_d),
                            g_eff=float(g_eff), gamma_rho=float(gamma_rho),
                            beta_rho=float(beta_rho), beta_d=beta_d, u_flip=uf,
                            kind="continuum")


def discrete_overlap_modes(N: int, pr_d: float, g_eff: float, gamma_rho: float, *,
                           beta_rho: float = BETA_RHO) -> ModeDistribution:
    r"""Mode strengths and overlaps of a finite network (Fig. 7's construction).

    ``D`` is :func:`rnnrepro.clark2025.model.random_mode_spectrum` with the
    exponential kind (``alpha = 1``, ``beta_D`` solved on the finite vector),
    ``rho_a`` is Eq. K35 at ``u = a/N``, ``a = 1..N``, with ``u_flip`` solved on
    the same finite vector so that ``sum_a D_a rho_a = 0`` to round-off.

    Parameters
    ----------
    N : int
        Neurons (= modes).
    pr_d : float
        ``PR^D`` in (1/N, 1].
    g_eff : float
        Effective gain.
    gamma_rho : float
        Overlap strength.
    beta_rho : float
        Sigmoid steepness.

    Returns
    -------
    ModeDistribution
        With uniform weights ``1/N``.
    """
    if abs(gamma_rho) > 1:
        raise ValueError("need |gamma_rho| <= 1")
    sp = model.random_mode_spectrum(N, pr_d, g_eff, kind="exponential")
    u = np.arange(1, N + 1) / N

    def mean_d_rho(uf):
        return float(np.dot(sp.D, np.tanh(0.5 * beta_rho * (u - uf))))

    uf = float(optimize.brentq(mean_d_rho, 0.0, 1.0 + 1.0 / N, xtol=1e-15, rtol=1e-15))
    rho = overlap_profile(u, gamma_rho, uf, beta_rho)
    return ModeDistribution(alpha=1.0, D=sp.D.copy(), rho=rho, weights=np.full(N, 1.0 / N),
                            pr_d=sp.pr_d, g_eff=sp.g_eff, gamma_rho=float(gamma_rho),
                            beta_rho=float(beta_rho), beta_d=sp.beta_d, u_flip=uf,
                            kind="discrete")


def sample_mode_pairs(N: int, rho: np.ndarray, rng: np.random.Generator
                      ) -> tuple[np.ndarray, np.ndarray]:
    r"""Correlated modes ``(l_a, r_a)`` with ``cov = rho_a / N`` (Eqs. K1-K2).

    Parameters
    ----------
    N : int
        Components per mode.
    rho : ndarray
        ``(M,)`` correlations in ``[-1, 1]``.
    rng : numpy Generator
        Source of the three independent ``N(0, 1/N)`` matrices ``X1, X2, Y``
        (drawn in that order, each ``(N, M)``).

    Returns
    -------
    L, R : ndarray
        ``(N, M)``.
    """
    rho = np.asarray(rho, float)
    M = rho.size
    s = 1.0 / math.sqrt(N)
    X1 = rng.standard_normal((N, M)) * s
    X2 = rng.standard_normal((N, M)) * s
    Y = rng.standard_normal((N, M)) * s
    a, b = np.sqrt(1.0 - np.abs(rho)), np.sqrt(np.abs(rho))
    return a * X1 + b * Y, a * X2 + np.sign(rho) * b * Y


def overlap_couplings(modes: ModeDistribution, seed: int, dtype=np.float64) -> np.ndarray:
    r"""Couplings ``J = (L * D) R^T`` with right-left overlaps (Eq. 2, Sec. VII).

    Modes are drawn by :func:`sample_mode_pairs` in chunks of
    :data:`rnnrepro.clark2025.model.MODE_CHUNK` from stream 0 of ``seed``
    (stream 1 seeds the simulator's initial conditions), accumulated in float64.

    Parameters
    ----------
    modes : ModeDistribution
        Must be ``"discrete"`` (one node per mode, ``N = M / alpha``).
    seed : int
        Network seed.
    dtype : numpy dtype
        Output dtype.

    Returns
    -------
    ndarray
        ``(N, N)``.
    """
    if modes.kind != "discrete":
        raise ValueError("couplings need a discrete mode set (discrete_overlap_modes)")
    M = modes.D.size
    N = int(round(M / modes.alpha))
    rng = model._rng(seed, 0)
    J = np.zeros((N, N))
    for a0 in range(0, M, model.MODE_CHUNK):
        sl = slice(a0, a0 + model.MODE_CHUNK)
        L, R = sample_mode_pairs(N, modes.rho[sl], rng)
        J += (L * modes.D[sl]) @ R.T
    return J.astype(dtype, copy=False)


@dataclasses.dataclass(frozen=True)
class PartiallySymmetric:
    r"""Kernels of the partially symmetric i.i.d. network (App. H, Eqs. H16-H17).

    ``<J_ij J_kl> = g^2/N (delta_ik delta_jl + rho delta_il delta_jk)`` gives
    ``Q = g^2 C^phi`` and ``R = sigma S^phi`` with ``sigma = rho g^2``.

    Attributes
    ----------
    g : float
        Coupling strength.
    rho : float
        Reciprocal correlation in ``[-1, 1]``.
    """

    g: float
    rho: float

    @property
    def sigma(self) -> float:
        """``sigma = rho g^2``."""
        return self.rho * self.g**2

    def kernels(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(g^2, sigma S)`` for ``S^phi(omega)``.

        Parameters
        ----------
        s : ndarray
            ``S^phi(omega)``.

        Returns
        -------
        qfac, r : ndarray
        """
        s = np.asarray(s, complex)
        return np.full(s.shape, self.g**2), self.sigma * s


# ----------------------------------------------------------------------------
# sampling solver of the single site (App. M1)
# ----------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class SamplerSettings:
    r"""Settings of the sampling solver (App. M1).

    Attributes
    ----------
    n_samples : int
        Gaussian-process paths per iteration (paper: 10^4).
    n_iter : int
        Damped iterations (paper: 300).
    n_avg : int
        Final estimates are averages over the last ``n_avg`` iterations (paper: 50).
    tau_max : float
        Length of each simulated path (paper: 120); the GP is embedded in a periodic
        grid of length ``tau_max + lag_max + response_max`` (no wrap-around).
    dtau : float
        Time step (paper: 0.04).
    damping : float
        Weight of the old estimate in ``C <- damping C_old + (1 - damping) C_new``
        (paper: 0.2).
    t_burn : float
        Initial part of each path discarded from the statistics (not given in the
        paper).
    lag_max : float
        Largest lag of the estimated ``C^phi`` (set to zero beyond; default
        ``(tau_max - t_burn) / 2``).
    response_max : float
        Support of the estimated response ``S(tau)`` and of ``R(tau)``.
    chunk : int
        Paths integrated together (memory ~ ``3 chunk tau_max/dtau`` floats).
    regularization : float
        Relative input power below which the Novikov ratio is shrunk towards
        ``<phi'> H(omega)`` (:func:`_novikov`).
    control : {"iid", None}
        Control variate: the i.i.d. single site driven by the same white noise
        (see :func:`solve_single_site`; not in the paper).
    noise : {"fresh", "frozen"}
        ``"fresh"``: new Gaussian-process draws every iteration, final estimates
        averaged over the last ``n_avg`` iterations (App. M1).  ``"frozen"``:
        the same draws every iteration, so the iteration is a deterministic
        fixed-point problem (a sample-average approximation), solved by
        Anderson-accelerated damped iteration to ``tol``; ``n_avg`` is unused.
    anderson : int
        Anderson memory for the frozen-noise iterations (0: plain damped iteration).
    warmup : int
        With ``noise="fresh"``: at most this many frozen-noise Anderson
        iterations first (to ``tol``), so that the averaged fresh iterations
        start at the fixed point (0: none, as in App. M1).
    tol : float
        Convergence criterion of the frozen-noise iterations (``noise="frozen"``
        or the warm-up): RMS fixed-point residual of ``(C^phi, S)`` over lags, in
        units of the i.i.d. ``C^phi(0)`` and ``S(omega = 0)``.
    dtype : {"float32", "float64"}
        Precision of the paths (statistics are accumulated in float64).
    init : str
        ``"iid"``: start from the exact i.i.d. solution at ``g_eff``
        (this module's default); ``"paper"``: ``C_0 = exp(-(tau/15)^2) +
        1e-4 delta(tau)``, ``S_0 = 0`` as in App. M1.
    """

    n_samples: int = 500
    n_iter: int = 12
    n_avg: int = 8
    tau_max: float = 240.0
    dtau: float = 0.1
    damping: float = 0.2
    t_burn: float = 20.0
    lag_max: float | None = 100.0
    response_max: float = 40.0
    chunk: int = 2500
    init: str = "iid"
    regularization: float = 1e-3
    control: str | None = "iid"
    noise: str = "fresh"
    anderson: int = 5
    warmup: int = 8
    tol: float = 1e-3
    dtype: str = "float32"

    def resolved_lag_max(self) -> float:
        """Largest lag of ``C^phi`` actually used.

        Returns
        -------
        float
        """
        if self.lag_max is not None:
            return float(self.lag_max)
        return 0.5 * (self.tau_max - self.t_burn)


#: App. M1 literally: 10^4 paths, 300 damped iterations (0.2 old + 0.8 new), averages over
#: the last 50, tau_max = 120, dtau = 0.04, the paper's seed; plain Novikov estimates (no
#: control variate, no warm-up).  Burn-in, lag range and response support are not given in
#: the paper (chosen here).
PAPER_SETTINGS = SamplerSettings(n_samples=10_000, n_iter=300, n_avg=50, tau_max=120.0,
                                 dtau=0.04, damping=0.2, t_burn=20.0, init="paper",
                                 control=None, noise="fresh", warmup=0, lag_max=50.0,
                                 response_max=40.0)

#: Cluster preset: the paper's sample size and step, with the lag range and response support
#: that positive overlaps need (correlation times ~15-20), the i.i.d. control variate and a
#: frozen-noise warm-up; 100 fresh iterations, the last 80 averaged (more averaged draws than
#: App. M1's 50).  About 16 s per iteration, ~30 min per point on one core.
CLUSTER_SETTINGS = SamplerSettings(n_samples=10_000, n_iter=100, n_avg=80, tau_max=240.0,
                                   dtau=0.04, t_burn=30.0, lag_max=100.0, response_max=40.0,
                                   warmup=12, noise="fresh", control="iid")

#: Reduced settings for the default build (about 3.7 s per point on one core with
#: continuation along a curve; errors in docs/clark2025_structure.md).
DEFAULT_SETTINGS = SamplerSettings()

#: Overlap strengths of the simulated points of Fig. 7.
FIG7_GAMMAS = (-0.6, -0.4, -0.2, 0.0, 0.2, 0.4, 0.6)

#: Reduced grid for the default build (30 sampled solves for the nine curves).
DEFAULT_GAMMAS = (-0.6, -0.3, 0.0, 0.3, 0.6)


@dataclasses.dataclass(eq=False)
class SingleSiteSolution:
    r"""Self-consistent two-point quantities of a single site (App. M1).

    Attributes
    ----------
    dtau : float
        Lag step.
    c_phi : ndarray
        ``C^phi(k dtau)``, ``k = 0..K`` (zero beyond).
    s_weights : ndarray
        Discrete response weights ``s_k`` of ``phi`` to the input, ``S(omega) =
        sum_k s_k exp(-i omega k dtau)``, in the convention of the sampler's
        integrator (first-order hold, :func:`foh_weights`): ``s_0 ~ dtau S(0+)/2``,
        ``s_k ~ dtau S(k dtau)``, with ``S(0)`` exact rather than the ``O(dtau^2)``
        error of trapezoid weights.
    c_x0 : float
        ``C^x(0)``.
    mean_phi_prime : float
        ``<phi'>``, equal to ``S(0+)``.
    c_phi0_trace : ndarray
        ``C^phi(0)`` after every iteration (convergence record).
    c_phi0_sem : float
        Standard error of ``C^phi(0)`` from the spread over the averaged
        iterations (treated as independent).
    settings : SamplerSettings
    wall_s : float
    kernel : object
        The kernel object used (``ModeDistribution`` or ``PartiallySymmetric``).
    iterations : int
        Iterations performed.
    residuals : ndarray
        Fixed-point residual per iteration (``noise="frozen"`` only).
    """

    dtau: float
    c_phi: np.ndarray
    s_weights: np.ndarray
    c_x0: float
    mean_phi_prime: float
    c_phi0_trace: np.ndarray
    c_phi0_sem: float
    settings: SamplerSettings
    wall_s: float
    kernel: object = None
    iterations: int = 0
    residuals: np.ndarray | None = None

    @property
    def tau(self) -> np.ndarray:
        """Lags of :attr:`c_phi`."""
        return np.arange(self.c_phi.size) * self.dtau

    @property
    def s_phi_tau(self) -> np.ndarray:
        """``S(tau) ~ s_k / dtau`` on the lag grid (``O(dtau)`` accurate; entry 0 is ``S(0+)``)."""
        s = self.s_weights / self.dtau
        s[0] = self.mean_phi_prime
        return s

    def c_omega(self, omega) -> np.ndarray:
        """``C^phi(omega) = dtau [c_0 + 2 sum_k c_k cos(omega k dtau)]`` (trapezoid, even).

        Parameters
        ----------
        omega : ndarray

        Returns
        -------
        ndarray
        """
        om = np.asarray(omega, float)
        k = np.arange(1, self.c_phi.size)
        out = np.empty(om.size)
        flat = om.ravel()
        for sl in _chunks(flat.size, k.size):
            out[sl] = self.dtau * (self.c_phi[0] + 2.0 * np.cos(np.outer(flat[sl], k * self.dtau))
                                   @ self.c_phi[1:])
        return out.reshape(om.shape)

    def s_omega(self, omega) -> np.ndarray:
        """``S^phi(omega) = sum_k s_k exp(-i omega k dtau)``.

        Parameters
        ----------
        omega : ndarray

        Returns
        -------
        ndarray
            Complex.
        """
        om = np.asarray(omega, float)
        k = np.arange(self.s_weights.size)
        out = np.empty(om.size, complex)
        flat = om.ravel()
        for sl in _chunks(flat.size, k.size):
            out[sl] = np.exp(-1j * np.outer(flat[sl], k * self.dtau)) @ self.s_weights
        return out.reshape(om.shape)


def iid_solution(g_eff: float, dtau: float, lag_max: float) -> SingleSiteSolution:
    r"""The exact i.i.d. (``rho = 0``) solution in the solver's representation.

    ``C^phi(tau)`` from :func:`rnnrepro.clark2025.theory.two_point` (energy
    condition, Eqs. M1-M2), ``S(tau) = <phi'> exp(-tau)`` (Eq. M3) as the
    first-order-hold weights :func:`foh_weights` (what the sampler produces at
    ``rho = 0``).

    Parameters
    ----------
    g_eff : float
        Effective gain (> 1).
    dtau : float
        Lag step.
    lag_max : float
        Largest lag.

    Returns
    -------
    SingleSiteSolution
    """
    K = int(round(lag_max / dtau))
    tp = theory.two_point(g_eff, tau_max=K * dtau, dtau=dtau)
    tau = tp.tau
    c = tp.c_phi.copy()
    mp = float(tp.mean_phi_prime)
    s = mp * foh_weights(dtau, tau.size)
    return SingleSiteSolution(dtau=dtau, c_phi=c, s_weights=s, c_x0=float(tp.c_x[0]),
                              mean_phi_prime=mp, c_phi0_trace=np.array([c[0]]),
                              c_phi0_sem=0.0, settings=None, wall_s=0.0)


def foh_weights(dt: float, n: int) -> np.ndarray:
    r"""Discrete impulse response of the sampler's integrator for ``x' = -x + f``.

    With ``x_{n+1} = e^{-dt} x_n + (a - b) f_n + b f_{n+1}`` (exact for
    piecewise-linear ``f``; ``a = 1 - e^{-dt}``, ``b = 1 - a/dt``):
    ``h_0 = b``, ``h_k = e^{-(k-1) dt} a^2 / dt``.  ``sum_k h_k = 1`` exactly
    (the continuous ``int e^{-t} dt``), and ``h_k = dt e^{-k dt}(1 + O(dt^2))``.

    Parameters
    ----------
    dt : float
        Step.
    n : int
        Number of weights.

    Returns
    -------
    ndarray
        ``h_0..h_{n-1}``.
    """
    a = -math.expm1(-dt)
    b = 1.0 - a / dt
    h = (a * a / dt) * np.exp(-dt * np.arange(-1, n - 1))
    h[0] = b
    return h


def _integrate_paths(eta: np.ndarray, r: np.ndarray, dt: float, blk: int = 32
                     ) -> tuple[np.ndarray, np.ndarray]:
    r"""Integrate ``x' = -x + eta + sum_k r_k phi_{n-k}`` for a chunk of paths.

    Exponential integrator with a first-order hold of the forcing ``f``:
    ``x_{n+1} = e^{-dt} x_n + (a - b) f_n + b f_{n+1}``, ``a = 1 - e^{-dt}``,
    ``b = 1 - a/dt`` (exact for piecewise-linear ``f``, second order).  The
    self-coupling at ``n+1`` uses the predictor ``phi_{n+1} ~ phi_n`` in its
    ``r_0`` term only (local error ``O(dt^3)``).  The convolution over earlier
    steps is split into a far field, one GEMM per block of ``blk`` steps, and a
    near field within the block (BLAS rank-1 updates).  ``x(0) = 0``,
    ``phi = 0`` before ``t = 0``.  Works in the dtype of ``eta``.

    Parameters
    ----------
    eta : ndarray
        ``(n_t, n_paths)`` input, time-major, float32 or float64.
    r : ndarray
        Discrete kernel weights ``r_0..r_{L-1}`` (trapezoid convention).
    dt : float
        Step.
    blk : int
        Steps per far-field block.

    Returns
    -------
    phi, x : ndarray
        ``(n_t, n_paths)`` activations and preactivations.
    """
    n_t, P = eta.shape
    dtp = eta.dtype
    L = int(r.size)
    if L == 0 or not np.any(r):
        x = _filter_paths(eta, dt)
        return special.erf(x * dtp.type(_SQRT_PI_2)), x
    e = math.exp(-dt)
    a = -math.expm1(-dt)
    b = 1.0 - a / dt
    c1 = a - b
    single = dtp == np.float32
    scal, axpy, ger = ((blas.sscal, blas.saxpy, blas.sger) if single
                       else (blas.dscal, blas.daxpy, blas.dger))
    r0 = float(r[0])
    rr = np.zeros(max(L, blk + 1), dtp)
    rr[:L] = r
    # far field: target n0 + m (m = 1..blk) from sources n0 - (nf - 1) + c, c = 0..nf-1
    nf = max(L - 1, 1)
    m = np.arange(1, blk + 1)[:, None]
    k = m + (nf - 1) - np.arange(nf)[None, :]
    T = np.where(k < L, rr[np.minimum(k, rr.size - 1)], 0.0).astype(dtp)
    off = nf - 1
    hist = np.zeros((off + n_t, P), dtp)  # hist[off + n] = phi_n
    xs = np.empty((n_t, P), dtp)
    xs[0] = 0.0
    k_phi = dtp.type(_SQRT_PI_2)
    g_prev = eta[0].copy()  # forcing at n = 0 without the r_0 phi term (phi_0 = 0)
    for n0 in range(0, n_t - 1, blk):
        nb = min(blk, n_t - 1 - n0)
        G = T[:nb] @ hist[n0: n0 + nf]  # far field for targets n0+1 .. n0+nb
        G += eta[n0 + 1: n0 + nb + 1]
        for j in range(1, nb + 1):
            n = n0 + j
            xn = xs[n]
            # x_n = e x_{n-1} + c1 g_{n-1} + b g_n + a r0 phi_{n-1}
            np.multiply(xs[n - 1], e, out=xn)
            axpy(g_prev, xn, a=c1)
            axpy(G[j - 1], xn, a=b)
            axpy(hist[off + n - 1], xn, a=a * r0)
            p = hist[off + n]
            np.multiply(xn, k_phi, out=p)
            special.erf(p, out=p)
            if j < nb:  # near field: G[j:nb] += rr[1 : nb - j + 1] p^T
                ger(1.0, p, rr[1: nb - j + 1], a=G[j:nb].T, overwrite_a=1)
            g_prev = G[j - 1]
        g_prev = g_prev.copy()
    del scal
    return hist[off:], xs


def _filter_paths(eta: np.ndarray, dt: float) -> np.ndarray:
    """``x`` of :func:`_integrate_paths` without self-coupling (vectorized IIR filter)."""
    e = math.exp(-dt)
    a = -math.expm1(-dt)
    b = 1.0 - a / dt
    # x_{n+1} = e x_n + (a - b) eta_n + b eta_{n+1}, x_0 = 0
    x = signal.lfilter(np.array([b, a - b], eta.dtype), np.array([1.0, -e], eta.dtype), eta,
                       axis=0)
    x -= (b * eta[:1]) * (e ** np.arange(eta.shape[0], dtype=eta.dtype))[:, None]
    return x


def _white(Pn: int, n_paths: int, rng: np.random.Generator, dtype=np.float64) -> np.ndarray:
    """Complex white noise for :func:`_gp_paths` (``(Pn, ceil(n_paths/2))``)."""
    n_c = (n_paths + 1) // 2
    z = np.empty((Pn, n_c), np.complex64 if dtype == np.float32 else np.complex128)
    z.real = rng.standard_normal((Pn, n_c), dtype=dtype)
    z.imag = rng.standard_normal((Pn, n_c), dtype=dtype)
    return z


def _gp_paths(lam: np.ndarray, z: np.ndarray, n_t: int, n_paths: int) -> np.ndarray:
    r"""Stationary GP paths by circulant embedding, time-major ``(n_t, n_paths)``.

    ``lam`` are the eigenvalues of the circulant covariance for the
    non-negative frequencies of the period ``Pn = z.shape[0]`` (the real DFT of
    the periodic covariance sequence; negative values, from noise, are clipped).
    Real and imaginary parts of ``FFT(sqrt(lam / Pn) z)`` with ``z = x + i y``
    (``x, y`` standard normal) are two independent paths with exactly the
    circulant covariance.
    """
    Pn = z.shape[0]
    full = np.concatenate([lam, lam[1: Pn - lam.size + 1][::-1]])
    a = np.sqrt(np.maximum(full, 0.0) / Pn)
    y = sfft.fft(z * a[:, None], axis=0)[:n_t]
    n_c = z.shape[1]
    out = np.empty((n_t, n_paths))
    out[:, :n_c] = y.real
    out[:, n_c:] = y.imag[:, : n_paths - n_c]
    return out


class _Accumulator:
    """Lag sums of one system over the chunks of an iteration (non-negative lags)."""

    def __init__(self, K: int, Ks: int):
        self.K, self.Ks = K, Ks
        self.cc = np.zeros(K + 1)
        self.pe = np.zeros(Ks + 1)
        self.ee = np.zeros(Ks + 1)
        self.x2 = 0.0
        self.dphi = 0.0

    def add(self, phi: np.ndarray, eta: np.ndarray, x: np.ndarray, nfft: int) -> None:
        fp = sfft.rfft(phi, n=nfft, axis=0)
        fe = sfft.rfft(eta, n=nfft, axis=0)
        c128 = np.complex128
        self.cc += sfft.irfft(np.sum(fp * np.conj(fp), axis=1, dtype=c128), n=nfft)[: self.K + 1]
        self.pe += sfft.irfft(np.sum(fp * np.conj(fe), axis=1, dtype=c128), n=nfft)[: self.Ks + 1]
        self.ee += sfft.irfft(np.sum(fe * np.conj(fe), axis=1, dtype=c128), n=nfft)[: self.Ks + 1]
        x2 = x * x
        self.x2 += float(np.sum(x2, dtype=np.float64))
        x2 *= x2.dtype.type(-0.25 * math.pi)
        self.dphi += float(np.sum(np.exp(x2), dtype=np.float64))

    def estimates(self, W: int, n_paths: int, h: np.ndarray, reg: float) -> dict:
        n = float(n_paths)
        c = self.cc / ((W - np.arange(self.K + 1)) * n)
        lags = W - np.arange(self.Ks + 1)
        m = self.dphi / (W * n)
        s = _novikov(self.pe / (lags * n), self.ee / (lags * n), m * h, reg)
        return dict(c=c, s=s, m=m, cx0=self.x2 / (W * n))


def _novikov(pe: np.ndarray, ee: np.ndarray, s_ref: np.ndarray, reg: float) -> np.ndarray:
    r"""Causal response weights ``s_0..s_Ks`` from the Furutsu-Novikov relation.

    For Gaussian ``eta``, ``<phi_n eta_{n-k}> = sum_j s_j <eta_{n-j} eta_{n-k}>``
    exactly (Gaussian integration by parts on the discrete grid), so with the
    response supported on ``0..Ks`` the lags ``k = 0..Ks`` give the symmetric
    Toeplitz system ``T s = c``, ``T_kj = C^{eta eta}(k - j)``,
    ``c_k = C^{phi eta}(k)`` (App. M1's ``S = C^{phi eta}/C^{eta}`` in the time
    domain, without truncating ``C^{phi eta}``).  Both sides are the empirical
    lag estimates of the same paths (their common fluctuations cancel).
    Directions in which the input has little power (high frequencies) are
    undetermined by the data, so the solution is shrunk towards the reference
    ``s_ref`` (``<phi'>`` times the response without self-coupling, Eq. M3):
    ``(T + eps I)(s - s_ref) = c - T s_ref`` with ``eps = reg * sum_k |T_0k|``.
    """
    col = ee.copy()
    rhs = pe - _toeplitz_mul(col, s_ref)
    eps = reg * (col[0] + 2.0 * float(np.sum(np.abs(col[1:]))))
    col[0] += eps
    return s_ref + linalg.solve_toeplitz(col, rhs)


def _toeplitz_mul(col: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Symmetric Toeplitz matrix (first column ``col``) times ``v`` via FFT."""
    n = col.size
    m = _fast_len(2 * n)
    full = np.zeros(m)
    full[:n] = col
    full[m - n + 1:] = col[1:][::-1]
    return sfft.irfft(sfft.rfft(full) * sfft.rfft(v, n=m), n=m)[:n]


def solve_single_site(kernel, g_eff: float, settings: SamplerSettings = DEFAULT_SETTINGS,
                      seed: int = 0, init: SingleSiteSolution | None = None,
                      callback: Callable | None = None) -> SingleSiteSolution:
    r"""Self-consistent ``C^phi`` and ``S^phi`` of a self-coupled single site by sampling (App. M1).

    Iteration ``m`` (App. M1 steps 2-6):

    1. ``Q(omega) = qfac(omega) C^phi(omega)`` and ``R(omega)`` from the current
       ``C^phi, S^phi`` (``kernel.kernels``: Eqs. 48-49, or H16-H17), on a
       periodic grid longer than the path plus the lag range and response support;
    2. ``n_samples`` paths ``eta`` with covariance ``Q`` by circulant embedding;
    3. each path integrated with the self-coupling ``[R * phi](t)``
       (:func:`_integrate_paths`);
    4. after ``t_burn``, lag estimates ``C^phi(k)``, ``C^{phi eta}(k)``,
       ``C^{eta eta}(k)`` (zero-padded FFT, exact pair counts) and ``<phi'>``; the
       response from Furutsu-Novikov (:func:`_novikov`);
    5. damped update ``new = damping * old + (1 - damping) * estimate``.

    With ``noise="fresh"`` the draws change every iteration and the returned
    ``C^phi``, ``S`` are the means over the last ``n_avg`` iterations (App. M1),
    after an optional warm-up of at most ``warmup`` frozen-noise iterations with
    Anderson acceleration (the map is then deterministic and converges in a few
    iterations; averaging only starts at the fixed point).  With
    ``noise="frozen"`` the result is the converged sample-average fixed point
    (noisier: its error is amplified by the slow mode of the iteration).

    Control variate (``settings.control == "iid"``, not in the paper): the same
    white noise also drives the i.i.d. single site at ``g_eff`` (no
    self-coupling, ``Q = g_eff^2 C^phi_iid``), whose exact solution is known
    (:func:`iid_solution`).  Every estimate ``E`` is replaced by
    ``E - (E_iid_sampled - E_iid_exact)``: unbiased, and the sampling noise
    shared by the two systems cancels (exactly at zero self-coupling).

    Parameters
    ----------
    kernel : ModeDistribution or PartiallySymmetric
        Provides ``kernels(S) -> (qfac, R)``.
    g_eff : float
        Effective gain of the single site (for the ``"iid"`` start and the control).
    settings : SamplerSettings
        Sampling settings (:data:`DEFAULT_SETTINGS`, :data:`PAPER_SETTINGS`,
        :data:`CLUSTER_SETTINGS`).
    seed : int
        Seed of all Gaussian-process draws.
    init : SingleSiteSolution, optional
        Start from this solution (same ``dtau``), e.g. a neighbouring point of
        a curve; overrides ``settings.init``.
    callback : callable, optional
        Called as ``callback(m, c_phi, s_weights)`` after every iteration.

    Returns
    -------
    SingleSiteSolution
    """
    st = settings
    t0 = time.perf_counter()
    dt = float(st.dtau)
    n_t = int(round(st.tau_max / dt))
    n_b = int(round(st.t_burn / dt))
    W = n_t - n_b
    K = int(round(st.resolved_lag_max() / dt))
    Ks = int(round(st.response_max / dt))
    if not (0 < K < W and 0 < Ks < W):
        raise ValueError("need 0 < lag_max, response_max < tau_max - t_burn")
    if st.control not in (None, "iid"):
        raise ValueError(f"unknown control {st.control!r}")
    if st.noise not in ("fresh", "frozen"):
        raise ValueError(f"unknown noise mode {st.noise!r}")
    dtp = np.dtype(st.dtype)
    # circulant period: the covariance of eta (C^phi convolved with the kernel of
    # Eq. 48, support ~ K + Ks) must not wrap around within the n_t simulated steps
    Pn = _fast_len(n_t + K + Ks + 1)
    nfft = _fast_len(W + max(K, Ks) + 1)
    h = foh_weights(dt, Ks + 1)

    def c_spectrum(c):
        cp = np.zeros(Pn)
        cp[: K + 1] = c
        cp[Pn - K:] = c[1:][::-1]
        return dt * sfft.rfft(cp).real

    ref = iid_solution(g_eff, dt, K * dt) if (st.init == "iid" or st.control) else None
    if isinstance(init, SingleSiteSolution):
        c = np.zeros(K + 1)
        n = min(K + 1, init.c_phi.size)
        c[:n] = init.c_phi[:n]
        s = np.zeros(Ks + 1)
        n = min(Ks + 1, init.s_weights.size)
        s[:n] = init.s_weights[:n]
        if init.dtau != dt:
            raise ValueError("init solution has a different dtau")
    elif st.init == "iid":
        c, s = ref.c_phi.copy(), ref.mean_phi_prime * h
    elif st.init == "paper":
        c = np.exp(-((np.arange(K + 1) * dt / 15.0) ** 2))
        c[0] += 1e-4 / dt  # 1e-4 delta(tau) on the grid
        s = np.zeros(Ks + 1)
    else:
        raise ValueError(f"unknown init {st.init!r}")
    lam_c = g_eff**2 * c_spectrum(ref.c_phi) / dt if st.control else None
    z_cache: dict[int, np.ndarray] = {}
    cache_ok = Pn * st.n_samples * dtp.itemsize <= 400e6  # frozen draws (key 0) only

    def evaluate(c, s, key):
        """One pass of App. M1 steps 2-5: sampled estimates given (C^phi, S).

        ``key`` selects the Gaussian-process draws (0: the frozen set)."""
        qfac, r_om = kernel.kernels(sfft.rfft(s, n=Pn))
        lam = np.maximum(qfac * c_spectrum(c), 0.0) / dt
        r_t = _trim(sfft.irfft(r_om, n=Pn)[: Ks + 1]).astype(dtp)
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(int(seed),
                                                                         spawn_key=(key,))))
        acc = _Accumulator(K, Ks)
        acc_c = _Accumulator(K, Ks) if st.control else None
        n_done = 0
        while n_done < st.n_samples:
            P = min(st.chunk, st.n_samples - n_done)
            if key == 0 and n_done in z_cache:
                z = z_cache[n_done]
            else:
                z = _white(Pn, P, rng, dtp)
                if cache_ok and key == 0:
                    z_cache[n_done] = z
            eta = _gp_paths(lam, z, n_t, P)
            ph, xs = _integrate_paths(eta, r_t, dt)
            acc.add(ph[n_b:], eta[n_b:], xs[n_b:], nfft)
            if acc_c is not None:
                eta = _gp_paths(lam_c, z, n_t, P)
                xs = _filter_paths(eta, dt)
                ph = special.erf(xs * dtp.type(_SQRT_PI_2))
                acc_c.add(ph[n_b:], eta[n_b:], xs[n_b:], nfft)
            n_done += P
        est = acc.estimates(W, st.n_samples, h, st.regularization)
        if acc_c is not None:
            e_c = acc_c.estimates(W, st.n_samples, h, st.regularization)
            est["c"] = est["c"] - (e_c["c"] - ref.c_phi)
            est["s"] = est["s"] - (e_c["s"] - ref.mean_phi_prime * h)
            est["m"] = est["m"] - (e_c["m"] - ref.mean_phi_prime)
            est["cx0"] = est["cx0"] - (e_c["cx0"] - ref.c_x0)
        return est

    # scales making C^phi and S comparable in the residual norm
    c_scale = float(ref.c_phi[0]) if ref is not None else 1.0
    s_scale = float(ref.mean_phi_prime * h.sum()) if ref is not None else 1.0

    def pack(c, s):
        return np.concatenate([c / c_scale, s / s_scale])

    def unpack(v):
        return v[: K + 1] * c_scale, v[K + 1:] * s_scale

    c0_trace, residuals, hist = [], [], []
    beta = 1.0 - st.damping

    def anderson(c, s, n_max):
        """Frozen-noise map v -> G(v): Anderson-accelerated damped iteration to ``tol``."""
        x = pack(c, s)
        dX, dF = [], []
        x_prev = f_prev = None
        n_it = 0
        for n_it in range(1, n_max + 1):  # noqa: B007 (count returned)
            est = evaluate(*unpack(x), 0)
            f = pack(est["c"], est["s"]) - x
            res = float(np.sqrt(np.mean(f * f)))
            residuals.append(res)
            c0_trace.append(est["c"][0])
            if callback is not None:
                callback(len(c0_trace) - 1, est["c"], est["s"])
            if res < st.tol:
                break
            if x_prev is not None and st.anderson > 0:
                dX.append(x - x_prev)
                dF.append(f - f_prev)
                dX, dF = dX[-st.anderson:], dF[-st.anderson:]
            x_prev, f_prev = x, f
            if dF:
                Fm = np.array(dF).T
                gam = np.linalg.lstsq(Fm, f, rcond=None)[0]
                x = x + beta * f - (np.array(dX).T + beta * Fm) @ gam
            else:
                x = x + beta * f
        return est, n_it

    if st.noise == "frozen":
        est, n_done_it = anderson(c, s, st.n_iter)
        c_fin, s_fin = est["c"], est["s"]
        m_fin, cx0_fin = float(est["m"]), float(est["cx0"])
        sem = float("nan")
    else:
        n_done_it = 0
        if st.warmup > 0:
            est, n_done_it = anderson(c, s, st.warmup)
            c, s = est["c"], est["s"]
        for it in range(st.n_iter):
            est = evaluate(c, s, it + 1)
            c = st.damping * c + beta * est["c"]
            s = st.damping * s + beta * est["s"]
            c0_trace.append(c[0])
            if it >= st.n_iter - st.n_avg:
                hist.append((c.copy(), s.copy(), est["m"], est["cx0"]))
            if callback is not None:
                callback(len(c0_trace) - 1, c, s)
        n_done_it += st.n_iter
        c_fin = np.mean([v[0] for v in hist], axis=0)
        s_fin = np.mean([v[1] for v in hist], axis=0)
        m_fin = float(np.mean([v[2] for v in hist]))
        cx0_fin = float(np.mean([v[3] for v in hist]))
        c0s = np.array([v[0][0] for v in hist])
        sem = float(np.std(c0s, ddof=1) / math.sqrt(c0s.size)) if c0s.size > 1 else float("nan")
    return SingleSiteSolution(
        dtau=dt, c_phi=c_fin, s_weights=s_fin, c_x0=cx0_fin, mean_phi_prime=m_fin,
        c_phi0_trace=np.array(c0_trace), c_phi0_sem=sem, settings=st,
        wall_s=time.perf_counter() - t0, kernel=kernel, iterations=n_done_it,
        residuals=np.array(residuals))


def _fast_len(n: int) -> int:
    return int(sfft.next_fast_len(int(n), real=True))


def _trim(r: np.ndarray, rel: float = 1e-12) -> np.ndarray:
    """Drop the trailing part of a kernel below ``rel`` of its maximum."""
    m = float(np.max(np.abs(r))) if r.size else 0.0
    if m == 0.0:
        return r[:0]
    big = np.flatnonzero(np.abs(r) > rel * m)
    return r[: big[-1] + 1].copy()


# ----------------------------------------------------------------------------
# four-point functions: Eq. 51 and Eq. H19
# ----------------------------------------------------------------------------
def _rotated_nodes(scale: float, nu_max: float, w_max: float, n_gl: int = 8,
                   ratio: float = 1.5):
    """Graded Gauss-Legendre nodes for ``nu in [0, nu_max]`` and ``w in [-w_max, w_max]``."""
    def graded(lo, hi):
        edges = [0.0, lo]
        while edges[-1] < hi:
            edges.append(min(hi, edges[-1] * ratio))
        x, w = np.polynomial.legendre.leggauss(n_gl)
        e = np.asarray(edges)
        h = np.diff(e)
        nodes = (0.5 * (e[:-1] + e[1:])[:, None] + 0.5 * h[:, None] * x).ravel()
        wts = (0.5 * h[:, None] * w).ravel()
        return nodes, wts

    nu, wnu = graded(0.05 * scale, nu_max)
    wp, wwp = graded(0.05 * math.sqrt(scale), w_max)
    ww = np.concatenate([-wp[::-1], wp])
    www = np.concatenate([wwp[::-1], wwp])
    return nu, wnu, ww, www


def _uniform_spectra(sol: SingleSiteSolution, d_omega: float = 0.005):
    """``C(omega)``, ``S(omega)`` for ``omega = j d_omega >= 0`` up to Nyquist (zero-padded FFT)."""
    n = _fast_len(max(2 * np.pi / (d_omega * sol.dtau), 4 * sol.c_phi.size,
                      4 * sol.s_weights.size))
    cp = np.zeros(n)
    K = sol.c_phi.size - 1
    cp[: K + 1] = sol.c_phi
    cp[n - K:] = sol.c_phi[1:][::-1]
    c_om = sol.dtau * sfft.rfft(cp).real
    s_om = sfft.rfft(np.concatenate([sol.s_weights, np.zeros(n - sol.s_weights.size)]))
    om = 2 * np.pi * np.arange(c_om.size) / (n * sol.dtau)
    return om, c_om, s_om


def _splines(sol: SingleSiteSolution, rel: float = 1e-7):
    """Cubic splines of ``C(omega)`` and ``S(omega)`` on ``|omega| <= omega_max``.

    ``omega_max``: beyond it ``|C(omega) S(omega)|`` stays below ``rel`` of its
    peak (the remainder integrand is ``O(|S_1 S_2| C_12)``), capped at 0.8
    Nyquist.  Even/Hermitian symmetry gives negative frequencies.
    """
    om, c_om, s_om = _uniform_spectra(sol)
    v = np.abs(c_om * s_om)
    big = np.flatnonzero(v > rel * v.max())
    om_max = float(min(om[big[-1]] * 1.2 + 1.0, 0.8 * om[-1]))
    keep = om <= om_max + 0.1
    o = np.concatenate([-om[keep][:0:-1], om[keep]])
    c = np.concatenate([c_om[keep][:0:-1], c_om[keep]])
    sv = np.concatenate([np.conj(s_om[keep][:0:-1]), s_om[keep]])
    c_sp = interpolate.CubicSpline(o, c)
    s_re = interpolate.CubicSpline(o, sv.real)
    s_im = interpolate.CubicSpline(o, sv.imag)
    return om_max, c_sp, (lambda x: s_re(x) + 1j * s_im(x))


def _integrate_remainder(sol: SingleSiteSolution, integrand, scale_fn) -> float:
    """``int dw1 dw2 / (2 pi)^2 [integrand]`` in rotated coordinates (``nu >= 0``, doubled)."""
    om_max, c_sp, s_sp = _splines(sol)
    scale = scale_fn(s_sp)
    nu, wnu, w, ww = _rotated_nodes(scale, 2.0 * om_max, om_max)
    total = 0.0
    for i in range(nu.size):
        o1 = w + 0.5 * nu[i]
        o2 = -w + 0.5 * nu[i]
        inside = (np.abs(o1) <= om_max) & (np.abs(o2) <= om_max)
        if not inside.any():
            continue
        o1, o2, wt = o1[inside], o2[inside], ww[inside]
        c1, c2 = c_sp(o1), c_sp(o2)
        s1, s2 = s_sp(o1), s_sp(o2)
        total += wnu[i] * float(np.sum(wt * integrand(s1, s2) * c1 * c2))
    return 2.0 * total / (2.0 * math.pi) ** 2


def psi_zero_eq51(sol: SingleSiteSolution, modes: ModeDistribution) -> float:
    r"""``Psi^phi(0, 0)`` from Eq. 51 with a sampled (or exact) single-site solution.

    ``Psi(0,0) = C^phi(0)^2 + int dw1 dw2/(2 pi)^2 [F(w1, w2) - 1] C_12`` with
    ``F = [V - 1 + 2 Re{(1 + X_12)(1 + X_21^*)/(1 - W^*)}] / |1 - U|^2``.

    Parameters
    ----------
    sol : SingleSiteSolution
        ``C^phi``, ``S^phi``.
    modes : ModeDistribution
        ``(D, rho)`` nodes.

    Returns
    -------
    float
    """
    D, rho = modes.D, modes.rho
    dr = D * rho

    def integrand(s1, s2):
        sig1 = s1[:, None] / (1.0 - dr[None, :] * s1[:, None])
        sig2 = s2[:, None] / (1.0 - dr[None, :] * s2[:, None])
        p = sig1 * sig2
        a2 = np.abs(sig1) ** 2
        b2 = np.abs(sig2) ** 2
        U = modes.mean(p * D**2)
        V = modes.mean(np.abs(p) ** 2 * D**4)
        Wq = modes.mean(np.conj(sig1) * sig2 * D**2 * rho**2)
        X12 = modes.mean(sig1 * b2 * D**3 * rho)
        X21 = modes.mean(sig2 * a2 * D**3 * rho)
        brace = (1.0 + X12) * (1.0 + np.conj(X21)) / (1.0 - np.conj(Wq))
        F = (V - 1.0 + 2.0 * brace.real) / np.abs(1.0 - U) ** 2
        return F - 1.0

    def scale(s_sp):
        w = np.linspace(0.0, 2.0, 201)
        s = s_sp(w)
        sig = s[:, None] / (1.0 - dr[None, :] * s[:, None])
        u = modes.mean(np.abs(sig) ** 2 * D**2)
        return float(max(1e-4, np.min(np.abs(1.0 - u))))

    return float(sol.c_phi[0] ** 2 + _integrate_remainder(sol, integrand, scale))


def psi_zero_h19(sol: SingleSiteSolution, g: float, sigma: float) -> float:
    r"""``Psi^phi(0, 0)`` of the partially symmetric network, Eq. H19.

    ``Psi = (1 - |sigma S_1^* S_2|^2) / (|1 - g^2 S_1 S_2|^2 |1 - sigma S_1^* S_2|^2) C_12``.

    Parameters
    ----------
    sol : SingleSiteSolution
        ``C^phi``, ``S^phi`` (with ``R = sigma S``).
    g : float
        Coupling strength.
    sigma : float
        ``rho g^2``.

    Returns
    -------
    float
    """
    g2 = g * g

    def integrand(s1, s2):
        y = sigma * np.conj(s1) * s2
        F = (1.0 - np.abs(y) ** 2) / (np.abs(1.0 - g2 * s1 * s2) ** 2 * np.abs(1.0 - y) ** 2)
        return F - 1.0

    def scale(s_sp):
        w = np.linspace(0.0, 2.0, 201)
        return float(max(1e-4, np.min(np.abs(1.0 - g2 * np.abs(s_sp(w)) ** 2))))

    return float(sol.c_phi[0] ** 2 + _integrate_remainder(sol, integrand, scale))


def dimension_eq51(sol: SingleSiteSolution, modes: ModeDistribution) -> float:
    """``PR^phi = C^phi(0)^2 / Psi^phi(0,0)`` with Eq. 51 (Eq. 26).

    Parameters
    ----------
    sol : SingleSiteSolution
    modes : ModeDistribution

    Returns
    -------
    float
    """
    return float(sol.c_phi[0] ** 2 / psi_zero_eq51(sol, modes))


def dimension_h19(sol: SingleSiteSolution, g: float, sigma: float) -> float:
    """``PR^phi`` of the partially symmetric network (Eqs. H19, 26).

    Parameters
    ----------
    sol : SingleSiteSolution
    g : float
    sigma : float

    Returns
    -------
    float
    """
    return float(sol.c_phi[0] ** 2 / psi_zero_h19(sol, g, sigma))


def overlap_dimension(pr_d: float, g_eff: float, gamma_rho: float,
                      settings: SamplerSettings = DEFAULT_SETTINGS, seed: int = 0,
                      modes: ModeDistribution | None = None,
                      init: SingleSiteSolution | None = None) -> tuple[dict, SingleSiteSolution]:
    r"""``PR^phi`` with right-left overlaps (Fig. 7): sampled single site + Eq. 51.

    ``gamma_rho = 0`` (with the default modes) is exact: Eq. 38 with the
    closed-form two-point function (:func:`rnnrepro.clark2025.theory.dimension`);
    everything else by :func:`solve_single_site` and :func:`psi_zero_eq51`.

    Parameters
    ----------
    pr_d : float
        ``PR^D`` (``alpha = 1``).
    g_eff : float
        Effective gain.
    gamma_rho : float
        Overlap strength.
    settings : SamplerSettings
        Sampler settings.
    seed : int
        Sampler seed.
    modes : ModeDistribution, optional
        Overrides the continuum distribution of :func:`overlap_modes`.
    init : SingleSiteSolution, optional
        Starting point of the iteration (e.g. the neighbouring ``gamma_rho``).

    Returns
    -------
    result : dict
        ``pr_phi``, ``c_phi0``, ``c_phi0_tail`` (``C^phi(lag_max)/C^phi(0)``, a
        check that the lag range covers the correlation time), ``mean_phi_prime``,
        ``s0`` (``S(omega = 0)``), ``psi00``, ``exact`` (bool), ``iterations``,
        ``wall_s``, ``u_flip``, ``n_jij_jji`` (``alpha <(D rho)^2>``, Eq. 50),
        ``mirrored`` (set by :func:`overlap_curve` for values taken from ``-gamma``).
    solution : SingleSiteSolution
        The single-site solution (the exact one in the sampler's representation
        for ``gamma_rho = 0``).
    """
    t0 = time.perf_counter()
    m = modes if modes is not None else overlap_modes(pr_d, g_eff, gamma_rho)
    mom = m.moments()
    common = dict(pr_d=float(pr_d), g_eff=float(g_eff), gamma_rho=float(gamma_rho),
                  u_flip=m.u_flip, n_jij_jji=mom["n_jij_jji"], mirrored=False)
    if gamma_rho == 0.0 and modes is None:
        pr = float(theory.dimension(g_eff, pr_d))
        f = theory.four_point_constants(g_eff)
        sol = iid_solution(g_eff, settings.dtau, settings.resolved_lag_max())
        return dict(common, pr_phi=pr, c_phi0=f.c_phi0, c_phi0_tail=float("nan"),
                    mean_phi_prime=f.mean_phi_prime, s0=f.mean_phi_prime,
                    psi00=f.c_phi0**2 / pr, exact=True, iterations=0,
                    wall_s=time.perf_counter() - t0), sol
    sol = solve_single_site(m, g_eff, settings, seed=seed, init=init)
    psi = psi_zero_eq51(sol, m)
    return dict(common, pr_phi=float(sol.c_phi[0] ** 2 / psi), c_phi0=float(sol.c_phi[0]),
                c_phi0_tail=float(sol.c_phi[-1] / sol.c_phi[0]),
                mean_phi_prime=sol.mean_phi_prime, s0=float(np.sum(sol.s_weights)),
                psi00=psi, exact=False, iterations=sol.iterations,
                wall_s=time.perf_counter() - t0), sol


def solved_overlaps(pr_d: float, gammas) -> list[float]:
    """The overlap strengths :func:`overlap_curve` solves by sampling.

    ``gamma_rho = 0`` is exact (Eq. 38), and at ``PR^D = 1`` the curve is even in
    ``gamma_rho``, so only ``|gamma_rho|`` is solved there.

    Parameters
    ----------
    pr_d : float
        ``PR^D``.
    gammas : sequence of float
        The curve's overlap strengths.

    Returns
    -------
    list of float
        The distinct nonzero strengths solved, in increasing order.
    """
    nonzero = {float(v) for v in gammas if v != 0.0}
    return sorted({abs(v) for v in nonzero} if pr_d == 1.0 else nonzero)


def overlap_curve(pr_d: float, g_eff: float, gammas, settings: SamplerSettings = DEFAULT_SETTINGS,
                  seed: int = 0) -> list[dict]:
    r"""``PR^phi`` along ``gamma_rho`` for one ``(PR^D, g_eff)`` (one curve of Fig. 7).

    Points are solved outward from ``gamma_rho = 0`` (exact) on each side, each
    starting from its inner neighbour's solution (continuation: fewer
    iterations than a start from the i.i.d. solution).  Every point uses the
    same ``seed`` (common random numbers along the curve: smoother curves, the
    sampling error is shared between neighbours).  For ``PR^D = 1`` (equal
    strengths, ``u_flip = 1/2``) the set ``{(D, rho)}`` is invariant under
    ``rho -> -rho``, hence so are Eqs. 48, 49 and 51 (odd moments of ``D rho``
    cancel): ``PR(-gamma) = PR(gamma)`` exactly, and only ``|gamma|`` is solved.

    Parameters
    ----------
    pr_d : float
        ``PR^D``.
    g_eff : float
        Effective gain.
    gammas : sequence of float
        Overlap strengths (any order; 0 need not be included).
    settings : SamplerSettings
        Sampler settings.
    seed : int
        Sampler seed.

    Returns
    -------
    list of dict
        :func:`overlap_dimension` results in the order of ``gammas``.
    """
    gam = [float(v) for v in gammas]
    symmetric = pr_d == 1.0
    out: dict[float, dict] = {}
    _, sol0 = overlap_dimension(pr_d, g_eff, 0.0, settings, seed)
    solved = solved_overlaps(pr_d, gam)
    for side in ((1.0,) if symmetric else (1.0, -1.0)):
        prev = sol0
        for v in sorted((x for x in solved if x * side > 0), key=abs):
            res, prev = overlap_dimension(pr_d, g_eff, v, settings, seed, init=prev)
            out[v] = res
            if symmetric:
                out[-v] = dict(res, gamma_rho=-v, mirrored=True)
    if 0.0 in gam:
        out[0.0] = overlap_dimension(pr_d, g_eff, 0.0, settings, seed)[0]
    return [out[v] for v in gam]


def overlap_table(pr_ds=(0.3, 0.8, 1.0), g_effs=(3.0, 6.0, 10.0), gammas=DEFAULT_GAMMAS,
                  settings: SamplerSettings = DEFAULT_SETTINGS, seed: int = 0):
    """Theory of Fig. 7 on a grid: one :func:`overlap_curve` per ``(PR^D, g_eff)``.

    Parameters
    ----------
    pr_ds : sequence of float
        ``PR^D`` values (Fig. 7: 0.3, 0.8, 1).
    g_effs : sequence of float
        Effective gains (Fig. 7: 3, 6, 10).
    gammas : sequence of float
        Overlap strengths (:data:`FIG7_GAMMAS` for the paper's points,
        :data:`DEFAULT_GAMMAS` for the reduced default).
    settings : SamplerSettings
        Sampler settings.
    seed : int
        Sampler seed (shared by all points; see :func:`overlap_curve`).

    Returns
    -------
    DataFrame
        One row per point with the fields of :func:`overlap_dimension`.
    """
    rows = []
    for pr_d in pr_ds:
        for g in g_effs:
            rows.extend(overlap_curve(float(pr_d), float(g), gammas, settings, seed))
    return pd.DataFrame(rows)
