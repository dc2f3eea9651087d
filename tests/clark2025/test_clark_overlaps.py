"""Right-left mode overlaps (Clark et al. 2025, Sec. VII, Apps. H, K, M1; Fig. 7)."""
import math

import numpy as np
import pytest
from scipy import special

from rnnrepro.clark2025 import model, theory
from rnnrepro.clark2025 import overlaps as O

# ---------------------------------------------------------------------------
# overlap profile, mode distributions, couplings
# ---------------------------------------------------------------------------


def test_overlap_profile_is_eq_k35():
    u = np.linspace(0, 1, 11)
    uf, gam = 0.37, 0.45
    literal = gam * (1.0 - 2.0 / (1.0 + np.exp(-O.BETA_RHO * (u - uf))))
    assert np.allclose(O.overlap_profile(u, gam, uf), literal, atol=1e-15)
    assert O.overlap_profile(uf, gam, uf) == 0.0


@pytest.mark.parametrize("pr_d", [0.3, 0.8, 1.0])
def test_flip_point_zero_mean_self_coupling(pr_d):
    m = O.overlap_modes(pr_d, 6.0, 0.6)
    mom = m.moments()
    assert mom["g_eff"] == pytest.approx(6.0, rel=1e-12)
    assert mom["pr_d"] == pytest.approx(pr_d, rel=1e-10)
    # <D rho> = 0 (Eq. 50, App. K3) relative to the scale <|D rho|>
    assert abs(mom["mean_jii"]) < 1e-12 * m.mean(np.abs(m.D * m.rho))
    if pr_d == 1.0:
        assert m.u_flip == pytest.approx(0.5, abs=1e-14)
    else:
        assert m.u_flip < 0.5  # a decaying spectrum flips earlier
    # u_flip does not depend on gamma_rho or g_eff
    assert O.overlap_modes(pr_d, 3.0, -0.2).u_flip == pytest.approx(m.u_flip, abs=1e-14)
    # leading (strong) modes carry rho > 0, trailing ones rho < 0, |rho| <= gamma
    assert m.rho[0] > 0.5 and m.rho[-1] < -0.5 and np.max(np.abs(m.rho)) < 0.6


def test_mode_quadrature_converged():
    """Kernels of Eqs. 48-49 with 128 vs 512 Gauss-Legendre nodes (analytic integrands).

    Even at |D rho S| = 0.8 for the strongest mode (pole of 1/(1 - D rho S) close to the
    real axis) the default quadrature agrees to 1e-10."""
    s = np.array([0.3, 0.2 - 0.1j, 0.05 + 0.02j])
    for pr_d, g, gam in [(0.3, 10.0, 0.6), (0.8, 6.0, -0.6)]:
        a = O.overlap_modes(pr_d, g, gam)
        b = O.overlap_modes(pr_d, g, gam, n_panels=32, n_per_panel=16)
        # S below the instability |D rho S| < 1 of the strongest mode
        s_ok = s * 0.8 / np.max(np.abs(a.D * a.rho)) / 0.3
        for x, y in zip(a.kernels(s_ok), b.kernels(s_ok)):
            assert np.allclose(x, y, rtol=1e-9, atol=0)


def test_discrete_modes_match_continuum():
    N = 2000
    d = O.discrete_overlap_modes(N, 0.3, 6.0, 0.5)
    c = O.overlap_modes(0.3, 6.0, 0.5)
    assert abs(np.sum(d.D * d.rho)) < 1e-10 * np.sum(np.abs(d.D * d.rho))
    assert d.u_flip == pytest.approx(c.u_flip, abs=2e-3)  # O(1/N) apart
    assert d.moments()["n_jij_jji"] == pytest.approx(c.moments()["n_jij_jji"], rel=5e-3)


def test_mode_pairs_overlap_statistics():
    """l_a . r_a = rho_a + O(N^-1/2): mean error and variance (1 + rho^2)/N."""
    N, M = 400, 3000
    rho = np.linspace(-0.9, 0.9, M)
    L, R = O.sample_mode_pairs(N, rho, np.random.default_rng(1))
    dots = np.sum(L * R, axis=0)
    err = dots - rho
    var = (1.0 + rho**2) / N  # exact variance of the sum of N products
    z = err / np.sqrt(var)
    assert abs(np.mean(z)) < 4.0 / math.sqrt(M)
    assert np.var(z) == pytest.approx(1.0, abs=4.0 * math.sqrt(2.0 / M))
    assert np.mean(L**2) * N == pytest.approx(1.0, abs=4.0 * math.sqrt(2.0 / (N * M)))
    assert np.mean(R**2) * N == pytest.approx(1.0, abs=4.0 * math.sqrt(2.0 / (N * M)))


