"""End to end: the Snakemake workflow on the tiny config, in temporary directories.

Three builds: the main one (``built``: 2 shards, ``-j2``); the same configuration from
a second checkout of the repository in another directory (``second_checkout``, ``-j1``),
whose outputs and provenance must be identical byte for byte, and on which the
rebuild rules are then tested by editing its code and config; and a build with other
shard counts (1, as many as runs, runs + 5), whose tables and figures must be identical.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from rnnrepro import layout, registry
from rnnrepro.claims import format_number
from rnnrepro.io import KILL_WHILE_WRITING

pytestmark = pytest.mark.e2e

PAPER = "chandra2024"
LATEX = shutil.which("latexmk") is not None and shutil.which("pdflatex") is not None
TABLES = [f"results/{PAPER}/tables/{name}.parquet"
          for name in [*registry.paper(PAPER).tables(), "claims"]]
FIGURES = [f for m in registry.paper(PAPER).figures for f in layout.figure_files(m.NAME)]
PAPER_FILES = [layout.paper_file(PAPER, f"{n}.tex") for n in ("claims", "numbers", "fits",
                                                               "figures")]
PDF = [layout.paper_file(PAPER, "ms.pdf")] if LATEX else []


def snakemake(repo, workdir, *args, configfiles=(), env=None):
    configs = [str(repo / "config" / "tiny.yaml"), *map(str, configfiles)]
    cmd = [sys.executable, "-m", "snakemake", "-s", str(repo / "Snakefile"),
           "--directory", str(workdir), "--configfile", *configs, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900,
                          env={**os.environ, **(env or {})})


def planned_jobs(result) -> dict[str, int]:
    """Jobs of a dry run by rule, from Snakemake's "Job stats" table ({} if none)."""
    text = result.stdout + result.stderr
    assert result.returncode == 0, text[-3000:]
    if "Nothing to be done" in text:
        return {}
    match = re.search(r"Job stats:\n.*?\n-+\s+-+\n(.*?)\ntotal\s+\d+", text, re.S)
    assert match, f"no job table in the dry run:\n{text[-3000:]}"
    return {rule: int(count) for rule, count in
            (line.split() for line in match.group(1).strip().splitlines())}


