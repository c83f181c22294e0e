"""The record schema (quotetool/record.schema.json) against real `quotetool extract` output."""

from __future__ import annotations

import json

import jsonschema
import pytest
from jsonschema import Draft202012Validator

from quotetool.cli import cli
from quotetool.models import SPEAKER_SOURCES, Document, Quote
from quotetool.schema import load_schema, schema_text

RELEASE = """\
Belarus and Russia to deepen cooperation
26 November 2020
Minsk

“We are ready to work together on everything,” the head of state said.

Aleksandr Lukashenko met the Russian ambassador on Thursday. “The economy comes first.
Then everything else,” the Belarusian leader added. Mr Lukashenko also noted: “There is
no other way.”

“Our peoples are one,” said Dmitry Mezentsev, the ambassador.
"""

FRONT_MATTER = """\
---
title: Statement on the floods
date: 2021-07-16
tags: [floods, relief]
priority: 2
draft: false
---

“We will rebuild every bridge,” said Minister Anna Berg.
"""


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(validator: Draft202012Validator, record: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(record)]


def test_schema_is_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert jsonschema.validators.validator_for(schema) is Draft202012Validator


def test_schema_command_prints_the_shipped_schema(runner) -> None:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == schema_text()
    assert json.loads(result.stdout) == load_schema()


def test_schema_follows_the_data_classes() -> None:
    defs = load_schema()["$defs"]
    quote = Quote(0, 1, "x").to_dict()
    assert set(defs["quote"]["properties"]) == set(quote) == set(defs["quote"]["required"])
    assert defs["quote"]["properties"]["speaker_source"]["enum"] == list(SPEAKER_SOURCES)
    full = Document("a", "text", {}, [], encoding="utf-8").to_dict(with_text=True)
    assert set(defs["document"]["properties"]) == set(full)


def _write(path, text: str | bytes) -> str:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_real_extract_output_validates(runner, tmp_path, validator) -> None:
    release = _write(tmp_path / "release.txt", RELEASE)
    front = _write(tmp_path / "statement.md", FRONT_MATTER)
    empty = _write(tmp_path / "empty.txt", "No quotes here.\n")
    result = runner.invoke(cli, ["extract", release, front, empty, "-f", "jsonl", "-q"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 3
    assert len(records[0]["quotes"]) >= 4 and records[0]["header"]  # a real, non-trivial record
    assert {q["speaker"] for q in records[0]["quotes"]} >= {"Aleksandr Lukashenko"}
    assert records[1]["header"]["tags"] == ["floods", "relief"]
    for record in records:
        assert _errors(validator, record) == [], record["id"]


def test_with_text_json_array_and_error_records_validate(runner, tmp_path, validator) -> None:
    release = _write(tmp_path / "release.txt", RELEASE)
    binary = _write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = runner.invoke(cli, ["extract", release, binary, "-f", "json", "--with-text",
                                 "--errors-as-records", "-q"])
    assert result.exit_code == 1  # the binary file failed
    records = json.loads(result.stdout)
    assert [set(r) >= {"error"} for r in records] == [False, True]
    assert records[0]["text"] == RELEASE
    for record in records:
        assert _errors(validator, record) == []


def test_python_api_records_validate(validator) -> None:
    doc = Document("-", "“Yes,” she said.", {}, [Quote(1, 4, "Yes", None, "she", "said", "right-verb")])
    assert _errors(validator, doc.to_dict()) == []  # no "encoding" for API texts
    assert _errors(validator, doc.to_dict(with_text=True)) == []


@pytest.mark.parametrize(
    "record",
    [
        {"id": "a", "header": {}},  # no quotes
        {"id": "a", "header": {}, "quotes": [], "extra": 1},  # unknown field
        {"id": "a", "header": {}, "quotes": [{"start": 0, "end": 1, "quote": "x"}]},  # missing keys
        {"id": "a", "header": {}, "quotes": [{"start": -1, "end": 1, "quote": "x", "speaker": None,
                                              "speaker_mention": None, "cue": None, "speaker_source": "none"}]},
        {"id": "a", "header": {}, "quotes": [{"start": 0, "end": 1, "quote": "x", "speaker": None,
                                              "speaker_mention": None, "cue": None, "speaker_source": "guess"}]},
        {"id": "a", "header": {"title": {"nested": "object"}}, "quotes": []},
        {"id": "a", "header": {}, "quotes": [{"start": 0, "end": 1, "quote": "x", "quote_clean": "x",
                                              "speaker": "Jane\n  Doe", "speaker_mention": None, "cue": None,
                                              "speaker_source": "none"}]},  # a line break in a name
        {"id": "a", "header": {}, "quotes": [{"start": 0, "end": 1, "quote": "x", "quote_clean": "x",
                                              "speaker": None, "speaker_mention": "JONES:", "cue": ":",
                                              "speaker_source": "label"}]},  # a trailing colon
        {"id": 3, "header": {}, "quotes": []},
        {"id": "a", "error": "x", "quotes": []},  # an error record with document fields
        {"error": "x"},
    ],
)
def test_invalid_records_are_rejected(validator, record) -> None:
    assert _errors(validator, record)
