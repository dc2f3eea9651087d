"""Each figure module on small synthetic tables: its panels, axis labels and series.

The tables are made from the exact theory (cheap), with the columns the pipeline
writes, so a figure that reads a renamed or missing column fails here in seconds.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from rnnrepro import registry, style  # noqa: E402
from rnnrepro.chandra2024 import kernels, theory  # noqa: E402
from rnnrepro.chandra2024.experiments.resonance import resonance_laws  # noqa: E402
from rnnrepro.chandra2024.figures import (  # noqa: E402
    fig1_schematic,
    fig2_kernel_matrix,
    fig3_fixed_point,
    fig4_power_laws,
    fig5_resonances,
    fig6_decay,
    fig7_length,
)


@pytest.fixture(autouse=True)
def close_figures():
    style.apply_style()
    yield
    plt.close("all")


def texts(fig):
    """Every title, label and text of a figure, joined."""
    out = []
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend:
            out += [t.get_text() for t in legend.get_texts()]
    out += [t.get_text() for t in fig.texts]
    return "\n".join(out)


def lines_with(ax, **props):
    return [line for line in ax.get_lines()
            if all(getattr(line, f"get_{k}")() == v for k, v in props.items())]


def fits_rows(experiment, quantities, inputs, **extra):
    rows = []
    for q in quantities:
        rows.append({"experiment": experiment, "quantity": q, "exponent": -0.6667,
                     "exponent_stderr": 1e-4, "exponent_theory_range": -0.6666,
                     "prefactor": 0.42, "x_min": float(np.min(inputs)),
                     "x_max": float(np.max(inputs)), **extra})
    return pd.DataFrame(rows)


def test_the_schematic_and_the_kernel_matrix_need_no_table():
    fig = fig1_schematic.plot({}, {}, {})
    assert "phi" in texts(fig)
    fig = fig2_kernel_matrix.plot({}, {}, {})
    assert len([ax for ax in fig.axes if ax.get_images()]) == 2      # panels (a), (c)
    assert "max diff 0" in texts(fig)


def fixed_point_table(inputs, converged=None):
    x_star = theory.fixed_point(inputs)
    tau_r, tau_t = theory.tau_radial(inputs), theory.tau_phase(inputs)
    return pd.DataFrame({
        "input": inputs, "x_star": x_star, "x_star_theory": x_star,
        "tau_radial": tau_r, "tau_radial_theory": tau_r, "tau_radial_rate": np.exp(-1 / tau_r),
        "tau_phase": tau_t, "tau_phase_theory": tau_t,
        "converged": np.ones(len(inputs), bool) if converged is None else converged})


def test_fig3_draws_one_panel_per_caption_input_with_the_measured_point():
    table = fixed_point_table(np.array([1e-4, 1e-3, 0.11]))
    fig = fig3_fixed_point.plot({"fixed_points": table}, {},
                                {"caption_inputs": [0.001, 0.11]})
    panels = [ax for ax in fig.axes if ax.get_xlabel() == "$x_n$"]
    assert [ax.get_title() for ax in panels] == ["$I = 0.001$", "$I = 0.11$"]
    assert panels[0].get_xlim() == (0, 0.25) and panels[1].get_xlim() == (0, 1.0)
    point = lines_with(panels[0], label="simulated $x^*$")[0]
    assert point.get_xdata()[0] == pytest.approx(theory.fixed_point(0.001))
    with pytest.raises(ValueError, match="caption_inputs"):
        fig3_fixed_point.plot({"fixed_points": table}, {}, {"caption_inputs": [0.5]})


def test_fig4_draws_simulation_theory_asymptote_and_flags_unconverged_runs():
    inputs = np.logspace(-6, -1, 6)
    converged = np.array([True, True, True, True, True, False])
    table = fixed_point_table(inputs, converged)
    fits = fits_rows("fixed_points", ("x_star", "tau_radial", "tau_phase"), inputs[:4])
    fig = fig4_power_laws.plot({"fixed_points": table, "fits/fixed_points": fits}, {}, {})
    left, right = fig.axes[:2]
    assert left.get_xscale() == right.get_xscale() == "log"
    assert left.get_ylabel() == "fixed point $x^*$"
    assert right.get_ylabel() == "relaxation time (iterations)"
    assert "not converged" in texts(fig)
    simulated = lines_with(right, label=r"$\tau_t$ simulation")[0]
    assert len(simulated.get_xdata()) == 5
    assert "-0.6667" in texts(fig)


def resonance_tables():
    theta = np.array([0.5, 2.0, 4.0])
    rows = []
    for amplitude in (0.01, 0.1):
        for omega in np.linspace(0, 2 * np.pi, 12, endpoint=False):
            mode = int(np.argmin(np.abs(np.angle(np.exp(1j * (omega - theta))))))
            r = float(theory.resonance_response(amplitude / 3, omega - theta[mode]))
            rows.append({"kind": "spectrum", "sweep": "spectrum", "pattern": "site", "N": 3,
                         "amplitude": amplitude, "omega": omega, "mode": mode,
                         "nearest_theta": theta[mode], "detuning": omega - theta[mode],
                         "response_site": r, "response_site_theory": r,
                         "response_mode": r, "response_mode_theory": r,
                         "converged": omega > 0.1, "validate": False, "validated_mode": np.nan})
        for sweep, kind, offsets in (("detail", "detail", np.linspace(-0.04, 0.04, 5)),
                                     ("plane_laws", "laws", np.r_[0, np.logspace(-3, 0, 7), 2])):
            for d in offsets:
                r = float(theory.resonance_response(amplitude, d))
                rows.append({"kind": kind, "sweep": sweep,
                             "pattern": "plane" if kind == "laws" else "site", "N": 3,
                             "amplitude": amplitude, "omega": theta[1] + d, "mode": 1,
                             "nearest_theta": theta[1], "detuning": d, "response_site": r,
                             "response_site_theory": r, "response_mode": r,
                             "response_mode_theory": r, "converged": True, "validate": False,
                             "validated_mode": np.nan})
    table = pd.DataFrame(rows)
    return table, resonance_laws(table)


def test_fig5_draws_the_spectrum_the_widening_and_the_laws():
    table, laws = resonance_tables()
    assert {"peak", "half_width", "off_resonance", "pattern"} <= set(laws.columns)
    fig = fig5_resonances.plot({"resonance": table, "resonance_laws": laws,
                                "fits/resonance": pd.DataFrame()}, {}, {})
    spectrum, detail, law_axes = fig.axes[:3]
    assert spectrum.get_xlabel() == r"forcing frequency $\omega$"
    assert "N = 3" in spectrum.get_title()
    assert len(lines_with(spectrum, color="tab:orange")) == 2     # unconverged, per amplitude
    assert detail.get_xlabel() == r"detuning $\omega - \theta_k$"
    assert law_axes.get_xlabel() == "drive amplitude $A$"
    assert "peak $r(0)$ (plane)" in texts(fig)


def test_fig6_draws_three_kicks_per_kernel_and_a_trace():
    rows = []
    for kernel, dim in (("ring", 1), ("torus", 2)):
        for b in (1e-4, 1e-3, 1e-2):
            for kick, tau in (("radial", theory.tau_radial(b)), ("phase", theory.tau_phase(b)),
                              ("local", theory.tau_local(b))):
                steps = np.arange(0, 50.0)
                rows.append({"kernel": kernel, "dim": dim, "N": 64 ** dim, "E": 64,
                             "alpha": 0.5, "background": b, "kick": kick, "tau": float(tau),
                             "tau_theory": float(tau), "tau_rate_theory": float(tau),
                             "tau_rel_dev": 1e-6, "converged": True, "trace_steps": steps,
                             "trace_values": np.exp(-steps / float(tau))})
    table = pd.DataFrame(rows)
    fits = fits_rows("decay", ("tau_radial", "tau_phase", "tau_local"), [1e-4, 1e-2],
                     kernel="ring")
    fig = fig6_decay.plot({"decay": table, "fits/decay": fits}, {}, {})
    times, deviation, trace = fig.axes[:3]
    assert times.get_title().startswith("(a)") and trace.get_title().startswith("(c)")
    assert times.get_ylabel() == "decay time (iterations)"
    assert "1D N=64" in texts(fig) and "2D 64$^2$" in texts(fig)
    assert deviation.get_yscale() == "log"


def test_fig7_draws_lengths_and_the_exact_profile_from_the_kernel():
    ring = kernels.build("ring", {"type": "laplacian", "shape": [256], "alpha": 1.0})
    rows = []
    for b in (1e-4, 1e-3, 1e-2):
        response = theory.static_response(b, ring.multipliers, 0.1 * b)[:129]
        xi = float(theory.propagation_length(b, 1.0))
        rows.append({"kernel": "ring", "dim": 1, "N": 256, "E": 256, "alpha": 1.0,
                     "background": b, "xi": xi, "xi_rel_dev": 1e-4, "converged": True,
                     "source": 0.1, "profile_re": response.real, "profile_im": response.imag,
                     "window_start": 10, "window_end": 60})
    table = pd.DataFrame(rows)
    fits = fits_rows("length", ("xi",), [1e-4, 1e-2], kernel="ring")
    fig = fig7_length.plot({"length": table, "fits/length": fits}, {"ring": ring}, {})
    lengths, deviation, profile = fig.axes[:3]
    assert lengths.get_ylabel() == r"propagation length $\xi$ (sites)"
    exact = lines_with(profile, label="exact linear response")[0]
    simulated = lines_with(profile, label="simulation")[0]
    np.testing.assert_allclose(exact.get_ydata(), simulated.get_ydata(), rtol=1e-12)


def test_every_registered_figure_is_tested_here():
    tested = {fig1_schematic, fig2_kernel_matrix, fig3_fixed_point, fig4_power_laws,
              fig5_resonances, fig6_decay, fig7_length}
    assert set(registry.paper("chandra2024").figures) == tested
