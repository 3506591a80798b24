"""Coverage-guided fuzzing of the Backend.AI 26.09 surface (``imageref.compat.v2609``).

Run it as::

    python fuzz/fuzz_v2609.py -max_total_time=10 fuzz/corpus/v2609

The first input byte picks the registry argument and the project (see
``_REGISTRIES`` and ``_PROJECTS``); the rest is the image string (UTF-8, bad bytes
as lone surrogates). What must hold for every input:

- ``parse_image_str`` returns a ``ParsedImageStr`` or raises ``InvalidImageName`` /
  ``InvalidImageTag``; ``from_image_str`` returns an ``ImageRef`` or raises one of
  those or ``ProjectMismatchWithCanonical``; nothing else. Errors keep the 24.03
  prefixes and name the input (or, for a project, the project);
- a ref is rebuilt equal from its six fields, from pickle, and from its config;
  its canonical joins its parts; its aliases all map to it (at most 4 platform tags:
  the aliases grow exponentially with them);
- without a project, under a registry argument that is the string's first path
  component, the ref reads as the 24.03 ``ImageRef`` with that known registry.

Without atheris the corpus is replayed through the same checks once.
"""

from __future__ import annotations

import dataclasses
import pickle

try:
    import atheris
except ImportError:  # pragma: no cover - depends on the environment
    atheris = None

if atheris is not None:
    atheris.enabled_hooks.add("str")
    with atheris.instrument_imports():
        from _common import shows

        import imageref
        from imageref.compat.v2609 import (
            ImageRef,
            InvalidImageName,
            InvalidImageTag,
            ParsedImageStr,
            ProjectMismatchWithCanonical,
        )
else:  # pragma: no cover
    from _common import shows

    import imageref
    from imageref.compat.v2609 import (
        ImageRef,
        InvalidImageName,
        InvalidImageTag,
        ParsedImageStr,
        ProjectMismatchWithCanonical,
    )

_FIRST = object()  # "the string's first path component"
_REGISTRIES = (None, "", "*", _FIRST, "cr.backend.ai", "docker.io", "127.0.0.1:5000")
_PROJECTS = (None, "", _FIRST, "stable", "lablup")


def _pick(choice: object, first: str) -> str | None:
    return first if choice is _FIRST else choice  # type: ignore[return-value]


def _check_error(value: str, project: str | None, exc: Exception) -> None:
    message = str(exc)
    if isinstance(exc, ProjectMismatchWithCanonical):
        assert project is not None, message
        assert shows(project, message), message
        return
    if isinstance(exc, InvalidImageTag):
        assert message.startswith("Invalid or duplicate image name tag: "), message
    else:
        assert message.startswith("Invalid image name: "), message
    assert shows(value, message) or (project is not None and shows(project, message)), message


def _check_ref(value: str, project: str | None, registry: str | None, ref: ImageRef) -> None:
    fields = (ref.name, ref.project, ref.tag, ref.registry, ref.architecture, ref.is_local)
    assert ImageRef(*fields) == ref
    assert dataclasses.astuple(ref) == fields  # a dataclass of the six fields
    assert dataclasses.replace(ref) == ref
    assert pickle.loads(pickle.dumps(ref)) == ref
    config = {
        "canonical": value,
        "project": project,
        "registry": {"name": registry},
        "architecture": ref.architecture,
        "is_local": ref.is_local,
    }
    assert ImageRef.from_image_config(config) == ref
    parts = [part for part in (ref.registry, ref.project, ref.name) if part]
    assert ref.canonical == "/".join(parts) + ":" + ref.tag
    # The aliases grow with every ordering of the platform tags (as in 24.03 and the
    # reference): checked, as fuzz_imageref does, for at most 4 platform tags.
    if len(ref.tag_set[1]) <= 4:
        assert all(target is ref for target in ref.generate_aliases().values())
    first = value.partition("/")[0]
    if not project and registry == first and "/" in value and first != "*":
        old = imageref.ImageRef(value, [first])
        assert imageref.ImageRef(value, first) == old  # one registry name as a str (D8)
        assert (old.registry, old.name, old.tag, old.tag_set) == (
            ref.registry,
            ref.name,
            ref.tag,
            ref.tag_set,
        ), (value, old, ref)


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    if not data:
        return
    selector = data[0]
    value = data[1:].decode("utf-8", "surrogateescape")
    first = value.partition("/")[0]
    registry = _pick(_REGISTRIES[selector % len(_REGISTRIES)], first)
    project = _pick(_PROJECTS[(selector // len(_REGISTRIES)) % len(_PROJECTS)], first)
    try:
        parsed = ImageRef.parse_image_str(value, registry)
    except (InvalidImageName, InvalidImageTag) as exc:
        _check_error(value, None, exc)
    else:
        assert isinstance(parsed, ParsedImageStr)
        assert str(parsed) == parsed.canonical
    try:
        ref = ImageRef.from_image_str(value, project, registry)
    except (InvalidImageName, InvalidImageTag, ProjectMismatchWithCanonical) as exc:
        _check_error(value, project, exc)
        return
    _check_ref(value, project, registry, ref)


def main() -> None:
    from _runner import run

    run(atheris, TestOneInput)


if __name__ == "__main__":
    main()
