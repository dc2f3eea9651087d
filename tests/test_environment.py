"""The locked environment: ``requirements.lock`` against ``pyproject.toml``, the installed
packages and ``environment.yml`` (README, "Quick start"; docs/developer.md, "The lock")."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from rnnrepro.provenance import LOCK_FILE, PACKAGES, environment, lock_sha256

REPO = Path(__file__).resolve().parents[1]
EXTRAS = ("test", "docs", "slurm")


def locked_pins() -> dict[str, str]:
    """``{canonical name: version}`` of the lock's pins whose markers hold here."""
    pins = {}
    for line in LOCK_FILE.read_text().splitlines():
        if not line or line[0] in " #-":
            continue
        requirement = Requirement(line.rstrip(" \\"))
        if requirement.marker is None or requirement.marker.evaluate():
            (version,) = [spec.version for spec in requirement.specifier]
            pins[canonicalize_name(requirement.name)] = version
    return pins


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    listed = list(project["dependencies"])
    for extra in EXTRAS:
        listed += project["optional-dependencies"][extra]
    return [Requirement(text) for text in listed]


def test_every_pin_has_hashes():
    text = LOCK_FILE.read_text()
    blocks = re.split(r"\n(?=[a-z0-9])", text.split("\n\n", 1)[-1].strip())
    pinned = [block for block in blocks if "==" in block.splitlines()[0]]
    assert len(pinned) > 50
    for block in pinned:
        assert "--hash=sha256:" in block, block.splitlines()[0]


def test_lock_satisfies_pyproject():
    """Fails when a dependency or bound of pyproject.toml changed and the lock was not
    refreshed (docs/developer.md gives the command)."""
    pins = locked_pins()
    for requirement in project_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is in pyproject.toml but not in {LOCK_FILE.name}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} in the lock violates '{requirement}' in pyproject.toml")
        for extra in requirement.extras:  # mkdocstrings[python] -> mkdocstrings-python
            assert canonicalize_name(f"{name}-{extra}") in pins, (name, extra)


def test_lock_was_compiled_with_every_extra():
    header = LOCK_FILE.read_text().split("\n\n", 1)[0]
    assert "uv pip compile pyproject.toml" in header
    for extra in EXTRAS:
        assert f"--extra {extra}" in header


def test_installed_versions_are_the_locked_ones():
    """The README's set-up installs exactly the lock: every locked package whose
    markers apply on this machine is installed at its locked version."""
    installed = {canonicalize_name(dist.metadata["Name"]): dist.version
                 for dist in metadata.distributions()}
    if "mkdocs" not in installed:
        pytest.skip("not installed from the lock (the docs extra is missing)")
    wrong = {name: (installed.get(name), version) for name, version in locked_pins().items()
             if installed.get(name) != version}
    assert not wrong, f"installed vs locked versions differ: {wrong}"


def test_environment_yml_installs_the_lock():
    spec = yaml.safe_load((REPO / "environment.yml").read_text())
    # the lock is compiled for Python 3.11 (its --python-version), the CI's Python
    assert "python=3.11" in spec["dependencies"]
    (pip_section,) = [dep["pip"] for dep in spec["dependencies"] if isinstance(dep, dict)]
    assert f"-r {LOCK_FILE.name}" in pip_section


def test_sidecars_record_the_lock_hash():
    recorded = environment()
    assert recorded["lock_sha256"] == lock_sha256() != "none"
    assert set(PACKAGES) <= set(recorded["packages"])
