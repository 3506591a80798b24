"""The command line, run as a real subprocess: exact output, exit codes, streaming.

Also runs every ``console`` example of ``docs/cli.md`` (see :func:`test_docs_example`)
and checks that the examples in ``--help`` are among them.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import imageref
from imageref import ImageRef, InvalidReference
from imageref.cli import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, MAX_LINE_BYTES, _io, main
from imageref.cli._io import OciJson
from imageref.oci import Reference

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "cli.md"
TIMEOUT = 60


def run(
    *args: str | bytes, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``python -m imageref ARGS`` with *stdin*; stdout and stderr captured."""
    return subprocess.run(
        [sys.executable, "-m", "imageref", *args],
        input=stdin,
        capture_output=True,
        timeout=TIMEOUT,
        cwd=cwd,
        check=False,
    )


def expected_json(
    value: str, known: Sequence[str] | None = None, arch: str = "x86_64", local: bool = False
) -> str:
    """The JSON line ``parse`` must print for *value*, computed with the library."""
    try:
        ref = ImageRef(value, known, arch, local)
    except ValueError as exc:
        obj: dict[str, Any] = {
            "input": value,
            "error": {"type": type(exc).__name__, "message": str(exc)},
        }
    else:
        obj = {"input": value, **ref.to_dict()}
    return json.dumps(obj)


def error_of(value: str, known: Sequence[str] | None = None) -> str:
    with pytest.raises(ValueError, match=r".") as info:
        ImageRef(value, known)
    return str(info.value)


def lines(data: bytes) -> list[str]:
    return data.decode("ascii").splitlines()


def kill_after(proc: subprocess.Popen[bytes], seconds: float) -> threading.Timer:
    """A watchdog: a test that would hang fails instead."""
    timer = threading.Timer(seconds, proc.kill)
    timer.start()
    return timer


# A spread of references: valid and invalid, ones needing JSON escapes, ones
# with non-ASCII text, registries, platform tags; each twice so that the second
# time comes from the per-line cache.
SAMPLES = [
    "python:3.6-ubuntu18.04",
    "lablup/python-tensorflow:1.5-py36-ubuntu16.04-cuda10.0",
    "cr.backend.ai/stable/python:3.9-ubuntu20.04",
    "cr.backend.ai:443/stable/python",
    "127.0.0.1:5000/python:3.6-cuda9-ubuntu",
    "[::1]:5000/python:3.6-cuda9-ubuntu",
    "myregistry.org/lua",
    "docker.io/x:1",
    "foo:bar:baz",
    "c:gcc6.3-alpine3.8",
    "localhost:5000/python",
    'quo"te/x:1',
    "back\\slash/x:1",
    "a/b'c:2",
    "python:3.6-py3-py3",
    "python:3.6--ubuntu",
    "http://127.0.0.1:5000/xyz",
    "python:",
    ":3.6",
    "caf\u00e9:1",
    "python@sha256:abc",
    "x" * 300,
    "a:" + "1" * 300,
]


# ---------------------------------------------------------------------------
# parse
# ---------------------------------------------------------------------------


def test_parse_arguments_json_exact() -> None:
    proc = run("parse", *SAMPLES)
    assert lines(proc.stdout) == [expected_json(value) for value in SAMPLES]
    invalid = [value for value in SAMPLES if "error" in json.loads(expected_json(value))]
    assert invalid, "the samples must include invalid references"
    assert lines(proc.stderr) == [
        "imageref: " + error_of(value).encode("ascii", "backslashreplace").decode()
        for value in invalid
    ]
    assert proc.returncode == 1


def test_parse_all_valid_exits_0() -> None:
    proc = run("parse", "python:3.6", "alpine")
    assert proc.returncode == 0
    assert proc.stderr == b""
    assert lines(proc.stdout) == [expected_json("python:3.6"), expected_json("alpine")]


@pytest.mark.parametrize(
    ("options", "known", "arch", "local"),
    [
        (
            ["-r", "cr.backend.ai", "-r", "docker.io"],
            ["cr.backend.ai", "docker.io"],
            "x86_64",
            False,
        ),
        (["-r", "*"], ["*"], "x86_64", False),
        (["--registry", "*", "--registry", "*"], ["*"], "x86_64", False),
        (["-a", "arm64", "--local"], None, "arm64", True),
        (
            ["--arch", "weird arch \u00e9", "-r", "localhost:5000"],
            ["localhost:5000"],
            "weird arch \u00e9",
            False,
        ),
    ],
)
def test_parse_options(options: list[str], known: list[str] | None, arch: str, local: bool) -> None:
    proc = run("parse", *options, *SAMPLES)
    assert lines(proc.stdout) == [expected_json(value, known, arch, local) for value in SAMPLES]


def test_parse_stdin_matches_arguments_and_json_dumps() -> None:
    """Streaming, cached (second round) and fallback JSON all equal json.dumps."""
    data = "".join(f"{value}\n" for value in SAMPLES * 2).encode()
    proc = run("parse", "-r", "cr.backend.ai", "-", stdin=data)
    assert lines(proc.stdout) == [expected_json(value, ["cr.backend.ai"]) for value in SAMPLES * 2]
    # Invalid lines repeat too (the second time from the cache): each names its line.
    assert lines(proc.stderr) == [
        f"imageref: line {number}: "
        + error_of(value, ["cr.backend.ai"]).encode("ascii", "backslashreplace").decode()
        for number, value in enumerate(SAMPLES * 2, 1)
        if "error" in json.loads(expected_json(value, ["cr.backend.ai"]))
    ]
    assert proc.returncode == 1


