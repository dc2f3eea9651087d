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
