"""The front door and the notes: current, self-contained, every link resolving."""

import re
import subprocess

import pytest

from rnnrepro.readme import update_readme

LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_readme_figure_table_is_current(repo):
    assert not update_readme(repo / "README.md", check=True), \
        "README.md is out of date: run `python -m rnnrepro readme`"


def test_readme_fits_on_a_screen_and_links_resolve(repo):
    text = (repo / "README.md").read_text()
    assert len(text.splitlines()) <= 150
    for target in LINK.findall(text):
        if target.startswith(("http://", "https://")):
            continue
        assert (repo / target.split("#")[0]).exists(), target


@pytest.mark.parametrize("pattern", [r"\.\./shared", r"MODEL\.md", r"ARCHITECTURE\.md",
                                     r"REVIEW\.md", r"CLARK\.md", r"\bcurnn\b(?!`)"])
def test_no_file_refers_outside_the_repository(repo, pattern):
    files = subprocess.run(["git", "-C", str(repo), "ls-files", "-co", "--exclude-standard"],
                           capture_output=True, text=True, check=True).stdout.split()
    offenders = []
    for name in files:
        path = repo / name
        if path.suffix in {".png", ".pdf", ".svg"} or not path.is_file():
            continue
        if name == "tests/test_docs.py":
            continue
        text = path.read_text(errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if re.search(pattern, line) and "curnn` →" not in line and "| `curnn` |" not in line:
                offenders.append(f"{name}:{number}: {line.strip()[:100]}")
    assert not offenders, "\n".join(offenders)


def test_citation_file_validates_against_its_schema(repo):
    import json

    import jsonschema
    import yaml

    schema = json.loads((repo / "tests/data/citation-file-format-1.2.0.schema.json").read_text())
    citation = yaml.safe_load((repo / "CITATION.cff").read_text())
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(
        citation)
    titles = [ref["title"] for ref in citation["references"]]
    assert len(titles) == 2          # both reproduced papers are cited


def test_generated_pages_are_current(repo):
    from rnnrepro.docsgen import write_docs

    stale = write_docs(repo, check=True)
    assert not stale, f"{stale} out of date: run `python -m rnnrepro docs`"


def test_the_documentation_site_builds_with_warnings_as_errors(repo, tmp_path):
    """mkdocs-material + mkdocstrings, `strict: true`: a broken link, a page missing from
    the navigation or a malformed docstring section fails the build."""
    import os
    import shutil
    import sys

    if shutil.which("mkdocs", path=os.path.dirname(sys.executable)) is None:
        pytest.skip("mkdocs is not installed (the docs extra of requirements.lock)")
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "mkdocs"), "build", "--strict",
         "--config-file", str(repo / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-4000:]
    api = (tmp_path / "site" / "api" / "index.html").read_text()
    assert "rnnrepro.layout.kernel_file" in api and "Parameters" in api
