"""`quotetool.evaluate` and `quotetool evaluate`: the matching rules of the gold format.

Gold and predictions are written here, by hand, so every figure can be worked out on paper.
"""

from __future__ import annotations

import json

import pytest

import quotetool
from quotetool import evaluate as ev
from quotetool.cli import cli
from quotetool.models import Document, Quote
from quotetool.pipeline import Failure

TEXT = ('Intro. "We will win this election," said Jane Smith, the senator. '
        'Her rival, Bob Jones, replied: "Nobody believes that at all." '
        'A spokesman added that it was "a very strange day for everyone."')
Q1 = "We will win this election"
Q2 = "Nobody believes that at all"
Q3 = "a very strange day for everyone"


def at(sub: str, text: str = TEXT) -> tuple[int, int]:
    i = text.index(sub)
    return i, i + len(sub)


def q(sub: str, speaker: str | None, text: str = TEXT, **extra: object) -> dict:
    s, e = at(sub, text)
    return {"start": s, "end": e, "speaker": speaker, **extra}


def gold_doc(**extra: object) -> dict:
    return {"id": "d1", "text": TEXT,
            "quotes": [q(Q1, "Jane Smith"), q(Q2, "Bob Jones"), q(Q3, None, speaker_unscorable=True)],
            **extra}


def pred(quotes: list[dict], id: str = "d1") -> dict:
    return {"id": id, "quotes": quotes}


def run(gold: list[dict], preds: list[dict], **opts: object) -> dict:
    return ev.evaluate(gold, preds, **opts).to_dict()  # type: ignore[arg-type]


def write_jsonl(path, docs: list[dict]) -> str:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return str(path)


# --- normalisation and speaker rules --------------------------------------------------------


def test_trim_span_strips_marks_space_and_punctuation() -> None:
    text = '  “Yes, we can!”  '
    s, e = ev.trim_span(text, 0, len(text))
    assert text[s:e] == "Yes, we can"
    assert ev.trim_span(text, 5, 3) == (5, 5)  # end before start: empty
    assert ev.trim_span("abc", -4, 99) == (0, 3)  # clipped to the text


def test_norm_span_text_unifies_marks_case_and_space() -> None:
    assert ev.norm_span_text("«We  WILL\nwin»") == ev.norm_span_text('"we will win."') == "we will win"
    assert ev.norm_span_text("it\u2019s") == ev.norm_span_text("it's")


@pytest.mark.parametrize(
    ("gold", "predicted", "correct"),
    [
        ("Jane Smith", "Jane Smith", True),  # equal
        ("Jane Smith", "jane smith", True),  # case-insensitive
        ("Jane Smith", "Senator Smith", True),  # same last token
        ("Jane Smith", "Smith's", True),  # possessive dropped, same last token
        ("Jane Marie Smith", "Jane Marie", True),  # token subset
        ("Jane", "Jane Smith", True),  # token subset, the other way
        ("Vladimir Putin", "Mr. Putin", True),
        ("Jane Smith", "Bob Jones", False),
        ("Jane Smith", "Jane Doe", False),  # shares a token, but neither subset nor last
        ("Jane Smith", None, False),
        (None, None, True),  # null gold: only a null prediction is right
        (None, "", True),
        (None, "Jane Smith", False),
        ("", None, True),  # an empty gold name counts as null
    ],
)
def test_speaker_rules(gold: str | None, predicted: str | None, correct: bool) -> None:
    assert ev.speaker_correct(gold, predicted) is correct


def test_name_tokens() -> None:
    assert ev.name_tokens("Mr. O'Neill's") == ["mr", "o'neill"]
    assert ev.name_tokens(None) == []


@pytest.mark.parametrize(
    ("raw", "key"),
    [("d1", "d1"), ("folder/d1.txt", "d1"), ("a/b/d1.TXT", "d1"), ("C:\\x\\d1.txt", "d1"),
     ("d1.md", "d1.md"), ("corpus.jsonl:3", "corpus.jsonl:3"), (7, "7")],
)
def test_doc_key(raw: object, key: str) -> None:
    assert ev.doc_key(raw) == key


# --- scoring --------------------------------------------------------------------------------


def test_perfect_prediction() -> None:
    g = gold_doc()
    res = run([g], [pred([dict(x) for x in g["quotes"]])])
    for key in ("quote_overlap", "quote_exact", "end_to_end"):
        assert (res[key]["precision"], res[key]["recall"], res[key]["f1"]) == (1.0, 1.0, 1.0)
    assert res["attribution"]["accuracy"] == 1.0
    assert res["warnings"] == {}
    # the unscorable quote counts for quotes, not for attribution or end-to-end
    assert res["quote_overlap"]["n_gold"] == 3 and res["end_to_end"]["n_gold"] == 2
    assert res["end_to_end"]["n_pred"] == 2 and res["attribution"]["n"] == 2
    assert res["gold_unscorable_speakers"] == 1
    assert res["attribution"]["matched_unscorable_excluded"] == 1


