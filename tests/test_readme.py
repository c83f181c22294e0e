"""Every code block of the README, checked as a reader would use it.

* ``sh`` blocks run as written, in bash, from a scratch folder that has the repository's
  ``samples/`` and ``bench/`` (so ``-o`` files land there, not in the repository);
* ``python`` blocks run one by one, each on its own (a reader copies one block at a time);
* ``json`` blocks parse, and the output record validates against the schema;
* ``text`` blocks (sample output) are what the tool prints at 80 columns, and blocks with no
  language are the ``--help`` texts (tests/test_docs.py compares those);
* ``bash`` blocks are the install and test commands; they are what ``.ci/run`` runs (a fresh
  virtual environment, ``pip install``, the test suite), which can't run inside the tests.

No block is indented (an indented block would escape these checks).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from quotetool.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
CI = REPO / ".ci" / "run"

#: The install and test commands of the `bash` blocks (trailing comments aside).
SETUP_COMMANDS = {
    "pip install .",
    "python3 -m venv .venv && . .venv/bin/activate && pip install .",
    'pip install ".[test,dask]" && python -m pytest -q',
    "bash .ci/run",
}


def blocks() -> list[tuple[str, str, int]]:
    """(language, code, line) of every code block of the README."""
    tokens = MarkdownIt("commonmark").parse(README.read_text(encoding="utf-8"))
    out = []
    for tok in tokens:
        if tok.type in ("fence", "code_block"):
            lang = tok.info.strip() if tok.type == "fence" else "indented"
            out.append((lang, tok.content, (tok.map or [0])[0] + 1))
    return out


def of(lang: str) -> list:
    return [pytest.param(code, id=f"line-{line}") for kind, code, line in blocks() if kind == lang]


def test_every_block_has_a_known_kind() -> None:
    kinds = [kind for kind, _, _ in blocks()]
    assert "indented" not in kinds
    assert set(kinds) <= {"sh", "bash", "python", "json", "text", ""}, set(kinds)
    assert kinds.count("sh") >= 8 and kinds.count("python") >= 3


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("readme")
    for name in ("samples", "bench"):
        (root / name).symlink_to(REPO / name, target_is_directory=True)
    return root


@pytest.mark.parametrize("code", of("sh"))
def test_shell_block_runs(code: str, scratch: Path) -> None:
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1",
           "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    env = {k: v for k, v in env.items() if not k.startswith("QUOTETOOL_")}
    if "_QUOTETOOL_COMPLETE=bash_source" in code:
        # the completion is installed, and completes: "quotetool ex<TAB>" -> extract
        code += ('complete -p quotetool\n'
                 'COMP_WORDS="quotetool ex" COMP_CWORD=1 _QUOTETOOL_COMPLETE=bash_complete quotetool\n')
    # -e as a careful user's script would; not pipefail, under which `quotetool ... | head -1`
    # fails like any filter whose reader stopped early: errors upstream of a pipe show on stderr
    result = subprocess.run(["bash", "-c", "set -eu\n" + code], cwd=scratch, env=env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{code}\n--- stderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr and "error:" not in result.stderr, result.stderr
    assert result.stdout.strip() or "-o " in code or ">" in code
    if "_QUOTETOOL_COMPLETE" in code:
        assert "complete -o nosort -F _quotetool_completion quotetool" in result.stdout
        assert "plain,extract" in result.stdout
    # what the examples say they write is there, and is what they say
    for name, check in WRITTEN.items():
        if re.search(rf"(-o |> ){re.escape(name)}\b", code):
            assert check((scratch / name).read_text(encoding="utf-8")), name


#: Files the examples write, and what each must hold.
WRITTEN = {
    "quotes.jsonl": lambda t: all(json.loads(line)["id"] for line in t.splitlines()) and t.strip() != "",
    "pred.jsonl": lambda t: json.loads(t.splitlines()[0])["quotes"] != [],
    "quotes.csv": lambda t: t.startswith("id,date,title,source,") and t.count("\n") == 8,
    "speakers.csv": lambda t: t.startswith("speaker,quotes,documents,") and "Aleksandr Lukashenko" in t,
    "scores.json": lambda t: json.loads(t)["end_to_end"]["f1"] == 1.0,
    "record.schema.json": lambda t: "quote_clean" in json.loads(t)["$defs"]["quote"]["properties"],
    "report.html": lambda t: t.startswith("<!DOCTYPE html>") and t.count("<mark ") >= 20,
    "lukashenko.html": lambda t: t.startswith("<!DOCTYPE html>") and t.count("<mark ") == 14,
}


@pytest.mark.parametrize("code", of("python"))
def test_python_block_runs_on_its_own(code: str, monkeypatch, capsys) -> None:
    if "quotetool.dask" in code:  # starts worker processes: not in pytest's own (see tests/test_dask.py)
        pytest.importorskip("distributed")
        result = subprocess.run([sys.executable, "-c", code], cwd=REPO, stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip()
        return
    monkeypatch.chdir(REPO)
    exec(compile(code, str(README), "exec"), {"__name__": "readme"})  # noqa: S102 - our own README
    assert capsys.readouterr().out.strip()  # every block shows something


def test_python_blocks_show_what_they_say(monkeypatch, capsys) -> None:
    monkeypatch.chdir(REPO)
    first = next(code for kind, code, _ in blocks() if kind == "python")
    namespace: dict = {"__name__": "readme"}
    exec(compile(first, str(README), "exec"), namespace)  # noqa: S102
    out = capsys.readouterr().out
    assert out.count("Aleksandr Lukashenko |") == 7
    assert namespace["record"]["quotes"][0]["quote_clean"].startswith("As for the Belarus-Russia relations")


@pytest.mark.parametrize("code", of("json"))
def test_json_block_parses(code: str) -> None:
    json.loads(code)


def test_json_record_example_is_valid() -> None:
    from jsonschema import Draft202012Validator

    from quotetool.schema import load_schema

    record = json.loads(next(code for kind, code, _ in blocks() if kind == "json"))
    Draft202012Validator(load_schema()).validate(record)
    assert set(record["quotes"][0]) == set(load_schema()["$defs"]["quote"]["required"])


def test_sample_output_is_what_the_table_prints(monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    (shown,) = [code for kind, code, _ in blocks() if kind == "text"]
    result = CliRunner().invoke(cli, ["extract", "samples/belarus_russia_relations.txt", "-f", "table", "-q"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = shown.splitlines()
    assert result.stdout.splitlines()[: len(lines)] == lines, "README sample output drifted"


def test_bash_blocks_are_the_setup_that_ci_runs() -> None:
    commands = []
    for kind, code, _ in blocks():
        if kind == "bash":
            commands += [line.split("  #")[0].strip() for line in code.splitlines() if line.strip()]
    assert commands and set(commands) <= SETUP_COMMANDS, set(commands) - SETUP_COMMANDS
    ci = CI.read_text(encoding="utf-8")
    assert '"$PYTHON" -m venv "$venv"' in ci and 'pip install -q ".[test,dask]"' in ci
    assert "TEST_CMD='python -m pytest -q'" in ci and "$TEST_CMD" in ci
