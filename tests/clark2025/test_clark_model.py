"""Tests of the random-mode model and simulator (Clark et al., PRX 15, 041019, 2025).

Run: PYTHONPATH=src python -m pytest tests/clark2025/test_clark_model.py -q
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate as sintegrate
from scipy import optimize, special

from rnnrepro.clark2025 import model as m


# --------------------------------------------------------------------------
# spectra
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "N, eff, g, kind, expect_kind, rank_tol",
    [
        (400, 0.3, 3.0, "paper", "exponential", 1e-10),   # beta_D solved on the finite vector
        (400, 0.05, 10.0, "paper", "exponential", 1e-10),
        (400, 1.0, 6.0, "paper", "exponential", 1e-12),   # beta_D = 0: flat, alpha = 1
        (300, 3.3, 6.0, "paper", "flat", 0.5 / 300),      # M = round(3.3 N): rounding <= 1/(2N)
        (300, 0.25, 3.0, "step", "step", 0.5 / 300),
        (301, 0.1, 3.0, "step", "step", 0.5 / 301),
        (200, 2.5, 3.0, "flat", "flat", 0.5 / 200),
    ],
)
def test_spectrum_hits_requested_point(N, eff, g, kind, expect_kind, rank_tol):
    s = m.random_mode_spectrum(N, eff, g, kind)
    assert s.kind == expect_kind
    assert s.D.size == s.M and s.alpha == s.M / N
    # recompute the moments independently from D (Eqs. 7, 11, 12, 37)
    d2 = s.D.astype(np.float64) ** 2
    r2, r4 = d2.mean(), (d2**2).mean()
    assert math.isclose(s.r2, r2, rel_tol=1e-12) and math.isclose(s.r4, r4, rel_tol=1e-12)
    assert math.isclose(s.alpha * r2 * r2 / r4, s.effective_rank, rel_tol=1e-12)
    assert abs(s.effective_rank - eff) <= rank_tol
    assert math.isclose(math.sqrt(s.alpha * r2), g, rel_tol=1e-12)
    assert math.isclose(s.g_eff, g, rel_tol=1e-12)
    assert np.all(np.diff(s.D) <= 0)  # strengths sorted non-increasing


def test_exponential_spectrum_approaches_continuum_formula():
    # PR^D = tanh(beta)/beta in the continuum (Sec. V); finite-M corrections are O(beta/M).
    for pr in (0.1, 0.3, 0.8):
        beta = m.solve_beta_d(20000, pr)
        assert abs(math.tanh(beta) / beta - pr) < 5 * beta / 20000
        assert math.isclose(m.spectrum_pr(m.exponential_spectrum(20000, beta)), pr, rel_tol=1e-10)


def test_spectrum_rejects_impossible_requests():
    with pytest.raises(ValueError):
        m.random_mode_spectrum(100, 2.0, 3.0, "exponential")
    with pytest.raises(ValueError):
        m.random_mode_spectrum(100, 2.0, 3.0, "step")
    with pytest.raises(ValueError):
        m.random_mode_spectrum(100, 0.3, 3.0, "bogus")


# --------------------------------------------------------------------------
# couplings
# --------------------------------------------------------------------------
@pytest.mark.parametrize("eff, kind", [(0.3, "paper"), (0.05, "paper"), (3.0, "paper"),
                                       (0.2, "step")])
def test_coupling_second_moment(eff, kind):
    """N <J_ij^2> = alpha r2 = g_eff^2 (Eqs. 2-5, 37).

    ||J||_F^2 = sum_ab D_a D_b (l_a.l_b)(r_a.r_b).  Diagonal terms have mean
    D_a^2 and variance ~ 4 D_a^4 / N; off-diagonal terms mean 0 and variance
    D_a^2 D_b^2 / N^2.  Hence the relative standard deviation of N <J^2> is
    sqrt(4/(N M PR^D) + 2/N^2) = sqrt(4/eff + 2)/N; we allow 5 of them.
    """
    N, g = 300, 3.0
    s = m.random_mode_spectrum(N, eff, g, kind)
    sd = math.sqrt(4.0 / s.effective_rank + 2.0) / N
    for seed in (1, 2):
        J = m.couplings(N, s, seed)
        est = N * float(np.mean(J**2))
        assert abs(est / g**2 - 1) < 5 * sd, (est, g**2, sd)
        # the mean coupling is zero: sum_ij J_ij = sum_a D_a (1.l_a)(1.r_a), SD ~ sqrt(M r2)
        assert abs(J.sum()) < 5 * math.sqrt(s.M * s.r2)


def test_coupling_rank_and_determinism():
    N = 200
    s = m.random_mode_spectrum(N, 0.15, 3.0, "step")  # 30 non-zero modes
    J = m.couplings(N, s, 7)
    assert np.linalg.matrix_rank(J) == 30
    assert np.array_equal(J, m.couplings(N, s, 7))
    assert not np.array_equal(J, m.couplings(N, s, 8))
    J32 = m.couplings(N, s, 7, np.float32)
    assert J32.dtype == np.float32 and np.array_equal(J32, J.astype(np.float32))
    # M > N: built in chunks of MODE_CHUNK modes without an (N, M) matrix
    big = m.random_mode_spectrum(N, 4.0, 3.0)
    assert big.M == 800 > m.MODE_CHUNK
    Jb = m.couplings(N, big, 3)
    assert abs(N * np.mean(Jb**2) / 9.0 - 1) < 5 * math.sqrt(4 / 4.0 + 2) / N


def test_derive_seed_is_stable_and_distinct():
    a = m.derive_seed(0, 500, 0.3, 6.0, 2)
    assert a == m.derive_seed(0, 500, 0.3, 6.0, 2)
    assert a != m.derive_seed(0, 500, 0.3, 6.0, 3)
    assert 0 <= a < 2**63


# --------------------------------------------------------------------------
# nonlinearity and integrator
# --------------------------------------------------------------------------
def test_phi_implementations():
    x = np.linspace(-12, 12, 400001)
    ref = special.erf(math.sqrt(math.pi) / 2 * x)
    assert np.array_equal(m.phi(x), ref)  # float64 = scipy's erf
    x32 = x.astype(np.float32)
    ref32 = special.erf(math.sqrt(math.pi) / 2 * x32.astype(np.float64))
    fast = m.phi(x32)  # "auto" -> fast polynomial for float32
    # documented bound: 1.4e-7 (~2 float32 ulps of 1); scipy on the float32 argument: 6.9e-8
    assert np.max(np.abs(fast.astype(np.float64) - ref32)) < 1.5e-7
    assert np.array_equal(fast, -m.phi(-x32)) and np.all(np.abs(fast) <= 1)
    slow = m.phi(x32, impl="scipy")
    assert np.max(np.abs(slow.astype(np.float64) - ref32)) < 1e-7
    # phi'(0) = 1
    assert abs(m.phi(np.array([1e-6]))[0] / 1e-6 - 1) < 1e-9


def test_rk4_linear_decay_exact():
    """J = 0: dx/dt = -x.  RK4 multiplies by R(-dt) = 1 - dt + dt^2/2 - dt^3/6 + dt^4/24
    per step."""
    x0 = np.random.default_rng(0).standard_normal((5, 3))
    J = np.zeros((5, 5))
    t, dt = 5.0, 0.05
    x = m.integrate(J, x0, t, dt)
    R = 1 - dt + dt**2 / 2 - dt**3 / 6 + dt**4 / 24
    np.testing.assert_allclose(x, x0 * R ** round(t / dt), rtol=1e-13)
    # and the truncation error vs exp(-t) is the expected t dt^4/120 ~ 2.6e-7
    np.testing.assert_allclose(x, x0 * math.exp(-t), rtol=5e-7)


def test_rk4_fourth_order_against_solve_ivp():
    N = 6
    J = m.iid_couplings(N, 2.0, 11)
    x0 = np.random.default_rng(1).standard_normal(N)

    def f(_t, x):
        return -x + J @ special.erf(math.sqrt(math.pi) / 2 * x)

    t = 4.0
    ref = sintegrate.solve_ivp(f, (0, t), x0, method="DOP853", rtol=1e-13, atol=1e-13).y[:, -1]
    errs = [np.max(np.abs(m.integrate(J, x0, t, dt) - ref)) for dt in (0.2, 0.1, 0.05)]
    orders = [math.log2(errs[i] / errs[i + 1]) for i in range(2)]
    assert all(3.6 < p < 4.4 for p in orders), (errs, orders)
    assert errs[-1] < 1e-6


# --------------------------------------------------------------------------
# simulator
# --------------------------------------------------------------------------
SHORT = dict(trajectories=8, t_burn=5.0, t_sample=24.0, max_lag=3.0, n_blocks=4)


def _nets(N=100, n=3, dtype=np.float64):
    sp = m.random_mode_spectrum(N, 0.5, 3.0)
    seeds = [m.derive_seed("test", N, i) for i in range(n)]
    labels = [f"net{i}(N={N},effrank=0.5,g=3)" for i in range(n)]
    return [m.couplings(N, sp, s, dtype) for s in seeds], labels, seeds


def _same(a: m.NetworkStats, b: m.NetworkStats) -> bool:
    fields = ["cov_phi", "cov_x", "mean_phi", "mean_x", "c_phi_tau", "c_x_tau", "psi_phi_cross",
              "block_tr_phi", "block_fro2_phi", "block_tr_x", "block_fro2_x"]
    return all(np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True) for f in fields)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_batching_is_bit_for_bit(dtype):
    """A network's statistics do not depend on which networks share its batch (per-slice gemm)."""
    Js, labels, seeds = _nets(dtype=dtype)
    together = m.simulate(Js, labels, seeds, **SHORT)
    for i in range(3):
        alone = m.simulate(Js[i], [labels[i]], [seeds[i]], **SHORT)
        assert _same(alone.networks[0], together.networks[i])
    reordered = m.simulate(Js[::-1], labels[::-1], seeds[::-1], **SHORT)
    assert _same(reordered.networks[0], together.networks[2])


