import numpy as np
import pandas as pd
import pytest

from rnnrepro.io import (
    atomic_write,
    pack_ragged,
    read_table,
    run_id,
    seed_from,
    unpack_ragged,
    write_table,
)


def test_atomic_write_leaves_nothing_when_the_writer_fails(tmp_path):
    target = tmp_path / "out.parquet"
    with pytest.raises(RuntimeError), atomic_write(target) as tmp:
        tmp.write_text("half a table")
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_keeps_the_previous_file_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("good")
    with pytest.raises(KeyboardInterrupt), atomic_write(target) as tmp:
        tmp.write_text("partial")
        raise KeyboardInterrupt
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_tables_are_written_deterministically(tmp_path):
    df = pd.DataFrame({"input": [1e-3, 0.11], "converged": [True, False]})
    write_table(df, tmp_path / "a.parquet")
    write_table(df, tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    pd.testing.assert_frame_equal(read_table(tmp_path / "a.parquet"), df)


def test_run_id_and_seed_depend_only_on_parameters():
    a = {"input": 0.001, "kernel": "ring16"}
    b = {"kernel": "ring16", "input": 0.001}
    assert run_id(a) == run_id(b) and seed_from(a) == seed_from(b)
    assert run_id(a) != run_id({**a, "input": 0.0011})
    assert 0 <= seed_from(a) < 2 ** 63


def test_ragged_roundtrip():
    traces = [np.arange(3.0), np.zeros(0), np.ones(5)]
    back = unpack_ragged(*pack_ragged(traces))
    assert len(back) == 3
    for x, y in zip(traces, back):
        np.testing.assert_array_equal(x, y)