def test_overlap_couplings_statistics():
    """<J_ii> = alpha<D rho> = 0, N<J_ij J_ji> = alpha<(D rho)^2>, N<J_ij^2> = g^2 (Eq. 50)."""
    N, g = 500, 3.0
    m = O.discrete_overlap_modes(N, 0.8, g, 0.6)
    J = O.overlap_couplings(m, seed=4)
    assert np.array_equal(J, O.overlap_couplings(m, seed=4))
    mom = m.moments()
    diag = np.diag(J)
    # Var(J_ii) = sum_a D_a^2 (1 + rho_a^2)/N^2
    se_diag = math.sqrt(np.mean(m.D**2 * (1 + m.rho**2)) / N) / math.sqrt(N)
    assert abs(np.mean(diag)) < 4 * se_diag
    iu = np.triu_indices(N, 1)
    prod = N * J[iu] * J.T[iu]
    se = np.std(prod) / math.sqrt(prod.size)
    assert np.mean(prod) == pytest.approx(mom["n_jij_jji"], abs=4 * se)
    assert mom["n_jij_jji"] > 10 * se  # the reciprocal correlation is resolved
    off = J[~np.eye(N, dtype=bool)]
    assert N * np.mean(off**2) == pytest.approx(g * g, rel=0.03)


# ---------------------------------------------------------------------------
# four-point function: Eq. 51 against the Hessian K29 and its limits
# ---------------------------------------------------------------------------


def test_eq51_is_inverse_of_hessian_k29():
    rng = np.random.default_rng(2)

    def c():
        return complex(rng.normal(), rng.normal())

    for _ in range(5):
        S1, S2 = 0.3 * c(), 0.3 * c()
        C1, C2 = abs(c()), abs(c())
        u, w, x12, x21 = 0.5 * c(), 0.5 * c(), 0.5 * c(), 0.5 * c()
        v = abs(c())
        cj = np.conj
        H = np.array([
            [0, u, 0, 0, 0, -1, 0, 0],
            [cj(u), -v * C1 * C2, cj(x12) * C2, cj(x21) * C1, -1, 0, 0, 0],
            [0, x12 * C2, 0, -cj(w), 0, 0, 0, 1],
            [0, x21 * C1, -w, 0, 0, 0, 1, 0],
            [0, -1, 0, 0, 0, S1 * S2, 0, 0],
            [-1, 0, 0, 0, cj(S1 * S2), -C1 * C2, cj(S1) * C2, cj(S2) * C1],
            [0, 0, 0, 1, 0, S1 * C2, 0, -S1 * cj(S2)],
            [0, 0, 1, 0, 0, S2 * C1, -cj(S1) * S2, 0]], complex)
        # Eq. 51 with U = u S1 S2, V = v |S1 S2|^2, W = w S1^* S2, X_12 = x12 S1 |S2|^2
        U, V, W = u * S1 * S2, v * abs(S1 * S2) ** 2, w * cj(S1) * S2
        X12, X21 = x12 * S1 * abs(S2) ** 2, x21 * S2 * abs(S1) ** 2
        brace = (1 + X12) * (1 + cj(X21)) / (1 - cj(W))
        eq51 = (V - 1 + 2 * brace.real) / abs(1 - U) ** 2 * C1 * C2
        assert np.linalg.inv(H)[0, 0] == pytest.approx(eq51, rel=1e-10)


@pytest.mark.parametrize("g", [3.0, 10.0])
def test_eq51_at_zero_overlap_is_eq38(g):
    """gamma = 0 with the exact i.i.d. solution: the rotated quadrature against theory.

    The remaining error is the O(dtau^2) representation of S(omega) by the first-order-hold
    weights away from omega = 0: measured 8e-5 (g = 3) at dtau = 0.04 and 3e-4 at 0.08.
    """
    sol = O.iid_solution(g, 0.04, 150.0)
    m = O.overlap_modes(0.3, g, 0.0)
    assert O.dimension_eq51(sol, m) == pytest.approx(theory.dimension(g, 0.3), rel=3e-4)
    assert O.dimension_h19(sol, g, 0.0) == pytest.approx(theory.pr_iid(g), rel=3e-4)


