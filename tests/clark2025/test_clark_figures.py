"""Each figure of the second paper on the tiny configuration's tables (made in process,
a few seconds): its panels, axis labels and the series it draws."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from rnnrepro import registry, style  # noqa: E402
from rnnrepro.clark2025.experiments import dimension, few_modes  # noqa: E402
from rnnrepro.clark2025.figures import (  # noqa: E402
    fig2_model,
    fig3_duality,
    fig4_dimension,
    fig5_heterogeneity,
    fig7_overlaps,
    fig8_singular_values,
    fig9_pc_timescales,
    fig10_low_rank,
    fig11_cavity,
    figS1_finite_size,
    figS2_few_modes,
)
from rnnrepro.config import load_config  # noqa: E402
from rnnrepro.experiments import run_experiment  # noqa: E402


@pytest.fixture(scope="module")
def tables(repo):
    config = load_config(repo / "config.yaml", repo / "config" / "tiny.yaml")
    out = {}
    for module in registry.papers()["clark2025"].experiments:
        out[module.NAME], out[f"fits/{module.NAME}"] = run_experiment(config, module.NAME)
    out["dimension_points"] = dimension.dimension_points(out["dimension"])
    out["few_modes_points"] = few_modes.few_modes_points(out["few_modes"])
    return out


@pytest.fixture(autouse=True)
def close_figures():
    style.apply_style()
    yield
    plt.close("all")


def labels(fig):
    return [(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes]


def test_fig2_draws_the_model_and_both_correlation_functions(tables):
    fig = fig2_model.plot(tables, {}, {})
    assert (r"lag $\tau$", r"$C^\phi(\tau)$") in labels(fig)
    four_point = [ax for ax in fig.axes if "Psi" in ax.get_ylabel()][0]
    assert len([line for line in four_point.get_lines() if line.get_marker() == "o"]) >= 1
    assert len(fig.axes[0].get_images()) == 4          # J and three rank-one terms


def test_fig4_draws_networks_means_theory_and_the_timescales(tables):
    fig = fig4_dimension.plot(tables, {}, {})
    rank = fig.axes[0]
    assert rank.get_xlabel() == r"effective rank $\alpha\mathrm{PR}^D$"
    assert len(rank.containers) == 3                  # means with errors at g = 3, 6, 10
    psi_panels = [ax for ax in fig.axes if "Psi" in ax.get_ylabel()]
    assert len(psi_panels) == 3
    assert "networks per point" in fig.texts[0].get_text()


def test_fig8_draws_one_histogram_per_alpha_with_the_edges(tables):
    fig = fig8_singular_values.plot(tables, {}, {})
    alphas = sorted(tables["singular_values"].query("purpose == 'histogram'")["alpha"])
    assert [ax.get_title() for ax in fig.axes] == [rf"$\alpha = {a:g}$" for a in alphas]
    assert all(len(ax.patches) == 1 for ax in fig.axes)     # the histogram
    assert "edges (M=" in fig.axes[0].texts[0].get_text()


def test_fig10_draws_dimensions_asymptotes_inset_and_spectra(tables):
    fig = fig10_low_rank.plot(tables, {}, {})
    top, spectra = fig.axes[0], fig.axes[1]
    assert top.get_xscale() == "log" and top.get_yscale() == "log"
    dotted = [line for line in top.get_lines() if line.get_linestyle() == ":"]
    assert len(dotted) == 3                           # K PR^D per gain
    assert spectra.get_xscale() == "log" and len(spectra.get_lines()) >= 2


def test_figS1_draws_each_extrapolation_against_theory(tables):
    fig = figS1_finite_size.plot(tables, {}, {})
    ax = fig.axes[0]
    stars = [line for line in ax.get_lines() if line.get_marker() == "*"]
    fits = tables["fits/dimension"].query("quantity == 'pr_phi_infinite_n'")
    assert len(stars) == len(fits) >= 1
    assert stars[0].get_ydata()[0] == pytest.approx(fits["value_theory"].iat[0])
    assert ax.get_xlabel() == "$1/N$"


def test_fig3_shows_both_covariances_and_equal_dimensions(tables):
    fig = fig3_duality.plot(tables, {}, {})
    titles = [ax.get_title() for ax in fig.axes if ax.get_images()]
    assert titles == [r"neuron by neuron $C^\phi_{ij}(0)$", r"time by time $C^\phi(t_1, t_2)$"]
    row = tables["iid_networks"].set_index("case").loc["fig3_duality"]
    assert abs(row["pr_window_duality_dev"]) < 1e-9           # the duality is exact
    assert f"{row['pr_window_neuron']:.5f}" in fig.texts[0].get_text()


def test_fig9_compares_weighted_autocorrelations_with_theory(tables):
    fig = fig9_pc_timescales.plot(tables, {}, {})
    assert len(fig.axes) == 4
    for ax in fig.axes[2:]:
        labels = [line.get_label() for line in ax.get_lines()]
        assert labels == ["simulation", "theory"]
    assert len(fig.axes[1].get_lines()) == 10                 # tiny: 10 components


def test_every_registered_figure_is_tested_here():
    tested = {fig2_model, fig3_duality, fig4_dimension, fig5_heterogeneity, fig7_overlaps,
              fig8_singular_values, fig9_pc_timescales, fig10_low_rank, fig11_cavity,
              figS1_finite_size, figS2_few_modes}
    assert set(registry.paper("clark2025").figures) == tested


def test_figS2_draws_networks_means_fits_and_the_spread(tables):
    fig = figS2_few_modes.plot(tables, {}, {})
    deviations, spread = fig.axes
    sizes = tables["few_modes_points"]["N"].nunique()
    assert len(deviations.containers) == sizes            # means with errors per N
    assert deviations.get_xscale() == "log" and spread.get_yscale() == "log"
    # the b_inf + c/P line of every size with two mode counts in the fit range
    fitted = tables["fits/few_modes"].query("quantity == 'c_phi0_bias'")
    dotted = [line for line in deviations.get_lines() if line.get_linestyle() == ":"]
    assert len(dotted) == len(fitted) >= 1
    assert "spread" in spread.get_ylabel()


def test_fig5_draws_theory_lines_and_simulated_points_for_each_rank(tables):
    fig = fig5_heterogeneity.plot(tables, {}, {})
    assert [ax.get_title() for ax in fig.axes[:3]] == [
        r"$\alpha\mathrm{PR}^D = 10$", r"$\alpha\mathrm{PR}^D = 1$",
        r"$\alpha\mathrm{PR}^D = 0.1$"]
    assert all(len(ax.get_lines()) >= 1 for ax in fig.axes[:3])
    assert len(fig.axes[1].containers) >= 1           # tiny: networks at rank 1
    ratios = fig.axes[3]
    assert "G'" in ratios.get_ylabel() and len(ratios.containers) >= 1


def test_fig7_draws_a_curve_per_gain_and_the_networks(tables):
    fig = fig7_overlaps.plot(tables, {}, {})
    assert fig.axes[0].get_xlabel() == r"overlap strength $\gamma_\rho$"
    assert len(fig.axes[0].containers) == 1           # tiny: one simulated point
    assert "sampler" in fig.texts[0].get_text()


def test_fig11_is_a_schematic_of_both_cavities():
    fig = fig11_cavity.plot({}, {}, {})
    assert [ax.get_title() for ax in fig.axes] == ["neuronal cavity", "latent-variable cavity"]
    assert len(fig.axes[0].patches) > 20