def test_parse_stdin_lines_blank_crlf_and_numbering() -> None:
    data = b"python:3.6\r\n\n   \n\t\r\nbad:!\nalpine\n\r\n"
    proc = run("parse", "-", stdin=data)
    assert lines(proc.stdout) == [
        expected_json("python:3.6"),
        expected_json("bad:!"),
        expected_json("alpine"),
    ]
    assert lines(proc.stderr) == [f"imageref: line 5: {error_of('bad:!')}"]
    assert proc.returncode == 1


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b" python:3.6\n", " python:3.6"),
        (b"python:3.6 \n", "python:3.6 "),
        (b"python:3.6\t\r\n", "python:3.6\t"),
        (b"python:3.6\r\r\n", "python:3.6\r"),
        (b"\rpython\n", "\rpython"),
        (b"py\x0bthon\n", "py\x0bthon"),
        (b"py\x0cthon\n", "py\x0cthon"),
        (b"py\xc2\x85thon\n", "py\x85thon"),
    ],
)
def test_parse_stdin_strips_only_the_terminator(data: bytes, text: str) -> None:
    proc = run("parse", "-", stdin=data)
    assert lines(proc.stdout) == [expected_json(text)]
    assert proc.returncode == 1


def test_parse_stdin_last_line_without_newline() -> None:
    proc = run("parse", "-", stdin=b"python:3.6\nalpine:3.8")
    assert lines(proc.stdout) == [expected_json("python:3.6"), expected_json("alpine:3.8")]
    assert proc.returncode == 0


def test_parse_mixes_arguments_and_stdin_in_order() -> None:
    proc = run("parse", "alpine", "-", "ubuntu", stdin=b"python\n")
    assert lines(proc.stdout) == [expected_json(v) for v in ("alpine", "python", "ubuntu")]


def test_parse_empty_stdin() -> None:
    proc = run("parse", "-")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


def test_parse_invalid_utf8_on_stdin_is_reported_per_line() -> None:
    data = b"python:3.6\n\xff\xfe\nalpine:3.8\nab\xc3\n\xc3\xa9\n"
    proc = run("parse", "-", stdin=data)
    out = [json.loads(line) for line in lines(proc.stdout)]
    assert out[0] == json.loads(expected_json("python:3.6"))
    assert out[1] == {
        "input": "\\xff\\xfe",
        "error": {
            "type": "UnicodeDecodeError",
            "message": "line 2: not valid UTF-8: invalid start byte 0xff at byte offset 0",
        },
    }
    assert out[2] == json.loads(expected_json("alpine:3.8"))
    assert out[3] == {
        "input": "ab\\xc3",
        "error": {
            "type": "UnicodeDecodeError",
            "message": "line 4: not valid UTF-8: unexpected end of data 0xc3 at byte offset 2",
        },
    }
    assert out[4] == json.loads(expected_json("\u00e9"))  # UTF-8, but not ASCII: D1
    assert lines(proc.stderr) == [
        "imageref: line 2: not valid UTF-8: invalid start byte 0xff at byte offset 0",
        "imageref: line 4: not valid UTF-8: unexpected end of data 0xc3 at byte offset 2",
        "imageref: line 5: " + error_of("\u00e9").encode("ascii", "backslashreplace").decode(),
    ]
    assert proc.returncode == 1
    assert proc.stdout.isascii()
    assert proc.stderr.isascii()


def test_parse_invalid_utf8_argument() -> None:
    proc = run("parse", b"py\xffthon", "python")
    assert lines(proc.stdout) == [
        json.dumps(
            {
                "input": "py\\xffthon",
                "error": {
                    "type": "UnicodeDecodeError",
                    "message": "not valid UTF-8: invalid start byte 0xff at byte offset 2",
                },
            }
        ),
        expected_json("python"),
    ]
    assert lines(proc.stderr) == [
        "imageref: not valid UTF-8: invalid start byte 0xff at byte offset 2"
    ]
    assert proc.returncode == 1


def test_parse_overlong_lines_are_reported_not_held() -> None:
    fits = "a" * MAX_LINE_BYTES  # a valid (if silly) reference, exactly at the limit
    data = (
        b"b" * (MAX_LINE_BYTES + 1)
        + b"\npython\n"
        + fits.encode()
        + b"\n"
        + b"c" * (5 * MAX_LINE_BYTES)
        + b"\nalpine\n"
        + b"d" * (2 * MAX_LINE_BYTES)  # at the end, without a newline
    )
    proc = run("parse", "-", stdin=data)
    out = lines(proc.stdout)

    def too_long(char: str, line: int) -> str:
        message = f"line {line}: line longer than {MAX_LINE_BYTES} bytes; not parsed"
        return json.dumps(
            {"input": char * 64 + "...", "error": {"type": "LineTooLong", "message": message}}
        )

    assert out == [
        too_long("b", 1),
        expected_json("python"),
        expected_json(fits),
        too_long("c", 4),
        expected_json("alpine"),
        too_long("d", 6),
    ]
    assert len(lines(proc.stderr)) == 3
    assert proc.returncode == 1