def test_coupling_factors_are_the_couplings():
    """Thin factors of the non-zero modes draw the same numbers as the dense J."""
    N = 200
    step = m.random_mode_spectrum(N, 0.15, 3.0, "step")   # 30 non-zero modes
    factors = m.coupling_factors(N, step, 7)
    assert factors.rank == 30 and factors.shape == (N, N)
    np.testing.assert_allclose(factors.dense(), m.couplings(N, step, 7), rtol=0, atol=1e-14)
    assert isinstance(m.coupling_operator(N, step, 7), m.LowRankCouplings)
    # at least N/2 non-zero modes: one N x N product is the cheaper form
    assert isinstance(m.coupling_operator(N, m.random_mode_spectrum(N, 0.5, 3.0, "step"), 7),
                      np.ndarray)
    assert isinstance(m.coupling_operator(N, m.random_mode_spectrum(N, 0.1, 3.0), 7), np.ndarray)
    assert isinstance(factors.for_simulation(np.float32), m.LowRankCouplings)
    half = m.coupling_factors(N, m.random_mode_spectrum(N, 0.5, 3.0, "step"), 7)
    assert half.for_simulation(np.float32).dtype == np.float32


def test_trailing_zero_modes_are_not_drawn_and_change_nothing():
    """Chunks after the last non-zero mode are skipped: J is what drawing every chunk gives."""
    N = 600
    step = m.random_mode_spectrum(N, 0.2, 3.0, "step")   # 120 modes: chunk 0 of 3
    rng = m._rng(5, 0)
    reference = np.zeros((N, N))
    for a0 in range(0, step.M, m.MODE_CHUNK):
        Dc = step.D[a0:a0 + m.MODE_CHUNK]
        L = rng.standard_normal((N, Dc.size))
        R = rng.standard_normal((N, Dc.size))
        if np.any(Dc != 0):
            reference += (L * (Dc / N)) @ R.T
    assert np.array_equal(m.couplings(N, step, 5), reference)


