"""Single-neuron heterogeneity and z-scoring (Clark et al. 2025, Sec. VI, App. J, Fig. 5)."""
import numpy as np
import pytest

from rnnrepro.clark2025 import heterogeneity as H
from rnnrepro.clark2025 import model, theory

# ---------------------------------------------------------------------------
# gains
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("pr_g", [0.1, 0.3, 0.75, 1.0])
def test_gain_profile_hits_requested_pr(pr_g):
    gp = H.gain_profile(500, pr_g, seed=3)
    # beta_G is solved on the finite vector by Brent to 1e-14: PR^G exact to round-off
    assert gp.pr_g == pytest.approx(pr_g, abs=1e-10)
    assert model.spectrum_pr(gp.G_readout) == pytest.approx(pr_g, abs=1e-10)
    assert np.mean(gp.G**2) == pytest.approx(1.0, rel=1e-12)  # q_2 = 1 keeps g_eff
    assert np.all(np.diff(gp.G) <= 0)  # G_i ∝ exp(-beta_G i/N), decreasing in i
    assert np.array_equal(np.sort(gp.G_readout), np.sort(gp.G))  # same distribution
    if pr_g == 1.0:
        assert gp.beta_g == 0.0 and np.allclose(gp.G, 1.0)
    else:
        # continuum relation PR^G = tanh(beta)/beta, corrections O(beta/N)
        assert np.tanh(gp.beta_g) / gp.beta_g == pytest.approx(pr_g, rel=0.02)
        assert not np.array_equal(gp.G_readout, gp.G)


def test_gain_profile_seeding_and_readout_draws():
    a, b, c = H.gain_profile(300, 0.4, 7), H.gain_profile(300, 0.4, 7), H.gain_profile(300, 0.4, 8)
    assert np.array_equal(a.G_readout, b.G_readout)
    assert not np.array_equal(a.G_readout, c.G_readout)
    draws = H.readout_permutations(a, 4)
    assert np.array_equal(draws[0], a.G_readout)
    assert all(np.array_equal(np.sort(d), np.sort(a.G)) for d in draws)
    assert len({d.tobytes() for d in draws}) == 4


def test_heterogeneous_couplings_are_j_times_diag_g():
    N = 120
    sp = model.random_mode_spectrum(N, 0.5, 3.0)
    gp = H.gain_profile(N, 0.3, 5)
    J = model.couplings(N, sp, 5)
    assert np.array_equal(H.heterogeneous_couplings(N, sp, gp, 5), J * gp.G[None, :])


# ---------------------------------------------------------------------------
# theory (Eqs. 46a, 46b, J18)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("g", [3.0, 6.0, 10.0])
def test_homogeneous_gains_recover_eq38(g):
    for er in (0.1, 1.0, 10.0, np.inf):
        d = H.dimension_readouts(g, er, 1.0)
        ref = theory.dimension(g, er)
        for r in H.READOUTS:
            assert d[r] == pytest.approx(ref, rel=1e-12)


def test_readout_ordering_in_theory():
    """Sec. VI: normalized > random readout > unnormalized for every PR^G < 1."""
    pg = np.linspace(0.05, 0.95, 19)
    for g in (1.5, 3.0, 6.0, 10.0):
        for er in (0.1, 1.0, 10.0, np.inf):
            d = H.dimension_readouts(g, er, pg)
            assert np.all(d["normalized"] > d["readout"])
            assert np.all(d["readout"] > d["unnormalized"])
            # all three grow with PR^G (Sec. VI: increases in PR^G raise every dimension)
            for r in H.READOUTS:
                assert np.all(np.diff(d[r]) > 0)


def test_normalized_symmetric_in_gain_and_rank_heterogeneity():
    """Eq. 46b: only the harmonic combination 1/PR^G + 1/(alpha PR^D) enters."""
    a = H.dimension_readouts(6.0, 0.4, 0.7)["normalized"]
    b = H.dimension_readouts(6.0, 0.7, 0.4)["normalized"]
    assert a == pytest.approx(b, rel=1e-12)


def test_fig5_values():
    """Values read off Fig. 5 (g_eff = 10; axis reading accuracy ~0.003 / ~0.02)."""
    t = H.readout_table(g_effs=(10.0,), eff_ranks=(10.0, 0.1), pr_gs=(0.1, 1.0))
    row = t[(t.eff_rank == 10.0) & (t.pr_g == 1.0)].iloc[0]
    assert row.pr_normalized == pytest.approx(0.097, abs=0.003)
    row = t[(t.eff_rank == 10.0) & (t.pr_g == 0.1)].iloc[0]
    assert row.ratio_unnormalized == pytest.approx(0.72, abs=0.02)
    assert row.ratio_readout == pytest.approx(0.88, abs=0.02)
    row = t[(t.eff_rank == 0.1) & (t.pr_g == 0.1)].iloc[0]
    assert row.ratio_unnormalized == pytest.approx(0.82, abs=0.02)