def test_parse_text_format_exact() -> None:
    proc = run("parse", "--format", "text", "-a", "arm64", "python:3.6", "bad:!", "-", stdin=b"x\n")
    # The arguments are one aligned block; the row from stdin comes later and,
    # being wider, widens the TAG column from there on.
    assert proc.stdout.decode() == (
        "INPUT       REGISTRY         NAME           TAG  ARCH\n"
        "python:3.6  index.docker.io  lablup/python  3.6  aarch64\n"
        f"bad:!       error: {error_of('bad:!')}\n"
        "x           index.docker.io  lablup/x       latest  aarch64\n"
    )
    assert lines(proc.stderr) == [f"imageref: {error_of('bad:!')}"]
    assert proc.returncode == 1


def test_parse_text_format_stdin_streams_one_header() -> None:
    data = b"python\n \xff\n\npython:3.6 \nalpine\n"
    proc = run("parse", "--format", "text", "-", stdin=data)
    assert proc.stdout.decode() == (
        "INPUT          REGISTRY         NAME           TAG     ARCH\n"
        "python         index.docker.io  lablup/python  latest  x86_64\n"
        "' \\\\xff'       error: line 2: not valid UTF-8:"
        " invalid start byte 0xff at byte offset 1\n"
        f"'python:3.6 '  error: {error_of('python:3.6 ')}\n"
        "alpine         index.docker.io  lablup/alpine  latest  x86_64\n"
    )
    assert len(lines(proc.stderr)) == 2
    assert proc.returncode == 1


