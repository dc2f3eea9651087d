import numpy as np
import pytest

from rnnrepro.chandra2024.fits import fit_decay_time
from rnnrepro.fits import fit_line, fit_power_law


def test_decay_time_of_a_geometric_sequence():
    steps = np.arange(0, 400, 3)
    fit = fit_decay_time(steps, -2e-9 * np.exp(-steps / 42.0))
    assert fit.tau == pytest.approx(42.0, rel=1e-12)
    assert fit.rate == pytest.approx(np.exp(-1 / 42.0))
    assert (fit.window_start, fit.window_end, fit.n_points) == (0, 399, len(steps))


def test_decay_fit_skips_transient_and_noise_floor():
    steps = np.arange(200)
    values = np.exp(-steps / 10.0) + np.where(steps < 5, 0.5, 0.0)
    values[150:] = 1e-30
    fit = fit_decay_time(steps, values, skip=5, floor=1e-20)
    assert fit.tau == pytest.approx(10.0, rel=1e-10)
    assert fit.window_start == 5 and fit.window_end == 149


def test_decay_fit_refuses_a_growing_trace():
    with pytest.raises(ValueError, match="does not decay"):
        fit_decay_time(np.arange(10), np.exp(np.arange(10) / 5.0))


def test_power_law_fit_recovers_exponent_and_prefactor_in_range():
    x = np.logspace(-6, 0, 25)
    y = 0.42 * x ** (-2 / 3)
    y[x > 1e-2] *= 2  # outside the range: must not matter
    fit = fit_power_law(x, y, (1e-6, 1e-2))
    assert fit.exponent == pytest.approx(-2 / 3, abs=1e-12)
    assert fit.prefactor == pytest.approx(0.42, rel=1e-10)
    assert fit.n_points == 17 and fit.x_max == pytest.approx(1e-2)


def test_line_fit_standard_error_reflects_scatter():
    x = np.linspace(0, 1, 50)
    noise = np.random.default_rng(0).normal(0, 0.01, 50)
    fit = fit_line(x, 1 + 2 * x + noise)
    assert abs(fit.slope - 2) < 4 * fit.slope_stderr
    assert 0.001 < fit.slope_stderr < 0.02
