"""The claims engine, the generated LaTeX, and the provenance sidecars."""

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from rnnrepro import claims, registry
from rnnrepro.provenance import (
    DamagedInput,
    damaged_outputs,
    file_sha256,
    portable_path,
    sidecar_path,
    verify_inputs,
    write_provenance,
)

TABLES = {
    "fixed_points": pd.DataFrame({"input": [0.001, 0.11], "x_star": [0.125493, 0.552008]}),
    "fits": pd.DataFrame({"experiment": ["fixed_points"], "quantity": ["x_star"],
                          "exponent": [0.3319]}),
    "resonance": pd.DataFrame({"detuning": [-0.1, 0.0, 0.1], "response": [1.0, 3.0, 1.1],
                               "converged": [True, True, False]}),
}


def claim(**kw):
    base = {"id": "c", "source": "Fig. 3", "claim": "text", "tolerance": {"abs": 5e-6}}
    return {**base, **kw}


def test_arithmetic_accepts_only_plain_arithmetic():
    assert claims.arithmetic("(2*0.001)**(1/3)") == pytest.approx(0.125992, rel=1e-5)
    assert claims.arithmetic("-2/3") == pytest.approx(-2 / 3)
    assert claims.arithmetic(42) == 42.0
    with pytest.raises(claims.ClaimError):
        claims.arithmetic("__import__('os').system('true')")


def test_a_true_claim_passes_and_a_false_one_fails_without_stopping():
    checked = claims.evaluate_claims([
        claim(id="exact", paper_value=0.12549,
              measured={"table": "fixed_points", "where": {"input": 0.001}, "column": "x_star"}),
        claim(id="formula", paper_value="(2*0.001)**(1/3)",
              measured={"table": "fixed_points", "where": {"input": 0.001}, "column": "x_star"}),
        claim(id="missing", paper_value=1,
              measured={"table": "fixed_points", "where": {"input": 0.5}, "column": "x_star"}),
    ], TABLES)
    assert checked.set_index("id")["status"].to_dict() == {
        "exact": "PASS", "formula": "FAIL", "missing": "FAIL"}
    assert "expected exactly one" in checked.set_index("id").loc["missing", "note"]


def test_reductions_and_comparisons():
    spec = {"table": "resonance", "column": "detuning", "reduce": "at_max", "by": "response"}
    assert claims.measured_value(spec, TABLES) == 0.0
    spec = {"table": "resonance", "column": "converged", "reduce": "fraction"}
    assert claims.measured_value(spec, TABLES) == pytest.approx(2 / 3)
    assert claims.check(0.5, 1.0, "at_most", {"abs": 0})[0]
    assert not claims.check(1.5, 1.0, "at_most", {"abs": 0.1})[0]
    assert claims.check(0.95, 1.0, "equal", {"rel": 0.1})[0]
    assert not claims.check(np.nan, 1.0, "equal", {"abs": 1})[0]


def test_setup_statements_match_or_differ_instead_of_passing():
    checked = claims.evaluate_claims([claim(
        kind="setup", paper_value=1024,
        measured={"table": "resonance", "column": "detuning", "reduce": "count"},
        tolerance={"abs": 0})], TABLES)
    assert checked["status"].iat[0] == "DIFFERS"


def test_latex_outputs_quote_the_measured_values(tmp_path):
    checked = claims.evaluate_claims([claim(
        id="fig3-x", paper_value=0.12549,
        measured={"table": "fixed_points", "where": {"input": 0.001}, "column": "x_star"})],
        TABLES)
    table = claims.claims_latex(checked)
    assert "0.125493" in table and "PASS" in table
    macros = claims.numbers_latex({"xStar": 0.552008}, checked)
    assert r"rr@num@xStar\endcsname{\ensuremath{0.552008}}" in macros
    assert r"rr@claim@fig3-x\endcsname{\ensuremath{0.125493}}" in macros


def test_not_reproducible_claims_are_listed_with_their_reason():
    checked = claims.evaluate_claims([claim(
        id="connectome", kind="not_reproducible", reason="needs the fly hemibrain data")],
        TABLES)
    row = checked.iloc[0]
    assert row["status"] == "NOT REPRODUCIBLE" and not row["passed"]
    assert row["note"] == "needs the fly hemibrain data"
    assert "NOT REPRODUCIBLE" in claims.claims_latex(checked)


