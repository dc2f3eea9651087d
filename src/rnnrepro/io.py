"""Files: atomic writes, deterministic tables, stable run identifiers.

Every output is written to a temporary name in its final directory and renamed into
place only when complete, so a crashed or killed job never leaves a file that looks
finished.  A job killed with ``kill -9`` cannot remove its temporary file; the next
write of the same output removes it (:func:`atomic_write`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: fault injection for the end-to-end tests: a process writing an output whose name is
#: this variable's value kills itself (SIGKILL) once its temporary file exists, as a
#: ``kill -9`` would at the worst moment
KILL_WHILE_WRITING = "RNNREPRO_KILL_WHILE_WRITING"

__all__ = ["KILL_WHILE_WRITING", "atomic_write", "canonical_json", "stable_hash", "run_id",
           "seed_from",
           "write_table", "read_table", "write_arrays", "read_arrays", "pack_ragged",
           "unpack_ragged", "thin_trace", "file_sha256", "temporary_name_pattern"]


def temporary_name_pattern(path: str | Path) -> str:
    """Glob pattern of the temporary files :func:`atomic_write` makes for ``path``.

    Parameters
    ----------
    path : str or Path
        The final output path.

    Returns
    -------
    str
        ``.<name>.*.tmp``, to be globbed in the output's directory.
    """
    return f".{Path(path).name}.*.tmp"


@contextlib.contextmanager
def atomic_write(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    On an exception the temporary file is removed and ``path`` is left untouched.
    Temporary files of the same output left by a killed writer are removed first:
    one job at a time writes an output (Snakemake's lock), so they are stale.

    Parameters
    ----------
    path : str or Path
        The final output path; its directory is created if needed.

    Returns
    -------
    Iterator[Path]
        A context manager yielding the temporary path to write.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(temporary_name_pattern(path)):
        stale.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    if os.environ.get(KILL_WHILE_WRITING) == path.name:
        os.kill(os.getpid(), signal.SIGKILL)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; outputs are not
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def canonical_json(obj: Any) -> str:
    """JSON with sorted keys and no whitespace: the same object gives the same text.

    Parameters
    ----------
    obj : Any
        JSON-serialisable data (numpy scalars allowed).

    Returns
    -------
    str
        The canonical JSON text.
    """
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=_json_default)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def stable_hash(obj: Any, digits: int = 16) -> str:
    """Hex digest (SHA-256, truncated) of the canonical JSON of ``obj``.

    Parameters
    ----------
    obj : Any
        JSON-serialisable data.
    digits : int
        Number of hex digits kept.

    Returns
    -------
    str
        The truncated digest.
    """
    return hashlib.sha256(canonical_json(obj).encode()).hexdigest()[:digits]


def run_id(params: dict[str, Any]) -> str:
    """Identifier of a run, derived only from the parameters that define it.

    Parameters
    ----------
    params : dict
        Every parameter that defines the run (names and values).

    Returns
    -------
    str
        16 hex digits.
    """
    return stable_hash(params)


def seed_from(params: dict[str, Any]) -> int:
    """A 63-bit RNG seed derived from a run's parameters (never from job order).

    Parameters
    ----------
    params : dict
        Every parameter that defines the run.

    Returns
    -------
    int
        A seed in ``[0, 2^63)``.
    """
    return int(stable_hash(params, 16), 16) >> 1


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write a parquet table atomically and deterministically (no index, fixed codec).

    Parameters
    ----------
    df : DataFrame
        The table.
    path : str or Path
        Output path.

    Returns
    -------
    None
    """
    with atomic_write(path) as tmp:
        df.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a parquet table written by :func:`write_table`.

    Parameters
    ----------
    path : str or Path
        The table's path.

    Returns
    -------
    DataFrame
        The table.
    """
    return pd.read_parquet(path, engine="pyarrow")


def write_arrays(arrays: dict[str, np.ndarray], path: str | Path) -> None:
    """Write named arrays to an ``.npz`` file atomically.

    Parameters
    ----------
    arrays : dict of str to ndarray
        The arrays.
    path : str or Path
        Output path.

    Returns
    -------
    None
    """
    with atomic_write(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)


def read_arrays(path: str | Path) -> dict[str, np.ndarray]:
    """Read every array of an ``.npz`` file (no pickles).

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    dict of str to ndarray
        The arrays by name.
    """
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def pack_ragged(traces: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate 1-D arrays into one array and its offsets.

    Parameters
    ----------
    traces : list of ndarray
        The arrays.

    Returns
    -------
    values : ndarray
        All elements, in order.
    offsets : ndarray
        ``len(traces) + 1`` offsets: trace ``i`` is ``values[offsets[i]:offsets[i+1]]``.
    """
    offsets = np.zeros(len(traces) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(t) for t in traces])
    values = np.concatenate(traces) if traces else np.zeros(0)
    return values, offsets


def unpack_ragged(values: np.ndarray, offsets: np.ndarray) -> list[np.ndarray]:
    """Inverse of :func:`pack_ragged`.

    Parameters
    ----------
    values, offsets : ndarray
        As returned by :func:`pack_ragged`.

    Returns
    -------
    list of ndarray
        The arrays.
    """
    return [values[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]


def thin_trace(trace: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """Every ``s``-th point of a trace, ``s`` the smallest stride keeping ``max_points``.

    A decay fit needs the trace's shape, not every step.

    Parameters
    ----------
    trace : ndarray
        The trace.
    max_points : int
        Most points kept.

    Returns
    -------
    steps : ndarray
        Indices kept.
    values : ndarray
        ``trace[steps]``.
    """
    stride = max(1, -(-len(trace) // max_points))
    steps = np.arange(0, len(trace), stride)
    return steps, trace[steps]


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    str
        Hex digest.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