def copy_checkout(repo: Path, target: Path) -> Path:
    """The repository's files (tracked and untracked, not ignored) and its .git, elsewhere."""
    files = subprocess.run(["git", "-C", str(repo), "ls-files", "-co", "--exclude-standard"],
                           capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (repo / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(repo / name, target / name)
    shutil.copytree(repo / ".git", target / ".git", symlinks=True)
    return target


def outputs(workdir: Path) -> dict[str, bytes]:
    """Every output and sidecar of a build (logs aside), by path."""
    root = workdir / "results"
    return {str(p.relative_to(workdir)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "/logs/" not in str(p)}


@pytest.fixture(scope="module")
def built(repo, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("sharded")
    result = snakemake(repo, workdir, "-j2")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


@pytest.fixture(scope="module")
def second_checkout(repo, built, tmp_path_factory):
    checkout = copy_checkout(repo, tmp_path_factory.mktemp("checkout"))
    workdir = tmp_path_factory.mktemp("second")
    result = snakemake(checkout, workdir, "-j1")
    assert result.returncode == 0, result.stderr[-3000:]
    return checkout, workdir


def test_pipeline_builds_every_table_figure_and_paper_file(built):
    for path in TABLES + FIGURES + PAPER_FILES + PDF:
        assert (built / path).stat().st_size > 0, path
        assert (built / (path + ".prov.json")).exists(), path
    shards = list((built / f"results/{PAPER}/runs/fixed_points").glob("shard-*-of-2.parquet"))
    assert len(shards) == 2


def test_fixed_point_table_holds_the_planned_runs(built):
    table = pd.read_parquet(built / f"results/{PAPER}/tables/fixed_points.parquet")
    # tiny grid 1e-4 .. 1e-1 (one per decade) plus the caption's 0.001 (already in) and 0.11
    assert sorted(table["input"].round(12)) == [1e-4, 1e-3, 1e-2, 0.1, 0.11]
    for column in ("input", "x_star", "tau_radial", "tau_phase", "x_star_theory",
                   "tau_radial_theory", "tau_phase_theory", "dtype", "iterations",
                   "converged", "run_id"):
        assert column in table.columns, column
    assert table["converged"].all()
    assert (table["tau_radial_rel_dev"].abs() < 1e-4).all()


def test_fits_table_has_one_row_per_power_law(built):
    fits = pd.read_parquet(built / f"results/{PAPER}/tables/fits.parquet")
    fixed = fits[fits["experiment"] == "fixed_points"]
    assert sorted(fixed["quantity"]) == ["tau_phase", "tau_radial", "x_star"]
    resonance = fits[fits["experiment"] == "resonance"]
    assert {"peak", "off_resonance", "half_width"} <= set(resonance["quantity"])
    for column in ("exponent", "exponent_stderr", "prefactor", "x_min", "x_max",
                   "exponent_theory_range", "exponent_asymptotic"):
        assert fits[column].notna().all(), column


def test_resonance_tables_hold_every_planned_run_and_the_laws(built):
    table = pd.read_parquet(built / f"results/{PAPER}/tables/resonance.parquet")
    # tiny: spectrum 2 x 16, detail 2 x 5, plane laws 3 x (0, 5 offsets, far),
    # site laws 2 x (0, 3, far)
    assert table.groupby("sweep").size().to_dict() == {
        "spectrum": 32, "detail": 10, "plane_laws": 21, "site_laws": 10}
    for column in ("kernel", "N", "pattern", "amplitude", "omega", "nearest_theta",
                   "switch_on_length", "response_site", "response_mode",
                   "response_site_theory", "response_mode_theory", "iterations",
                   "rel_change", "converged", "validate", "validation_rel_dev"):
        assert column in table.columns, column
    plane = table[(table["pattern"] == "plane") & table["converged"]]
    assert len(plane) > 0 and (plane["response_mode_rel_dev"].abs() < 1e-5).all()
    assert (table.loc[table["validate"], "validation_rel_dev"] < 1e-3).all()
    laws = pd.read_parquet(built / f"results/{PAPER}/tables/resonance_laws.parquet")
    assert set(laws["sweep"]) == {"plane_laws", "site_laws"}
    assert {"peak", "peak_theory", "half_width", "off_resonance_single_mode"} <= set(laws)


def test_background_tables_follow_the_data_contract(built):
    decay = pd.read_parquet(built / f"results/{PAPER}/tables/decay.parquet")
    # tiny: ring 1e-4, 1e-3, 1e-2 and torus 1e-3, 1e-2, three kicks each
    assert len(decay) == 15 and set(decay["kick"]) == {"radial", "phase", "local"}
    for column in ("kernel", "dim", "alpha", "N", "E", "background", "kick", "kick_size",
                   "tau", "tau_theory", "tau_window_start", "tau_window_end", "converged"):
        assert column in decay.columns, column
    assert (decay["tau_rel_dev"].abs() < 1e-4).all()
    length = pd.read_parquet(built / f"results/{PAPER}/tables/length.parquet")
    assert len(length) == 5
    for column in ("kernel", "dim", "alpha", "N", "E", "background", "xi", "xi_theory",
                   "wavenumber", "window_start", "window_end", "iterations", "converged"):
        assert column in length.columns, column
    assert length["converged"].all()
    ring = length[length["dim"] == 1]
    assert (ring["xi_rel_dev"].abs() < 5e-3).all()


def test_claims_are_checked_and_failures_shown_not_fatal(built):
    checked = pd.read_parquet(built / f"results/{PAPER}/tables/claims.parquet").set_index("id")
    assert checked.loc["fig3-fixed-point-small", "status"] == "PASS"
    # the caption's "(2*0.001)^(1/3) = 0.12549" is arithmetic that does not hold
    assert checked.loc["fig3-caption-formula", "status"] == "FAIL"
    assert checked.loc["fig5-network-size", "status"] == "DIFFERS"   # tiny config: N = 16
    # the LaTeX table quotes the value measured in this build, as the claims table holds it
    measured = checked.loc["fig3-fixed-point-small", "measured_value"]
    table = (built / layout.paper_file(PAPER, "claims.tex")).read_text()
    assert f"${format_number(measured)}$" in table
    figures = (built / layout.paper_file(PAPER, "figures.tex")).read_text()
    for module in registry.paper(PAPER).figures:
        assert f"\\label{{{module.NAME}}}" in figures, module.NAME


def test_every_output_has_a_provenance_sidecar_without_absolute_paths(built):
    files = [p for p in (built / "results").rglob("*") if p.is_file()
             and not p.name.endswith(".prov.json") and "/logs/" not in str(p)]
    assert len(files) > 40
    for path in files:
        record = json.loads(path.with_name(path.name + ".prov.json").read_text())
        assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), path
        assert record["git_commit"] and record["parameters_sha256"]
        assert "numpy" in record["environment"]["packages"]
        assert not any(p.startswith("/") for p in [record["file"], *record["inputs"]]), path
    figure = json.loads((built / f"results/{PAPER}/figures/fig6_decay.pdf.prov.json").read_text())
    assert set(figure["inputs"]) == {f"results/{PAPER}/tables/decay.parquet",
                                     f"results/{PAPER}/tables/fits/decay.parquet"}


def test_every_job_has_a_log_and_no_scratch_is_left(built):
    logs = list((built / f"results/{PAPER}/logs").rglob("*.log"))
    assert len(logs) >= 30
    assert not list((built / "results").rglob("*.tmp"))
    assert not list((built / "results").rglob(".latex-*"))


@pytest.mark.skipif(not LATEX, reason="latexmk/pdflatex not installed: the manuscript "
                    "is skipped (apt-get install texlive-latex-base texlive-latex-recommended "
                    "texlive-fonts-recommended lmodern latexmk)")
def test_manuscript_holds_every_figure(built):
    pdf = (built / layout.paper_file(PAPER, "ms.pdf")).read_bytes()
    assert pdf.startswith(b"%PDF")
    log = json.loads((built / layout.paper_file(PAPER, "ms.pdf.prov.json")).read_text())
    included = [p for p in log["inputs"] if p.startswith(f"results/{PAPER}/figures/")]
    assert len(included) == len(registry.paper(PAPER).figures)


def test_report_shows_every_figure_and_the_claims_and_fits_as_tables(built, repo):
    """Both papers: every figure with its caption, and each paper's claims and fitted
    laws as HTML tables (one row per claim / fit) that the report's viewer displays."""
    result = snakemake(repo, built, "--report", str(built / "report.zip"))
    assert result.returncode == 0, result.stderr[-3000:]
    import zipfile
    from html import escape
    with zipfile.ZipFile(built / "report.zip") as report:
        files = {n: report.read(n) for n in report.namelist()}
    names = "\n".join(files)
    pages = "\n".join(data.decode(errors="replace") for n, data in files.items()
                      if n.endswith((".html", ".js")))
    for paper in registry.papers().values():
        for module in paper.figures:
            assert f"{module.NAME}.png" in names, module.NAME
        for table, title in (("claims", "Claims"), ("fits", "Fitted laws")):
            # the report stores each file under a hashed folder: find it by its heading
            heading = f"<h1>{title}: {escape(paper.reference)}</h1>"
            (page,) = [data.decode() for name, data in files.items()
                       if name.endswith(f"/{table}.html") and heading in data.decode()]
            expected = pd.read_parquet(built / f"results/{paper.id}/tables/{table}.parquet")
            assert page.count("<tr class=") == len(expected) > 0, (paper.id, table)
            if table == "claims":
                for claim in expected.itertuples():
                    assert f"<td>{claim.id}</td>" in page, claim.id
    assert "widening near one eigenvalue" in pages     # a caption, written once (Fig. 5)
    assert "checked against this build's tables" in pages   # the tables' caption


def documented_columns(repo: Path, paper: str) -> list[str]:
    """Names and patterns (``tau_*_stderr``) in backticks on the pages that describe the
    paper's tables: docs/outputs.md and docs/<paper>.md."""
    tokens = []
    for page in ("outputs.md", f"{paper}.md"):
        text = re.sub(r"```.*?```", "", (repo / "docs" / page).read_text(), flags=re.S)
        for quoted in re.findall(r"`([^`]+)`", text):
            tokens += [t for t in re.split(r"[,\s/]+", quoted) if t]
    return tokens


def test_every_column_of_every_table_is_documented(built, repo):
    import fnmatch
    for paper in registry.papers():
        known = documented_columns(repo, paper)
        for path in sorted((built / "results" / paper / "tables").glob("*.parquet")):
            for column in pd.read_parquet(path).columns:
                assert any(fnmatch.fnmatchcase(column, t) for t in known), (
                    f"{path.name}: column {column!r} is not described in docs/outputs.md "
                    f"or docs/{paper}.md")


def test_two_checkouts_build_identical_outputs_and_sidecars(built, second_checkout):
    """Same commit and config, another directory and -j1: every output and every
    provenance record is the same, byte for byte."""
    _, workdir = second_checkout
    ours, theirs = outputs(built), outputs(workdir)
    assert ours.keys() == theirs.keys()
    different = [path for path in ours if ours[path] != theirs[path]]
    assert not different, different


def test_outputs_do_not_depend_on_the_number_of_shards(built, repo, tmp_path):
    """1 shard, as many shards as runs, runs + 5 (empty shards), 3: identical tables."""
    counts = {"fixed_points": 1, "decay": 20, "length": 5, "resonance": 3}
    override = tmp_path / "shards.yaml"
    override.write_text(yaml.safe_dump({PAPER: {"experiments": {
        name: {"shards": n} for name, n in counts.items()}}}))
    result = snakemake(repo, tmp_path, "-j2", *TABLES, *FIGURES, configfiles=[override])
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / f"results/{PAPER}/runs/decay/shard-19-of-20.parquet").exists()
    for path in TABLES + FIGURES:
        assert (tmp_path / path).read_bytes() == (built / path).read_bytes(), path


# --- what a change re-runs (on the second checkout, edited and restored) -------------

def edited(path: Path, old: str, new: str):
    """Context: replace ``old`` by ``new`` in ``path``, restore on exit."""
    import contextlib

    @contextlib.contextmanager
    def manager():
        text = path.read_text()
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1))
        try:
            yield
        finally:
            path.write_text(text)
    return manager()


