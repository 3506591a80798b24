"""The label checks' memo tables follow the one caching policy (imageref._memo.Table).

The checked service-ports readings (one table per release's protocol set) and the
``PurePosixPath`` of path texts are kept in :class:`imageref._memo.Table` s: bounded,
resting while they do not answer, texts longer than LONGEST_REMEMBERED never kept, and
never a different answer.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import memo_state
from imageref import ImageLabelError, _memo, parse_service_ports, validate_image_labels
from imageref import labels as lb
from imageref._memo import LONGEST_REMEMBERED, REST_WINDOWS, Table
from imageref._service_ports import PROTOCOLS_2403, check_entries
from imageref.compat import v2609

_DATA = json.loads(
    (Path(__file__).parent / "data" / "backendai_24_03_label_vectors.json").read_text("utf-8")
)
_DATA_2609 = json.loads(
    (Path(__file__).parent / "data" / "backendai_26_09_vectors.json").read_text("utf-8")
)


def test_offer_keeps_what_the_policy_admits_and_returns_the_value() -> None:
    memo = Table(8, module=False, longest=3)
    assert memo.offer("abc", 1) == 1
    assert memo.offer("abcd", 2) == 2  # longer than longest: not kept
    assert memo.entries == {"abc": 1}
    memo.rest = 5
    assert memo.offer("x", 3) == 3  # resting: counted down, not kept
    assert (memo.rest, memo.last, "x" in memo.entries) == (4, "x", False)
    assert memo.offer("x", 3) == 3  # the same key again: kept, the rest is over
    assert (memo.rest, memo.entries["x"]) == (0, 3)
    unbounded = Table(8, module=False)
    assert unbounded.offer(("any", "key"), 4) == 4
    assert unbounded.entries == {("any", "key"): 4}


def test_a_long_label_is_checked_every_time_and_not_kept() -> None:
    memo_state.clear()
    longest = "a" * (LONGEST_REMEMBERED - len(":tcp:3000")) + ":tcp:3000"
    assert len(longest) == LONGEST_REMEMBERED
    assert check_entries(longest) is check_entries(longest)  # kept
    text = "b" + longest
    first = check_entries(text)
    assert check_entries(text) is not first  # computed again
    assert text not in PROTOCOLS_2403.checked.entries
    path = "/" + "d" * LONGEST_REMEMBERED
    labels = dict(_DATA["validate"][0]["labels"], **{lb.LABEL_RUNTIME_PATH: path})
    for _ in range(2):
        validate_image_labels(labels)
    assert path not in lb._paths.entries
    assert path[:-1] not in lb._paths.entries
    labels[lb.LABEL_RUNTIME_PATH] = path[:-1]
    validate_image_labels(labels)
    assert path[:-1] in lb._paths.entries


def test_label_tables_are_module_tables() -> None:
    """Known to clear_all, memo_state and IMAGEREF_COLD_CACHES like every other table."""
    tables = (PROTOCOLS_2403.checked, lb._paths)
    assert all(any(table is known for known in _memo._tables) for table in tables)
    check_entries("a:tcp:3000")
    _memo.clear_all()
    assert not any(table.entries for table in tables)


def _label(n: int) -> str:
    return f"x{n}:tcp:{10000 + n % 50000}"


def test_a_stream_of_new_labels_rests_then_tries_again() -> None:
    memo = PROTOCOLS_2403.checked
    with memo_state.limits(16):
        hot = check_entries("hot:tcp:3000")
        for i in range(7):  # with "hot", a window of misses (limit / 2) and no hit
            check_entries(_label(i))
        assert memo.rest == REST_WINDOWS * 8
        kept = dict(memo.entries)
        for i in range(REST_WINDOWS * 8):
            check_entries(_label(100 + i))
            assert memo.entries == kept  # resting: nothing new kept, no eviction
        assert check_entries("hot:tcp:3000") is hot  # what was kept still answers
        check_entries("new:tcp:3000")  # the rest is over: the next miss is kept
        assert memo.rest == 0
        assert "new:tcp:3000" in memo.entries


def test_a_table_that_answers_keeps_admitting() -> None:
    memo = lb._paths
    labels = dict(_DATA["validate"][0]["labels"])
    with memo_state.limits(16):
        for i in range(1000):  # one lookup in four the same path: 1 in 4 >= 1 in 8
            labels[lb.LABEL_RUNTIME_PATH] = "/hot" if i % 4 == 0 else f"/new{i}"
            validate_image_labels(labels)
            assert memo.rest == 0
            assert len(memo.entries) <= 16


def test_a_label_repeated_during_a_rest_is_kept_at_its_second_miss() -> None:
    memo_state.clear()
    memo = PROTOCOLS_2403.checked
    for i in range(memo.limit // 2):  # a window of new labels: the table rests
        check_entries(_label(i))
    assert memo.rest
    check_entries("b:tcp:3000")
    assert "b:tcp:3000" not in memo.entries  # missed once: counted down
    check_entries("b:tcp:3000")
    assert "b:tcp:3000" in memo.entries  # twice in a row: kept, the rest is over
    assert memo.rest == 0
    memo_state.clear()


def _answers() -> list[Any]:
    out: list[Any] = []
    for record in _DATA["validate"]:
        try:
            out.append(validate_image_labels(record["labels"]))
        except ImageLabelError as error:
            out.append(error.problems)
    for record in _DATA["service_ports"]:
        try:
            out.append(parse_service_ports(record["text"], record["endpoints"]))
        except (ImageLabelError, ValueError) as error:
            out.append((type(error), str(error)))
    for record in _DATA_2609["labels"]:
        try:
            out.append(repr(v2609.validate_image_labels(dict(record["labels"]))))
        except (ValueError, TypeError) as error:
            out.append((type(error), str(error)))
    return out


def test_answers_do_not_depend_on_the_memo_tables() -> None:
    memo_state.clear()
    cold = _answers()
    assert _answers() == cold  # the tables as the first pass left them
    assert PROTOCOLS_2403.checked.entries
    assert lb._paths.entries
    for size in (1, 2, 5):  # full tables, evicting all the time
        with memo_state.limits(size):
            assert _answers() == cold
            assert all(len(table.entries) <= size for table in _memo._tables)
    memo_state.clear()  # some texts kept, then resting tables (lookups only)
    _answers()
    memo_state.rest_all()
    assert _answers() == cold
    memo_state.clear()


def test_threads_share_a_table_safely() -> None:
    memo = PROTOCOLS_2403.checked

    def work(offset: int) -> None:
        for i in range(3000):
            n = (i + offset) % 50 if i % 3 else 1000 + offset * 3000 + i
            checked = check_entries(_label(n))
            assert checked.entries() == [_label(n)]
            assert checked.ports()[0][2] == (10000 + n % 50000,)

    with memo_state.limits(32), ThreadPoolExecutor(4) as pool:
        list(pool.map(work, range(4)))  # re-raises what a thread raised
        assert len(memo.entries) <= 32 + 4  # a thread may add one past a check


def test_module_exports() -> None:
    assert "LONGEST_REMEMBERED" in _memo.__all__