# ---------------------------------------------------------------------------
# streaming, memory, pipes, signals
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("oci", [False, True], ids=["imageref", "oci"])
def test_parse_stdin_streams_results_before_end_of_input(oci: bool) -> None:
    expected = oci_json if oci else expected_json
    proc = subprocess.Popen(
        [sys.executable, "-m", "imageref", "parse", *(["--oci"] if oci else []), "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    timer = kill_after(proc, TIMEOUT)
    try:
        for value in ("python:3.6", "bad:!", "alpine"):
            proc.stdin.write(value.encode() + b"\n")
            proc.stdin.flush()
            # The answer arrives while standard input is still open.
            assert proc.stdout.readline().decode().rstrip("\n") == expected(value)
        proc.stdin.close()
        assert proc.stdout.read() == b""
        assert proc.wait() == 1
    finally:
        timer.cancel()
        proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


MEASURE_RSS = """
import resource, sys
from imageref.cli import main
status = main(sys.argv[1:])
sys.stderr.write(f"maxrss={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
sys.exit(status)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
def test_parse_stdin_memory_does_not_grow_with_input(tmp_path: Path) -> None:
    """Peak memory for 600k lines (~20 MB in, ~200 MB out) is that for 6k lines."""
    distinct = [f"cr.backend.ai/team{i % 7}/image{i}:1.{i % 10}-py3{i % 9}" for i in range(3000)]

    def peak_kib(count: int, cmd: str) -> int:
        path = tmp_path / f"{count}.txt"
        with path.open("w") as file:
            for i in range(count):
                file.write(distinct[i % len(distinct)] + "\n")
        with path.open("rb") as stdin:
            proc = subprocess.run(
                [sys.executable, "-c", MEASURE_RSS, cmd, "-r", "cr.backend.ai", "-"],
                stdin=stdin,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=TIMEOUT,
                check=True,
            )
        match = re.search(rb"maxrss=(\d+)", proc.stderr)
        assert match is not None
        return int(match[1])

    for cmd in ("parse", "validate"):
        small = peak_kib(6_000, cmd)
        big = peak_kib(600_000, cmd)
        assert big - small < 8 * 1024, (cmd, small, big)


def test_broken_pipe_ends_quietly(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_bytes(b"python:3.6-ubuntu18.04\n" * 200_000)
    for args in (
        ["parse", "-"],
        ["parse", "--format", "text", "-"],
        ["parse", "--oci", "-"],
        ["parse", "--oci", "--format", "text", "-"],
    ):
        with path.open("rb") as stdin:
            proc = subprocess.Popen(
                [sys.executable, "-m", "imageref", *args],
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            assert proc.stdout is not None
            assert proc.stderr is not None
            timer = kill_after(proc, TIMEOUT)
            try:
                assert proc.stdout.readline()  # like `| head -n 1`
                proc.stdout.close()
                assert proc.stderr.read() == b""  # no traceback, no "Exception ignored"
                assert proc.wait() == EXIT_BROKEN_PIPE
            finally:
                timer.cancel()
                proc.kill()
                proc.wait()
                proc.stderr.close()


def _bash(script: str) -> subprocess.CompletedProcess[bytes]:
    """Run a bash *script* in which ``$PY`` is this test's Python interpreter."""
    return subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        timeout=TIMEOUT,
        env={**os.environ, "PY": sys.executable},
        check=True,
    )


def test_broken_pipe_in_a_shell_pipeline(tmp_path: Path) -> None:
    script = (
        'yes python:3.6 | head -n 100000 | "$PY" -m imageref parse - | head -n 2;'
        ' echo "status ${PIPESTATUS[2]}";'
        ' "$PY" -m imageref aliases lablup/python-tensorflow:1.5-py36-ubuntu16.04-cuda10.0'
        ' | head -n 1; echo "status ${PIPESTATUS[0]}"'
    )
    proc = _bash(script)
    out = lines(proc.stdout)
    assert out[:2] == [expected_json("python:3.6")] * 2
    assert out[2] in {"status 141", "status 0"}  # 0 only if all fit in the pipe first
    assert out[3] == "python-tensorflow"
    assert out[4] in {"status 141", "status 0"}
    assert proc.stderr == b""


def test_ctrl_c_exits_130_without_traceback() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "imageref", "parse", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    timer = kill_after(proc, TIMEOUT)
    try:
        proc.stdin.write(b"python\n")
        proc.stdin.flush()
        assert proc.stdout.readline()  # running, and blocked reading stdin
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate()
        assert err == b""
        assert proc.returncode == EXIT_INTERRUPTED
    finally:
        timer.cancel()
        proc.kill()
        proc.wait()


class Trickle(io.RawIOBase):
    """A stream that hands out its data in pieces of the given sizes (as pipes do)."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self._data = data
        self._sizes = sizes or [1]
        self._calls = 0

    def readable(self) -> bool:
        return True

    def read1(self, size: int = -1) -> bytes:
        piece = self._sizes[self._calls % len(self._sizes)]
        self._calls += 1
        out, self._data = self._data[:piece], self._data[piece:]
        return out

    read = read1


@settings(max_examples=200)
@given(
    st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30),
    st.booleans(),
    st.lists(st.integers(1, 70), min_size=1, max_size=8),
)
def test_line_reader_splits_like_split_at_any_chunking(
    pieces: list[bytes], final_newline: bool, sizes: list[int]
) -> None:
    """The chunked reader gives the lines of bytes.split, each without one final \\r
    and over-long lines as Overlong (counted with their \\r), whatever the chunk sizes."""
    limit = 20
    data = b"\n".join(pieces) + (b"\n" if final_newline and pieces else b"")
    expected = data.split(b"\n")
    if expected[-1] == b"":
        expected.pop()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_io, "MAX_LINE_BYTES", limit)
        patch.setattr(_io, "_OVERLONG_SHOWN", 8)
        stream = cast("IO[bytes]", Trickle(data, sizes))
        got = [line for chunk in _io.read_lines(stream) for line in chunk]
    shown = [line if isinstance(line, bytes) else ("long", line.head) for line in got]
    assert len(shown) == len(expected)
    for line, want in zip(shown, expected, strict=True):
        if len(want) > limit:
            assert line == ("long", want[:8])
        else:
            assert line == (want[:-1] if want.endswith(b"\r") else want)


# ---------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------

LIST = (
    b"# images for the cluster\n"
    b"python:3.6-ubuntu18.04\n"
    b"\n"
    b"   # indented comment\n"
    b"localhost:5000/python\r\n"
    b"bad:!\n"
    b"   \t\n"
    b"python:3.6 \n"
    b"\xff\n"
    b"#\xff comments are skipped even when not UTF-8\n"
    b"alpine:3.8"
)


def test_validate_exact(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_bytes(LIST)
    (tmp_path / "ok.txt").write_bytes(b"python\n# nothing wrong here\n")
    proc = run("validate", "ok.txt", "list.txt", "-", cwd=tmp_path, stdin=b"\nbad:!\n")
    tag_error = error_of("localhost:5000/python")
    assert lines(proc.stdout) == [
        f"list.txt:5: {tag_error}",
        f"list.txt:6: {error_of('bad:!')}",
        f"list.txt:8: {error_of('python:3.6 ')}",
        "list.txt:9: not valid UTF-8: invalid start byte 0xff at byte offset 0",
        f"-:2: {error_of('bad:!')}",
    ]
    assert proc.stderr == b""
    assert proc.returncode == 1


def test_validate_registry_option_and_all_valid(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_bytes(b"localhost:5000/python\r\n\n# x\nalpine\n")
    assert run("validate", "list.txt", cwd=tmp_path).returncode == 1
    proc = run("validate", "-r", "localhost:5000", "list.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    proc = run("validate", "-r", "*", "-", stdin=b"localhost:5000/python\n")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


def test_validate_quiet_prints_nothing(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_bytes(LIST)
    proc = run("validate", "--quiet", "list.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, b"", b"")
    proc = run("validate", "-q", "-", stdin=b"python\n")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


def test_validate_unreadable_file_is_exit_2_and_others_still_checked(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_bytes(b"bad:!\n")
    (tmp_path / "dir").mkdir()
    proc = run("validate", "-q", "missing.txt", "dir", "list.txt", cwd=tmp_path)
    assert proc.stdout == b""
    assert lines(proc.stderr) == [
        "imageref: cannot read 'missing.txt': No such file or directory",
        "imageref: cannot read 'dir': Is a directory",
    ]
    assert proc.returncode == 2


def test_validate_overlong_and_long_inputs(tmp_path: Path) -> None:
    data = b"python\n" * 50_000 + b"x" * (MAX_LINE_BYTES + 1) + b"\n" + b"bad:!\n" * 3
    proc = run("validate", "-", stdin=data)
    assert lines(proc.stdout) == [
        f"-:50001: line longer than {MAX_LINE_BYTES} bytes; not parsed",
        *(f"-:{n}: {error_of('bad:!')}" for n in (50002, 50003, 50004)),
    ]


# ---------------------------------------------------------------------------
# aliases
# ---------------------------------------------------------------------------


def test_aliases_exact() -> None:
    value = "lablup/python-tensorflow:1.5-py36-ubuntu16.04-cuda10.0"
    proc = run("aliases", value)
    assert lines(proc.stdout) == sorted(ImageRef(value).generate_aliases())
    assert len(lines(proc.stdout)) == 162
    assert (proc.returncode, proc.stderr) == (0, b"")
    proc = run("aliases", "-r", "cr.backend.ai", "cr.backend.ai/stable/python-x:3.9-ubuntu20.04")
    expected = ImageRef("cr.backend.ai/stable/python-x:3.9-ubuntu20.04", ["cr.backend.ai"])
    assert lines(proc.stdout) == sorted(expected.generate_aliases())


def test_aliases_invalid() -> None:
    proc = run("aliases", "python:3.6-py3-py3")
    assert proc.stdout == b""
    assert lines(proc.stderr) == [f"imageref: {error_of('python:3.6-py3-py3')}"]
    assert proc.returncode == 1


# ---------------------------------------------------------------------------
# --oci: Docker's / the OCI distribution rules
# ---------------------------------------------------------------------------

DIGEST = "sha256:" + "0123456789abcdef" * 4

# Valid and invalid under Docker's rules, with each kind of Go error, the
# corner cases of imageref.oci (empty domain, uppercase domain, U+0130), inputs
# needing JSON escapes or not ASCII; each twice for the per-line cache.
OCI_SAMPLES = [
    "python:3.6",
    "lablup/python:3.9-ubuntu20.04",
    "index.docker.io/lablup/python",
    "localhost:5000/python",
    f"localhost:5000/foo@{DIGEST}",
    f"ghcr.io/org/app:1.0@{DIGEST}",
    "[2001:db8::1]:5000/app:1",
    "Registry/app",
    "a_b.c/app",
    "Python:3",
    "lablup/Python",
    "bad:!",
    "python:3.6 ",
    f"python@sha256:abc{'0' * 32}",
    f"python@md5:{'0' * 32}",
    "0123456789abcdef" * 4,
    "a" * 256,
    "foo:\u0130",
    "caf\u00e9:1",
    'quo"te:1',
    "back\\slash:1",
    "http://127.0.0.1:5000/xyz",
]


def oci_json(value: str) -> str:
    """The JSON line ``parse --oci`` must print for *value*, computed with the library."""
    try:
        ref = Reference.parse(value)
    except InvalidReference as exc:
        obj: dict[str, Any] = {
            "input": value,
            "error": {"type": "InvalidReference", "message": str(exc)},
        }
    else:
        obj = {"input": value, **ref.to_dict()}
    return json.dumps(obj)


def oci_error_of(value: str) -> str:
    with pytest.raises(InvalidReference, match=r".") as info:
        Reference.parse(value)
    return str(info.value)


def oci_invalid(values: Sequence[str]) -> list[str]:
    return [value for value in values if "error" in json.loads(oci_json(value))]


def escaped(message: str) -> str:
    return message.encode("ascii", "backslashreplace").decode()


def test_parse_oci_arguments_json_exact() -> None:
    proc = run("parse", "--oci", *OCI_SAMPLES)
    assert lines(proc.stdout) == [oci_json(value) for value in OCI_SAMPLES]
    invalid = oci_invalid(OCI_SAMPLES)
    assert len(invalid) >= 10, "the samples must include invalid references"
    assert lines(proc.stderr) == [f"imageref: {escaped(oci_error_of(v))}" for v in invalid]
    assert proc.returncode == 1


def test_parse_oci_fields_exact() -> None:
    """The fields themselves, spelt out (not only computed with the library)."""
    proc = run("parse", "--oci", "python:3.6", f"localhost:5000/foo@{DIGEST}", "Python:3")
    assert [json.loads(line) for line in lines(proc.stdout)] == [
        {
            "input": "python:3.6",
            "domain": "docker.io",
            "path": "library/python",
            "name": "docker.io/library/python",
            "tag": "3.6",
            "digest": None,
            "familiar": "python:3.6",
            "string": "docker.io/library/python:3.6",
        },
        {
            "input": f"localhost:5000/foo@{DIGEST}",
            "domain": "localhost:5000",
            "path": "foo",
            "name": "localhost:5000/foo",
            "tag": None,
            "digest": DIGEST,
            "familiar": f"localhost:5000/foo@{DIGEST}",
            "string": f"localhost:5000/foo@{DIGEST}",
        },
        {
            "input": "Python:3",
            "error": {
                "type": "InvalidReference",
                "message": "invalid reference format: repository name (library/Python)"
                " must be lowercase",
            },
        },
    ]
    assert proc.stderr == (
        b"imageref: invalid reference format: repository name (library/Python) must be lowercase\n"
    )
    assert proc.returncode == 1


def test_parse_oci_all_valid_exits_0() -> None:
    proc = run("parse", "--oci", "python", "localhost:5000/python")
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert lines(proc.stdout) == [oci_json("python"), oci_json("localhost:5000/python")]


def test_parse_oci_stdin_matches_arguments() -> None:
    """Streaming, cached (second round) and fallback JSON all equal json.dumps."""
    data = "".join(f"{value}\n" for value in OCI_SAMPLES * 2).encode()
    proc = run("parse", "--oci", "-", stdin=data)
    assert lines(proc.stdout) == [oci_json(value) for value in OCI_SAMPLES * 2]
    assert lines(proc.stderr) == [
        f"imageref: line {number}: {escaped(oci_error_of(value))}"
        for number, value in enumerate(OCI_SAMPLES * 2, 1)
        if value in oci_invalid(OCI_SAMPLES)
    ]
    assert proc.returncode == 1


def test_parse_oci_stdin_bad_utf8_overlong_blank_and_crlf() -> None:
    data = (
        b"python:3.6\r\n\n  \n\xff\nPython:3\n"
        + b"b" * (MAX_LINE_BYTES + 1)
        + b"\nalpine@"
        + DIGEST.encode()
    )
    proc = run("parse", "--oci", "-", stdin=data)
    too_long = f"line 6: line longer than {MAX_LINE_BYTES} bytes; not parsed"
    assert lines(proc.stdout) == [
        oci_json("python:3.6"),
        json.dumps(
            {
                "input": "\\xff",
                "error": {
                    "type": "UnicodeDecodeError",
                    "message": "line 4: not valid UTF-8: invalid start byte 0xff at byte offset 0",
                },
            }
        ),
        oci_json("Python:3"),
        json.dumps(
            {"input": "b" * 64 + "...", "error": {"type": "LineTooLong", "message": too_long}}
        ),
        oci_json(f"alpine@{DIGEST}"),
    ]
    assert lines(proc.stderr) == [
        "imageref: line 4: not valid UTF-8: invalid start byte 0xff at byte offset 0",
        f"imageref: line 5: {oci_error_of('Python:3')}",
        f"imageref: {too_long}",
    ]
    assert proc.returncode == 1


def test_parse_oci_text_format_exact() -> None:
    proc = run(
        "parse",
        "--oci",
        "--format",
        "text",
        "python:3.6",
        "a_b.c/app",
        "Python:3",
        "-",
        stdin=f"localhost:5000/foo@{DIGEST}\n\xff\n".encode("latin-1"),
    )
    # The arguments are one aligned block; the rows from stdin come later and,
    # being wider, widen the columns from there on.
    assert proc.stdout.decode() == (
        "INPUT       DOMAIN     PATH            TAG  DIGEST\n"
        "python:3.6  docker.io  library/python  3.6  -\n"
        "a_b.c/app   -          a_b.c/app       -    -\n"
        f"Python:3    error: {oci_error_of('Python:3')}\n"
        f"localhost:5000/foo@{DIGEST}  localhost:5000  foo             -    {DIGEST}\n"
        + "\\xff".ljust(len(f"localhost:5000/foo@{DIGEST}"))
        + "  error: line 2: not valid UTF-8: invalid start byte 0xff at byte offset 0\n"
    )
    assert lines(proc.stderr) == [
        f"imageref: {oci_error_of('Python:3')}",
        "imageref: line 2: not valid UTF-8: invalid start byte 0xff at byte offset 0",
    ]
    assert proc.returncode == 1


def test_validate_oci_exact(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_bytes(LIST)
    (tmp_path / "ok.txt").write_bytes(f"python\n# fine\nlocalhost:5000/foo@{DIGEST}\n".encode())
    stdin = b"\nPython:3\npython@md5:" + b"0" * 32 + b"\n"
    proc = run("validate", "--oci", "ok.txt", "list.txt", "-", cwd=tmp_path, stdin=stdin)
    # localhost:5000/python (line 5) is valid by Docker's rules.
    assert lines(proc.stdout) == [
        f"list.txt:6: {oci_error_of('bad:!')}",
        f"list.txt:8: {oci_error_of('python:3.6 ')}",
        "list.txt:9: not valid UTF-8: invalid start byte 0xff at byte offset 0",
        f"-:2: {oci_error_of('Python:3')}",
        "-:3: unsupported digest algorithm",
    ]
    assert oci_error_of("bad:!") == "invalid reference format"
    assert (proc.stderr, proc.returncode) == (b"", 1)
    proc = run("validate", "--oci", "--quiet", "ok.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    proc = run("validate", "--oci", "-q", "list.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, b"", b"")


def test_validate_oci_overlong_and_repeated_lines() -> None:
    data = b"python\n" * 50_000 + b"x" * (MAX_LINE_BYTES + 1) + b"\n" + b"Python:3\n" * 3
    proc = run("validate", "--oci", "-", stdin=data)
    assert lines(proc.stdout) == [
        f"-:50001: line longer than {MAX_LINE_BYTES} bytes; not parsed",
        *(f"-:{n}: {oci_error_of('Python:3')}" for n in (50002, 50003, 50004)),
    ]


def test_oci_json_fast_path_equals_json_dumps() -> None:
    """The f-string JSON of ``parse --oci`` is json.dumps' for every recorded vector."""
    vectors = json.loads((ROOT / "tests" / "data" / "oci_vectors.json").read_text())["vectors"]
    inputs = {v["input"] for v in vectors if isinstance(v["input"], str)} | set(OCI_SAMPLES)
    formatter = OciJson()
    formatter.check(Reference.parse)
    assert formatter.fast
    compared = 0
    for value in sorted(inputs | {f"localhost:5000/{value}" for value in inputs}):
        try:
            ref = Reference.parse(value)
        except InvalidReference:
            continue
        assert formatter.line(value, ref) == formatter.generic(value, ref), value
        compared += 1
    assert compared > 100


def test_oci_json_falls_back_when_fields_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """A field added to to_dict() turns the fast path off instead of being lost."""
    plain = Reference.to_dict
    monkeypatch.setattr(Reference, "to_dict", lambda self: {**plain(self), "extra": 1})
    formatter = OciJson()
    formatter.check(Reference.parse)
    assert not formatter.fast
    assert json.loads(formatter.line("python", Reference.parse("python")))["extra"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parse", "--oci", "-r", "cr.backend.ai", "x"], "-r/--registry (a Backend.AI option"),
        (["parse", "-r", "*", "--oci", "x"], "-r/--registry (a Backend.AI option"),
        (["parse", "--oci", "-a", "x86_64", "x"], "-a/--arch (a Backend.AI option"),
        (["parse", "--local", "--oci", "-"], "--local (a Backend.AI option"),
        (
            ["parse", "--oci", "--local", "-r", "a", "--arch", "arm64", "x"],
            "-r/--registry, -a/--arch or --local (Backend.AI options",
        ),
        (["validate", "--oci", "-r", "localhost:5000", "-"], "-r/--registry (a Backend.AI option"),
    ],
)
def test_oci_with_backend_ai_options_is_a_usage_error(args: list[str], message: str) -> None:
    proc = run(*args, stdin=b"python\n")
    assert proc.returncode == 2
    assert proc.stdout == b""
    last = lines(proc.stderr)[-1]
    assert last == (
        f"imageref {args[0]}: error: --oci cannot be combined with {message};"
        " the OCI rules take none)"
    )
    assert lines(proc.stderr)[0].startswith(f"usage: imageref {args[0]} ")


def test_aliases_has_no_oci() -> None:
    proc = run("aliases", "--oci", "python")
    assert (proc.returncode, proc.stdout) == (2, b"")
    assert lines(proc.stderr)[-1] == "imageref: error: unrecognized arguments: --oci"


def imported_modules(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "imageref", *args],
        capture_output=True,
        timeout=TIMEOUT,
        check=True,
    )
    return {line.rpartition("|")[2].strip() for line in proc.stderr.decode().splitlines()}