def test_low_rank_couplings_integrate_like_the_dense_matrix():
    """U (V^T phi) and J phi differ by rounding only: over a few time units the
    statistics agree to far below any statistical error."""
    N = 100
    step = m.random_mode_spectrum(N, 0.2, 3.0, "step")
    seeds = [m.derive_seed("low-rank", i) for i in range(2)]
    dense = m.simulate([m.couplings(N, step, s) for s in seeds], ["a", "b"], seeds, **SHORT)
    thin = m.simulate([m.coupling_factors(N, step, s) for s in seeds], ["a", "b"], seeds,
                      **SHORT)
    for d, t in zip(dense.networks, thin.networks):
        np.testing.assert_allclose(t.cov_phi, d.cov_phi, rtol=1e-8, atol=1e-10)
        assert m.c_phi0(t) == pytest.approx(m.c_phi0(d), rel=1e-9)
    with pytest.raises(ValueError, match="all dense or all LowRankCouplings"):
        m.simulate([m.couplings(N, step, seeds[0]), m.coupling_factors(N, step, seeds[1])],
                   ["a", "b"], seeds, **SHORT)
    other = m.random_mode_spectrum(N, 0.3, 3.0, "step")
    with pytest.raises(ValueError, match="same N and rank"):
        m.simulate([m.coupling_factors(N, step, seeds[0]), m.coupling_factors(N, other, 1)],
                   ["a", "b"], seeds, **SHORT)


