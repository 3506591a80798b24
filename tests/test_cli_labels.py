"""``imageref labels``, run as a real subprocess: each input form, both output formats,
exit statuses, hostile input, standard input and several files.

The helpers (``run``, ``lines``, ``imported_modules``) are those of ``test_cli.py``;
the examples of ``docs/cli.md`` are run there too.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from imageref import ImageLabelError, ImageLabels
from imageref.cli import MAX_LINE_BYTES, main
from imageref.compat import v2609
from test_cli import imported_modules, lines, run

VALID = {
    "ai.backend.kernelspec": "1",
    "ai.backend.features": "batch query uid-match",
    "ai.backend.base-distro": "ubuntu22.04",
    "ai.backend.runtime-type": "python",
    "ai.backend.runtime-path": "/usr/bin/python3",
    "ai.backend.service-ports": "jupyter:http:8080,multi:tcp:[5100,5105]",
    "maintainer": "Lablup",
}
INVALID = {
    **VALID,
    "ai.backend.kernelspec": "2",
    "ai.backend.service-ports": "web:http:80,x:udp:5000",
}
REQUIRED = [
    "ai.backend.kernelspec",
    "ai.backend.features",
    "ai.backend.base-distro",
    "ai.backend.runtime-type",
    "ai.backend.runtime-path",
]
INVALID_LINES = [
    "ai.backend.kernelspec: '2': value is greater than 1 (must be between 1 and 1)",
    "ai.backend.service-ports: 'web:http:80': The service port number 80 must be larger than"
    " 1024 to run without the root privilege. (entry 1)",
    "ai.backend.service-ports: 'x:udp:5000': Unsupported service port protocol: udp"
    " (entry 2: the protocol must be tcp, http or preopen)",
]


def inspect_item(labels: Any, tags: Any = ("app:1",), ident: Any = "sha256:" + "a" * 64) -> Any:
    """One image as ``docker inspect`` describes it (the parts that matter here)."""
    labels = dict(labels) if isinstance(labels, dict) else labels  # a copy: tests change it
    item: dict[str, Any] = {"Id": ident, "RepoTags": list(tags), "Config": {"Labels": labels}}
    if ident is None:
        del item["Id"]
    return item


def env_text(labels: dict[str, str]) -> bytes:
    return "".join(f"{key}={value}\n" for key, value in labels.items()).encode()


def valid_json(source: str, image: str, labels: Any) -> dict[str, Any]:
    """The JSON line of a valid image, computed with the library."""
    return {
        "source": source,
        "image": image,
        "valid": True,
        **ImageLabels.from_labels(labels).to_dict(),
    }


def problems_of(labels: Any) -> list[dict[str, Any]]:
    """The problems the library finds in *labels*, as the JSON output lists them."""
    with pytest.raises(ImageLabelError) as info:
        ImageLabels.from_labels(labels)
    return [{"label": p.label, "value": p.value, "reason": p.reason} for p in info.value.problems]


def json_lines(data: bytes) -> list[Any]:
    return [json.loads(line) for line in lines(data)]


# ---------------------------------------------------------------------------
# Input forms
# ---------------------------------------------------------------------------


def test_inspect_output_text_exact(tmp_path: Path) -> None:
    images = [
        inspect_item(VALID, tags=["lablup/python:3.9", "python:3.9"]),
        inspect_item(INVALID, tags=["bad:1"]),
        inspect_item(None, tags=[], ident="sha256:" + "b" * 64),  # no labels: docker's null
        inspect_item({}, tags=[], ident=None),
        inspect_item([{"key": "a", "value": "b"}]),
        {"RepoTags": ["noconfig:1"]},
        "not an image",
    ]
    (tmp_path / "inspect.json").write_text(json.dumps(images, indent=2))
    proc = run("labels", "inspect.json", cwd=tmp_path)
    assert lines(proc.stdout) == [
        *(f"inspect.json: bad:1: {line}" for line in INVALID_LINES),
        *(f"inspect.json: sha256:{'b' * 64}: {label}: is required" for label in REQUIRED),
        *(f"inspect.json: [3]: {label}: is required" for label in REQUIRED),
        "inspect.json: app:1: Config.Labels must be a JSON object of label names to strings,"
        " not array",
        "inspect.json: noconfig:1: Config must be a JSON object, not null"
        " (not docker inspect output?)",
        "inspect.json: [6]: an image must be a JSON object, not string",
    ]
    assert (proc.returncode, proc.stderr) == (1, b"")


def test_inspect_all_valid_exits_0_and_json_has_typed_fields(tmp_path: Path) -> None:
    images = [inspect_item(VALID), inspect_item({**VALID, "ai.backend.role": "SYSTEM"}, tags=[])]
    (tmp_path / "inspect.json").write_text(json.dumps(images))
    proc = run("labels", "inspect.json", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    proc = run("labels", "--format", "json", "inspect.json", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert json_lines(proc.stdout) == [
        valid_json("inspect.json", "app:1", VALID),
        valid_json("inspect.json", "sha256:" + "a" * 64, images[1]["Config"]["Labels"]),
    ]


def test_empty_inspect_output_has_no_images() -> None:
    proc = run("labels", "--format", "json", "-", stdin=b"[]\n")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


@pytest.mark.parametrize("form", ["auto", "json"])
def test_json_object_and_graphql_list(form: str) -> None:
    graphql = [{"key": key, "value": value} for key, value in INVALID.items()]
    for doc in (INVALID, graphql):
        proc = run("labels", "--input-format", form, "-", stdin=json.dumps(doc).encode())
        assert lines(proc.stdout) == [f"-: -: {line}" for line in INVALID_LINES]
        assert proc.returncode == 1
        proc = run(
            "labels",
            "--format",
            "json",
            "--input-format",
            form,
            "-",
            stdin=json.dumps(doc).encode(),
        )
        assert json_lines(proc.stdout) == [
            {"source": "-", "image": "-", "valid": False, "problems": problems_of(INVALID)}
        ]
    graphql = [{"key": key, "value": value} for key, value in VALID.items()]
    proc = run("labels", "--format", "json", "-", stdin=json.dumps(graphql).encode())
    assert json_lines(proc.stdout) == [valid_json("-", "-", VALID)]
    assert proc.returncode == 0


def test_json_null_is_no_labels() -> None:
    """``docker inspect --format '{{json .Config.Labels}}'`` of an unlabelled image."""
    proc = run("labels", "-", stdin=b"null\n")
    assert lines(proc.stdout) == [f"-: -: {label}: is required" for label in REQUIRED]
    assert proc.returncode == 1


def test_graphql_list_with_a_repeated_key() -> None:
    doc = [{"key": key, "value": value} for key, value in VALID.items()]
    doc.append({"key": "maintainer", "value": "someone else"})
    proc = run("labels", "-", stdin=json.dumps(doc).encode())
    assert lines(proc.stdout) == ["-: -: maintainer: appears 2 times; a label may appear once"]
    assert proc.returncode == 1


def test_env_lines_exact(tmp_path: Path) -> None:
    data = (
        b"# labels of my image\n"
        b"\n" + env_text(VALID).replace(b"\n", b"\r\n", 1) + b"   \n"
        b"   # indented comment\n"
        b"no equals sign\n"
        b"=value without a name\n"
        b"maintainer=\xff\n"
        b"ai.backend.kernelspec=2\n"  # a later line wins
        b"ai.backend.base-distro"
    )
    (tmp_path / "image.env").write_bytes(data)
    proc = run("labels", "image.env", cwd=tmp_path)
    assert lines(proc.stdout) == [
        "image.env: -: line 12: not KEY=VALUE (no '='): 'no equals sign'",
        "image.env: -: line 13: no label name before '=': '=value without a name'",
        "image.env: -: line 14: not valid UTF-8: invalid start byte 0xff at byte offset 11",
        "image.env: -: line 16: not KEY=VALUE (no '='): 'ai.backend.base-distro'",
        "image.env: -: ai.backend.kernelspec: '2': value is greater than 1"
        " (must be between 1 and 1)",
    ]
    assert proc.returncode == 1
    proc = run("labels", "--format", "json", "image.env", cwd=tmp_path)
    (result,) = json_lines(proc.stdout)
    assert result["valid"] is False
    assert [p["reason"][:8] for p in result["problems"]] == [
        "line 12:",
        "line 13:",
        "line 14:",
        "line 16:",
        "value is",
    ]


def test_env_valid_and_explicit_format() -> None:
    proc = run("labels", "--format", "json", "-", stdin=env_text(VALID))
    assert json_lines(proc.stdout) == [valid_json("-", "-", VALID)]
    assert proc.returncode == 0
    # A label whose name starts with "{" is read as a line only when told so.
    data = env_text(VALID) + b"{odd=1\n"
    proc = run("labels", "--input-format", "env", "--format", "json", "-", stdin=b"{odd=1\n" + data)
    assert json_lines(proc.stdout)[0]["extra"] == {"maintainer": "Lablup", "{odd": "1"}
    proc = run("labels", "-", stdin=b"{odd=1\n" + data)
    assert lines(proc.stdout)[0].startswith("-: not valid JSON: ")


def test_env_overlong_line_is_reported_and_reading_goes_on() -> None:
    data = b"maintainer=" + b"x" * MAX_LINE_BYTES + b"\n" + env_text(VALID)
    proc = run("labels", "-", stdin=data)
    assert lines(proc.stdout) == [
        f"-: -: line 1: line longer than {MAX_LINE_BYTES} bytes; not parsed"
    ]
    assert proc.returncode == 1


def test_explicit_input_format_mismatch() -> None:
    proc = run("labels", "--input-format", "inspect", "-", stdin=json.dumps(VALID).encode())
    assert lines(proc.stdout) == [
        "-: docker inspect output must be a JSON array of images, not object"
    ]
    proc = run("labels", "--input-format", "json", "-", stdin=b'"text"')
    assert lines(proc.stdout) == [
        '-: labels must be a JSON object of label names to strings, or a list of {"key": ...,'
        ' "value": ...} objects, not string'
    ]
    assert proc.returncode == 1


# ---------------------------------------------------------------------------
# Hostile input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"Config": {"Labels": {}}},\n  {"Config": }]', "Expecting value at line 2, column 14"),
        (b'{"a": "b"', "Expecting ',' delimiter at line 1, column 10"),
        (b'{"a": "b"} {"c": "d"}', "Extra data at line 1, column 12"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"a": ' + b"1" * 5000 + b"}", "a number of more than 4300 digits"),
    ],
)
def test_bad_json_says_where(data: bytes, message: str) -> None:
    proc = run("labels", "-", stdin=data)
    assert lines(proc.stdout) == [f"-: not valid JSON: {message}"]
    assert (proc.returncode, proc.stderr) == (1, b"")


def test_bad_utf8_in_json_names_the_line() -> None:
    proc = run("labels", "-", stdin=b'{\n  "a": "caf\xc3\xa9",\n  "b": "\xe9t\xe9"\n}')
    assert lines(proc.stdout) == [
        "-: line 3: not valid UTF-8: invalid continuation byte 0xe9 at byte offset 8"
    ]
    assert proc.returncode == 1


def test_values_of_the_wrong_type_are_reported_per_image(tmp_path: Path) -> None:
    """Reported as the library reports them (a type error, or a problem of the label)."""
    images = [
        inspect_item({**VALID, "ai.backend.kernelspec": 1}, tags=["a:1"]),
        inspect_item(VALID, tags=["b:1"]),
        inspect_item({**VALID, "maintainer": None}, tags=["c:1"]),
    ]
    (tmp_path / "inspect.json").write_text(json.dumps(images))
    for output in ("text", "json"):
        proc = run("labels", "--format", output, "inspect.json", cwd=tmp_path)
        assert (proc.returncode, proc.stderr) == (1, b"")
        if output == "text":
            out = lines(proc.stdout)
            assert len(out) == 2
            assert out[0].startswith("inspect.json: a:1: ")
            assert "ai.backend.kernelspec" in out[0]
            assert out[1].startswith("inspect.json: c:1: ")
            assert "maintainer" in out[1]
        else:
            assert [(r["image"], r["valid"]) for r in json_lines(proc.stdout)] == [
                ("a:1", False),
                ("b:1", True),
                ("c:1", False),
            ]


def test_hostile_names_and_megabyte_values_are_escaped_and_shortened(tmp_path: Path) -> None:
    huge = "\x1b[2J" + "x" * 1_000_000
    labels = {**VALID, "ai.backend.kernelspec": huge, "caf\u00e9\nlabel": "v"}
    tag = "evil\x1b[31m\u2028:1"
    images = [inspect_item(labels, tags=[tag]), inspect_item(VALID, tags=["y" * 500])]
    images[1]["Config"]["Labels"]["ai.backend.role"] = "x" * 300
    (tmp_path / "inspect.json").write_text(json.dumps(images))
    proc = run("labels", "inspect.json", cwd=tmp_path)
    assert proc.stdout.isascii()
    out = lines(proc.stdout)
    assert out == [
        "inspect.json: 'evil\\x1b[31m\\u2028:1': ai.backend.kernelspec:"
        f" '\\x1b[2J{'x' * 36}'...{'x' * 40!r} (1000004 characters):"
        " value can't be converted to int (more than 4300 digits)",
        f"inspect.json: {'y' * 40!r}...{'y' * 40!r} (500 characters): ai.backend.role:"
        f" {'x' * 40!r}...{'x' * 40!r} (300 characters): value doesn't match any variant"
        " (must be COMPUTE, INFERENCE or SYSTEM, upper case)",
    ]
    assert proc.returncode == 1
    proc = run("labels", "--format", "json", "inspect.json", cwd=tmp_path)
    assert proc.stdout.isascii()
    first = json_lines(proc.stdout)[0]
    assert first["image"] == tag
    assert len(first["problems"][0]["value"]) < 200


def test_a_big_inspect_file(tmp_path: Path) -> None:
    """Thousands of images in one file: one line per problem, in order."""
    images = [inspect_item(VALID if i % 3 else INVALID, tags=[f"app:{i}"]) for i in range(3000)]
    (tmp_path / "inspect.json").write_text(json.dumps(images))
    proc = run("labels", "inspect.json", cwd=tmp_path)
    out = lines(proc.stdout)
    assert len(out) == 1000 * len(INVALID_LINES)
    assert out[-1] == f"inspect.json: app:2997: {INVALID_LINES[-1]}"
    assert proc.returncode == 1


# ---------------------------------------------------------------------------
# Files, standard input, exit statuses, options
# ---------------------------------------------------------------------------


def test_several_files_and_stdin_in_order(tmp_path: Path) -> None:
    (tmp_path / "ok.json").write_text(json.dumps(VALID))
    (tmp_path / "bad.env").write_bytes(env_text(INVALID))
    proc = run("labels", "ok.json", "-", "bad.env", cwd=tmp_path, stdin=b"not json\n")
    assert lines(proc.stdout) == [
        "-: -: line 1: not KEY=VALUE (no '='): 'not json'",
        *(f"-: -: {label}: is required" for label in REQUIRED),
        *(f"bad.env: -: {line}" for line in INVALID_LINES),
    ]
    assert proc.returncode == 1
    proc = run("labels", "--format", "json", "ok.json", "-", cwd=tmp_path, stdin=env_text(VALID))
    assert json_lines(proc.stdout) == [
        valid_json("ok.json", "-", VALID),
        valid_json("-", "-", VALID),
    ]
    assert proc.returncode == 0


def test_unreadable_file_is_exit_2_and_others_still_checked(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps(INVALID))
    (tmp_path / "dir").mkdir()
    proc = run("labels", "missing.json", "dir", "bad.json", cwd=tmp_path)
    assert lines(proc.stdout) == [f"bad.json: -: {line}" for line in INVALID_LINES]
    assert lines(proc.stderr) == [
        "imageref: cannot read 'missing.json': No such file or directory",
        "imageref: cannot read 'dir': Is a directory",
    ]
    assert proc.returncode == 2


def test_quiet(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps(INVALID))
    proc = run("labels", "-q", "bad.json", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, b"", b"")
    proc = run("labels", "--quiet", "-", stdin=json.dumps(VALID).encode())
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


@pytest.mark.parametrize(
    "args",
    [
        ["labels"],
        ["labels", "--input-format", "yaml", "-"],
        ["labels", "--format", "table", "-"],
        ["labels", "-q", "--format", "json", "-"],
        ["labels", "--oci", "-"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    proc = run(*args)
    assert (proc.returncode, proc.stdout) == (2, b"")
    assert b"usage: imageref" in proc.stderr
    assert b"Traceback" not in proc.stderr


def test_label_rules_load_only_for_the_labels_command(tmp_path: Path) -> None:
    (tmp_path / "ok.json").write_text(json.dumps(VALID))
    assert "imageref.labels" not in imported_modules("parse", "x")
    assert "imageref.labels" not in imported_modules("validate", "/dev/null")
    assert "imageref.labels" in imported_modules("labels", str(tmp_path / "ok.json"))


def test_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["labels", "--format", "json", "/dev/null"]) == 1
    out, err = capsys.readouterr()
    assert [json.loads(line)["problems"][0]["label"] for line in out.splitlines()] == [
        "ai.backend.kernelspec"
    ]
    assert err == ""


# -- --compat 26.09 ------------------------------------------------------------------------

#: Labels that only 26.09's rules accept: a vnc port, and the required labels left out.
DESKTOP = {"ai.backend.service-ports": "desktop:vnc:5900,shell:pty:3000", "maintainer": "Lablup"}


def v2609_json(labels: dict[str, str]) -> dict[str, Any]:
    """What ``--compat 26.09 --format json`` holds for valid *labels*: 26.09's
    ``validate_image_labels``, keyed by label text, a path as its text."""
    checked = v2609.validate_image_labels(labels)
    return {
        str(key): str(value) if isinstance(value, PurePosixPath) else value
        for key, value in checked.items()
    }


def test_compat_26_09_accepts_what_24_03_refuses() -> None:
    stdin = env_text(DESKTOP)
    old = run("labels", "-", stdin=stdin)
    assert old.returncode == 1
    assert lines(old.stdout)[-1] == (
        "-: -: ai.backend.service-ports: 'desktop:vnc:5900': Unsupported service port"
        " protocol: vnc (entry 1: the protocol must be tcp, http or preopen)"
    )
    assert run("labels", "--compat", "24.03", "-", stdin=stdin).stdout == old.stdout
    new = run("labels", "--compat", "26.09", "-", stdin=stdin)
    assert (new.returncode, new.stdout, new.stderr) == (0, b"", b"")


def test_compat_26_09_json_keys_are_the_label_texts(tmp_path: Path) -> None:
    # A label named like a field of the line cannot clash with it: the labels are nested.
    labels = {**VALID, **DESKTOP, "valid": "no", "source": "mine"}
    images = [inspect_item(labels), inspect_item(DESKTOP, tags=["desk:1"])]
    (tmp_path / "inspect.json").write_text(json.dumps(images))
    proc = run("labels", "--compat", "26.09", "--format", "json", "inspect.json", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, b"")
    got = json_lines(proc.stdout)
    assert got == [
        {"source": "inspect.json", "image": "app:1", "valid": True, "labels": v2609_json(labels)},
        {"source": "inspect.json", "image": "desk:1", "valid": True, "labels": v2609_json(DESKTOP)},
    ]
    # The defaults of the labels left out are in the output, by their text.
    assert got[1]["labels"]["ai.backend.runtime-path"] == "/bin/true"
    assert got[1]["labels"]["ai.backend.features"] == ["uid-match"]
    assert got[0]["labels"]["valid"] == "no"


def test_compat_26_09_problems_and_the_graphql_list() -> None:
    bad = {**DESKTOP, "ai.backend.service-ports": "x:internal:5000", "ai.backend.kernelspec": 2}
    doc = [{"key": key, "value": value} for key, value in bad.items()]
    for stdin in (json.dumps(bad).encode(), json.dumps(doc).encode()):
        proc = run("labels", "--compat", "26.09", "-", stdin=stdin)
        assert proc.returncode == 1
        assert lines(proc.stdout) == [
            "-: -: ai.backend.kernelspec: 2: expected a str, got int",
            "-: -: ai.backend.service-ports: 'x:internal:5000': Unsupported service port"
            " protocol: internal (entry 1: the protocol must be http, tcp, preopen, vnc or rdp)",
        ]
    doc.append({"key": "maintainer", "value": "someone else"})
    proc = run(
        "labels", "--compat", "26.09", "--format", "json", "-", stdin=json.dumps(doc).encode()
    )
    assert json_lines(proc.stdout) == [
        {
            "source": "-",
            "image": "-",
            "valid": False,
            "problems": [
                {
                    "label": "maintainer",
                    "value": None,
                    "reason": "appears 2 times; a label may appear once",
                }
            ],
        }
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["labels", "--project", "stable", "-"],
        ["labels", "--compat", "26.09", "--project", "stable", "-"],
        ["labels", "--compat", "26.09", "--project"],
        ["labels", "--project=stable", "--compat", "26.09", "-"],
    ],
)
def test_compat_labels_take_no_project(args: list[str]) -> None:
    proc = run(*args)
    assert (proc.returncode, proc.stdout) == (2, b"")
    message = proc.stderr.decode().splitlines()[-1]
    assert message == (
        "imageref labels: error: --project is not an option of this command: a project belongs"
        " to an image reference (parse, validate, aliases), not to its labels"
    )


def test_compat_usage_errors_and_help() -> None:
    proc = run("labels", "--compat", "25.01", "-")
    assert (proc.returncode, proc.stdout) == (2, b"")
    assert b"invalid choice: '25.01'" in proc.stderr
    text = run("labels", "--help").stdout.decode()
    assert "--compat {24.03,26.09}" in text
    assert "--project" not in text
    main_help = run("--help").stdout.decode()
    assert "24.03's, or 26.09's with --compat 26.09" in " ".join(main_help.split())


def test_26_09_label_rules_load_only_under_compat_26_09(tmp_path: Path) -> None:
    (tmp_path / "ok.json").write_text(json.dumps(VALID))
    assert "imageref.compat._v2609_labels" not in imported_modules(
        "labels", str(tmp_path / "ok.json")
    )
    modules = imported_modules("labels", "--compat", "26.09", str(tmp_path / "ok.json"))
    assert "imageref.compat._v2609_labels" in modules
