"""Provenance sidecars: what produced a table or a figure.

Beside every table and figure ``X`` the workflow writes ``X.prov.json``: the file's
SHA-256, the git commit of the code (``-dirty`` if tracked files were modified), a
hash of the parameters of the job that made it (its JSON ``--spec``, or the figure's
name and resolution), the SHA-256 of each of its input files, and the versions of
Python and the key packages.  No timestamps: the same commit, config and inputs give
the same sidecar, byte for byte.  Following the input hashes from sidecar to sidecar
leads back through the whole chain.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

from curnn.io import atomic_write, canonical_json

PACKAGES = ("numpy", "scipy", "pandas", "pyarrow", "matplotlib", "seaborn", "snakemake",
            "PyYAML", "jsonschema")
REPO = Path(__file__).resolve().parents[2]


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_commit(repo: Path = REPO) -> str:
    """``HEAD`` of the checkout holding this code, ``-dirty`` if tracked files changed."""
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + ("-dirty" if dirty else "")


def environment() -> dict[str, Any]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {"python": platform.python_version(), "packages": versions}


def sidecar_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".prov.json")


def write_provenance(outputs: Iterable[str | Path], inputs: Iterable[str | Path],
                     parameters: Any) -> None:
    """Write ``<output>.prov.json`` for each output (after the output itself)."""
    common = {
        "git_commit": git_commit(),
        "parameters_sha256": hashlib.sha256(canonical_json(parameters).encode()).hexdigest(),
        "inputs": {str(p): file_sha256(p) for p in sorted(map(str, inputs))},
        "environment": environment(),
    }
    for output in outputs:
        record = {"file": str(output), "sha256": file_sha256(output), **common}
        with atomic_write(sidecar_path(output)) as tmp:
            Path(tmp).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
