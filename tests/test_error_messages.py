"""How error messages show input: whole while it is of a sane size, else shortened safely.

Reference errors name the full input (D4) up to 1024 characters, longer than any
reference a registry takes; past that they show the repr of its first and last 512
characters and its length, with the contract's prefixes kept (docs/api.md, "Errors").
``imageref.oci`` keeps Go's wording: a repository path as it is up to 1024 characters,
then the same shortened form (docs/oci.md, "Errors").
Label and CLI messages follow the same rule at 80 characters. Size is checked by
message length and by counting the characters escaped, never by time.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator

import pytest

from imageref import (
    ImageRef,
    ImageRefError,
    IncomparableImages,
    InvalidImageName,
    InvalidImageTag,
    InvalidReference,
    PlatformTagSet,
    errors,
    oci,
)
from imageref.cli._io import show_short
from imageref.compat import v2609

_NAME = "Invalid image name: "
_TAG = "Invalid or duplicate image name tag: "
_MISMATCH = "image "
_INCOMPARABLE = "only images with the same name"
_REPOSITORY = "invalid reference format: repository name ("

# The documented bound: a reference of up to 1024 characters is shown whole.
_WHOLE = 1024
# A message shows at most four inputs or parts of one (the tag, the full reference, the
# tag again in the reason, a platform key), each at most 1024 characters and their length.
_MESSAGE_BOUND = 4 * (_WHOLE + 40) + 400


def _shortened(text: str) -> str:
    """The documented form of a reference error's input past 1024 characters."""
    return f"{text[:512]!r}...{text[-512:]!r} ({len(text)} characters)"


def _error(call: Callable[[], object]) -> ImageRefError:
    with pytest.raises(ImageRefError) as info:
        call()
    return info.value


# ---------------------------------------------------------------------------------------------
# The one rule
# ---------------------------------------------------------------------------------------------


def test_shorten_shows_whole_text_up_to_the_limit() -> None:
    assert errors._shorten("abcd", 4) == "'abcd'"
    assert errors._shorten("abcd", 4, bare_if_plain=True) == "abcd"
    assert errors._shorten("a b", 4, bare_if_plain=True) == "'a b'"  # a space is not plain
    assert errors._shorten("", 4, bare_if_plain=True) == "''"  # nor is nothing
    assert errors._shorten("\u00e9", 4) == "'\\xe9'"  # ascii() by default
    assert errors._shorten("\u00e9", 4, repr) == "'\u00e9'"


def test_shorten_keeps_head_tail_and_length_past_the_limit() -> None:
    assert errors._shorten("abcde", 4) == "'ab'...'de' (5 characters)"
    assert errors._shorten("abcde", 4, bare_if_plain=True) == "'ab'...'de' (5 characters)"
    assert errors._shorten("\x1b[\u00e9xy\u00e9", 4, repr) == "'\\x1b['...'y\u00e9' (6 characters)"
    assert errors._shorten("abcde", 4, str) == "ab...de (5 characters)"
    assert errors._shorten("a b", 4, repr, bare_if_whole=True) == "a b"  # as-is, even not plain
    assert errors._shorten("a bcd", 4, repr, bare_if_whole=True) == "'a '...'cd' (5 characters)"


def test_each_family_uses_the_rule_at_its_limit() -> None:
    long = "a" * 1025
    assert errors._show("a" * 1024) == "a" * 1024
    assert errors._show(long) == _shortened(long)
    assert errors._show("a b") == "'a b'"
    assert errors._quoted("ab") == "'ab'"
    assert errors._quoted(None) == "None"
    assert errors._as_go("a \u00e9\n" * 256) == "a \u00e9\n" * 256  # Go's %s: as it is
    assert errors._as_go(long) == _shortened(long)
    assert errors._shown("a" * 80) == repr("a" * 80)
    assert errors._shown("a" * 81) == f"{'a' * 40!r}...{'a' * 40!r} (81 characters)"
    assert show_short("python") == "python"
    assert show_short("a" * 81) == errors._shown("a" * 81)


