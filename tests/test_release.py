"""release.py: one case per header style, and a text with no header at all.

Each case gives the header fields that must be there (others may be added) and the
first words of the body: ``text[body_start:]`` must start with them, so nothing of the
body is lost and nothing of the header is left in it.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from quotetool.release import iso_date, parse_release

BELARUS = (
    " date 2021-04-12 Source: President of the Republic of Belarus\n"
    "\n"
    "12 April 2021\n"
    "\n"
    "The President met grain farmers in Minsk Oblast on Monday. “The harvest must be saved,” he said.\n"
)

YAML_FRONT_MATTER = (
    "---\n"
    "date: '2023-05-16'\n"
    "modified_time: 2023-05-16 09:12:00-04:00\n"
    "source_url: https://www.example.gov/news/2023/05/16/harbor-bridge/\n"
    "tags: statements-releases\n"
    'title: "Governor\\u2019s Statement on the Harbor Bridge Vote"\n'
    "---\n"
    "\n"
    "Governor Ana Ruiz welcomed the vote on the Harbor Bridge on Tuesday.\n"
)

KREMLIN = (
    "Meeting with Governor of Tula Region Ilya Markov\n"
    "March 26, 2000, 12:10\n"
    "The Kremlin, Moscow\n"
    "\n"
    "The Governor reported on the harvest and the new road to the regional centre.\n"
)

KREMLIN_NO_PLACE = (
    "Message of greetings to the participants of a chess festival\n"
    "May 6, 2002, 00:00\n"
    "\n"
    "The message reads, in part:\n"
    "\n"
    "“I am glad to welcome you to this festival.”\n"
)

KEY_LINES = (
    "headline: Ukraine and Moldova open a new border crossing - Minister\n"
    "date: 2022-03-01T20:40:00Z\n"
    "link: https://www.example.org/en/news/new-border-crossing-7112\n"
    "\n"
    "A new crossing on the border with Moldova opened on Tuesday.\n"
)

PLAIN = (
    "WASHINGTON: The city council approved the budget on Monday.\n"
    "\n"
    "“It is a good day for the city,” the mayor said.\n"
)


@pytest.mark.parametrize("text, expected, body", [
    pytest.param(BELARUS, {"date": "2021-04-12", "source": "President of the Republic of Belarus",
                           "dateline": "12 April 2021"},
                 "The President met grain farmers", id="date-source-line-and-dateline"),
    pytest.param(YAML_FRONT_MATTER, {"title": "Governor\u2019s Statement on the Harbor Bridge Vote",
                                     "date": "2023-05-16",
                                     "url": "https://www.example.gov/news/2023/05/16/harbor-bridge/",
                                     "tags": "statements-releases"},
                 "Governor Ana Ruiz welcomed", id="yaml-front-matter"),
    pytest.param(KREMLIN, {"title": "Meeting with Governor of Tula Region Ilya Markov",
                           "date": "2000-03-26T12:10", "place": "The Kremlin, Moscow"},
                 "The Governor reported", id="kremlin-title-date-place"),
    pytest.param(KREMLIN_NO_PLACE, {"title": "Message of greetings to the participants of a chess festival",
                                    "date": "2002-05-06T00:00"},
                 "The message reads", id="kremlin-title-date-no-place"),
    pytest.param(KEY_LINES, {"title": "Ukraine and Moldova open a new border crossing - Minister",
                             "url": "https://www.example.org/en/news/new-border-crossing-7112"},
                 "A new crossing on the border", id="headline-date-link"),
])
def test_header_styles(text: str, expected: dict, body: str) -> None:
    release = parse_release(text)
    for key, value in expected.items():
        assert release.header.get(key) == value, (key, release.header)
    assert text[release.body_start:].startswith(body)


def test_headline_date_with_time_zone_is_iso() -> None:
    date = parse_release(KEY_LINES).header["date"]
    parsed = datetime.fromisoformat(date)
    assert (parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute) == (2022, 3, 1, 20, 40)


def test_kremlin_place_is_not_confused_with_a_sentence() -> None:
    # A short line after the date is the place; a sentence is body.
    assert "place" not in parse_release(KREMLIN_NO_PLACE).header


@pytest.mark.parametrize("text", [
    pytest.param(PLAIN, id="plain-release"),
    pytest.param("“We will win,” she said.\n", id="starts-with-a-quote"),
    pytest.param("Summary: the council met.\n\nIt voted on the budget.\n", id="one-key-line-is-body"),
    pytest.param("---\nnot front matter, never closed\n\nBody.\n", id="unclosed-front-matter"),
    pytest.param("", id="empty"),
])
def test_no_header_is_all_body(text: str) -> None:
    release = parse_release(text)
    assert release.header == {}
    assert release.body_start == 0


@pytest.mark.parametrize("value, expected", [
    ("2020-11-26", "2020-11-26"),
    ("'2023-05-16'", "2023-05-16"),
    ("26 November 2020", "2020-11-26"),
    ("3 March 2021", "2021-03-03"),
    ("March 26, 2000, 12:10", "2000-03-26T12:10"),
    ("Nov. 3, 2020", "2020-11-03"),
    ("Sept. 3, 2020", "2020-09-03"),
    ("Tuesday, March 3, 2021", "2021-03-03"),
    ("March 3rd, 2021", "2021-03-03"),
    ("Thursday 3 June 2021 10:30", "2021-06-03T10:30"),
    ("2022-03-01 20:40:00", "2022-03-01T20:40:00"),  # seconds kept when written
    ("2022-03-01T20:40:00Z", "2022-03-01T20:40:00+00:00"),  # the zone is kept
    ("2023-05-16 09:12:00-04:00", "2023-05-16T09:12:00-04:00"),
    ("2020-11-26T10:00:00.123+05:30", "2020-11-26T10:00:00.123000+05:30"),
    ("Sept 3 2020 at 9 am", "2020-09-03T09:00"),
    ("sometime next week", None),
    ("March 4", None),  # no year
    ("April 2021", None),  # no day
    ("5 5 5", None),  # neither a four-digit year nor a month name
    ("Moscow", None),
    ("10 Downing Street", None),
    ("Meeting with Governor of Tula Region Ilya Markov", None),
    ("", None),
])
def test_iso_date(value: str, expected: str | None) -> None:
    assert iso_date(value) == expected


@pytest.mark.parametrize("date_line, iso", [
    ("Tuesday, March 3, 2021", "2021-03-03"),
    ("Sept. 3, 2020, 14:05", "2020-09-03T14:05"),
    ("3rd March 2021", "2021-03-03"),
])
def test_title_date_layout_takes_any_whole_date(date_line: str, iso: str) -> None:
    text = f"Statement on the harvest\n{date_line}\nMinsk\n\n“We will do it,” he said.\n"
    header = parse_release(text).header
    assert header["date"] == iso and header["date_text"] == date_line and header["place"] == "Minsk"
