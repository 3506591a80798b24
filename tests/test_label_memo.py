"""The label checks' memo admits a text at its second sighting, stays bounded, backs off
while it does not pay, and never changes an answer (imageref._label_memo)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from imageref import ImageLabelError, _label_memo, validate_image_labels
from imageref import labels as lb
from imageref._label_memo import LONGEST_REMEMBERED, SPARSE, LabelMemo
from imageref._service_ports import PROTOCOLS_2403

_DATA = json.loads(
    (Path(__file__).parent / "data" / "backendai_24_03_label_vectors.json").read_text("utf-8")
)


def _miss(memo: LabelMemo, text: str) -> None:
    """What a caller does on a miss (see the module docstring)."""
    if memo.quiet > 0:
        memo.quiet -= 1
        return
    memo.learn(text, text.upper())


def _lookup(memo: LabelMemo, text: str) -> None:
    if memo.table.get(text) is None:
        _miss(memo, text)


def test_a_text_is_remembered_at_its_second_sighting() -> None:
    memo = LabelMemo(8)
    assert memo.learn("a", 1) == 1
    assert "a" not in memo.table
    assert memo.learn("a", 1) == 1
    assert memo.table == {"a": 1}


def test_long_texts_are_never_remembered() -> None:
    memo = LabelMemo(8)
    text = "x" * (LONGEST_REMEMBERED + 1)
    for _ in range(3):
        memo.learn(text, 1)
    assert not memo.table
    assert not memo.seen


def test_table_and_seen_stay_bounded() -> None:
    memo = LabelMemo(16)
    for i in range(1000):
        _lookup(memo, f"t{i % 40}")
        _lookup(memo, f"new{i}")
        assert len(memo.table) <= 16
        assert len(memo.seen) <= 16


def test_one_off_texts_do_not_push_remembered_ones_out() -> None:
    memo = LabelMemo(16)
    for _ in range(2):
        _lookup(memo, "hot")
    for i in range(1000):
        _lookup(memo, f"new{i}")
    assert memo.table == {"hot": "HOT"}


def test_backs_off_while_no_text_returns_and_resumes_when_one_does() -> None:
    memo = LabelMemo(16)
    for i in range(16):
        _lookup(memo, f"a{i}")
    assert memo.skip == 0  # the set is full, not yet judged
    _lookup(memo, "b")  # the judgement: no text returned among 16
    assert memo.skip == SPARSE - 1
    looked_at = len(memo.seen)
    for i in range(SPARSE * 4):
        _lookup(memo, f"c{i}")
    assert len(memo.seen) == looked_at + 4  # one miss in SPARSE is learnt from
    # A recurring text is sighted at the sampled misses; its second sampled sighting
    # admits it and the memo learns from every miss again.
    for _ in range(SPARSE * 2):
        _lookup(memo, "hot")
    assert "hot" in memo.table
    assert memo.skip == memo.quiet == 0


def test_a_count_raced_below_zero_learns_at_the_next_miss() -> None:
    memo = LabelMemo(8)
    memo.skip = SPARSE - 1
    memo.quiet = -1  # two threads took the last quiet miss at once
    _miss(memo, "a")
    assert "a" in memo.seen
    assert memo.quiet == SPARSE - 1


def test_clear_forgets_everything() -> None:
    memo = LabelMemo(4)
    for text in ("a", "a", "b"):
        memo.learn(text, 0)
    memo.quiet = memo.skip = 3
    memo.clear()
    assert (memo.table, memo.seen, memo.quiet, memo.skip) == ({}, set(), 0, 0)


def _answers() -> list[Any]:
    out: list[Any] = []
    for record in _DATA["validate"]:
        try:
            out.append(validate_image_labels(record["labels"]))
        except ImageLabelError as error:
            out.append(error.problems)
    return out


def test_answers_are_the_same_cold_warm_and_while_evicting(monkeypatch: Any) -> None:
    monkeypatch.setattr(PROTOCOLS_2403, "checked", LabelMemo(256))  # restored afterwards
    monkeypatch.setattr(lb, "_PATHS", LabelMemo(256))
    memos = (PROTOCOLS_2403.checked, lb._PATHS)
    for memo in memos:
        memo.clear()
    cold = _answers()
    warm = _answers()
    twice = _answers()  # by now every text seen twice is remembered
    assert cold == warm == twice
    assert any(memo.table for memo in memos)
    for memo in memos:
        memo.clear()
        monkeypatch.setattr(memo, "limit", 2)  # evicting all the time
    assert _answers() == cold
    assert _answers() == cold
    for memo in memos:
        assert len(memo.table) <= 2
        assert len(memo.seen) <= 2


def test_threads_share_a_memo_safely() -> None:
    memo = LabelMemo(32)

    def work(offset: int) -> None:
        for i in range(3000):
            text = f"t{(i + offset) % 50}" if i % 3 else f"new{offset}-{i}"
            found = memo.table.get(text)
            if found is None:
                _miss(memo, text)
            else:
                assert found == text.upper()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(work, range(4)))  # re-raises what a thread raised
    assert len(memo.table) <= 32 + 4  # a thread may add one past a check
    assert len(memo.seen) <= 32 + 4


def test_module_exports() -> None:
    assert set(_label_memo.__all__) == {"LONGEST_REMEMBERED", "SPARSE", "LabelMemo"}
