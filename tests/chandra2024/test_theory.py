import numpy as np
import pytest

from rnnrepro.chandra2024 import theory
from rnnrepro.chandra2024.model import phi


def test_fixed_point_solves_the_map():
    inputs = np.logspace(-12, 1, 40)
    x = theory.fixed_point(inputs)
    np.testing.assert_allclose(phi(x + inputs).real, x, rtol=1e-14)


def test_caption_values_of_fig3():
    # the caption's numbers are exact values of the map (docs/chandra2024.md, section 3)
    assert float(theory.fixed_point(0.001)) == pytest.approx(0.125493, abs=5e-7)
    assert float(theory.tau_radial(0.001)) == pytest.approx(41.998, abs=5e-4)
    assert float(theory.fixed_point(0.11)) == pytest.approx(0.552008, abs=5e-7)
    assert float(theory.tau_radial(0.11)) == pytest.approx(1.8344, abs=5e-5)


def test_relaxation_times_from_gains():
    g_r, g_t = theory.gains_at_fixed_point(0.02)
    assert float(theory.tau_radial(0.02)) == pytest.approx(float(theory.relaxation_time(g_r)))
    assert float(theory.tau_phase(0.02)) == pytest.approx(float(theory.relaxation_time(g_t)))
    assert float(theory.tau_phase(0.02)) == pytest.approx(3 * float(theory.tau_radial(0.02)))


@pytest.mark.parametrize("exact, asymptote", [
    (theory.fixed_point, theory.fixed_point_asymptote),
    (theory.tau_radial, theory.tau_radial_asymptote),
    (theory.tau_phase, theory.tau_phase_asymptote),
])
def test_asymptotes_are_reached_at_small_input(exact, asymptote):
    # corrections are O(I^(2/3)) for x*, O(I^(4/3)) for tau: visible at 1e-2
    assert float(exact(1e-9) / asymptote(1e-9)) == pytest.approx(1, abs=1e-6)
    assert abs(float(exact(1e-2) / asymptote(1e-2)) - 1) > 1e-4


def test_power_law_table_matches_the_asymptote_functions():
    for name, func in (("x_star", theory.fixed_point_asymptote),
                       ("tau_radial", theory.tau_radial_asymptote),
                       ("tau_phase", theory.tau_phase_asymptote)):
        p, c = theory.FIXED_POINT_POWER_LAWS[name]
        assert c * 1e-3 ** p == pytest.approx(float(func(1e-3)))


def test_negative_and_zero_input():
    assert float(theory.fixed_point(0.0)) == 0.0
    assert float(theory.fixed_point(-0.01)) == pytest.approx(-float(theory.fixed_point(0.01)))
