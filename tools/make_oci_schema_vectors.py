"""Restate the OCI image-spec's schema test cases as JSON vectors for imageref's tests.

Reads a git checkout of github.com/opencontainers/image-spec (the cases are documents and
a pass/fail flag: facts, not code) and writes ``tests/data/oci_schema_cases.json``::

    git clone https://github.com/opencontainers/image-spec /tmp/image-spec
    python tools/make_oci_schema_vectors.py /tmp/image-spec

Sources: ``schema/descriptor_test.go``, ``imageindex_test.go``, ``manifest_test.go``,
``config_test.go`` (each case: a document and whether validation fails),
``backwards_compatibility_test.go`` (Docker schema 2 documents, valid) and the examples
``schema/spec_test.go`` validates from the spec's ``descriptor.md``, ``manifest.md``,
``image-index.md`` and ``config.md`` (valid). ``imagelayout_test.go`` checks the
``oci-layout`` file, which imageref does not read.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "tests/data/oci_schema_cases.json"

# One table row of a Go test: an optional comment line, then `{ field: `document`, fail: b }`.
_CASE = re.compile(
    r"(?://[ \t]*(?P<comment>[^\n]*)\n(?:[ \t]*//[^\n]*\n)*\s*)?"
    r"\{\s*(?:digest:\s*\"(?P<digest>[^\"]*)\",\s*)?(?P<field>\w+):\s*`(?P<body>[^`]*)`,?\s*"
    r"(?:fail:\s*(?P<fail>true|false),?)?\s*\}",
)
# The Go table field that holds the document -> the parser that reads it.
_FIELDS = {
    "descriptor": "descriptor",
    "imageIndex": "index",
    "manifest": "manifest",
    "config": "config",
}
_FILES = (
    "descriptor_test.go",
    "imageindex_test.go",
    "manifest_test.go",
    "config_test.go",
    "backwards_compatibility_test.go",
)
_EXAMPLE = re.compile(
    r"```json,title=[^&\n]*&mediatype=(?P<media>[^\s`]+)\n(?P<body>.*?)\n[ \t]*```", re.S
)
_EXAMPLE_KINDS = {
    "application/vnd.oci.descriptor.v1+json": "descriptor",
    "application/vnd.oci.image.manifest.v1+json": "manifest",
    "application/vnd.oci.image.index.v1+json": "index",
    "application/vnd.oci.image.config.v1+json": "config",
}


def _git_show(repo: Path, path: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "show", f"HEAD:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path, help="a git checkout of opencontainers/image-spec")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "-C", str(args.repo), "rev-parse", "HEAD"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    cases = []
    for name in _FILES:
        text = _git_show(args.repo, f"schema/{name}")
        for number, match in enumerate(_CASE.finditer(text)):
            case = {
                "source": f"schema/{name} case {number}",
                "comment": (match["comment"] or "").strip(),
                "kind": _FIELDS[match["field"]],
                "valid": match["fail"] != "true",
                "document": match["body"],
            }
            if match["digest"]:
                case["digest"] = match["digest"]  # the test's digest of the document's text
            cases.append(case)
    for name in ("descriptor.md", "manifest.md", "image-index.md", "config.md"):
        text = _git_show(args.repo, name)
        for number, match in enumerate(_EXAMPLE.finditer(text)):
            kind = _EXAMPLE_KINDS.get(match["media"].replace("%2B", "+"))
            if kind is None:
                continue
            cases.append(
                {
                    "source": f"{name} example {number} (validated by schema/spec_test.go)",
                    "comment": "",
                    "kind": kind,
                    "valid": True,
                    "document": match["body"],
                }
            )
    document = {
        "source": f"github.com/opencontainers/image-spec at {commit}",
        "note": "Each case: a document, which of imageref's parsers reads it, and whether "
        "the image-spec's schema tests expect it to validate.",
        "cases": cases,
    }
    args.output.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(cases)} cases written to {args.output}")


if __name__ == "__main__":
    main()
