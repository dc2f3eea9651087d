"""Clark, Marschall, van Meegen and Litwin-Kumar, "Connectivity structure and dynamics of
nonlinear recurrent neural networks", Phys. Rev. X 15, 041019 (2025), arXiv:2409.01969.

The random-mode model: couplings ``J = sum_a D_a l_a r_a^T`` with random modes, and how
the effective rank ``alpha PR^D`` of the couplings sets the dimension of chaotic
activity while single neurons see only the effective gain ``g_eff``.  Modules:
:mod:`.model` (spectra, couplings, the batched RK4 simulator with running covariances,
dimension estimators), :mod:`.theory` (DMFT two- and four-point functions, the
dimension, random-matrix facts), :mod:`.heterogeneity` (gains and readouts, Sec. VI),
:mod:`.overlaps` (right-left overlaps and the App. M1 sampler, Sec. VII), :mod:`.cost`,
:mod:`.experiments` and :mod:`.figures`.  The science in
the project's own words: ``docs/clark2025_theory.md``, ``docs/clark2025_simulation.md``.
"""

from rnnrepro.clark2025.experiments import (
    dimension,
    few_modes,
    iid_networks,
    mean_field,
    singular_values,
)

# the experiments named like the science modules they drive are bound under other names,
# so that `rnnrepro.clark2025.heterogeneity` and `.overlaps` stay the science modules
from rnnrepro.clark2025.experiments import heterogeneity as _heterogeneity_experiment
from rnnrepro.clark2025.experiments import overlaps as _overlaps_experiment
from rnnrepro.clark2025.figures import (
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
from rnnrepro.registry import Paper

__all__ = ["PAPER"]

PAPER = Paper(
    id="clark2025",
    title="Connectivity structure and dynamics of nonlinear recurrent neural networks",
    reference="D. G. Clark, O. Marschall, A. van Meegen and A. Litwin-Kumar, "
              "Phys. Rev. X 15, 041019 (2025)",
    experiments=(mean_field, dimension, few_modes, singular_values, iid_networks,
                 _heterogeneity_experiment, _overlaps_experiment),
    figures=(fig2_model, fig3_duality, fig4_dimension, fig5_heterogeneity, fig7_overlaps,
             fig8_singular_values, fig9_pc_timescales, fig10_low_rank, fig11_cavity,
             figS1_finite_size, figS2_few_modes),
    kernels=None,
    scale_note="the default simulates N = 500 (250-1000 for the finite-size study), 4 "
               "networks per point and 1,600 trajectory-time-units per network (48 short "
               "runs per point for the few-mode study), and solves "
               "the overlap theory with 500 sampled paths; "
               "config/paper.yaml has the paper's N = 5000 (6500 for Fig. 10), 10 networks "
               "and 1e5 time units (a cluster job)",
)