def _symmetric_modes(alpha, g, r):
    """Equal-strength modes with rho = +-r: the partially symmetric limit as alpha -> inf."""
    D = np.full(2, g / math.sqrt(alpha))
    return O.ModeDistribution(alpha=alpha, D=D, rho=np.array([r, -r]), weights=np.full(2, 0.5),
                              pr_d=1.0, g_eff=g, gamma_rho=r, beta_rho=0.0, beta_d=0.0,
                              u_flip=0.5, kind="test")


def test_eq51_reduces_to_h19_and_kernels_to_app_h():
    """alpha -> inf at fixed alpha<D^2> = g^2, alpha<(D rho)^2> = sigma: Eqs. 48-49 -> H16-H17
    and Eq. 51 -> Eq. H19, with corrections O(1/alpha) (checked: x10 smaller per decade)."""
    g, r = 3.0, 0.5
    sol = O.iid_solution(g, 0.08, 60.0)
    sig = g * g * r * r
    ps = O.PartiallySymmetric(g, r * r)
    s = sol.s_omega(np.linspace(-3, 3, 7))
    h19 = O.psi_zero_h19(sol, g, sig)
    errs = []
    for alpha in (1e2, 1e3, 1e4):
        m = _symmetric_modes(alpha, g, r)
        q1, r1 = m.kernels(s)
        q2, r2 = ps.kernels(s)
        assert np.allclose(q1, q2, rtol=20 / alpha)
        assert np.allclose(r1, r2, rtol=20 / alpha, atol=0)
        errs.append(abs(O.psi_zero_eq51(sol, m) / h19 - 1))
    assert errs[-1] < 1e-3
    assert errs[1] < 0.2 * errs[0] and errs[2] < 0.2 * errs[1]


# ---------------------------------------------------------------------------
# sampler building blocks
# ---------------------------------------------------------------------------


def test_integrator_against_direct_loop():
    rng = np.random.default_rng(0)
    n_t, P, dt = 200, 3, 0.08
    eta = rng.standard_normal((n_t, P))
    r = 0.05 * dt * np.exp(-0.5 * dt * np.arange(50))
    e, a = math.exp(-dt), -math.expm1(-dt)
    b = 1 - a / dt
    x = np.zeros((n_t, P))
    ph = np.zeros((n_t, P))

    def h(n, phin):  # sum_k r_k phi_{n-k} with phi_n -> phin
        return r[0] * phin + sum(r[k] * ph[n - k] for k in range(1, min(n, r.size - 1) + 1))

    for n in range(n_t - 1):
        f_n = eta[n] + h(n, ph[n])
        f_pred = eta[n + 1] + h(n + 1, ph[n])
        x[n + 1] = e * x[n] + (a - b) * f_n + b * f_pred
        ph[n + 1] = special.erf(math.sqrt(math.pi) / 2 * x[n + 1])
    for blk in (1, 7, 32):
        p2, x2 = O._integrate_paths(eta, r, dt, blk=blk)
        assert np.allclose(x2, x, atol=1e-13) and np.allclose(p2, ph, atol=1e-13)
    x0 = O._filter_paths(eta, dt)
    assert np.allclose(O._integrate_paths(eta, np.zeros(0), dt)[1], x0, atol=1e-14)


def test_foh_weights():
    for dt in (0.04, 0.1):
        h = O.foh_weights(dt, int(60 / dt))
        assert h.sum() == pytest.approx(1.0, abs=1e-12)  # exact static gain
        k = np.arange(1, h.size)
        assert np.allclose(h[1:], dt * np.exp(-k * dt), rtol=dt**2)


def test_gp_paths_have_target_covariance():
    dt, n_t, P = 0.1, 200, 4000
    tau = np.arange(n_t) * dt
    cov = np.exp(-0.5 * (tau / 2.0) ** 2)
    Pn = 2 * n_t
    seq = np.zeros(Pn)
    seq[:n_t] = cov
    seq[Pn - n_t + 1:] = cov[1:][::-1]
    lam = np.fft.rfft(seq).real
    eta = O._gp_paths(lam, O._white(Pn, P, np.random.default_rng(3)), n_t, P)
    emp = eta[:50] @ eta[:50].T / P  # first 5 time units (time-major paths)
    target = cov[np.abs(np.arange(50)[:, None] - np.arange(50)[None, :])]
    assert np.max(np.abs(emp - target)) < 5 * math.sqrt(2.0 / P)


