"""The ecosystem's hygiene, checked by the test suite (so CI runs it): ruff, snakefmt
and `snakemake --lint`, whose only remaining item is documented in docs/developer.md."""

import re
import shutil
import subprocess
import sys

import pytest

#: the lint that stays, with its reason in docs/developer.md ("Checks")
DOCUMENTED_LINTS = {"Specify a conda environment or container for each rule."}


def tool(name):
    path = shutil.which(name, path=str(__import__("pathlib").Path(sys.executable).parent))
    if path is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return path


def test_ruff_is_clean(repo):
    result = subprocess.run([tool("ruff"), "check", "src", "tests"], cwd=repo,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:]


def test_snakefmt_is_clean(repo):
    result = subprocess.run([tool("snakefmt"), "--check", "Snakefile", "workflow/rules"],
                            cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def test_snakemake_lint_reports_only_the_documented_items(repo, tmp_path):
    result = subprocess.run([sys.executable, "-m", "snakemake", "--lint", "-s",
                             str(repo / "Snakefile"), "--directory", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    text = result.stdout + result.stderr
    titles = {m.group(1) for m in re.finditer(r"^\s+\* (.+?):?$", text, re.M)}
    assert titles, text[-3000:]                       # the report was parsed
    assert titles <= DOCUMENTED_LINTS, titles - DOCUMENTED_LINTS