def test_variances_without_covariances_match_the_full_run():
    """covariances=False keeps the per-neuron variances, means, block traces and C(tau)
    of the full run (same trajectories) and nothing that needs an N x N matrix."""
    Js, labels, seeds = _nets(n=2)
    full = m.simulate(Js, labels, seeds, **SHORT)
    light = m.simulate(Js, labels, seeds, covariances=False, **SHORT)
    for f, s in zip(full.networks, light.networks):
        assert s.cov_phi is None and s.cov_x is None
        np.testing.assert_allclose(s.var_phi, np.diagonal(f.cov_phi), rtol=1e-12)
        np.testing.assert_allclose(s.var_x, np.diagonal(f.cov_x), rtol=1e-12)
        np.testing.assert_allclose(s.block_tr_phi, f.block_tr_phi, rtol=1e-12)
        np.testing.assert_array_equal(s.mean_phi, f.mean_phi)
        np.testing.assert_array_equal(s.c_phi_tau, f.c_phi_tau)
        assert m.c_phi0(s) == pytest.approx(m.c_phi0(f), rel=1e-12)
        assert m.mean_activity_ratio(s) == pytest.approx(m.mean_activity_ratio(f), rel=1e-12)
        assert np.isnan(s.block_fro2_phi).all() and np.isnan(s.psi_phi_cross).all()
        with pytest.raises(ValueError, match="needs the covariances"):
            m.pr_phi(s)
    with pytest.raises(ValueError, match="need the covariances"):
        m.simulate(Js, labels, seeds, covariances=False, store_lagged=True, **SHORT)


def test_seeding_determinism_and_bookkeeping():
    Js, labels, seeds = _nets(n=1)
    a = m.simulate(Js, labels, seeds, **SHORT)
    b = m.simulate(Js, labels, seeds, **SHORT)
    assert _same(a.networks[0], b.networks[0])
    c = m.simulate(Js, labels, [seeds[0] + 1], **SHORT)
    assert not np.array_equal(a.networks[0].cov_phi, c.networks[0].cov_phi)
    bk = a.bookkeeping()
    assert bk["n_samples"] == 24 and bk["t_sampled"] == 24.0 and bk["trajectories"] == 8
    assert bk["trajectory_time_units"] == 192.0 and bk["steps"] == round(29.0 / 0.05)
    assert bk["dtype"] == "float64" and bk["dt"] == 0.05 and bk["phi_impl"] == "scipy"
    st = a.networks[0]
    assert st.n_vectors == 192 and np.sum(st.block_n) == 192
    np.testing.assert_array_equal(st.lags, [0.0, 1.0, 2.0, 3.0])
    # covariance is symmetric and PSD, C(0) at lag 0 equals the mean diagonal
    assert np.array_equal(st.cov_phi, st.cov_phi.T)
    assert np.linalg.eigvalsh(st.cov_phi)[0] > -1e-12
    assert math.isclose(st.c_phi_tau[0], m.c_phi0(st), rel_tol=1e-12)


def test_nonfinite_state_names_the_network():
    Js, labels, seeds = _nets(N=60, n=2)
    Js[1] = Js[1].copy()
    Js[1][3, 7] = np.nan
    with pytest.raises(FloatingPointError) as e:
        m.simulate(Js, labels, seeds, **SHORT)
    assert labels[1] in str(e.value) and labels[0] not in str(e.value)
    # overflow: RK4 is unstable for dt = 10 (|R(-10)| = 291 per step) -> inf -> nan
    with pytest.raises(FloatingPointError, match="net0"):
        m.simulate(Js[:1], labels[:1], seeds[:1], dt=10.0, sample_interval=10.0, t_burn=2000.0,
                   t_sample=40.0, max_lag=10.0, n_blocks=2, trajectories=2)


