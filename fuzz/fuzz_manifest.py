"""Coverage-guided fuzzing of ``imageref.manifest`` and ``imageref.platforms`` with atheris.

Run it as::

    python fuzz/fuzz_manifest.py -max_total_time=10 fuzz/corpus/manifest

The first byte of an input picks the reader (``% 4``: ``parse_manifest``,
``parse_config``, ``parse_descriptor``, or ``parse_platform`` on the text) and, for an
index, the platform to select (``// 4``); the rest is the document. Checked on every
input:

- a reader returns its value or raises ``ManifestError`` (``InvalidPlatform`` for a
  platform), and nothing else: no ``KeyError``, ``TypeError``, ``RecursionError``,
  ``UnicodeDecodeError``;
- an error names a JSON path starting with ``$`` and is one printable line, short even
  for a huge document;
- a value read survives ``to_dict()``, JSON and reading again, equal to itself;
- ``select`` picks an image or index entry whose platform matches, or one without a
  platform, or nothing; never an attestation or artifact;
- a platform read is normalised, and its full form reads back to it.

When atheris is not installed, the script replays the corpus once through the same checks.
"""

from __future__ import annotations

import json

try:
    import atheris
except ImportError:  # pragma: no cover - depends on the environment
    atheris = None

if atheris is not None:
    atheris.enabled_hooks.add("RegEx")
    atheris.enabled_hooks.add("str")
    with atheris.instrument_imports():
        from imageref import manifest, platforms
        from imageref.errors import InvalidPlatform, ManifestError
else:  # pragma: no cover
    from imageref import manifest, platforms
    from imageref.errors import InvalidPlatform, ManifestError

WANTED = ("linux/amd64", "linux/arm64", "linux/arm/v7", "windows/amd64", "linux/386", "s390x")
READERS = (manifest.parse_manifest, manifest.parse_config, manifest.parse_descriptor)


def _check_error(error: ManifestError) -> None:
    text = str(error)
    assert error.path.startswith("$"), text
    assert text == f"{error.path}: {error.reason}", text
    assert "\n" not in error.path, text
    assert len(text) < 4096, len(text)


def _check_document(selector: int, body: bytes) -> None:
    read = READERS[selector % 4]
    try:
        value = read(body)
    except ManifestError as error:
        _check_error(error)
        return
    again = read(json.dumps(value.to_dict()))
    assert again == value, (value, again)
    if isinstance(value, manifest.ImageIndex):
        wanted = WANTED[(selector // 4) % len(WANTED)]
        for strict in (False, True):
            chosen = value.select(wanted, strict=strict)
            if chosen is None:
                continue
            assert chosen.kind in ("image", "index"), chosen
            if chosen.platform is not None:
                assert platforms.matcher(wanted, strict=strict).match(chosen.platform)


def _check_platform(text: str) -> None:
    try:
        p = platforms.parse_platform(text)
    except InvalidPlatform as error:
        message = str(error)
        assert message.startswith("platform "), message
        return
    assert p == p.normalized(), p
    assert platforms.parse_platform(platforms.format_platform(p, full=True)) == p


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris looks for
    """Check every invariant on one input."""
    if not data:
        return
    selector, body = data[0], data[1:]
    if selector % 4 == 3:
        _check_platform(body.decode("utf-8", "replace"))
    else:
        _check_document(selector, body)


def main() -> None:
    from _runner import run

    run(atheris, TestOneInput)


if __name__ == "__main__":
    main()
