r"""Single-neuron gain heterogeneity and z-scoring (Clark et al., PRX 15, 041019, Sec. VI, App. J).

The model
---------
Neuron ``i`` has a gain ``G_i`` on its output, ``Phi_i = G_i phi(x_i)``, and the
recurrence is (Sec. VI)

.. math::  (1 + \partial_t)\, x_i = \sum_j J_{ij}\, G_j\, \phi(x_j),

i.e. the ordinary random-mode network with couplings ``J diag(G)``: no new
integrator is needed (:func:`heterogeneous_couplings` builds them for
:func:`rnnrepro.clark2025.model.simulate`).  With ``q_n = <G^n>`` (Eq. 44) and
``PR^G = q_2^2 / q_4`` (Eq. 45), the single site is that of an i.i.d. network
with ``g_eff = sqrt(alpha r_2 q_2)``; the gains are normalized here to
``q_2 = 1`` so that the spectrum's ``g_eff`` is the effective gain (every
dimension is invariant under a common rescaling of ``G``).

Gains follow the paper's profile ``G_i ∝ exp(-beta_G i / N)`` (Fig. 5), with
``beta_G`` solved on the finite vector so that ``PR^G`` is met exactly
(continuum: ``PR^G = tanh(beta_G) / beta_G``).

Three readouts (Sec. VI, Fig. 5)
--------------------------------
* ``"unnormalized"``: ``Phi_i = G_i phi_i`` (Eq. 46a);
* ``"normalized"``: ``phi_i`` itself, the analogue of z-scored rates (Eq. 46b)
  -- every neuron has the same single-site statistics, so ``phi`` is already
  normalized in the large-``N`` limit;
* ``"readout"``: ``G'_i phi_i`` with readout gains ``G'`` of the same
  distribution but unrelated to the dynamics (Eq. J18); here ``G'`` is a seeded
  random permutation of ``G`` (the same values, hence exactly the same
  ``PR^G``).

Theory
------
With ``z = g_eff^2 S^phi(w1) S^phi(w2)``, ``C_12 = C^phi(w1) C^phi(w2)``,
``kappa = 1/(alpha PR^D)`` and ``p = 1/PR^G``, in units ``q_2 = 1``:

* Eq. 46a: ``Psi^Phi = (p + kappa |z|^2) / |1 - z|^2 C_12``;
* Eq. 46b: ``Psi^phi = (1 + (p + kappa - 1) |z|^2) / |1 - z|^2 C_12``;
* Eq. J18: ``Psi^readout = [(p - 1)(|1 - z|^2 + |z|^2) + 1 + kappa |z|^2] / |1 - z|^2 C_12``

and ``PR = C(0)^2 / Psi(0, 0)`` (Eq. 26; ``C^Phi(0) = q_2 C^phi(0)``).  Integrated
over both frequencies, only three numbers per ``g_eff`` appear:
``I_0 = C^phi(0)^2``, ``I_A = int C_12 / |1 - z|^2`` (the i.i.d. four-point
function, Eq. E5) and ``I_B = int |z|^2 C_12 / |1 - z|^2``
(:func:`rnnrepro.clark2025.theory.four_point_constants`: ``psi_phi_iid`` and
``psi_phi_rank``), so

* ``Psi^Phi(0,0)     = p I_A + kappa I_B``
* ``Psi^phi(0,0)     = I_A + (p + kappa - 1) I_B``
* ``Psi^readout(0,0) = I_A + kappa I_B + (p - 1)(I_0 + I_B)``

exactly.  Hence ``Psi^readout - Psi^phi = (p - 1) I_0 >= 0`` and
``Psi^Phi - Psi^readout = (p - 1)(I_A - I_0 - I_B) = 2 (p - 1) T`` with
``T = int C_12 Re[z/(1 - z)] > 0``: the ordering
``PR^phi >= PR^{G' phi} >= PR^{G phi}`` stated in Sec. VI holds for every
``g_eff > 1``, ``alpha PR^D`` and ``PR^G``, with equality only at ``PR^G = 1``.

Public API: see ``__all__``.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from rnnrepro.clark2025 import model, theory

__all__ = [
    "READOUTS",
    "GainProfile",
    "gain_profile",
    "heterogeneous_couplings",
    "readout_weights",
    "readout_permutations",
    "transformed_pr",
    "readout_dimensions",
    "psi_omega_readout",
    "psi_zero_readouts",
    "dimension_readouts",
    "dimension_ratios",
    "readout_table",
    "FIG5_PR_G",
]

#: Readouts compared in Sec. VI / Fig. 5 and the equation giving each.
READOUTS = {
    "normalized": "phi_i (z-scored activity), Eq. 46b",
    "unnormalized": "G_i phi_i (gains that act in the recurrence), Eq. 46a",
    "readout": "G'_i phi_i (same gain distribution, unrelated to the dynamics), Eq. J18",
}

#: Stream of a network seed used for the readout permutation (model uses 0: couplings,
#: 1: initial conditions).
_READOUT_STREAM = 2


def _check_readout(readout: str) -> str:
    if readout not in READOUTS:
        raise ValueError(f"unknown readout {readout!r}; choose from {list(READOUTS)}")
    return readout


# ----------------------------------------------------------------------------
# gains and networks
# ----------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True, eq=False)
class GainProfile:
    """Single-neuron gains of one network (Eqs. 44-45).

    Attributes
    ----------
    G : ndarray
        Recurrent gains ``G_i ∝ exp(-beta_G i / N)``, ``i = 1..N``, scaled to ``<G^2> = 1``.
    G_readout : ndarray
        Readout gains ``G'``: a random permutation of ``G`` drawn from the seed.
    beta_g : float
        Decay constant solved on the finite vector (0 for homogeneous gains).
    pr_g : float
        Realized ``PR^G = q_2^2 / q_4`` of ``G`` (equal to the request to ~1e-12).
    requested_pr_g : float
        The request.
    seed : int
        Seed of the readout permutation (stream 2 of the network seed).
    """

    G: np.ndarray
    G_readout: np.ndarray
    beta_g: float
    pr_g: float
    requested_pr_g: float
    seed: int


def gain_profile(N: int, pr_g: float, seed: int) -> GainProfile:
    r"""Gains with participation ratio ``PR^G`` (Eqs. 44-45, the profile of Fig. 5).

    ``G_i = exp(-beta_G i / N)`` with ``beta_G`` the root of the finite-``N``
    equation ``PR^G(G) = pr_g`` (:func:`rnnrepro.clark2025.model.solve_beta_d`),
    rescaled to ``q_2 = <G^2> = 1`` so that the spectrum's ``g_eff`` stays the
    effective gain ``sqrt(alpha r_2 q_2)``.  The recurrent gains are assigned in
    index order (the couplings are i.i.d. over neurons, so the order carries no
    information); the readout gains ``G'`` are a permutation of the same values
    drawn from stream 2 of ``seed`` (streams 0 and 1 are the couplings and the
    initial conditions of :mod:`.model`).

    Parameters
    ----------
    N : int
        Number of neurons.
    pr_g : float
        Requested ``PR^G``, ``1/N < pr_g <= 1`` (1: homogeneous gains).
    seed : int
        Network seed.

    Returns
    -------
    GainProfile
    """
    beta = model.solve_beta_d(N, pr_g)
    G = model.exponential_spectrum(N, beta)
    G = G / np.sqrt(np.mean(G * G))
    perm = model._rng(seed, _READOUT_STREAM).permutation(N)
    return GainProfile(G=G, G_readout=G[perm], beta_g=beta, pr_g=model.spectrum_pr(G),
                       requested_pr_g=float(pr_g), seed=int(seed))


def heterogeneous_couplings(N: int, spectrum: model.RandomModeSpectrum, gains: GainProfile,
                            seed: int, dtype=np.float64) -> np.ndarray:
    r"""Couplings ``J diag(G)`` of the network with output gains (Sec. VI).

    ``(1 + d/dt) x = J G phi(x)`` is the simulator's ``(1 + d/dt) x = J' phi(x)``
    with ``J'_ij = J_ij G_j``.  ``J`` is :func:`rnnrepro.clark2025.model.couplings`
    for the same ``(N, spectrum, seed)``.

    Parameters
    ----------
    N : int
        Number of neurons.
    spectrum : RandomModeSpectrum
        Mode strengths (its ``g_eff`` is the effective gain since ``q_2 = 1``).
    gains : GainProfile
        From :func:`gain_profile`.
    seed : int
        Network seed.
    dtype : numpy dtype
        Output dtype.

    Returns
    -------
    ndarray
        ``(N, N)`` couplings.
    """
    if gains.G.size != N:
        raise ValueError("gains and N disagree")
    J = model.couplings(N, spectrum, seed, dtype=np.float64)
    J *= gains.G[None, :]
    return J.astype(dtype, copy=False)


# ----------------------------------------------------------------------------
# dimensions of a simulated network
# ----------------------------------------------------------------------------
def readout_weights(gains: GainProfile, readout: str) -> np.ndarray | None:
    """Per-neuron weights ``w`` of a readout, ``a_i = w_i phi_i`` (``None``: plain ``phi``).

    Parameters
    ----------
    gains : GainProfile
        The network's gains.
    readout : {"normalized", "unnormalized", "readout"}
        See :data:`READOUTS`.

    Returns
    -------
    ndarray or None
    """
    r = _check_readout(readout)
    if r == "normalized":
        return None
    return gains.G if r == "unnormalized" else gains.G_readout


def transformed_pr(stats: model.NetworkStats, weights: np.ndarray | None = None,
                   estimator: str = "crossblock", zscore: bool = False) -> float:
    r"""Participation ratio of ``diag(w) C^phi diag(w)`` (Eqs. 20-21) for a simulated network.

    ``plain``: ``(tr C_w)^2 / (N ||C_w||_F^2)`` of the full covariance.
    ``crossblock``: the unbiased estimator of :mod:`.model` applied to the
    transformed block sums ``W S_b W``,
    ``PR = [sum_{a!=b} tr(W S_a W) tr(W S_b W)] / (N sum_{a!=b} tr(W S_a W W S_b W))``
    (the pair weights cancel), which needs ``simulate(..., store_blocks=True)``.

    Parameters
    ----------
    stats : NetworkStats
        One simulated network.
    weights : ndarray, optional
        ``w`` (N,); ``None`` for ``phi`` itself.
    estimator : {"crossblock", "plain"}
        See :data:`rnnrepro.clark2025.model.ESTIMATORS`.
    zscore : bool
        Additionally divide every neuron by its empirical standard deviation
        ``sqrt(C_ii)`` (from all samples) before weighting, as one would z-score
        recorded rates.  In the large-``N`` limit all ``C_ii`` are equal and this
        changes nothing; the default follows the paper (normalized = ``phi``).

    Returns
    -------
    float
        ``PR`` of the readout.
    """
    N = stats.N
    w = np.ones(N) if weights is None else np.asarray(weights, dtype=float)
    if zscore:
        w = w / np.sqrt(np.diagonal(stats.cov_phi))
    if estimator == "plain":
        return model.participation_ratio(stats.cov_phi * np.outer(w, w))
    if estimator != "crossblock":
        raise ValueError(f"unknown estimator {estimator!r}; choose from {list(model.ESTIMATORS)}")
    if stats.block_sums_phi is None:
        raise ValueError("crossblock readouts need simulate(..., store_blocks=True)")
    Sb = stats.block_sums_phi * np.outer(w, w)[None]
    if Sb.shape[0] < 2:
        return float("nan")
    tr = np.einsum("bii->b", Sb)
    total = Sb.sum(axis=0)
    fro = float(np.vdot(total, total)) - float(sum(np.vdot(s, s) for s in Sb))
    num = float(tr.sum() ** 2 - np.sum(tr**2))
    return num / (N * fro)


def readout_permutations(gains: GainProfile, n_draws: int) -> np.ndarray:
    """Readout gains of ``n_draws`` independent draws (rows); row 0 is ``gains.G_readout``.

    Draw ``k >= 1`` permutes ``G`` with the generator ``SeedSequence(seed,
    spawn_key=(2, k))``, independent of the couplings, the initial conditions
    and draw 0.

    Parameters
    ----------
    gains : GainProfile
        The network's gains.
    n_draws : int
        Number of readout draws (>= 1).

    Returns
    -------
    ndarray
        ``(n_draws, N)``.
    """
    if n_draws < 1:
        raise ValueError("need n_draws >= 1")
    out = [gains.G_readout]
    for k in range(1, n_draws):
        seq = np.random.SeedSequence(gains.seed, spawn_key=(_READOUT_STREAM, k))
        out.append(gains.G[np.random.Generator(np.random.PCG64(seq)).permutation(gains.G.size)])
    return np.array(out)


def readout_dimensions(stats: model.NetworkStats, gains: GainProfile,
                       estimator: str = "crossblock", zscore: bool = False,
                       readout_draws: int = 1) -> dict[str, float]:
    """Dimensions of the three readouts of one simulated network (Fig. 5).

    Parameters
    ----------
    stats : NetworkStats
        Simulated with couplings :func:`heterogeneous_couplings` (and
        ``store_blocks=True`` for the cross-block estimator).
    gains : GainProfile
        The same gains.
    estimator : {"crossblock", "plain"}
        Dimension estimator.
    zscore : bool
        Empirical z-scoring before weighting (see :func:`transformed_pr`).
    readout_draws : int
        ``PR^{G' phi}`` is averaged over this many independent readout
        permutations (:func:`readout_permutations`).  A random readout is a
        random variable even for a fixed network; at small ``N PR`` one draw
        scatters by several percent, while the theory (Eq. J18) is its mean.

    Returns
    -------
    dict
        ``{readout: PR}`` for ``normalized``, ``unnormalized``, ``readout``.
    """
    out = {r: transformed_pr(stats, readout_weights(gains, r), estimator, zscore)
           for r in ("normalized", "unnormalized")}
    draws = readout_permutations(gains, readout_draws)
    out["readout"] = float(np.mean([transformed_pr(stats, w, estimator, zscore)
                                    for w in draws]))
    return out


# ----------------------------------------------------------------------------
# theory
# ----------------------------------------------------------------------------
def psi_omega_readout(omega1, omega2, g_eff, eff_rank, pr_g, readout="normalized"):
    r"""Four-point function in frequency space, Eqs. 46a, 46b and J18 (units ``q_2 = 1``).

    Literal transcription, for checks: with ``z = g_eff^2 S^phi_1 S^phi_2``,
    ``C_12 = C^phi(w1) C^phi(w2)``,

    * ``unnormalized`` (46a): ``(1/PR^G + |z|^2/(alpha PR^D)) / |1 - z|^2 C_12``;
    * ``normalized`` (46b): ``(1 + (1/PR^G + 1/(alpha PR^D) - 1)|z|^2) / |1 - z|^2 C_12``;
    * ``readout`` (J18): ``[(1/PR^G - 1)(|1 - z|^2 + |z|^2) + 1 + |z|^2/(alpha PR^D)]
      / |1 - z|^2 C_12``.

    Parameters
    ----------
    omega1, omega2 : float or ndarray
        Angular frequencies (broadcast).
    g_eff : float
        Effective gain ``sqrt(alpha r_2 q_2)``.
    eff_rank : float
        ``alpha PR^D`` (``np.inf``: i.i.d. couplings).
    pr_g : float
        ``PR^G`` in (0, 1].
    readout : {"normalized", "unnormalized", "readout"}
        Which variable.

    Returns
    -------
    ndarray
        ``Psi(omega1, omega2)`` (real).
    """
    r = _check_readout(readout)
    w1, w2 = np.asarray(omega1, float), np.asarray(omega2, float)
    kappa, p = 1.0 / float(eff_rank), 1.0 / float(pr_g)
    # one-frequency factors on the unbroadcast inputs (outer grids stay cheap)
    z = g_eff**2 * theory.s_phi(w1, g_eff) * theory.s_phi(w2, g_eff)
    c12 = theory.c_omega(g_eff, w1) * theory.c_omega(g_eff, w2)
    z2, den = np.abs(z) ** 2, np.abs(1.0 - z) ** 2
    if r == "unnormalized":
        num = p + kappa * z2
    elif r == "normalized":
        num = 1.0 + (p + kappa - 1.0) * z2
    else:
        num = (p - 1.0) * (den + z2) + 1.0 + kappa * z2
    return num / den * c12


def psi_zero_readouts(g_eff: float, eff_rank, pr_g) -> dict[str, np.ndarray]:
    r"""Equal-time four-point functions ``Psi(0, 0)`` of the three readouts (Eqs. 46, J18).

    From the constants of :func:`rnnrepro.clark2025.theory.four_point_constants`
    (``I_0 = C^phi(0)^2``, ``I_A = psi_phi_iid``, ``I_B = psi_phi_rank``), in
    units ``q_2 = 1`` (see the module doc)::

        unnormalized: p I_A + kappa I_B
        normalized:   I_A + (p + kappa - 1) I_B
        readout:      I_A + kappa I_B + (p - 1)(I_0 + I_B)

    with ``p = 1/PR^G`` and ``kappa = 1/(alpha PR^D)``.

    Parameters
    ----------
    g_eff : float
        Effective gain ``sqrt(alpha r_2 q_2)`` (> 1 for activity).
    eff_rank : float or ndarray
        ``alpha PR^D`` (``np.inf``: i.i.d. couplings); broadcast with ``pr_g``.
    pr_g : float or ndarray
        ``PR^G`` in (0, 1].

    Returns
    -------
    dict
        ``{readout: Psi(0,0)}`` plus ``"c0_squared"`` (``I_0``).
    """
    f = theory.four_point_constants(float(g_eff))
    i0, ia, ib = f.c_phi0**2, f.psi_phi_iid, f.psi_phi_rank
    er, pg = np.broadcast_arrays(np.asarray(eff_rank, float), np.asarray(pr_g, float))
    if np.any(pg <= 0) or np.any(pg > 1) or np.any(er <= 0):
        raise ValueError("need 0 < PR^G <= 1 and alpha PR^D > 0")
    with np.errstate(divide="ignore"):
        kappa = 1.0 / er
    p = 1.0 / pg
    return {
        "unnormalized": p * ia + kappa * ib,
        "normalized": ia + (p + kappa - 1.0) * ib,
        "readout": ia + kappa * ib + (p - 1.0) * (i0 + ib),
        "c0_squared": np.full(er.shape, i0),
    }


def dimension_readouts(g_eff: float, eff_rank, pr_g) -> dict[str, np.ndarray]:
    r"""Dimensions ``PR = C(0)^2 / Psi(0,0)`` (Eq. 26) of the three readouts (Eqs. 46, J18).

    Parameters
    ----------
    g_eff : float
        Effective gain ``sqrt(alpha r_2 q_2)``.
    eff_rank : float or ndarray
        ``alpha PR^D``.
    pr_g : float or ndarray
        ``PR^G``.

    Returns
    -------
    dict
        ``{readout: PR}`` (floats for scalar input); NaN for ``g_eff <= 1``.
    """
    psi = psi_zero_readouts(g_eff, eff_rank, pr_g)
    out = {}
    for r in READOUTS:
        v = psi["c0_squared"] / psi[r]
        out[r] = float(v) if v.ndim == 0 else v
    return out


def dimension_ratios(g_eff: float, eff_rank, pr_g) -> dict[str, np.ndarray]:
    r"""Fig. 5(b): ``PR^{G phi} / PR^phi`` and ``PR^{G' phi} / PR^phi``.

    Parameters
    ----------
    g_eff : float
        Effective gain (Fig. 5b uses 10).
    eff_rank : float or ndarray
        ``alpha PR^D``.
    pr_g : float or ndarray
        ``PR^G``.

    Returns
    -------
    dict
        ``{"unnormalized": PR^{G phi}/PR^phi, "readout": PR^{G' phi}/PR^phi}``,
        both in (0, 1] with the readout ratio the larger.
    """
    d = dimension_readouts(g_eff, eff_rank, pr_g)
    return {"unnormalized": d["unnormalized"] / d["normalized"],
            "readout": d["readout"] / d["normalized"]}


#: ``PR^G`` grid of Fig. 5 (0.1, 0.2, ..., 1).
FIG5_PR_G = tuple(round(0.1 * k, 10) for k in range(1, 11))


def readout_table(g_effs=(3.0, 6.0, 10.0), eff_ranks=(10.0, 1.0, 0.1),
                  pr_gs=FIG5_PR_G) -> pd.DataFrame:
    """Theory of Fig. 5 on a grid: the three dimensions and the two ratios.

    Parameters
    ----------
    g_effs : sequence of float
        Effective gains (Fig. 5: 3, 6, 10; the ratios of panel b are shown at 10).
    eff_ranks : sequence of float
        ``alpha PR^D`` (Fig. 5: 10, 1, 0.1).
    pr_gs : sequence of float
        ``PR^G`` values.

    Returns
    -------
    DataFrame
        Columns ``g_eff, eff_rank, pr_g, pr_normalized, pr_unnormalized, pr_readout,
        ratio_unnormalized, ratio_readout``.
    """
    rows = []
    for g in g_effs:
        for er in eff_ranks:
            pg = np.asarray(pr_gs, float)
            d = dimension_readouts(float(g), float(er), pg)
            for k, v in enumerate(pg):
                rows.append(dict(
                    g_eff=float(g), eff_rank=float(er), pr_g=float(v),
                    pr_normalized=float(d["normalized"][k]),
                    pr_unnormalized=float(d["unnormalized"][k]),
                    pr_readout=float(d["readout"][k]),
                    ratio_unnormalized=float(d["unnormalized"][k] / d["normalized"][k]),
                    ratio_readout=float(d["readout"][k] / d["normalized"][k])))
    return pd.DataFrame(rows)
