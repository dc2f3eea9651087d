"""The registry: every paper, experiment and figure declared once and consistently."""

import pytest

from rnnrepro import captions, registry, stages
from rnnrepro.config import config_schema

PAPERS = registry.papers()
EXPERIMENTS = [(p.id, m) for p in PAPERS.values() for m in p.experiments]
FIGURES = [(p.id, m) for p in PAPERS.values() for m in p.figures]


def test_both_papers_are_registered_with_unique_names():
    assert {"chandra2024", "clark2025"} <= set(PAPERS)
    names = [m.NAME for _, m in EXPERIMENTS + FIGURES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("paper, module", EXPERIMENTS, ids=[m.NAME for _, m in EXPERIMENTS])
def test_stage_keys_cover_exactly_the_config_section(paper, module):
    declared = [k for keys in module.STAGE_KEYS.values() for k in keys]
    schema_keys = set(module.SCHEMA["properties"]) - {"shards"}
    assert set(declared) == schema_keys
    # a key belongs to the plan or to later stages, never to both
    plan = set(module.STAGE_KEYS.get("plan", ()))
    for stage, keys in module.STAGE_KEYS.items():
        if stage != "plan":
            assert not plan & set(keys), stage


@pytest.mark.parametrize("paper, module", FIGURES, ids=[m.NAME for _, m in FIGURES])
def test_figures_read_tables_their_paper_writes_and_have_a_caption(paper, module):
    assert set(module.TABLES) <= set(PAPERS[paper].tables())
    for experiment in getattr(module, "KERNELS", ()):
        PAPERS[paper].experiment(experiment)
    text = module.CAPTION
    assert len(text) > 40 and text.count("$") % 2 == 0
    assert "\\textbackslash" not in captions.caption_latex(text)
    assert ":math:" in captions.caption_rst(text) or "$" not in text
    options = getattr(module, "OPTIONS", {})
    sections = config_schema()["properties"][paper]["properties"]
    for path in options.values():
        node = sections
        for part in path:
            node = node[part]["properties"] if part in node and "properties" in node[part] \
                else node[part]
        assert node


def test_every_stage_has_a_fingerprint():
    prints = stages.stage_fingerprints()
    for paper, module in EXPERIMENTS:
        for stage in registry.STAGES:
            assert len(prints[f"{paper}/{stage}/{module.NAME}"]) == 64
    for paper, module in FIGURES:
        assert f"{paper}/figure/{module.NAME}" in prints
    # different code, different fingerprints
    assert len({prints[f"{p}/simulate/{m.NAME}"] for p, m in EXPERIMENTS}) == len(EXPERIMENTS)


def test_captions_render_for_each_reader():
    text = r"decay time $\tau_r$ of 50 % of the runs_ok"
    assert captions.caption_latex(text) == r"decay time $\tau_r$ of 50 \% of the runs\_ok"
    assert r":math:`\tau_r`" in captions.caption_rst(text)
    assert captions.first_sentence("One $a. b$ two. Three.") == "One $a. b$ two."
