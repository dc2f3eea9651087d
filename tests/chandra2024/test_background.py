"""Figs. 6-7: theory of the background state, the profile fits, and both experiments."""

import numpy as np
import pytest

from rnnrepro.chandra2024 import theory
from rnnrepro.chandra2024.fits import fit_damped_cosine, fit_k0_profile, prony_decay
from rnnrepro.chandra2024.kernels import laplacian_multipliers
from rnnrepro.config import ConfigError, validate_config
from rnnrepro.experiments import run_experiment as run_stages


def test_pole_length_reaches_its_asymptote_and_oscillates_as_fast_as_it_decays():
    for alpha in (0.5, 1.0):
        k = theory.pole_wavenumber(1e-9, alpha)
        assert 1 / k.imag == pytest.approx(theory.propagation_length_asymptote(1e-9, alpha),
                                           rel=1e-3)
        assert k.real == pytest.approx(k.imag, rel=1e-3)   # Re k ~ Im k near criticality


def test_local_decay_time_is_one_and_a_half_radial_times_asymptotically():
    b = 1e-9
    assert theory.tau_local(b) == pytest.approx(1.5 * theory.tau_radial(b), rel=1e-5)
    assert theory.tau_local(b) == pytest.approx(0.630 * b ** (-2 / 3), rel=1e-3)


def test_damped_cosine_fit_recovers_a_synthetic_profile_with_its_image():
    x = np.arange(513)
    xi, q, period = 40.0, 0.03, 1024

    def f(d):
        return np.exp(-d / xi) * ((1 + 2j) * np.cos(q * d) + (0.5 - 1j) * np.sin(q * d))

    fit = fit_damped_cosine(f(x) + f(period - x), start=10, drop=1e-4, period=period)
    assert fit.xi == pytest.approx(xi, rel=1e-9)
    assert fit.wavenumber == pytest.approx(q, rel=1e-9)
    assert prony_decay(x[10:200], f(x[10:200])) == pytest.approx((xi, q), rel=1e-9)


@pytest.mark.parametrize("background", [1e-6, 1e-4, 1e-2])
def test_fit_of_the_exact_1d_lattice_response_gives_the_pole(background):
    response = theory.static_response(background, laplacian_multipliers((2048,), 1.0),
                                      0.1 * background)
    fit = fit_damped_cosine(response[:1025], start=10, drop=1e-3, period=2048)
    k = theory.pole_wavenumber(background, 1.0)
    assert fit.xi == pytest.approx(1 / k.imag, rel=1e-6)
    assert fit.wavenumber == pytest.approx(k.real, rel=1e-6)


def test_k0_fit_of_the_exact_2d_lattice_response_gives_the_pole_within_half_a_percent():
    for background in (1e-4, 1e-2):
        response = theory.static_response(background, laplacian_multipliers((128, 128), 0.5),
                                          0.1 * background)
        fit = fit_k0_profile(response[:65, 0], start=10, drop=1e-3, period=128)
        assert fit.xi == pytest.approx(theory.propagation_length(background, 0.5), rel=5e-3)


def run_experiment(name, params, specs):
    """One background experiment on its own kernels, through every stage."""
    config = {"chandra2024": {"kernels": specs, "experiments": {name: params}}}
    return run_stages(config, name)


COMMON = dict(dtype="complex128", check_every=16, fit_range=[1e-6, 1e-2], shards=1)


def test_decay_times_match_theory_and_scale_as_b_to_the_minus_two_thirds():
    specs = {"ring": {"type": "laplacian", "shape": [64], "alpha": 1.0}}
    params = {**COMMON, "tol": 1e-13, "max_iter": 10 ** 6, "kick_size": 1e-5,
              "decay_factor": 1e-4, "max_decay_iter": 10 ** 6, "trace_points": 2048,
              "cases": [{"kernel": "ring",
                         "backgrounds": {"log10_min": -6, "log10_max": -2, "per_decade": 1}}]}
    table, fits = run_experiment("decay", params, specs)
    assert table["converged"].all()
    # uniform kicks: the exact gains; a local kick: its exact linearised evolution.  The
    # kicks' own size (1e-5 relative) biases the times at the 1e-5 level (nonlinearity).
    assert (table["tau_rel_dev"].abs() < 1e-4).all()
    uniform = table[table["kick"] != "local"]
    assert np.allclose(uniform["tau_theory"], uniform["tau_rate_theory"])
    for quantity in ("tau_radial", "tau_phase"):
        fit = fits[fits["quantity"] == quantity].iloc[0]
        assert fit["exponent"] == pytest.approx(-2 / 3, abs=5e-3)
        assert fit["exponent"] == pytest.approx(fit["exponent_theory_range"], abs=1e-5)


def test_propagation_length_matches_the_lattice_pole_in_1d_and_2d():
    specs = {"ring": {"type": "laplacian", "shape": [1024], "alpha": 1.0},
             "torus": {"type": "laplacian", "shape": [64, 64], "alpha": 0.5}}
    params = {**COMMON, "tol": 1e-10, "max_iter": 2 * 10 ** 6, "source": 0.1,
              "fit_start": 10, "fit_drop": 1e-3,
              "cases": [{"kernel": "ring",
                         "backgrounds": {"log10_min": -6, "log10_max": -2, "per_decade": 1}},
                        {"kernel": "torus",
                         "backgrounds": {"log10_min": -3, "log10_max": -2, "per_decade": 1}}]}
    table, fits = run_experiment("length", params, specs)
    assert table["converged"].all()
    ring, torus = table[table["dim"] == 1], table[table["dim"] == 2]
    assert (ring["xi_rel_dev"].abs() < 5e-3).all()
    assert (torus["xi_rel_dev"].abs() < 2e-2).all()
    fit = fits[fits["kernel"] == "ring"].iloc[0]
    assert fit["exponent"] == pytest.approx(fit["exponent_theory_range"], abs=5e-3)


def test_a_2d_laplacian_too_strong_for_the_background_experiments_is_rejected(default_config):
    default_config["chandra2024"]["kernels"]["torus128"]["alpha"] = 1.0
    with pytest.raises(ConfigError, match=r"chandra2024\.experiments\.decay\.cases\[2\]\.kernel"):
        validate_config(default_config)
