"""Files: atomic writes, deterministic tables, stable run identifiers.

Every output is written to a temporary name in its final directory and renamed into
place only when complete, so a crashed or killed job never leaves a file that looks
finished.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd


@contextlib.contextmanager
def atomic_write(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    On an exception the temporary file is removed and ``path`` is left untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
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
    """JSON with sorted keys and no whitespace: the same object gives the same text."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=_json_default)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def stable_hash(obj: Any, digits: int = 16) -> str:
    """Hex digest (SHA-256, truncated) of the canonical JSON of ``obj``."""
    return hashlib.sha256(canonical_json(obj).encode()).hexdigest()[:digits]


def run_id(params: dict[str, Any]) -> str:
    """Identifier of a run, derived only from the parameters that define it."""
    return stable_hash(params)


def seed_from(params: dict[str, Any]) -> int:
    """A 63-bit RNG seed derived from a run's parameters (never from job order)."""
    return int(stable_hash(params, 16), 16) >> 1


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write a parquet table atomically and deterministically (no index, fixed codec)."""
    with atomic_write(path) as tmp:
        df.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")


def read_table(path: str | Path) -> pd.DataFrame:
    return pd.read_parquet(path, engine="pyarrow")


def write_arrays(arrays: dict[str, np.ndarray], path: str | Path) -> None:
    """Write named arrays to an ``.npz`` file atomically."""
    with atomic_write(path) as tmp:
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)


def read_arrays(path: str | Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def pack_ragged(traces: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate 1-D arrays; return ``(values, offsets)`` with ``len(traces)+1`` offsets."""
    offsets = np.zeros(len(traces) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(t) for t in traces])
    values = np.concatenate(traces) if traces else np.zeros(0)
    return values, offsets


def unpack_ragged(values: np.ndarray, offsets: np.ndarray) -> list[np.ndarray]:
    return [values[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]


def thin_trace(trace: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """``(steps, values)``: every ``s``-th point of a trace, ``s`` the smallest stride that
    keeps at most ``max_points`` (a decay fit needs the shape, not every step)."""
    stride = max(1, -(-len(trace) // max_points))
    steps = np.arange(0, len(trace), stride)
    return steps, trace[steps]