def test_oci_module_is_imported_only_for_oci() -> None:
    assert "imageref.oci" not in imported_modules("parse", "python")
    assert "imageref.oci" not in imported_modules("validate", "/dev/null")
    assert "imageref.oci" in imported_modules("parse", "--oci", "python")
    assert "imageref.oci" in imported_modules("validate", "--oci", "/dev/null")


def test_oci_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--oci", "python", "Python:3"]) == 1
    assert main(["parse", "--oci", "--format", "text", "python"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        oci_json("python"),
        oci_json("Python:3"),
        "INPUT   DOMAIN     PATH            TAG  DIGEST",
        "python  docker.io  library/python  -    -",
    ]
    assert err == f"imageref: {oci_error_of('Python:3')}\n"


# ---------------------------------------------------------------------------
# usage, --version, --help
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["parse"],
        ["parse", "--format", "yaml", "x"],
        ["parse", "-r", "*", "-r", "cr.backend.ai", "x"],
        ["parse", "--bogus", "x"],
        ["validate"],
        ["aliases"],
        ["aliases", "a", "b"],
        ["aliases", "--oci", "a"],
        ["parse", "--oci"],
        ["parse", "--oci", "-a", "arm64", "x"],
        ["validate", "--oci", "-r", "*", "x"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert b"usage: imageref" in proc.stderr
    assert b"Traceback" not in proc.stderr


def test_version() -> None:
    expected = f"imageref {imageref.__version__}\n".encode()
    for args in (["--version"], ["--version", "parse"]):
        proc = run(*args)
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, expected, b"")


def test_version_imports_nothing_heavy() -> None:
    """--version is answered before argparse, json, the CLI and the parser load."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "imageref", "--version"],
        capture_output=True,
        timeout=TIMEOUT,
        check=True,
    )
    imported = {line.rpartition("|")[2].strip() for line in proc.stderr.decode().splitlines()}
    assert "imageref" in imported
    assert not imported & {"argparse", "json", "imageref.cli", "imageref.oci"}


def test_closed_standard_streams() -> None:
    script = (
        '"$PY" -m imageref parse python >&-; echo "parse >&- $?";'
        ' "$PY" -m imageref --version >&-; echo "--version >&- $?";'
        ' "$PY" -m imageref parse - <&- 2>&1; echo "parse - <&- $?";'
        ' "$PY" -m imageref validate - <&- 2>/dev/null; echo "validate - <&- $?";'
        ' "$PY" -m imageref parse "bad:!" 2>&- | head -c 9; echo " 2>&- ${PIPESTATUS[0]}"'
    )
    proc = _bash(script)
    assert lines(proc.stdout) == [
        "parse >&- 0",
        "--version >&- 0",
        "imageref: cannot read standard input: it is closed",
        "parse - <&- 2",
        "validate - <&- 2",
        '{"input": 2>&- 1',
    ]
    assert proc.stderr == b""


def test_installed_console_script() -> None:
    script = Path(sys.executable).with_name("imageref")
    if not script.exists():
        pytest.skip("the imageref console script is not installed next to this Python")
    proc = subprocess.run(
        [str(script), "parse", "python", "--format", "text"],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert lines(proc.stdout)[1].split() == [
        "python",
        "index.docker.io",
        "lablup/python",
        "latest",
        "x86_64",
    ]
    version = subprocess.run([str(script), "--version"], capture_output=True, check=True)
    assert version.stdout == f"imageref {imageref.__version__}\n".encode()


def test_console_script_entry_point(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert main(["parse", "python", "bad:!"]) == 1
    assert main(["aliases", "python"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"imageref {imageref.__version__}",
        expected_json("python"),
        expected_json("bad:!"),
        "python",
        "python:latest",
    ]
    assert err == f"imageref: {error_of('bad:!')}\n"
    assert main(["parse"]) == 2  # argparse's own exit becomes the returned status
    assert main(["parse", "--help"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: imageref parse")
    assert err.startswith("usage: imageref parse")


def help_examples(text: str) -> list[str]:
    """The command lines listed under ``examples:`` in a --help text."""
    examples = text.partition("\nexamples:\n")[2]
    return [line.strip() for line in examples.splitlines() if line.startswith("  ")]


def test_help_shows_examples_that_the_docs_run() -> None:
    documented = [command for _block, command, _output in docs_examples()]
    for command in ([], ["parse"], ["validate"], ["aliases"], ["labels"]):
        proc = run(*command, "--help")
        assert (proc.returncode, proc.stderr) == (0, b"")
        text = proc.stdout.decode()
        assert text.startswith(f"usage: imageref {' '.join(command)}".rstrip())
        examples = help_examples(text)
        assert len(examples) >= 2, command
        for example in examples:
            assert example.startswith("imageref ") or "| imageref " in example
            assert any(doc.startswith(example) for doc in documented), example


# ---------------------------------------------------------------------------
# docs/cli.md
# ---------------------------------------------------------------------------


def docs_examples() -> list[tuple[int, str, str]]:
    """(block number, command, expected stdout) for every ``$`` line of docs/cli.md."""
    found = []
    blocks = re.findall(r"^```console\n(.*?)^```$", DOCS.read_text(), re.MULTILINE | re.DOTALL)
    for number, block in enumerate(blocks):
        command: str | None = None
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((number, command, "".join(output)))
                command, output = line[2:], []
            else:
                assert command is not None, f"output before any command in block {number}"
                output.append(line + "\n")
        if command is not None:
            found.append((number, command, "".join(output)))
    return found


@pytest.fixture(scope="module")
def docs_shell(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One scratch directory for the page, with ``imageref`` meaning this Python's."""
    work = tmp_path_factory.mktemp("docs")
    bin_dir = work / ".bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "imageref"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m imageref "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "LC_ALL": "C"}
    return {"cwd": work, "env": env}


