"""The experiments of the first paper, one module each (protocol: :mod:`rnnrepro.experiments`)."""

#: the package itself exports nothing: each experiment is a submodule
__all__: list[str] = []
