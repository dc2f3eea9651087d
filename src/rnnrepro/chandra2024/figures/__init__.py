"""The figures of Chandra and Magnasco (arXiv:2405.13854), one module each.

Each module has ``NAME`` (target, file stem and LaTeX label), ``TABLES`` (the tables of
the paper it reads), ``CAPTION`` (written once: it feeds the report, the manuscript
and the README) and ``plot(tables, kernels, options) -> Figure``; ``CLAIM`` (the
one-line claim of the README), and where needed ``OPTIONS`` (config values it draws)
and ``KERNELS`` (experiments whose kernel files it reads).  Each lists these in its
``__all__``.  A figure never recomputes a measurement: it reads tables, kernels and
theory.
"""

#: the package itself exports nothing: each figure is a submodule
__all__: list[str] = []
