"""The experiments of the first paper, one module each (protocol: :mod:`rnnrepro.experiments`)."""
