"""The figures of Clark et al. (PRX 15, 041019), one module each (protocol: see
:mod:`rnnrepro.registry`)."""

#: the package itself exports nothing: each module is a submodule
__all__: list[str] = []