@pytest.mark.parametrize("paper", sorted(registry.papers()))
def test_the_shipped_claims_files_are_well_formed(repo, paper):
    shipped = claims.load_claims(repo / "paper" / paper / "claims.yaml")
    assert len(shipped) >= 20
    tables = set(registry.paper(paper).tables())
    for item in shipped:
        if item.get("kind") == "not_reproducible":
            continue
        claims.arithmetic(item["paper_value"])
        assert item.get("comparison", "equal") in claims.COMPARISONS
        assert item["measured"].get("reduce", "one") in claims.REDUCTIONS
        assert item["measured"]["table"] in tables, item["id"]
    numbers = yaml.safe_load((repo / "paper" / paper / "numbers.yaml").read_text())["numbers"]
    assert all({"table", "column"} <= set(spec) for spec in numbers.values())
    assert all(spec["table"] in tables for spec in numbers.values())


def test_provenance_sidecar_records_hashes_and_versions(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("input")
    out = tmp_path / "out.txt"
    out.write_text("output")
    write_provenance([out], [source], {"figure": "fig3", "dpi": 60})
    record = json.loads(sidecar_path(out).read_text())
    assert record["sha256"] == file_sha256(out)
    assert record["inputs"] == {portable_path(source): file_sha256(source)}
    assert record["git_commit"]
    assert {"numpy", "pandas", "matplotlib", "snakemake"} <= set(record["environment"]["packages"])
    first = sidecar_path(out).read_bytes()
    write_provenance([out], [source], {"figure": "fig3", "dpi": 60})
    assert sidecar_path(out).read_bytes() == first   # no timestamps


def test_recorded_paths_do_not_depend_on_the_checkout_directory(repo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert portable_path(repo / "paper" / "chandra2024" / "ms.tex") == \
        "<repo>/paper/chandra2024/ms.tex"
    assert portable_path(tmp_path / "results" / "x.parquet") == "results/x.parquet"
    assert portable_path("results/x.parquet") == "results/x.parquet"


def test_a_damaged_output_is_found_and_named(tmp_path):
    out = tmp_path / "results" / "shard-0-of-2.npz"
    out.parent.mkdir()
    out.write_bytes(b"0123456789")
    write_provenance([out], [], {})
    verify_inputs([out])
    assert damaged_outputs(tmp_path / "results") == []
    with open(out, "r+b") as fh:       # truncated, timestamp kept or not
        fh.truncate(4)
    assert damaged_outputs(tmp_path / "results") == [out]
    with pytest.raises(DamagedInput, match="shard-0-of-2.npz does not match the checksum"):
        verify_inputs([out])


def test_ranges_lists_rank_correlations_and_relative_ranges():
    table = pd.DataFrame({"g": [3.0, 6.0, 10.0, 20.0], "pr": [0.02, 0.05, 0.06, 0.07],
                          "tau": [5.0, 3.0, 2.5, 2.4]})
    tables = {"t": table}
    spec = {"table": "t", "column": "pr", "reduce": "spearman", "by": "g"}
    assert claims.measured_value(spec, tables) == pytest.approx(1.0)
    spec = {"table": "t", "column": "tau", "reduce": "relative_range",
            "where": {"g": {"min": 10}}}
    assert claims.measured_value(spec, tables) == pytest.approx(0.1 / 2.45)
    spec = {"table": "t", "column": "pr", "reduce": "count", "where": {"g": [3, 20]}}
    assert claims.measured_value(spec, tables) == 2


def test_where_contains_selects_rows_that_name_one_of_the_values():
    table = pd.DataFrame({"sweeps": ["rank", "finite_size,rank", "rank_inset", "timescale"],
                          "pr": [1.0, 2.0, 3.0, 4.0]})
    spec = {"table": "t", "column": "pr", "reduce": "count",
            "where": {"sweeps": {"contains": "rank"}}}
    assert claims.measured_value(spec, {"t": table}) == 2       # not "rank_inset"
    spec["where"] = {"sweeps": {"contains": ["rank", "rank_inset"]}}
    assert claims.measured_value(spec, {"t": table}) == 3


def test_a_number_without_rows_in_this_configuration_is_nan_not_a_crash(tmp_path, capsys):
    path = tmp_path / "numbers.yaml"
    path.write_text(yaml.safe_dump({"numbers": {
        "there": {"table": "t", "where": {"g": 3.0}, "column": "pr"},
        "absent": {"table": "t", "where": {"g": 100.0}, "column": "pr"}}}))
    values = claims.evaluate_numbers(path, {"t": pd.DataFrame({"g": [3.0], "pr": [0.5]})})
    assert values["there"] == 0.5 and np.isnan(values["absent"])
    assert "number absent: 0 rows" in capsys.readouterr().err