def test_an_unchanged_checkout_has_nothing_to_do(second_checkout):
    checkout, workdir = second_checkout
    assert planned_jobs(snakemake(checkout, workdir, "-n")) == {}


def test_an_aggregation_key_reruns_no_simulation(second_checkout, tmp_path):
    checkout, workdir = second_checkout
    override = tmp_path / "fit.yaml"
    override.write_text(yaml.safe_dump({PAPER: {"experiments": {"fixed_points": {
        "fit_range": [1e-3, 1e-1]}}}}))
    jobs = planned_jobs(snakemake(checkout, workdir, "-n", configfiles=[override]))
    assert jobs.get("aggregate") == 1
    assert not {"plan", "simulate", "measure", "kernel"} & set(jobs), jobs


def test_a_figure_code_line_reruns_that_figure_and_what_includes_it(second_checkout):
    checkout, workdir = second_checkout
    module = checkout / "src/rnnrepro/chandra2024/figures/fig4_power_laws.py"
    with edited(module, 'left.set_ylabel(r"fixed point $x^*$")',
                'left.set_ylabel(r"fixed point  $x^*$")'):
        jobs = planned_jobs(snakemake(checkout, workdir, "-n"))
    expected = {"figure": 1, "manuscript": 1, "all": 1} if LATEX else {"figure": 1, "all": 1}
    assert jobs == expected


