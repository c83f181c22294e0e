"""The JSON Schema (draft 2020-12) of the records `quotetool extract` writes.

The schema ships in the package as ``record.schema.json``; `quotetool schema` prints it.
It describes one record: a document (`Document.to_dict()`, with ``text`` only when asked
for) or, with ``--errors-as-records``, an ``{"id", "error"}`` record for a failed input.
Standard library only; validating against it is up to you (e.g. the `jsonschema` package).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SCHEMA_FILE = "record.schema.json"


def schema_text() -> str:
    """The schema as shipped (JSON text)."""
    return resources.files(__package__ or "quotetool").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """The schema as a dict."""
    data: dict[str, Any] = json.loads(schema_text())
    return data