# ---------------------------------------------------------------------------------------------
# Normal inputs: messages exactly as before the bound
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: ImageRef("python:3.6-py36-cuda11.3B"),
            _TAG + "cuda11.3B, full image name: python:3.6-py36-cuda11.3B (platform tag"
            " cuda11.3B is not a key of letters and underscores followed by an optional version"
            " (digits, '.digits' groups, then lowercase letters and digits))",
        ),
        (
            lambda: ImageRef("python:3.6-py36-py37"),
            _TAG + "py37, full image name: python:3.6-py36-py37"
            " (platform tag key 'py' appears more than once)",
        ),
        (
            lambda: ImageRef("caf\u00e9"),
            _NAME + "'caf\u00e9' (non-ASCII character '\u00e9' at index 3;"
            " a reference is printable ASCII without spaces)",
        ),
        (lambda: ImageRef("a//b"), _NAME + "a//b (empty path component)"),
        (
            lambda: ImageRef("x@sha256:abc"),
            _NAME + "x@sha256:abc (invalid checksum digest length: sha256:abc)",
        ),
        (
            lambda: ImageRef("a:1") < ImageRef("b:1"),
            "only images with the same name compare: 'lablup/a' vs 'lablup/b'",
        ),
        (
            lambda: v2609.ImageRef.from_image_str("cr/other/x:1", "stable", "cr"),
            "image cr/other/x:1 is not under project stable"
            " (its name must be the project or start with the project and '/')",
        ),
    ],
)
def test_messages_for_normal_inputs(call: Callable[[], object], message: str) -> None:
    assert str(_error(call)) == message


def test_a_reference_of_1024_characters_is_named_whole() -> None:
    value = "a" * 1023 + "/"
    assert str(_error(lambda: ImageRef(value))) == f"{_NAME}{value} (empty path component)"
    longer = value + "/"
    message = str(_error(lambda: ImageRef(longer)))
    assert message == f"{_NAME}{_shortened(longer)} (empty path component)"


def test_project_mismatch_repr_is_the_exception_repr_of_its_args() -> None:
    exc = _error(lambda: v2609.ImageRef.from_image_str("cr/other/x:1", "stable", "cr"))
    assert repr(exc) == "ProjectMismatchWithCanonical('stable', 'cr/other/x:1')"
    assert exc.args == ("stable", "cr/other/x:1")


# ---------------------------------------------------------------------------------------------
# Huge inputs: bounded messages that still name the input
# ---------------------------------------------------------------------------------------------

_SIZES = [1_000_000, 10_000_000]


# (case, error class, prefix, the huge input, the call that raises)
_Case = tuple[str, type[ImageRefError], str, str, Callable[[], object]]