def test_a_docstring_or_comment_edit_of_simulating_code_reruns_nothing(second_checkout):
    checkout, workdir = second_checkout
    model = checkout / "src/rnnrepro/chandra2024/model.py"
    with edited(model, "Iterate a static input until each run reaches its fixed point.",
                "Iterate a static input until every run of the batch has converged."), \
            edited(model, "# the slower of the last two contractions",
                   "# the slowest of the last two contractions"):
        assert planned_jobs(snakemake(checkout, workdir, "-n")) == {}


def test_a_code_line_of_simulating_code_reruns_its_simulations(second_checkout):
    checkout, workdir = second_checkout
    model = checkout / "src/rnnrepro/chandra2024/model.py"
    with edited(model, "at_floor = delta <= 8 * eps * size", "at_floor = delta <= 9 * eps * size"):
        jobs = planned_jobs(snakemake(checkout, workdir, "-n"))
    # relax() runs in the fixed-point, decay and length simulations, not in the lock-in
    assert jobs["simulate"] == 2 + 2 + 2


def test_a_simulation_parameter_reruns_only_that_experiments_shards(second_checkout, tmp_path):
    checkout, workdir = second_checkout
    override = tmp_path / "tol.yaml"
    override.write_text(yaml.safe_dump({PAPER: {"experiments": {"length": {"tol": 1e-9}}}}))
    result = snakemake(checkout, workdir, "-n", configfiles=[override])
    jobs = planned_jobs(result)
    assert jobs["simulate"] == 2 and jobs["plan"] == 1
    text = result.stdout + result.stderr
    simulated = set(re.findall(r"runs/(\w+)/shard-\d+-of-\d+\.npz", text))
    assert simulated == {"length"}


