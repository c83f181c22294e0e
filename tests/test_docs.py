"""The documentation matches the tool: command help, the README's CLI reference and examples.

The README shows the output of `quotetool --help` and of `quotetool COMMAND --help` for every
command, as an 80-column terminal prints it. When the help or the quick start's sample output changes, regenerate those blocks:

    python tests/test_docs.py        # rewrites the help and sample-output blocks in README.md
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotetool.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
#: A help block: "`quotetool [COMMAND] --help`:", a blank line, then a fenced block.
HELP_BLOCK = re.compile(r"^`(quotetool(?: [a-z-]+)? --help)`:\n\n```\n(.*?)```$", re.S | re.M)
#: Click wraps help to the terminal width less 2: what `quotetool --help` prints in 80 columns.
HELP_WIDTH = 78


def help_text(args: list[str]) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="quotetool", terminal_width=HELP_WIDTH)
    assert result.exit_code == 0, result.output
    return result.output


def readme_help_blocks(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in HELP_BLOCK.finditer(text)}


def commands() -> list[str]:
    return sorted(cli.commands)


#: The sample table output of the quick start (tests/test_readme.py checks it).
SAMPLE_BLOCK = re.compile(r"^```text\n(.*?)```$", re.S | re.M)


def sample_output(lines: int) -> str:
    result = CliRunner().invoke(cli, ["extract", "samples/belarus_russia_relations.txt", "-f", "table", "-q"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return "".join(line + "\n" for line in result.stdout.splitlines()[:lines])


def regenerate(text: str) -> str:
    """The README with every help block replaced by the real help, and the sample output by
    the real output (as many lines as before)."""
    text = HELP_BLOCK.sub(lambda m: f"`{m.group(1)}`:\n\n```\n{help_text(m.group(1).split()[1:-1])}```", text)
    return SAMPLE_BLOCK.sub(lambda m: f"```text\n{sample_output(len(m.group(1).splitlines()))}```", text)


# --- command help ---------------------------------------------------------------------------


@pytest.mark.parametrize("args", [[]] + [[name] for name in commands()])
def test_help_has_an_example_block(args: list[str]) -> None:
    out = help_text(args)
    assert "\n  Example:\n" in out, out
    examples = out.split("\n  Example:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert examples, out
    for line in examples:  # \b kept the lines as written; each one runs this command
        assert line.startswith("      ") and "quotetool " + " ".join(args) in line, line


def test_command_list_is_not_truncated() -> None:
    listing = help_text([]).split("\nCommands:\n", 1)[1].splitlines()
    assert sorted(line.split()[0] for line in listing) == commands()
    for line in listing:  # a first help line too long for the listing ends in "..."
        assert not line.endswith("..."), line


# --- README ---------------------------------------------------------------------------------


def test_readme_shows_help_for_every_command() -> None:
    blocks = readme_help_blocks(README.read_text(encoding="utf-8"))
    wanted = {"quotetool --help"} | {f"quotetool {name} --help" for name in commands()}
    assert set(blocks) == wanted


def test_readme_help_blocks_match_the_real_help() -> None:
    text = README.read_text(encoding="utf-8")
    for cmd, shown in readme_help_blocks(text).items():
        assert shown == help_text(cmd.split()[1:-1]), f"{cmd} drifted: run python tests/test_docs.py"


def test_readme_keeps_the_quick_start_and_test_command() -> None:
    text = README.read_text(encoding="utf-8")
    assert 'pip install ".[test,dask]" && python -m pytest -q' in text  # .ci/run checks this line
    assert "quotetool extract samples/belarus_russia_relations.txt" in text


def test_readme_lists_every_record_field() -> None:
    from quotetool.schema import load_schema

    text = README.read_text(encoding="utf-8")
    defs = load_schema()["$defs"]
    for name in defs["document"]["properties"]:
        assert f"| `{name}` |" in text or name == "quotes", name
    for name in defs["quote"]["properties"]:
        assert f"`quotes[].{name}`" in text, name
    assert "| `error` |" in text


def test_readme_json_examples_parse() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^```json\n(.*?)^```$", text, re.S | re.M)
    assert blocks
    for block in blocks:
        json.loads(block)


if __name__ == "__main__":
    os.chdir(REPO)
    before = README.read_text(encoding="utf-8")
    after = regenerate(before)
    if after != before:
        README.write_text(after, encoding="utf-8")
        print("README.md: help and sample-output blocks regenerated")
    else:
        print("README.md: help and sample-output blocks up to date")
    sys.exit(0)