def _brute_force_stats(samples: np.ndarray, n_blocks: int, K: int):
    """Reference: samples (T, N, B); plain & cross-block PR and streamed Psi from explicit
    matrices."""
    T, N, B = samples.shape
    bounds = [(b * T) // n_blocks for b in range(n_blocks + 1)]
    Sb = [np.einsum("tib,tjb->ij", samples[bounds[b]:bounds[b + 1]],
                    samples[bounds[b]:bounds[b + 1]])
          for b in range(n_blocks)]
    nb = np.array([(bounds[b + 1] - bounds[b]) * B for b in range(n_blocks)], float)
    S = sum(Sb)
    pairs_w = sum(nb[a] * nb[b] for a in range(n_blocks) for b in range(n_blocks) if a != b)
    trtr = sum(np.trace(Sb[a]) * np.trace(Sb[b]) for a in range(n_blocks)
               for b in range(n_blocks) if a != b)
    frob = sum(np.vdot(Sb[a], Sb[b]) for a in range(n_blocks) for b in range(n_blocks) if a != b)
    pr_cb = (trtr / pairs_w) / (N * frob / pairs_w)
    C = S / nb.sum()
    pr_plain = np.trace(C) ** 2 / (N * np.vdot(C, C))
    psi = np.zeros(K + 1)
    cnt = np.zeros(K + 1)
    for b in range(1, n_blocks):
        P = sum(Sb[:b])
        n_prev = nb[:b].sum()
        for t in range(bounds[b], bounds[b + 1]):
            for k in range(0, min(t - bounds[b], K) + 1):
                psi[k] += np.sum(samples[t - k] * (P @ samples[t]))
                cnt[k] += n_prev * B
    return pr_plain, pr_cb, psi / cnt / N, C


def test_accumulator_matches_brute_force():
    """The streamed sums reproduce explicit block matrices (exact algebra, round-off only)."""
    rng = np.random.default_rng(3)
    T, N, B, nbk, K = 30, 12, 3, 4, 4
    samples = rng.standard_normal((T, N, B)) * np.linspace(0.3, 2, N)[None, :, None]
    acc = m._Moments(1, N, B, T, nbk, K, psi_stream=True, lagged=True)
    for t in range(T):
        acc.add(np.ascontiguousarray(samples[t][None]))
    out = acc.finalize()
    pr_plain, pr_cb, psi, C = _brute_force_stats(samples, nbk, K)
    np.testing.assert_allclose(out["cov"][0], C, rtol=1e-12)
    assert math.isclose(m.participation_ratio(out["cov"][0]), pr_plain, rel_tol=1e-12)
    n = out["block_n"].sum()
    got = m.pr_crossblock(out["block_n"], out["block_tr"][0], out["block_fro2"][0],
                          float(np.vdot(out["cov"][0], out["cov"][0])) * n * n, N)
    assert math.isclose(got, pr_cb, rel_tol=1e-10)
    np.testing.assert_allclose(out["psi_cross"][0], psi, rtol=1e-10)
    # lagged matrices: C_ij(tau) = <a_i(t) a_j(t + tau)>
    for k in range(1, K + 1):
        ref = np.einsum("tib,tjb->ij", samples[:-k], samples[k:]) / ((T - k) * B)
        np.testing.assert_allclose(out["lagged"][0][k - 1], ref, rtol=1e-12)


def test_estimators_on_known_gaussian_case():
    """Plain PR is biased low as predicted; cross-block PR and Psi(tau,0) are unbiased.

    N = 300, 200 time units x 16 chains (n = 3200 vectors, tau_c = 3): predicted
    plain bias 1/PR_plain - 1/PR = (N + 1/PR) kappa / n with kappa = coth(1/3)
    = 3.03, i.e. PR_plain / PR - 1 = -5.6 %.  Measured over 12 repetitions
    while writing the test: plain -5.5 % (SD 0.4 % per repetition), cross-block
    -0.25 % (SD 0.37 %; the residual is the O((N/n_eff)^2) ratio-of-means bias).
    With 4 repetitions (standard error ~0.2 %) we require the plain mean within
    20 % of the prediction and |cross-block| < 1.5 %.
    """
    reps = [m.gaussian_reference_case(300, 0.2, 200, 16, 3.0, n_blocks=8, seed=s, max_lag=5)
            for s in range(4)]
    plain = np.mean([r["pr_plain"] for r in reps]) / 0.2 - 1
    cross = np.mean([r["pr_crossblock"] for r in reps]) / 0.2 - 1
    pred = reps[0]["pr_plain_predicted"] / 0.2 - 1
    assert pred < -0.05
    assert abs(plain / pred - 1) < 0.2, (plain, pred)
    assert abs(cross) < 0.015, cross
    # normalized Psi(tau, 0) = rho^tau exactly for AR(1) samples (observed error < 0.01)
    psi = np.mean([r["psi_norm"] for r in reps], axis=0)
    np.testing.assert_allclose(psi, reps[0]["psi_norm_true"], atol=0.03)


def _dmft_cphi0(g: float) -> float:
    """C^phi(0) of the i.i.d./random-mode DMFT (App. M1) from the energy condition.

    V(C; c0) = -C^2/2 + g^2 [(2/pi) sqrt((c0 + 2/pi)^2 - C^2) + C Cphi(C)] (Eq. M2),
    Cphi(C) = (2/pi) arcsin(C / (c0 + 2/pi)) (Eq. M1); V(c0; c0) = V(0; c0) fixes c0.
    """
    def f(c0):
        s = c0 + 2 / math.pi

        def V(C):
            return -C * C / 2 + g * g * (2 / math.pi * math.sqrt(s * s - C * C)
                                         + C * 2 / math.pi * math.asin(C / s))
        return V(c0) - V(0.0)

    c0 = optimize.brentq(f, g * g / 4, 2 * g * g)  # f > 0 at g^2/4, < 0 at 2 g^2 for g >= 2
    return 2 / math.pi * math.asin(c0 / (c0 + 2 / math.pi))


def test_chaotic_network_matches_dmft_cphi0():
    """C^phi(0) of an i.i.d. network (N = 400, g = 3) and of a random-mode network with the
    same g_eff (structure is invisible in single neurons, Eq. 37) within 3 % of DMFT.

    Sampling error of the mean diagonal is < 0.3 % here (400 neurons x 16 x 150 samples,
    correlation time ~ 3); the O(1/N) finite-size correction measured at N = 400 is ~1 %.
    """
    ref = _dmft_cphi0(3.0)
    N = 400
    J1 = m.iid_couplings(N, 3.0, 21)
    J2 = m.couplings(N, m.random_mode_spectrum(N, 0.5, 3.0), 22)
    res = m.simulate([J1, J2], ["iid(N=400,g=3)", "rm(N=400,effrank=0.5,g=3)"], [21, 22],
                     trajectories=16, t_burn=50.0, t_sample=150.0, max_lag=10.0, n_blocks=5,
                     dtype=np.float32)
    for st in res.networks:
        assert abs(m.c_phi0(st) / ref - 1) < 0.03, (st.label, m.c_phi0(st), ref)
        assert m.mean_activity_ratio(st) < 0.3  # no symmetry-broken state
        lags, psi = m.psi_phi_normalized(st)
        assert psi[0] == 1.0 and np.all(psi[1:] < 1.0)
        assert 0 < m.pr_phi(st) < 1 and 0 < m.pr_x(st) < 1
    # low effective rank lowers the dimension (Eq. 38 / Fig. 4a)
    assert m.pr_phi(res.networks[1]) < m.pr_phi(res.networks[0])


def test_pc_identities_and_records():
    """Eq. 28: N^-1 sum_k lambda_k^2 <p_k p_k(tau)> = Psi(tau, 0); with lambda_k: C^phi(tau)."""
    Js, labels, seeds = _nets(N=80, n=1)
    res = m.simulate(Js, labels, seeds, trajectories=6, t_burn=10.0, t_sample=40.0, max_lag=4.0,
                     n_blocks=4, store_lagged=True, record_samples=15)
    st = res.networks[0]
    pc = m.pc_autocorrelations(st, n_pcs=5)
    np.testing.assert_allclose(pc["lambda2_weighted"], m.psi_phi(st, "plain")[1], rtol=1e-9)
    np.testing.assert_allclose(pc["lambda_weighted"][1:], [np.trace(C) / 80 for C in st.lagged_phi],
                               rtol=1e-9)
    np.testing.assert_allclose(pc["lambda_weighted"], st.c_phi_tau, rtol=1e-9)
    np.testing.assert_allclose(pc["acf"][:, 0], 1.0, rtol=1e-9)
    ev = m.covariance_spectrum(st)
    assert np.all(np.diff(ev) <= 0) and math.isclose(ev.sum(), np.trace(st.cov_phi), rel_tol=1e-10)
    t, p = m.pc_traces(st, [0, 3])
    assert p.shape == (2, 15) and np.allclose(np.diff(t), 1.0) and t[-1] == 50.0
    t2, Ctt = m.time_by_time_covariance(st)
    assert Ctt.shape == (15, 15)
    # the recorded window is trajectory 0's last samples: last row is phi at t = 50
    assert np.allclose(st.record_phi[-1] @ st.record_phi[-1] / 80, Ctt[-1, -1])