# Examples run in order: later ones use files that earlier ones wrote.
@pytest.mark.parametrize(
    ("block", "command", "expected"),
    docs_examples(),
    ids=[f"{block}:{command[:40]}" for block, command, _ in docs_examples()],
)
def test_docs_example(docs_shell: dict[str, Any], block: int, command: str, expected: str) -> None:
    proc = subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
        **docs_shell,
    )
    assert proc.stderr.decode() == "", command
    assert proc.returncode == 0, command
    assert proc.stdout.decode() == expected


def test_docs_cover_every_command_and_option() -> None:
    commands = " ".join(command for _block, command, _output in docs_examples())
    for needle in (
        "imageref parse ",
        "imageref parse -",
        "--format text",
        "-r '*'",
        "-a ",
        "--local",
        "imageref validate ",
        "validate -",
        "--quiet",
        "imageref aliases ",
        "imageref --version",
        "imageref parse --oci ",
        "--oci --format text",
        "imageref validate --oci ",
        "validate --oci -",
        "@sha256:",
        "'Python:3'",
        "--oci -a ",
        "imageref labels ",
        "labels -",
        "labels --format json",
        "--input-format inspect",
        "labels --quiet",
        "imageref manifest ",
        "manifest --platform",
        "manifest --strict",
        "manifest --media-type",
        "manifest --digest",
        "manifest --format json",
        "manifest -",
    ):
        assert needle in commands, needle
