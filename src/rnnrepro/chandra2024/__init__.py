"""Chandra and Magnasco, "On the dynamics of convolutional recurrent neural networks near
their critical point", arXiv:2405.13854 (2024).

A complex field on a ring or torus, ``Z_{n+1} = phi(U ⊛ Z_n + I_n)`` with
``phi(z) = z / sqrt(1 + |z|^2)`` and a unitary convolution ``U``: the network sits
exactly at its critical point.  Modules: :mod:`.model` (the map, a batched FFT
stepper, relaxation, lock-in), :mod:`.kernels`, :mod:`.theory` (closed forms and exact
solutions), :mod:`.fits` (decay times, lengths), :mod:`.experiments` and
:mod:`.figures` (one module each), :mod:`.benchmark`.  The science in the project's own
words: ``docs/chandra2024.md``.
"""

from rnnrepro.chandra2024 import kernels
from rnnrepro.chandra2024.experiments import decay, fixed_points, length, resonance
from rnnrepro.chandra2024.figures import (
                                          fig1_schematic,
                                          fig2_kernel_matrix,
                                          fig3_fixed_point,
                                          fig4_power_laws,
                                          fig5_resonances,
                                          fig6_decay,
                                          fig7_length,
)
from rnnrepro.registry import Paper

__all__ = ["PAPER"]

PAPER = Paper(
    id="chandra2024",
    title="On the dynamics of convolutional recurrent neural networks near their "
          "critical point",
    reference="A. Chandra and M. O. Magnasco, arXiv:2405.13854 (2024)",
    experiments=(fixed_points, resonance, decay, length),
    figures=(fig1_schematic, fig2_kernel_matrix, fig3_fixed_point, fig4_power_laws,
             fig5_resonances, fig6_decay, fig7_length),
    kernels=kernels,
    scale_note="the default builds Fig. 5 on N = 256 with 256 frequencies; "
               "config/paper.yaml has the paper's N = 1024 and 1024 frequencies",
)
