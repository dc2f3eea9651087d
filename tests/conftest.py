from pathlib import Path

import pytest

from rnnrepro.config import load_config

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture()
def default_config() -> dict:
    return load_config(REPO / "config.yaml")
