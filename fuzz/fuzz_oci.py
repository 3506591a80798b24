"""Coverage-guided fuzzing of ``imageref.oci`` with atheris (libFuzzer).

Run it as::

    python fuzz/fuzz_oci.py -max_total_time=10 fuzz/corpus/oci

Any libFuzzer flag works (``-runs=``, ``-max_len=``, ``-jobs=``). Each input is
decoded as UTF-8 (bad bytes become U+FFFD), and the harness checks what must
hold for every text:

- ``Reference.parse`` returns a ``Reference`` or raises ``InvalidReference``, and
  nothing else;
- a parsed reference is inside the grammar, prints as ASCII, and parses back to
  itself from ``str()``. It does the same from ``familiar`` too, except in
  Docker's one ambiguous case (see docs/oci.md);
- the string-splitting matcher agrees with the one-piece grammar pattern;
- ``parse_digest`` returns a supported digest or raises ``InvalidReference``;
- ``registry_target`` accepts every reference that has a domain.

When atheris is not installed (it has no build for every Python), the script
replays the corpus files through the same checks once, so the harness itself
stays tested.
"""

from __future__ import annotations

try:
    import atheris
except ImportError:  # pragma: no cover - depends on the environment
    atheris = None

if atheris is not None:
    # Let libFuzzer see the strings that regex matches and str comparisons want.
    atheris.enabled_hooks.add("RegEx")
    atheris.enabled_hooks.add("str")
    with atheris.instrument_imports():
        from imageref import InvalidReference, oci
        from imageref._grammar import OCI_IDENTIFIER, OCI_PATH, OCI_REFERENCE, OCI_TAG
else:  # pragma: no cover
    from imageref import InvalidReference, oci
    from imageref._grammar import OCI_IDENTIFIER, OCI_PATH, OCI_REFERENCE, OCI_TAG


def _familiar_is_ambiguous(ref: oci.Reference) -> bool:
    if ref.domain != oci.DOCKER_HUB_DOMAIN:
        return False
    if OCI_IDENTIFIER.fullmatch(ref.familiar):  # docker.io/<64 hex> prints as an image ID
        return True
    first, _, rest = ref.familiar.partition("/")
    return bool(rest) and (first == "localhost" or "." in first or ":" in first)


def _check_reference(text: str) -> None:
    try:
        ref = oci.Reference.parse(text)
    except InvalidReference as error:
        if not str(error):
            raise AssertionError("an error must say why") from error
        return
    full = str(ref)
    assert full.isascii(), full
    assert OCI_PATH.fullmatch(ref.path), ref.path
    assert len(ref.path) <= oci.REPOSITORY_PATH_MAX
    assert ref.tag is None or OCI_TAG.fullmatch(ref.tag), ref.tag
    if ref.digest is not None:
        oci.parse_digest(ref.digest)
    assert oci.Reference.parse(full) == ref, full
    if not _familiar_is_ambiguous(ref):
        assert oci.Reference.parse(ref.familiar) == ref, ref.familiar
    if ref.domain:
        target = oci.registry_target(ref)
        assert target.manifest_url.startswith("https://"), target


def _check_matcher(text: str) -> None:
    whole = OCI_REFERENCE.fullmatch(text)
    split = oci._match(text)
    if whole is None:
        assert split is None, (text, split)
    else:
        expected = (whole["domain"] or "", whole["path"], whole["tag"], whole["digest"])
        assert split == expected, (text, split, expected)


def _check_digest(text: str) -> None:
    try:
        algorithm, encoded = oci.parse_digest(text)
    except InvalidReference:
        return
    assert len(encoded) == oci.DIGEST_ALGORITHMS[algorithm], text


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris looks for
    """Check every invariant on one input."""
    text = data.decode("utf-8", "replace")
    _check_reference(text)
    _check_matcher(text)
    _check_digest(text)


def main() -> None:
    from _runner import run

    run(atheris, TestOneInput)


if __name__ == "__main__":
    main()