def test_novikov_recovers_linear_response():
    """Gaussian input, output = known causal filter of it: the regularized Toeplitz solve
    returns its transform where the input has power (|w| <= 2 here; the input spectrum
    exp(-(1.5 w)^2/2) leaves higher frequencies undetermined, where the solution is shrunk
    to the reference, as in the sampler).  The windowed lag estimates are not exactly
    consistent at the window edges; with 400 paths of 50 time units this leaves ~1e-3 in
    S(0) and up to ~1e-2 (three seeds) in S(w): tolerances 5e-3 and 2e-2."""
    dt, n_t, P, Ks = 0.1, 600, 400, 40
    tau = np.arange(n_t) * dt
    cov = np.exp(-0.5 * (tau / 1.5) ** 2)
    Pn = 2 * n_t
    seq = np.zeros(Pn)
    seq[:n_t] = cov
    seq[Pn - n_t + 1:] = cov[1:][::-1]
    eta = O._gp_paths(np.fft.rfft(seq).real, O._white(Pn, P, np.random.default_rng(4)), n_t, P)
    h = O.foh_weights(dt, Ks + 1)
    s_true = 0.3 * h * np.cos(0.5 * np.arange(Ks + 1) * dt)
    y = np.zeros_like(eta)
    for k in range(Ks + 1):
        y[k:] += s_true[k] * eta[: n_t - k]
    acc = O._Accumulator(Ks, Ks)
    acc.add(y[100:], eta[100:], np.zeros_like(y[100:]), O._fast_len(2 * n_t))
    lags = n_t - 100 - np.arange(Ks + 1)
    s = O._novikov(acc.pe / (lags * P), acc.ee / (lags * P), 0.3 * h, 1e-3)
    assert np.sum(s) == pytest.approx(np.sum(s_true), rel=5e-3)
    E = np.exp(-1j * np.outer(np.linspace(0, 2, 21), np.arange(Ks + 1) * dt))
    assert np.max(np.abs(E @ (s - s_true))) < 2e-2 * np.sum(s_true)


# ---------------------------------------------------------------------------
# the sampler (App. M1), validated on the partially symmetric model (App. H)
# ---------------------------------------------------------------------------

# cheap frozen-noise (sample-average) fixed point, solved by Anderson iteration
_TEST_SETTINGS = O.SamplerSettings(n_samples=1000, tau_max=60.0, t_burn=10.0, lag_max=25.0,
                                   response_max=15.0, dtau=0.1, n_iter=20, noise="frozen",
                                   tol=1e-4, warmup=0)


def test_sampler_iid_limit_without_control():
    """App. H at rho = 0 is the i.i.d. network, known exactly (theory.py): an independent,
    end-to-end check of the sampler (GP draws, integration, Novikov response, damped fixed
    point from the paper's seed C_0 = exp(-(tau/15)^2) + 1e-4 delta, averaging).

    1000 paths of 50 time units per iteration, 60 fresh iterations, mean of the last 20, at
    g = 3.  Over six seeds the relative errors were: C^phi(0) +0.05 +- 0.17 %, <phi'>
    -0.1 +- 0.4 %, S(omega = 0) -0.1 +- 0.3 %, PR (Eq. H19) +0.4 +- 3.9 % (mean +- sd).
    Tolerances are ~3 sd; PR is ~10 times more sensitive than the two-point quantities
    because of the ridge 1/|1 - g^2 S_1 S_2|^2 with 1 - q = 0.087.
    """
    st = O.SamplerSettings(**{**_TEST_SETTINGS.__dict__, "control": None, "noise": "fresh",
                              "init": "paper", "n_iter": 60, "n_avg": 20})
    g = 3.0
    sol = O.solve_single_site(O.PartiallySymmetric(g, 0.0), g, st, seed=5)
    f = theory.four_point_constants(g)
    assert sol.c_phi[0] == pytest.approx(f.c_phi0, rel=0.006)
    assert sol.mean_phi_prime == pytest.approx(f.mean_phi_prime, rel=0.012)
    assert np.sum(sol.s_weights) == pytest.approx(f.mean_phi_prime, rel=0.01)
    assert O.dimension_h19(sol, g, 0.0) == pytest.approx(f.pr_phi_iid, rel=0.12)
    assert sol.c_phi0_trace[0] > 1.1 * f.c_phi0  # it did start away from the solution


