"""curnn: convolutional unitary recurrent neural networks near their critical point.

A reproduction of A. Chandra and M. O. Magnasco, "On the dynamics of convolutional
recurrent neural networks near their critical point", arXiv:2405.13854 (2024).

The library is plain Python; the Snakemake workflow only wires its entry points
(``python -m curnn <stage> ...``) together.  Modules:

- :mod:`curnn.model`       the map ``Z <- phi(U * Z + I)`` and a batched FFT stepper
- :mod:`curnn.kernels`     unitary convolution kernels as Fourier multipliers
- :mod:`curnn.theory`      closed forms: fixed points, gains, relaxation times
- :mod:`curnn.measure`     fits of decay rates and power laws from simulated data
- :mod:`curnn.experiments` one module per experiment (plan, simulate, measure, aggregate)
- :mod:`curnn.figures`     one module per figure of the paper
"""

__version__ = "0.1.0"
