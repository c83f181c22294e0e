"""The HTML view (-f html): parsed back with an HTML parser, and looked at in a real browser.

The browser test runs headless Chromium (Debian's `chromium` package) on the seed sample's
page and checks the screenshot; it is skipped when no Chromium is on PATH (`.ci/run`
installs it where apt-get is there).
"""

from __future__ import annotations

import html
import io
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from quotetool.cli import cli
from quotetool.htmlview import PALETTE, HtmlWriter

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "samples" / "belarus_russia_relations.txt"
VOID = {"meta", "br", "hr", "img", "input", "link"}

HOSTILE = """\
<script>alert("title")</script>
March 3, 2021

The board met on Monday. “We will <script>alert(1)</script> win &amp; grow,” said Jane Roe.
A note: "><img src=x onerror=alert(2)> and {{ x }} stay text. “Yes,” he said.
"""


class Page(HTMLParser):
    """The parts of a page the tests look at, and its well-formedness."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[dict] = []  # attrs, text, article
        self.articles: list[dict] = []  # {"text": ..., "legend": [...]}
        self.errors: list[str] = []
        self._legend: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        self.tags.append((tag, attrs_d))
        if tag == "article":
            self.articles.append({"text": "", "legend": [], "h2": ""})
        if tag == "mark":
            self.marks.append({"attrs": attrs_d, "text": "", "article": len(self.articles) - 1})
        if tag == "li" and "legend" in self._classes():
            self.articles[-1]["legend"].append("")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def _classes(self) -> set[str]:
        """Classes of the open elements."""
        out: set[str] = set()
        depth = 0
        for tag, attrs in reversed(self.tags):
            if depth >= len(self.stack):
                break
            out.update((attrs.get("class") or "").split())
            depth += 1
        return out

    def handle_data(self, data):
        if "mark" in self.stack:
            self.marks[-1]["text"] += data
        if self.articles and "div" in self.stack:
            self.articles[-1]["text"] += data
        if self.articles and self.stack and self.stack[-1] == "h2":
            self.articles[-1]["h2"] += data
        if self.articles and "ul" in self.stack and self.articles[-1]["legend"]:
            self.articles[-1]["legend"][-1] += data


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    assert not p.errors and not p.stack, (p.errors, p.stack)
    return p


def _page(runner, *paths: str) -> str:
    result = runner.invoke(cli, ["extract", *paths, "-f", "html", "-q"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_seed_page_structure(runner) -> None:
    page = _page(runner, str(SEED))
    assert page.startswith("<!DOCTYPE html>\n") and page.rstrip().endswith("</html>")
    p = parse(page)
    assert [t for t, _ in p.tags][:3] == ["html", "head", "meta"]
    (article,) = p.articles
    assert article["h2"] == str(SEED)
    assert [item.strip() for item in article["legend"]] == ["Aleksandr Lukashenko7"]
    assert len(p.marks) == 7  # one highlight per quote
    assert len({m["attrs"]["id"] for m in p.marks}) == 7
    for m in p.marks:
        assert m["attrs"]["title"].startswith("Aleksandr Lukashenko · cue: ")
        assert "found by: " in m["attrs"]["title"]
        assert m["attrs"]["style"] == f"background:{PALETTE[0]}"  # one speaker, one colour
    assert p.marks[0]["text"].startswith("As for the Belarus-Russia relations")
    # the whole text is there, quotes and all
    assert "Relations between Belarus and Russia do not need to be reset" in article["text"]
    assert "the Belarusian leader stressed." in article["text"]


def test_self_contained_no_script_no_external_asset(runner) -> None:
    page = _page(runner, str(SEED))
    p = parse(page)
    names = {t for t, _ in p.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed"}
    for _, attrs in p.tags:
        for key, value in attrs.items():
            assert not key.startswith("on"), key
            assert not (value or "").lower().startswith(("http:", "https:", "//", "javascript:")), value
    assert "@import" not in page and "url(" not in page


def test_everything_from_the_input_is_escaped(runner, tmp_path) -> None:
    path = tmp_path / "<b onclick=x>evil.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    page = _page(runner, str(path))
    p = parse(page)
    names = [t for t, _ in p.tags]
    assert "script" not in names and "img" not in names and "b" not in names
    (article,) = p.articles
    assert article["h2"] == '<script>alert("title")</script>'  # the title, as text
    assert html.escape(str(path)) in page  # the id too
    assert '<script>alert("title")</script>' in article["text"]  # and the header line in the text
    assert '"><img src=x onerror=alert(2)> and {{ x }} stay text.' in article["text"]
    texts = [m["text"] for m in p.marks]
    assert texts[0] == "We will <script>alert(1)</script> win & grow,"  # clean text: & decoded, script shown
    assert len(p.marks) >= 2


def test_writer_escapes_every_field_and_keeps_colours() -> None:
    evil = '"><script>x()</script>'
    out = io.StringIO()
    w = HtmlWriter(out)
    quote = {"start": 1, "end": 4, "quote": "abc", "quote_clean": "abc", "speaker": "Ann " + evil,
             "speaker_mention": evil, "cue": evil, "speaker_source": "label"}
    w.write({"id": evil, "encoding": evil, "header": {"title": evil, "source": evil, "date": evil},
             "quotes": [quote], "text": "“abc” " + evil})
    w.write({"id": "b", "header": {}, "quotes": [dict(quote, start=0, end=1, quote="x", quote_clean="x"),
                                                 dict(quote, speaker=None, start=2, end=3)], "text": "x y z"})
    w.write({"id": "bad", "error": evil})
    w.close()
    page = out.getvalue()
    p = parse(page)
    assert "script" not in [t for t, _ in p.tags]
    assert page.count(html.escape(evil)) >= 8
    assert len(p.marks) == 3
    assert p.marks[0]["attrs"]["style"] == p.marks[1]["attrs"]["style"]  # same speaker, same colour
    assert p.marks[2]["attrs"]["class"] == "q none"
    assert p.articles[2]["h2"] == "bad"


def test_empty_run_is_a_valid_page() -> None:
    out = io.StringIO()
    w = HtmlWriter(out)
    w.close()
    p = parse(out.getvalue())
    assert p.articles == [] and "No documents." in out.getvalue()


# --- a real browser ---------------------------------------------------------------------------

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
WIDTH, HEIGHT = 900, 1250


def screenshot(page: Path, png: Path, width: int = WIDTH, height: int = HEIGHT) -> None:
    """Headless Chromium's screenshot of a local page: no network, a fresh profile."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
             f"--user-data-dir={profile}", f"--window-size={width},{height}", f"--screenshot={png}",
             page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on PATH")