def _huge_cases(size: int) -> Iterator[_Case]:
    """(case, error class, prefix, the huge input, the call) for inputs of about *size*."""
    big = "a" * size
    yield "name", InvalidImageName, _NAME, big + "//b", lambda: ImageRef(big + "//b")
    hostile = "\x1b[2J" + "\u00e9" * size + "\n"
    yield "hostile name", InvalidImageName, _NAME, hostile, lambda: ImageRef(hostile)
    digest = "python@sha256:" + big
    yield "digest", InvalidImageName, _NAME, digest, lambda: ImageRef(digest)
    tag = "python:" + big + "-"
    yield "tag", InvalidImageTag, _TAG, tag, lambda: ImageRef(tag)
    platform = "python:3.6-9" + big
    yield "platform tag", InvalidImageTag, _TAG, platform, lambda: ImageRef(platform)
    twice = f"python:3.6-{big}1-{big}2"
    yield "platform key twice", InvalidImageTag, _TAG, twice, lambda: ImageRef(twice)
    tags = ["py36", "9" + big]
    yield (
        "platform tag set", InvalidImageTag, _TAG, "py36-9" + big, lambda: PlatformTagSet(tags)
    )  # fmt: skip
    v2609_tag = big + ":!"
    yield (
        "26.09 tag", InvalidImageTag, _TAG, v2609_tag,
        lambda: v2609.ImageRef.from_image_str(v2609_tag, None, None),
    )  # fmt: skip
    canonical = f"cr/other/{big}:1"
    yield (
        "26.09 mismatch", v2609.ProjectMismatchWithCanonical, _MISMATCH, canonical,
        lambda: v2609.ImageRef.from_image_str(canonical, "stable", "cr"),
    )  # fmt: skip
    yield (
        "26.09 mismatch project", v2609.ProjectMismatchWithCanonical, _MISMATCH, big,
        lambda: v2609.ImageRef.from_image_str("cr/other/x:1", big, "cr"),
    )  # fmt: skip
    yield (
        "incomparable", IncomparableImages, _INCOMPARABLE, "lablup/" + big,
        lambda: ImageRef(big) < ImageRef("b"),
    )  # fmt: skip
    yield (
        "26.09 incomparable", IncomparableImages, _INCOMPARABLE, big,
        lambda: v2609.ImageRef(big, "p", "1", "cr", "x86_64", False)
        < v2609.ImageRef("b", "p", "1", "cr", "x86_64", False),
    )  # fmt: skip
    path = "a/" * (size // 2) + "A"
    yield "oci path", InvalidReference, _REPOSITORY, path, lambda: oci.Reference.parse(path)
    odd = "A\x1b[2J" + "\u00e9" * size + "\n"
    yield (
        "oci hostile path", InvalidReference, _REPOSITORY, "library/" + odd,
        lambda: oci.Reference.parse(odd),
    )  # fmt: skip
    upper = "Lablup/" + big
    yield (
        "oci target path", InvalidReference, _REPOSITORY, upper,
        lambda: oci.registry_target(ImageRef(upper + ":1")),
    )  # fmt: skip
    dots = "lablup/" + big + "..x"
    yield (
        "oci target not a path", InvalidReference, _REPOSITORY, dots,
        lambda: oci.registry_target(ImageRef(dots + ":1")),
    )  # fmt: skip


def _case_names() -> list[str]:
    return [case[0] for case in _huge_cases(1)]


class _Escapes:
    """Counts the characters reference errors escape (``repr`` in imageref.errors)."""

    def __init__(self) -> None:
        self.count = 0

    def wrap(self, escape: Callable[[object], str]) -> Callable[[object], str]:
        def counted(text: object) -> str:
            self.count += len(text) if isinstance(text, str) else 1
            return escape(text)

        return counted


@pytest.mark.parametrize("case", _case_names())
def test_huge_inputs_give_bounded_messages_naming_head_tail_and_length(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = []
    for size in _SIZES:
        name, error, prefix, value, call = next(c for c in _huge_cases(size) if c[0] == case)
        escapes = _Escapes()
        monkeypatch.setattr(errors, "repr", escapes.wrap(repr), raising=False)
        exc = _error(call)
        message, represented = str(exc), repr(exc)  # a message may be made when asked for
        monkeypatch.undo()
        assert isinstance(exc, error), (name, exc)
        assert message.startswith(prefix), (name, message[:200])
        assert _shortened(value) in message, (name, message[:200])
        assert len(message) < _MESSAGE_BOUND, (name, len(message))
        assert len(represented) < _MESSAGE_BOUND + 100, (name, len(represented))
        # Only the kept heads and tails are escaped: a cost that does not grow with the input.
        assert 0 < escapes.count <= 4 * _WHOLE, (name, escapes.count)
        messages.append(message)
    # Ten times the input: the same message but for the lengths it states.
    one, ten = messages
    assert len(ten) - len(one) == one.count(" characters)"), (case, len(one), len(ten))


def test_a_huge_mismatch_pickles_with_its_full_args() -> None:
    canonical = f"cr/other/{'a' * 1_000_000}:1"
    exc = _error(lambda: v2609.ImageRef.from_image_str(canonical, "stable", "cr"))
    assert isinstance(exc, v2609.ProjectMismatchWithCanonical)
    assert repr(exc) == f"ProjectMismatchWithCanonical('stable', {_shortened(canonical)})"
    restored = pickle.loads(pickle.dumps(exc))
    assert (restored.project, restored.canonical) == ("stable", canonical)
    assert str(restored) == str(exc)
