"""Provenance sidecars: what produced each output, and whether it is still intact.

Beside every output ``X`` of the workflow (kernels, plans, shards, tables, figures,
the manuscript) its job writes ``X.prov.json``: the file's SHA-256, the git commit of
the code (``-dirty`` if tracked files were modified), a hash of the parameters of the
job, the SHA-256 of each of its input files, and the versions of Python and the key
packages.  No timestamps and no absolute paths: the same commit, config and inputs
give the same sidecar, byte for byte, in any checkout directory.  Following the input
hashes from sidecar to sidecar leads back through the whole chain.

The recorded checksum is also how a damaged intermediate is caught before it is used
(:func:`verify_inputs`, :func:`damaged_outputs`): a file whose bytes no longer match
the record its own job wrote was truncated or changed afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from rnnrepro.io import atomic_write, canonical_json, file_sha256

__all__ = ["PACKAGES", "REPO", "SUFFIX", "DamagedInput", "git_commit", "environment",
           "sidecar_path", "portable_path", "write_provenance", "recorded_sha256",
           "verify_inputs", "damaged_outputs", "dependents", "lock_sha256"]

PACKAGES = ("numpy", "scipy", "pandas", "pyarrow", "matplotlib", "seaborn", "snakemake",
            "PyYAML", "jsonschema")
REPO = Path(__file__).resolve().parents[2]
SUFFIX = ".prov.json"
LOCK_FILE = REPO / "requirements.lock"


class DamagedInput(RuntimeError):
    """An input whose bytes differ from the checksum its own job recorded."""


def git_commit(repo: Path = REPO) -> str:
    """``HEAD`` of the checkout holding this code, ``-dirty`` if tracked files changed.

    Parameters
    ----------
    repo : Path
        The repository root.

    Returns
    -------
    str
        The commit hash, or a note when the code is not in a git checkout.
    """
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + ("-dirty" if dirty else "")


def lock_sha256() -> str:
    """SHA-256 of the dependency lock file the environment was installed from.

    Returns
    -------
    str
        Hex digest, or ``"none"`` where the repository has no lock file.
    """
    return file_sha256(LOCK_FILE) if LOCK_FILE.exists() else "none"


def environment() -> dict[str, Any]:
    """Versions of Python and of :data:`PACKAGES`, and the lock file's hash.

    Returns
    -------
    dict
        ``{"python": ..., "packages": {...}, "lock_sha256": ...}``.
    """
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {"python": platform.python_version(), "packages": versions,
            "lock_sha256": lock_sha256()}


def sidecar_path(path: str | Path) -> Path:
    """``<path>.prov.json``.

    Parameters
    ----------
    path : str or Path
        An output.

    Returns
    -------
    Path
        Its sidecar.
    """
    path = Path(path)
    return path.with_name(path.name + SUFFIX)


def portable_path(path: str | Path) -> str:
    """A path as it should be recorded: the same in every checkout directory.

    Relative paths (the workflow's outputs, relative to its working directory) stay
    as they are; files of the repository become ``<repo>/relative/path``; anything
    else keeps its absolute path.

    Parameters
    ----------
    path : str or Path
        A path.

    Returns
    -------
    str
        The recorded form.
    """
    path = Path(path)
    if not path.is_absolute():
        return path.as_posix()
    resolved = path.resolve()
    try:
        return "<repo>/" + resolved.relative_to(REPO).as_posix()
    except ValueError:
        pass
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def write_provenance(outputs: Iterable[str | Path], inputs: Iterable[str | Path],
                     parameters: Any) -> None:
    """Write ``<output>.prov.json`` for each output (after the output itself).

    Parameters
    ----------
    outputs : iterable of paths
        Finished outputs of one job.
    inputs : iterable of paths
        Every file the job read.
    parameters : Any
        JSON-serialisable parameters of the job (hashed, not stored).

    Returns
    -------
    None
    """
    common = {
        "git_commit": git_commit(),
        "parameters_sha256": hashlib.sha256(canonical_json(parameters).encode()).hexdigest(),
        "inputs": {portable_path(p): file_sha256(p) for p in sorted(map(str, inputs))},
        "environment": environment(),
    }
    for output in outputs:
        record = {"file": portable_path(output), "sha256": file_sha256(output), **common}
        with atomic_write(sidecar_path(output)) as tmp:
            Path(tmp).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


def recorded_sha256(path: str | Path) -> str | None:
    """The checksum the job that made ``path`` recorded, or None without a sidecar.

    Parameters
    ----------
    path : str or Path
        An output of the workflow.

    Returns
    -------
    str or None
        Hex digest.
    """
    sidecar = sidecar_path(path)
    try:
        return json.loads(sidecar.read_text())["sha256"]
    except (OSError, ValueError, KeyError):
        return None


def _rebuild_hint(path: str | Path) -> str:
    return (f"rebuild it with `snakemake --force {portable_path(path)}` (then run your "
            "command again), or delete it and run again")


def verify_inputs(paths: Iterable[str | Path]) -> None:
    """Check every input that has a sidecar against its recorded checksum.

    Parameters
    ----------
    paths : iterable of paths
        The inputs a stage is about to read.

    Returns
    -------
    None

    Raises
    ------
    DamagedInput
        Naming the file and how to rebuild it.
    """
    for path in paths:
        expected = recorded_sha256(path)
        if expected is not None and file_sha256(path) != expected:
            raise DamagedInput(
                f"{portable_path(path)} does not match the checksum its job recorded in "
                f"{portable_path(sidecar_path(path))}: it was truncated or changed after "
                f"it was made; {_rebuild_hint(path)}")


def damaged_outputs(root: str | Path) -> list[Path]:
    """Every output under ``root`` whose bytes differ from its sidecar's record.

    Outputs whose sidecar is missing or unreadable are not judged (a job killed
    between writing its output and its sidecar is re-run by Snakemake anyway).

    Parameters
    ----------
    root : str or Path
        Directory to scan (the workflow's ``results/``).

    Returns
    -------
    list of Path
        The damaged outputs, sorted.
    """
    damaged = []
    root = Path(root)
    if not root.is_dir():
        return damaged
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith(SUFFIX):
                continue
            output = Path(dirpath) / name[: -len(SUFFIX)]
            expected = recorded_sha256(output)
            if expected is not None and output.exists() and file_sha256(output) != expected:
                damaged.append(output)
    return sorted(damaged)


def dependents(root: str | Path, paths: Iterable[str | Path]) -> list[Path]:
    """Every output under ``root`` made, directly or through others, from ``paths``.

    Read from the sidecars' input records (paths relative to the working directory).

    Parameters
    ----------
    root : str or Path
        The workflow's ``results/``.
    paths : iterable of paths
        Outputs (relative to the working directory).

    Returns
    -------
    list of Path
        Their dependents, sorted (``paths`` themselves not included).
    """
    made_from: dict[str, list[Path]] = {}
    for sidecar in Path(root).rglob(f"*{SUFFIX}"):
        try:
            inputs = json.loads(sidecar.read_text())["inputs"]
        except (OSError, ValueError, KeyError):
            continue
        output = sidecar.with_name(sidecar.name[: -len(SUFFIX)])
        for name in inputs:
            made_from.setdefault(name, []).append(output)
    found: set[Path] = set()
    stack = [portable_path(p) for p in paths]
    while stack:
        for output in made_from.get(stack.pop(), []):
            if output not in found:
                found.add(output)
                stack.append(portable_path(output))
    return sorted(found - {Path(p) for p in paths})