def test_chromium_shows_the_seed_page_with_highlights(runner, tmp_path) -> None:
    from PIL import Image

    page = tmp_path / "seed.html"
    result = runner.invoke(cli, ["extract", str(SEED), "-o", str(page), "-q"])
    assert result.exit_code == 0, result.stderr
    png = tmp_path / "seed.png"
    screenshot(page, png)
    with Image.open(png) as img:
        assert img.size == (WIDTH, HEIGHT)
        rgb = img.convert("RGB")
        colours = rgb.getcolors(maxcolors=WIDTH * HEIGHT)
    assert colours is not None
    by_count = sorted(colours, reverse=True)
    assert len(colours) > 50  # text was drawn: not a blank page
    assert by_count[0][0] < 0.9 * WIDTH * HEIGHT
    highlight = tuple(int(PALETTE[0][i:i + 2], 16) for i in (1, 3, 5))
    painted = sum(n for n, c in colours if c == highlight)
    assert painted > 0.05 * WIDTH * HEIGHT  # the quotes are highlighted in the speaker's colour


def test_readme_screenshot_is_committed() -> None:
    png = REPO / "docs" / "seed.png"
    assert png.is_file() and "docs/seed.png" in (REPO / "README.md").read_text(encoding="utf-8")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert os.path.getsize(png) > 10_000


if __name__ == "__main__":
    # Regenerate the README's screenshot: python tests/test_htmlview.py
    from click.testing import CliRunner

    os.chdir(REPO)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "seed.html"
        result = CliRunner().invoke(cli, ["extract", "samples/belarus_russia_relations.txt", "-o", str(out), "-q"])
        assert result.exit_code == 0, result.output
        (REPO / "docs").mkdir(exist_ok=True)
        screenshot(out, REPO / "docs" / "seed.png")
    print("docs/seed.png written")