def test_marks_and_edge_punctuation_do_not_matter() -> None:
    g = gold_doc()
    s, e = at(f'"{Q1},"')  # the prediction includes the marks and the comma
    res = run([g], [pred([{"start": s, "end": e, "speaker": "Jane Smith"}])])
    assert res["quote_exact"]["tp"] == 1 and res["quote_overlap"]["tp"] == 1


def test_overlap_match_that_is_not_exact() -> None:
    g = gold_doc()
    s, e = at("We will win this")  # 16 of the gold's 25 characters: overlap 0.64
    res = run([g], [pred([{"start": s, "end": e, "speaker": "Jane Smith"}])])
    assert res["quote_overlap"]["tp"] == 1
    assert res["quote_exact"]["tp"] == 0
    assert res["end_to_end"]["tp"] == 1
    # P = 1/1, R = 1/3, F1 = 0.5
    assert res["quote_overlap"] == {"precision": 1.0, "recall": 0.3333, "f1": 0.5, "tp": 1, "n_pred": 1,
                                    "n_gold": 3}


def test_overlap_below_half_does_not_match() -> None:
    g = gold_doc()
    s, e = at("We will")  # 7 / 25
    res = run([g], [pred([{"start": s, "end": e, "speaker": "Jane Smith"}])])
    assert res["quote_overlap"]["tp"] == 0 and res["end_to_end"]["tp"] == 0
    assert res["quote_overlap"]["precision"] == 0.0


def test_overlap_is_measured_against_the_longer_span() -> None:
    g = gold_doc()
    s, _ = at(Q1)
    _, e = at("said Jane Smith, the senator")  # a prediction far longer than the gold quote
    res = run([g], [pred([{"start": s, "end": e, "speaker": "Jane Smith"}])])
    assert res["quote_overlap"]["tp"] == 0


def test_exact_match_needs_overlapping_spans() -> None:
    text = '"Yes." Later: "Yes."'
    gold = {"id": "r", "text": text, "quotes": [{"start": 1, "end": 4, "speaker": "A"}]}
    res = run([gold], [pred([{"start": 15, "end": 18, "speaker": "A"}], id="r")])
    assert res["quote_exact"]["tp"] == 0  # the same words somewhere else


def test_matching_is_one_to_one_and_greedy_by_overlap() -> None:
    g = gold_doc()
    s, e = at(Q1)
    worse = {"start": s, "end": s + 16, "speaker": "Bob Jones"}  # overlap 0.64, wrong speaker
    better = {"start": s, "end": e - 2, "speaker": "Jane Smith"}  # overlap 0.92, right speaker
    res = run([g], [pred([worse, better])])
    assert res["quote_overlap"]["tp"] == 1  # one gold quote takes one prediction
    assert res["quote_overlap"]["n_pred"] == 2  # the other is a false positive
    assert res["attribution"]["correct"] == 1  # and the better overlap won, whatever the order
    res = run([g], [pred([better, worse])])
    assert res["attribution"]["correct"] == 1


def test_greedy_takes_the_best_pair_first() -> None:
    # Gold A = [0, 10), gold B = [4, 14). P1 is exactly A; P2 = [1, 11) overlaps A by 0.9 and
    # B by 0.7. Best pair first: (A, P1) = 1.0, so P2 gets B, though A is its better gold quote
    # and it comes first in the predictions.
    text = "abcdefghijklmnopqrstuvwxyz"
    gold = {"id": "g", "text": text, "quotes": [{"start": 0, "end": 10, "speaker": "A"},
                                                {"start": 4, "end": 14, "speaker": "B"}]}
    p2 = {"start": 1, "end": 11, "speaker": "B"}
    p1 = {"start": 0, "end": 10, "speaker": "A"}
    res = ev.evaluate([gold], [pred([p2, p1], id="g")])
    pairs = {(gi, pi): (round(r, 2), ok) for gi, pi, r, ok in res.documents[0].pairs}
    assert pairs == {(0, 1): (1.0, True), (1, 0): (0.7, True)}
    assert res.summary["end_to_end"]["f1"] == 1.0


