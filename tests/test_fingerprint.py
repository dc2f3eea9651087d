"""Code fingerprints: comments and docstrings do not count, code lines do, transitively."""

import importlib
import sys
import textwrap

import pytest

import rnnrepro
from rnnrepro import fingerprint

SOURCE = '''
"""A module."""
import numpy as np

SCALE = 2.0


def helper(x):
    """Scale x."""
    return SCALE * x   # twice


def unrelated(x):
    return x - 1


def entry(x):
    """The entry point."""
    return helper(x) + np.sin(x)
'''


@pytest.fixture()
def sample(tmp_path, monkeypatch):
    """A throw-away module inside the package, rewritten by each test."""
    monkeypatch.setattr(rnnrepro, "__path__", [*rnnrepro.__path__, str(tmp_path)])
    path = tmp_path / "fp_sample.py"

    def load(source):
        path.write_text(textwrap.dedent(source))
        fingerprint._module.cache_clear()
        sys.modules.pop("rnnrepro.fp_sample", None)
        importlib.invalidate_caches()
        module = importlib.import_module("rnnrepro.fp_sample")
        return fingerprint.code_fingerprint(module.entry)

    yield load
    sys.modules.pop("rnnrepro.fp_sample", None)
    fingerprint._module.cache_clear()


def test_docstrings_comments_and_formatting_do_not_count(sample):
    base = sample(SOURCE)
    edited = SOURCE.replace('"""Scale x."""', '"""Scale x by SCALE (docs only)."""')
    edited = edited.replace("# twice", "# two times, see the notes")
    edited = edited.replace("return SCALE * x", "return SCALE*x")
    assert sample(edited) == base


def test_a_code_line_reached_transitively_counts(sample):
    base = sample(SOURCE)
    assert sample(SOURCE.replace("SCALE = 2.0", "SCALE = 3.0")) != base
    assert sample(SOURCE.replace("return SCALE * x", "return SCALE * x * 1")) != base


def test_code_the_entry_point_does_not_reach_does_not_count(sample):
    base = sample(SOURCE)
    assert sample(SOURCE.replace("return x - 1", "return x - 2")) == base


def test_package_code_is_followed_across_modules():
    from rnnrepro.chandra2024 import model
    from rnnrepro.chandra2024.experiments import fixed_points

    closure = fingerprint._closure([("rnnrepro.chandra2024.experiments.fixed_points",
                                     "simulate")])
    names = {f"{m}.{n}" for m, n in closure}
    assert "rnnrepro.chandra2024.model.relax" in names
    assert "rnnrepro.chandra2024.model.phi" in names      # through Stepper
    assert "rnnrepro.chandra2024.experiments.fixed_points.fit_power_laws" not in names
    assert fixed_points and model