def test_a_truncated_shard_is_reported_before_use_and_rebuilt(second_checkout):
    checkout, workdir = second_checkout
    shard = workdir / f"results/{PAPER}/runs/decay/shard-1-of-2.npz"
    before = outputs(workdir)
    stat = shard.stat()
    with open(shard, "r+b") as fh:
        fh.truncate(stat.st_size // 2)
    os.utime(shard, ns=(stat.st_atime_ns, stat.st_mtime_ns))   # the old timestamp
    dry = snakemake(checkout, workdir, "-n")
    assert dry.returncode == 0
    assert f"results/{PAPER}/runs/decay/shard-1-of-2.npz does not match the checksum" \
        in dry.stderr and "a run without -n rebuilds it" in dry.stderr
    assert shard.exists()                      # a dry run changes nothing
    real = snakemake(checkout, workdir, "-j2")
    assert real.returncode == 0, real.stderr[-3000:]
    assert "shard-1-of-2.npz does not match" in real.stderr and "removed with" in real.stderr
    assert outputs(workdir).keys() == before.keys()
    for path in TABLES + FIGURES:
        assert (workdir / path).read_bytes() == before[path], path


def test_a_figure_killed_while_writing_leaves_nothing_that_is_trusted(second_checkout):
    checkout, workdir = second_checkout
    figure = workdir / f"results/{PAPER}/figures/fig4_power_laws.pdf"
    good = figure.read_bytes()
    killed = snakemake(checkout, workdir, "-j1", "--forcerun", "figure", "fig4_power_laws",
                       env={KILL_WHILE_WRITING: "fig4_power_laws.pdf"})
    assert killed.returncode != 0
    assert list(figure.parent.glob(".fig4_power_laws.pdf.*.tmp"))   # the kill's leftover
    again = snakemake(checkout, workdir, "-j1", "fig4_power_laws")
    assert again.returncode == 0, again.stderr[-3000:]
    assert figure.read_bytes() == good
    assert not list(figure.parent.glob("*.tmp"))


def test_one_figure_builds_only_what_it_needs(repo, tmp_path):
    result = snakemake(repo, tmp_path, "-j2", "fig3_fixed_point")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / f"results/{PAPER}/figures/fig3_fixed_point.pdf").exists()
    assert not (tmp_path / f"results/{PAPER}/figures/fig4_power_laws.pdf").exists()
    assert not (tmp_path / f"results/{PAPER}/tables/resonance.parquet").exists()
    assert not (tmp_path / f"results/{PAPER}/tables/fits.parquet").exists()


def test_a_target_that_cannot_exist_is_refused_before_any_job(repo, tmp_path):
    result = snakemake(repo, tmp_path, "-n", f"results/{PAPER}/runs/fixed_points/shard-5-of-2.npz")
    assert result.returncode != 0
    assert "has no shard 5-of-2" in result.stderr + result.stdout
    assert f"'{PAPER}.experiments.fixed_points.shards'" in result.stderr + result.stdout
    result = snakemake(repo, tmp_path, "-n", f"results/{PAPER}/tables/nonsense.parquet")
    assert result.returncode != 0
    assert not (tmp_path / "results").exists()