def test_wrong_speaker_lowers_attribution_and_end_to_end_only() -> None:
    g = gold_doc()
    quotes = [dict(x) for x in g["quotes"]]
    quotes[1]["speaker"] = "Jane Smith"
    res = run([g], [pred(quotes)])
    assert res["quote_overlap"]["f1"] == 1.0
    assert res["attribution"] == {**res["attribution"], "accuracy": 0.5, "correct": 1, "n": 2}
    assert res["end_to_end"]["tp"] == 1 and res["end_to_end"]["f1"] == 0.5


def test_null_gold_speaker() -> None:
    text = 'A sign read: "Keep out." She said: "Go home."'
    gold = {"id": "n", "text": text, "quotes": [q("Keep out", None, text), q("Go home", "Ann Lee", text)]}
    right = run([gold], [pred([q("Keep out", None, text), q("Go home", None, text)], id="n")])
    att = right["attribution"]
    assert (att["null_gold_correct"], att["null_gold_n"]) == (1, 1)
    assert (att["named_correct"], att["named_n"]) == (0, 1)
    assert att["accuracy"] == 0.5 and att["named_accuracy"] == 0.0
    wrong = run([gold], [pred([q("Keep out", "Ann Lee", text), q("Go home", "Ann Lee", text)], id="n")])
    assert wrong["attribution"]["null_gold_correct"] == 0
    assert wrong["attribution"]["named_correct"] == 1


def test_unscorable_gold_prediction_is_neither_right_nor_wrong() -> None:
    g = gold_doc()
    quotes = [dict(x) for x in g["quotes"]]
    quotes[2]["speaker"] = "Someone Else"
    res = run([g], [pred(quotes)])
    assert res["attribution"]["accuracy"] == 1.0
    assert res["end_to_end"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 2, "n_pred": 2, "n_gold": 2}
    # an unmatched prediction still counts against end-to-end precision
    extra = q("Intro", "Jane Smith")
    res = run([g], [pred([*quotes, extra])])
    assert res["end_to_end"]["n_pred"] == 3 and res["quote_overlap"]["n_pred"] == 4


def test_confident_speakers_only() -> None:
    g = gold_doc()
    g["quotes"][1]["speaker_confident"] = False
    quotes = [dict(x) for x in g["quotes"]]
    quotes[1]["speaker"] = "Nobody Known"
    plain = run([g], [pred(quotes)])
    assert plain["attribution"]["n"] == 2 and plain["attribution"]["correct"] == 1
    assert plain["gold_unscorable_speakers"] == 1
    conf = run([g], [pred(quotes)], confident_speakers_only=True)
    assert conf["attribution"]["n"] == 1 and conf["attribution"]["accuracy"] == 1.0
    assert conf["end_to_end"]["n_gold"] == 1 and conf["end_to_end"]["f1"] == 1.0
    assert conf["gold_unscorable_speakers"] == 2
    assert conf["quote_overlap"] == plain["quote_overlap"]  # quotes are scored the same
    assert conf["options"]["confident_speakers_only"] is True


def test_documents_match_by_path_like_ids() -> None:
    g = gold_doc()
    quotes = [dict(x) for x in g["quotes"]]
    for id_ in ("folder/d1.txt", "deep/er/d1.TXT", "C:\\data\\d1.txt"):
        res = run([g], [pred(quotes, id=id_)])
        assert res["end_to_end"]["f1"] == 1.0, id_
        assert res["warnings"] == {}


def test_missing_and_unknown_documents() -> None:
    g1, g2 = gold_doc(), {**gold_doc(), "id": "d2"}
    res = run([g1, g2], [pred([dict(x) for x in g1["quotes"]]), pred([], id="zzz")])
    assert res["warnings"] == {ev.W_MISSING: 1, ev.W_EXTRA: 1}
    assert res["quote_overlap"]["recall"] == 0.5
    assert res["docs"] == {"gold": 2, "pred": 2}


def test_text_differing_from_gold_is_reported() -> None:
    g = gold_doc()
    res = run([g], [{**pred([]), "text": TEXT + " more"}])
    assert res["warnings"] == {ev.W_TEXT_DIFFERS: 1}


def test_quotes_given_by_text_are_located() -> None:
    g = gold_doc()
    res = run([g], [pred([{"quote": Q1, "speaker": "Jane Smith"}, {"quote": "not in the text", "speaker": None}])])
    assert res["end_to_end"]["tp"] == 1
    assert res["warnings"] == {"pred quotes located by their text (no offsets)": 1,
                               "pred quotes without offsets that could not be located": 1,
                               "pred quotes empty after trimming": 1}