def test_sampler_control_variate_exact_at_zero_coupling():
    g = 3.0
    sol = O.solve_single_site(O.PartiallySymmetric(g, 0.0), g,
                              O.SamplerSettings(**{**_TEST_SETTINGS.__dict__, "n_samples": 200}),
                              seed=1)
    assert sol.iterations == 1  # already at the fixed point
    assert O.dimension_h19(sol, g, 0.0) == pytest.approx(theory.pr_iid(g), rel=1e-3)


def test_sampler_partially_symmetric_against_network():
    """rho = 0.3, g = 3: C^phi(0) rises 15 % above the i.i.d. value; the sampler against one
    simulated partially symmetric network (N = 400, Eq. H2).  At N = 1000 two networks gave
    C^phi(0) = 0.8198, 0.8209 against the sampler's 0.821; at N = 400 single-neuron statistics
    scatter by ~1 %: tolerance 2.5 %."""
    g, rho, N = 3.0, 0.3, 400
    sol = O.solve_single_site(O.PartiallySymmetric(g, rho), g, _TEST_SETTINGS, seed=2)
    rng = np.random.default_rng(9)
    X = rng.standard_normal((N, N)) / math.sqrt(N)
    Y = rng.standard_normal((N, N)) / math.sqrt(N)
    sig = rho * g * g
    J = math.sqrt(g * g - sig) * X + math.sqrt(sig / 2) * (Y + Y.T)
    st = model.simulate(J.astype(np.float32), ["psym"], [9], trajectories=16, t_burn=50,
                        t_sample=150, max_lag=0).networks[0]
    c0_iid = theory.four_point_constants(g).c_phi0
    assert sol.c_phi[0] > 1.1 * c0_iid
    assert model.c_phi0(st) == pytest.approx(sol.c_phi[0], rel=0.025)


def test_sampler_overlap_model_against_network():
    """Fig. 7's model at PR^D = 1, g = 3, gamma = 0.6: C^phi(0) = 0.846 (sampler; 0.711
    without overlaps).  One simulated network with sampled mode pairs (N = 400): single-neuron
    statistics scatter by ~1 % at this N (two networks: 0.850, 0.843): tolerance 2.5 %.  PR
    itself is not compared: at N <= 1000 it scatters by tens of percent between networks
    (slow collective modes; see docs/clark2025_structure.md)."""
    g, N = 3.0, 400
    sol = O.solve_single_site(O.overlap_modes(1.0, g, 0.6), g, _TEST_SETTINGS, seed=2)
    assert sol.c_phi[0] > 1.15 * theory.four_point_constants(g).c_phi0
    J = O.overlap_couplings(O.discrete_overlap_modes(N, 1.0, g, 0.6), seed=40, dtype=np.float32)
    st = model.simulate(J, ["overlaps"], [40], trajectories=16, t_burn=50, t_sample=150,
                        max_lag=0).networks[0]
    assert model.c_phi0(st) == pytest.approx(sol.c_phi[0], rel=0.025)


def test_overlap_curve_symmetry_and_exact_zero():
    """gamma = 0 is Eq. 38 exactly; PR^D = 1 curves are even in gamma (mirrored, exact)."""
    st = O.SamplerSettings(**{**_TEST_SETTINGS.__dict__, "n_samples": 200, "n_iter": 6})
    res = O.overlap_curve(1.0, 3.0, (-0.4, 0.0, 0.4), st, seed=0)
    assert res[1]["exact"] and res[1]["pr_phi"] == pytest.approx(theory.dimension(3.0, 1.0))
    assert res[0]["pr_phi"] == res[2]["pr_phi"] and res[0]["mirrored"]
    assert res[2]["pr_phi"] < res[1]["pr_phi"]  # strong overlaps reduce the dimension
    tab = O.overlap_table(pr_ds=(0.3,), g_effs=(3.0,), gammas=(0.0,), settings=st)
    assert list(tab.pr_phi) == [pytest.approx(theory.dimension(3.0, 0.3))]
