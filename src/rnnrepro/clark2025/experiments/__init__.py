"""The experiments of the second paper, one module each (protocol: :mod:`rnnrepro.experiments`)."""

#: the package itself exports nothing: each module is a submodule
__all__: list[str] = []