def test_empty_gold_quotes_are_dropped() -> None:
    g = gold_doc()
    g["quotes"].append({"start": 0, "end": 1, "speaker": "X"} | {"start": 5, "end": 6})  # "."
    res = run([g], [pred([dict(x) for x in g["quotes"][:3]])])
    assert res["quote_overlap"]["n_gold"] == 3
    assert res["warnings"] == {"gold quotes empty after trimming": 1}


def test_min_words_and_unattributed_spans() -> None:
    g = gold_doc()
    quotes = [dict(x) for x in g["quotes"]]
    res = run([g], [pred(quotes)], min_words=6)  # only Q3 has 6 words or more
    assert res["quote_overlap"]["n_gold"] == 1 and res["quote_overlap"]["n_pred"] == 1
    g["meta"] = {"unattributed_quoted_spans": [list(at(Q3))]}
    res = run([g], [pred(quotes)], ignore_unattributed=True)
    assert res["quote_overlap"]["n_pred"] == 2
    assert res["warnings"] == {"pred quotes dropped: on unattributed quoted spans": 1}


def test_accepts_documents_and_failures_from_the_api() -> None:
    g = gold_doc()
    s, e = at(Q1)
    docs = [Document("folder/d1.txt", TEXT, {}, [Quote(s, e, Q1, "Jane Smith", "Jane Smith", "said", "name")]),
            Failure("d2", "binary file")]
    res = ev.evaluate([g], docs).to_dict()
    assert res["end_to_end"]["tp"] == 1 and res["docs"]["pred"] == 1


def test_duplicate_ids_are_an_error(tmp_path) -> None:
    with pytest.raises(ev.EvaluationError, match="duplicate"):
        ev.evaluate([gold_doc()], [pred([]), pred([], id="x/d1.txt")])
    path = write_jsonl(tmp_path / "g.jsonl", [gold_doc(), gold_doc()])
    with pytest.raises(ev.EvaluationError, match=r"g.jsonl:2: duplicate id 'd1'"):
        ev.load_jsonl(path)