def test_frequency_space_equations_integrate_to_constants():
    """Eqs. 46a/46b/J18 integrated on a 2D frequency grid equal the three-constant forms.

    Trapezoid rule on |w| <= 8 with step 0.01 at g_eff = 3.  The integrand is smooth (the
    ridge of 1/|1 - z|^2 has width 1 - q ~ 0.09, ~9 nodes), so the rule converges
    spectrally: halving the step changes the result by < 1e-9; the error, 2e-8 to 5e-8, is
    the truncation at |w| = 8 (1e-10 at |w| = 12).  Tolerance 1e-6.
    """
    g, er, pg = 3.0, 0.5, 0.4
    w = np.arange(-8.0, 8.0 + 1e-9, 0.01)
    h = w[1] - w[0]
    psi0 = H.psi_zero_readouts(g, er, pg)
    w1, w2 = w[:, None], w[None, :]
    for r in H.READOUTS:
        val = H.psi_omega_readout(w1, w2, g, er, pg, r).sum() * h * h / (2 * np.pi) ** 2
        assert val == pytest.approx(float(psi0[r]), rel=1e-6)


def test_pointwise_identities_with_eq38():
    """Eq. 46b equals Eq. 38 with 1/(alpha PR^D) -> 1/(alpha PR^D) + 1/PR^G - 1."""
    w1 = np.array([0.0, 0.3, -1.0, 2.0])
    w2 = np.array([0.0, -0.2, 0.7, 1.5])
    g, er, pg = 6.0, 0.8, 0.5
    a = H.psi_omega_readout(w1, w2, g, er, pg, "normalized")
    b = theory.psi_omega(w1, w2, g, 1.0 / (1.0 / er + 1.0 / pg - 1.0))
    assert np.allclose(a, b, rtol=1e-12)
    for r in H.READOUTS:
        assert np.allclose(H.psi_omega_readout(w1, w2, g, er, 1.0, r),
                           theory.psi_omega(w1, w2, g, er), rtol=1e-12)


# ---------------------------------------------------------------------------
# simulated networks
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_networks():
    """Four seeded networks, N = 300, g_eff = 10, alpha PR^D = 10, PR^G = 0.5 (~7 s)."""
    N, g, er, pg = 300, 10.0, 10.0, 0.5
    sp = model.random_mode_spectrum(N, er, g)
    out = []
    for s in range(4):
        gp = H.gain_profile(N, pg, seed=200 + s)
        J = H.heterogeneous_couplings(N, sp, gp, seed=200 + s, dtype=np.float32)
        res = model.simulate(J, [f"net{s}"], [200 + s], trajectories=16, t_burn=50,
                             t_sample=200, n_blocks=8, max_lag=0, store_blocks=True)
        out.append((res.networks[0], gp))
    return dict(N=N, g=g, er=er, pg=pg, nets=out)


def test_store_blocks_bookkeeping(small_networks):
    st, gp = small_networks["nets"][0]
    n = float(np.sum(st.block_n))
    # block sums add up to the covariance (round-off of float64 sums)
    assert np.allclose(st.block_sums_phi.sum(axis=0) / n, st.cov_phi, rtol=1e-12, atol=1e-14)
    assert np.allclose(np.einsum("bii->b", st.block_sums_phi), st.block_tr_phi, rtol=1e-12)
    # unweighted cross-block readout PR equals the scalar estimator of model.py
    assert H.transformed_pr(st) == pytest.approx(model.pr_phi(st), rel=1e-10)
    assert H.transformed_pr(st, estimator="plain") == pytest.approx(model.pr_phi(st, "plain"),
                                                                    rel=1e-12)


def test_store_blocks_off_changes_nothing():
    J = model.iid_couplings(40, 2.0, 1)
    kw = dict(trajectories=4, t_burn=5, t_sample=20, n_blocks=4, max_lag=2)
    a = model.simulate(J, ["a"], [1], **kw).networks[0]
    b = model.simulate(J, ["a"], [1], store_blocks=True, **kw).networks[0]
    assert a.block_sums_phi is None and b.block_sums_phi is not None
    for f in ("cov_phi", "cov_x", "block_fro2_phi", "psi_phi_cross", "c_phi_tau"):
        assert np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True)
    with pytest.raises(ValueError, match="store_blocks"):
        H.transformed_pr(a, np.ones(40))


def test_simulated_networks_against_theory(small_networks):
    """Single-site statistics, the unnormalized ratio and the ordering in simulations.

    Tolerances from the measured scatter (12 networks at these settings): C^phi(0) scatters
    by 0.3 % around the DMFT value (which depends on g_eff = sqrt(alpha r_2 q_2) only, so this
    checks the q_2 = 1 normalization of the gains); the ratio PR^{G phi}/PR^phi by 0.06 per
    network (mean 0.87 vs theory 0.84), so the 4-network mean is held to 0.07 (~2.5 standard
    errors).  PR itself scatters by +-30 % between networks at N = 300 and is not tested.
    """
    d = small_networks
    c0_theory = theory.four_point_constants(d["g"]).c_phi0
    ratios = []
    for st, gp in d["nets"]:
        assert model.c_phi0(st) == pytest.approx(c0_theory, rel=0.015)
        pr = H.readout_dimensions(st, gp, readout_draws=8)
        assert pr["normalized"] > pr["unnormalized"]
        ratios.append(pr["unnormalized"] / pr["normalized"])
    th = H.dimension_ratios(d["g"], d["er"], d["pg"])["unnormalized"]
    assert np.mean(ratios) == pytest.approx(th, abs=0.07)
