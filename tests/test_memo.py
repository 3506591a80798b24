"""The memo tables change how fast a reference is read, never what it reads as.

:func:`imageref._reference.parse_reference` memoises pure functions of one part
(the head, the tag, the platform suffix). These tests replay the recorded reference
inputs and hand-picked corner cases with every table empty, filled by everything
parsed before, and bounded to a few entries so that entries are evicted (and
admission turned off and on) all the time; the answers and errors must be the same.
They also check that the tables stay bounded, including under threads, and the
admission policy of imageref._memo.Table: a table that does not answer stops
storing new entries for a while, then tries again; deterministically.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import memo_state
from imageref import ImageRef, ImageRefError, _memo, _reference, _tags

_VECTORS = json.loads((Path(__file__).parent / "data" / "backendai_24_03_vectors.json").read_text())
_CONFIGS = [None, ["*"], ["cr.backend.ai", "docker.io", "127.0.0.1:5000"], frozenset({"a.io"})]


def _known(spec: Any) -> Any:
    if isinstance(spec, dict):
        return {name: f"https://{name}" for name in spec["mapping"]}
    return spec


def _cases() -> list[tuple[str, Any]]:
    cases = [(case["input"], _known(case["known_registries"])) for case in _VECTORS["parse"]]
    extra = [case["input"] for case in _VECTORS["parse"][:300]] + [
        "python",
        "python:3.6",
        "index.docker.io/python:3.6",
        "docker.io/python:3.6",
        "registry-1.docker.io/python:3.6",
        "cr.backend.ai/python:3.6",
        "cr.backend.ai/stable/python:3.6-ubuntu",
        "127.0.0.1:5000/python:3.6",
        "127.0.0.1:5000/python",
        "127.0.0.1:5000/python:3.6-py36",
        "localhost:5000/python",
        "localhost:5000/python:1",
        "cr.backend.ai:5000/python",
        "a:1/b:c/d",
        ":5000/python",
        "[::1]:5000/a/b:latest",
        "reg:5000/a:b/c",
        "a.io/b:c:1.0",
        "http://a.io/b:1",
        "a/:1",
        "a//b:1",
        "/a:1",
        "a/:",
        ":1",
        "a:",
        "a:3.6-",
        "a:3.6--x",
        "a:3.6-py36-py37",
        "b:3.6-py36-py37",
        "a b:1",
        "a:1 2",
        "a:1@sha256:" + "0" * 64,
        "a:1@sha256:0",
    ]
    return cases + [(value, known) for value in extra for known in _CONFIGS]


def _outcome(value: str, known: Any) -> tuple[Any, ...]:
    try:
        ref = ImageRef(value, known)
    except ImageRefError as exc:
        return (type(exc), str(exc))
    return (ref.registry, ref.name, ref.tag, ref.digest, ref.tag_set)


def test_answers_do_not_depend_on_the_memo_tables() -> None:
    cases = _cases()
    cold = []
    for value, known in cases:
        memo_state.clear()
        cold.append(_outcome(value, known))
    memo_state.clear()
    for _ in range(2):  # the second pass starts with every table filled by the first
        for (value, known), want in zip(cases, cold, strict=True):
            assert _outcome(value, known) == want, (value, known)
    for size in (1, 2, 5):  # tables that evict all the time
        with memo_state.limits(size):
            for (value, known), want in zip(cases, cold, strict=True):
                assert _outcome(value, known) == want, (value, known, size)
    for (value, known), want in zip(reversed(cases), reversed(cold), strict=True):
        assert _outcome(value, known) == want, (value, known)
    memo_state.clear()  # half the cases stored, then resting tables (lookups only)
    for (value, known), want in zip(cases[::2], cold[::2], strict=True):
        assert _outcome(value, known) == want, (value, known)
    memo_state.rest_all()
    for (value, known), want in zip(cases, cold, strict=True):
        assert _outcome(value, known) == want, (value, known)


def test_tag_records_do_not_depend_on_the_memo_tables() -> None:
    mains = ["1", "3.6", "1.0rc1", "a_b", "latest", "", "1.", "_1", "1..2", "é", "x!", "1-"]
    suffixes = ["", "-", "py36", "py36-", "py36--ubuntu", "cuda_", "py36-py37", "PY36", "x-_y"]
    suffixes += ["ubuntu16.04-cuda11.3", "cuda11.3B", "a.b"]

    def record(tag: str) -> Any:
        try:
            return _tags.tag_record(tag, f"x:{tag}")
        except ImageRefError as exc:
            return (type(exc), str(exc))

    for suffix in suffixes:
        for main in mains:
            tag = f"{main}-{suffix}" if suffix else main
            memo_state.clear()
            want = record(tag)
            for warm in (f"1-{suffix}", f"2-{suffix}-x"):  # fill the tables, if valid
                memo_state.clear()
                record(warm)
                assert record(tag) == want, (tag, warm)
                assert record(tag) == want, (tag, warm)  # and from its own entry


def test_refs_share_the_parts_they_have_in_common() -> None:
    memo_state.clear()
    a = ImageRef("cr.backend.ai/stable/python:3.6-ubuntu", ["cr.backend.ai"])
    b = ImageRef("cr.backend.ai/stable/python:3.7-ubuntu", ["cr.backend.ai"])
    assert a.name is b.name  # one string for every ref with this head
    assert a.tag_set[1] is b.tag_set[1]  # one PlatformTagSet per suffix


def _admitting(table: _memo.Table) -> bool:
    return table.rest == 0


def test_tables_stay_bounded_and_keep_the_newest_entries() -> None:
    memo_state.clear()
    tables = (_reference.heads, _tags.valid_tags)
    limit = _reference.heads.limit
    for i in range(limit // 2 - 1):  # less than a window of misses: every part admitted
        ImageRef(f"python{i}:3.{i}-py{i}")
    assert all(len(table.entries) == limit // 2 - 1 for table in tables)
    for i in range(limit * 3 + 7):
        ImageRef(f"python{i}:3.{i}-py{i}")
        assert all(len(table.entries) <= table.limit for table in tables)
    for i in range(limit):  # parts seen before: answered from the tables
        ImageRef(f"python{i % 10}:3.{i % 10}-py{i % 10}")
    assert _reference.heads.hits + _reference.both_hits.count >= limit


def test_a_table_that_does_not_answer_stops_admitting_then_tries_again() -> None:
    memo_state.clear()
    heads = _reference.heads
    window = heads.limit // 2
    for i in range(window):  # a window of new heads, none asked for twice
        ImageRef(f"first{i}:1")
    assert not _admitting(heads)
    kept = dict(heads.entries)
    for i in range(window * _memo.REST_WINDOWS):
        ImageRef(f"second{i}:1")
        assert heads.entries == kept  # lookups go on; nothing new is stored
    ImageRef("third:1")  # the rest is over: the next miss is stored
    assert _admitting(heads)
    assert "third" in heads.entries
    for _ in range(3):  # a head that repeats now keeps it admitting
        for i in range(window):
            ImageRef(f"fourth{i % 16}:{i}")
    assert _admitting(heads)


def test_a_loop_over_one_input_ends_the_rest() -> None:
    memo_state.clear()
    heads = _reference.heads
    for i in range(heads.limit // 2):  # new heads only: the table rests
        ImageRef(f"first{i}:1")
    assert not _admitting(heads)
    ImageRef("again:1")
    assert "again" not in heads.entries  # missed once: counted down
    ImageRef("again:1")
    assert "again" in heads.entries  # missed twice in a row: stored, the rest is over
    assert _admitting(heads)


def test_the_admission_policy_is_deterministic() -> None:
    def run() -> list[tuple[bool, int]]:
        memo_state.clear()
        states = []
        for i in range(5000):
            ImageRef(f"img{i if i % 3 else i % 7}:{i % 11}.0-py{i % 5}")
            states.append((_admitting(_reference.heads), len(_reference.heads.entries)))
        return states

    assert run() == run()


def test_the_tables_keep_the_rescan_fast_path() -> None:
    memo_state.clear()
    for _ in range(2):
        for repo in range(300):
            for tag in range(20):
                ImageRef(f"cr.backend.ai/team/img{repo}:{tag}.0-py3{tag}", ["cr.backend.ai"])
    assert _admitting(_reference.heads)
    assert _admitting(_tags.valid_tags)
    assert len(_reference.heads.entries) == 300
    assert len(_tags.valid_tags.entries) == 20


def test_remember_evicts_the_older_half() -> None:
    table: dict[int, int] = {}
    for i in range(10):
        _memo.remember(table, i, i, 4)
    assert list(table) == [6, 7, 8, 9]  # each time it was full, the older two went
    tiny: dict[int, int] = {}
    for i in range(5):
        _memo.remember(tiny, i, i, 1)
        assert tiny == {i: i}


def test_tables_are_thread_safe() -> None:
    errors: list[BaseException] = []
    memo_state.clear()

    def work(offset: int) -> None:
        try:
            for i in range(3000):
                ref = ImageRef(f"team{offset}/img{i % 700}:{i % 300}.1-py{i % 50}")
                assert ref.name == f"team{offset}/img{i % 700}"
                assert ref.tag_set[1]["py"] == str(i % 50)
        except BaseException as exc:
            errors.append(exc)

    with memo_state.limits(64):
        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert len(_reference.heads.entries) <= 64 + 4  # a thread may add one past a check