def test_load_jsonl_errors(tmp_path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "quotes": []}\n\n{not json\n', encoding="utf-8")
    with pytest.raises(ev.EvaluationError, match="bad.jsonl:3: invalid JSON"):
        ev.load_jsonl(str(bad))
    bad.write_text('{"quotes": []}\n', encoding="utf-8")
    with pytest.raises(ev.EvaluationError, match="without 'id'"):
        ev.load_jsonl(str(bad))


def test_worst_documents_side_by_side() -> None:
    g1, g2 = gold_doc(), {**gold_doc(), "id": "d2"}
    s, e = at(Q1)
    p1 = pred([{"start": s, "end": e, "speaker": "Bob Jones"}, q("Intro", None)])  # wrong, missed x2, extra
    p2 = pred([dict(x) for x in g2["quotes"]], id="d2")  # perfect
    result = ev.evaluate([g1, g2], [p1, p2])
    (worst,) = result.worst(5)  # documents without errors are never listed
    assert worst.id == "d1" and worst.errors == 1 + 2 + 1
    assert [r["status"] for r in worst.rows()] == ["false_positive", "speaker", "missed", "missed"]
    row = worst.rows()[1]
    assert row["gold"]["speaker"] == "Jane Smith" and row["pred"]["speaker"] == "Bob Jones"
    assert row["gold"]["quote"] == Q1
    js = result.to_dict(errors=3)
    assert js["worst_docs"][0]["id"] == "d1" and js["worst_docs"][0]["errors"] == 4
    assert len(js["worst_docs"]) == 1
    assert "worst_docs" not in result.to_dict()


def test_unscorable_rows_are_marked() -> None:
    g = gold_doc()
    result = ev.evaluate([g], [pred([q(Q3, "Anybody")])])
    assert [r["status"] for r in result.documents[0].rows()] == ["missed", "missed", "unscored"]


# --- the command ----------------------------------------------------------------------------


def test_cli_scores_a_prediction_file(runner, tmp_path) -> None:
    g = gold_doc()
    gold = write_jsonl(tmp_path / "gold.jsonl", [g])
    quotes = [dict(x) for x in g["quotes"]]
    quotes[1]["speaker"] = "Jane Smith"
    predicted = write_jsonl(tmp_path / "pred.jsonl", [pred(quotes, id="x/d1.txt")])
    result = runner.invoke(cli, ["evaluate", gold, predicted, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == ev.evaluate(ev.load_jsonl(gold), ev.load_jsonl(predicted)).to_dict()
    # -f json is the same; piped without -f, the figures are JSON too (as extract gives JSON Lines)
    assert runner.invoke(cli, ["evaluate", gold, predicted, "-f", "json"]).stdout == result.stdout
    assert runner.invoke(cli, ["evaluate", gold, predicted]).stdout == result.stdout

    table = runner.invoke(cli, ["evaluate", gold, predicted, "--errors", "2", "-f", "table"], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    out = table.stdout
    assert "quote (overlap ≥ 0.5)" in out and "end-to-end" in out
    assert "attribution accuracy: 0.500" in out
    assert "d1: 1 error (gold 3, predicted 3, matched 3)" in out
    assert "SPEAKER" in out and "Bob Jones" in out and "Nobody believes that at all" in out
    row = next(line for line in out.splitlines() if "SPEAKER" in line)
    assert row.index("Bob Jones") < row.index("Nobody believes") < row.index("Jane Smith")
    assert table.stderr == ""


def test_cli_confident_speakers_only(runner, tmp_path) -> None:
    g = gold_doc()
    g["quotes"][1]["speaker_confident"] = False
    gold = write_jsonl(tmp_path / "gold.jsonl", [g])
    predicted = write_jsonl(tmp_path / "pred.jsonl", [pred([q(Q1, "Jane Smith"), q(Q2, "Wrong Person")])])
    plain = json.loads(runner.invoke(cli, ["evaluate", gold, predicted, "--json"]).stdout)
    conf = json.loads(runner.invoke(cli, ["evaluate", gold, predicted, "--json",
                                          "--confident-speakers-only"]).stdout)
    assert plain["attribution"]["accuracy"] == 0.5 and conf["attribution"]["accuracy"] == 1.0


def test_cli_bad_input(runner, tmp_path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    result = runner.invoke(cli, ["evaluate", str(bad), str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"quotetool: error: {bad}:1: invalid JSON")
    missing = runner.invoke(cli, ["evaluate", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2  # a usage error
    no_text = write_jsonl(tmp_path / "notext.jsonl", [{"id": "a", "quotes": []}])
    result = runner.invoke(cli, ["evaluate", no_text])
    assert result.exit_code == 1 and "has no text" in result.stderr


RELEASES = [
    {"id": "r1", "text": '"We will win this match," said John Smith, the team\'s coach.\n',
     "quotes": [{"start": 1, "end": 23, "speaker": "John Smith"}]},
    {"id": "r2", "text": 'Mary Jones said: "The river is rising fast."\n\nNothing else happened.\n',
     "quotes": [{"start": 18, "end": 43, "speaker": "Mary Jones"}]},
]


def test_cli_runs_the_extractor_without_predictions(runner, tmp_path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", RELEASES)
    result = runner.invoke(cli, ["evaluate", gold, "--json"])
    assert result.exit_code == 0, result.output
    res = json.loads(result.stdout)
    assert res["docs"] == {"gold": 2, "pred": 2}
    assert res["quote_overlap"]["f1"] == 1.0 and res["end_to_end"]["f1"] == 1.0
    # the same figures as extracting to a file first and scoring that
    extracted = runner.invoke(cli, ["extract", gold, "-f", "jsonl", "-q"])
    predicted = tmp_path / "pred.jsonl"
    predicted.write_text(extracted.stdout, encoding="utf-8")
    again = json.loads(runner.invoke(cli, ["evaluate", gold, str(predicted), "--json"]).stdout)
    assert again == res


def test_python_api_extract_many_into_evaluate() -> None:
    docs = quotetool.extract_many([(d["id"], d["text"]) for d in RELEASES])
    res = ev.evaluate(RELEASES, docs).to_dict()
    assert res["end_to_end"]["f1"] == 1.0


def test_predict_reports_failures(monkeypatch) -> None:
    from quotetool import pipeline

    def fake(items, **kwargs):
        for id_, text, _ in items:
            yield Failure(id_, "boom") if id_ == "r2" else Document(id_, text, {}, [])

    monkeypatch.setattr(pipeline, "extract_many", fake)
    seen = []
    records, failures = ev.predict(RELEASES, on_result=seen.append)
    assert [r["id"] for r in records] == ["r1"] and failures == [Failure("r2", "boom")]
    assert len(seen) == 2


def test_cli_exit_status_when_a_document_fails(runner, tmp_path, monkeypatch) -> None:
    from quotetool import pipeline

    def fake(items, **kwargs):
        for id_, text, _ in items:
            yield Failure(id_, "boom")

    monkeypatch.setattr(pipeline, "extract_many", fake)
    gold = write_jsonl(tmp_path / "gold.jsonl", RELEASES)
    result = runner.invoke(cli, ["evaluate", gold, "--json"])
    assert result.exit_code == 1
    assert "quotetool: error: r1: boom (scored as no quotes)" in result.stderr
    assert json.loads(result.stdout)["quote_overlap"]["recall"] == 0.0
