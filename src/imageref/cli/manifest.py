"""``imageref manifest``: read a saved image index, image manifest or image config.

:func:`add_parser` declares the command, :func:`run` runs it. The document is what
``crane manifest``, ``skopeo inspect --raw`` or ``docker buildx imagetools inspect
--raw`` print (or ``crane config`` for a config), read by :mod:`imageref.manifest`
(imported only by :func:`run`). Which of the three it is comes from ``--media-type``
when given, else from its members (``rootfs`` or ``architecture`` without
``schemaVersion``: a config). The output is its kind, its entries (normalised
platform, Backend.AI architecture, kind, digest, size) and, with ``--platform``, the
entry containerd would pull; or, with ``--format json``, one JSON object.
"""

from __future__ import annotations

from ..errors import ImageRefError
from ._io import EXIT_INVALID, EXIT_USAGE, Run, one_line, show_short
from ._options import add_command

# Not ``typing.TYPE_CHECKING``: importing typing would slow down --version.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import IO, Any

    from ..manifest import Descriptor, ImageConfig, ImageIndex, ImageManifest
    from ..platforms import Platform
    from ._options import Commands

__all__ = ["add_parser", "describe", "run"]

_CONFIG_TYPES = (
    "application/vnd.oci.image.config.v1+json",
    "application/vnd.docker.container.image.v1+json",
)

_EXAMPLES = """\
FILE (standard input for "-") is an image index or Docker manifest list, an image
manifest, or an image config, as a registry serves it:
  crane manifest python:3.12 > index.json
  skopeo inspect --raw docker://python:3.12 > index.json
  docker buildx imagetools inspect --raw python:3.12 > index.json
  crane config python:3.12 > config.json
An invalid document is reported with the JSON path of what is wrong (exit
status 1); so is a --platform that no entry of an index matches.

examples:
  imageref manifest index.json
  imageref manifest --platform linux/arm64 index.json
  crane manifest python:3.12 | imageref manifest --format json -
  imageref manifest --digest sha256:... manifest.json
"""


def add_parser(commands: Commands) -> argparse.ArgumentParser:
    """Declare ``imageref manifest`` and its options."""
    command = add_command(
        commands,
        "manifest",
        "read a saved image index, manifest or config; pick a platform as containerd does",
        "Read an image index (or Docker manifest list), an image manifest or an image\n"
        "config strictly (the OCI image-spec, Docker's schema 2) and print what it holds.",
        _EXAMPLES,
    )
    command.add_argument("file", metavar="FILE", help="a file, or - for stdin")
    command.add_argument(
        "--platform",
        metavar="P",
        help="select the entry containerd would pull for P (os/arch[/variant])",
    )
    command.add_argument(
        "--strict",
        action="store_true",
        help="with --platform: the platform alone, without containerd's fallbacks",
    )
    command.add_argument(
        "--media-type", metavar="T", help="the document's media type (its Content-Type)"
    )
    command.add_argument("--digest", metavar="D", help="the digest the document's bytes must have")
    command.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: a summary and a table of entries (default); json: one JSON object",
    )
    return command


def run(args: argparse.Namespace) -> int:
    """Run ``imageref manifest`` as *args* say; return the exit status."""
    from .. import manifest  # noqa: PLC0415 - only this command needs it
    from .._digest import descriptor_digest_error  # noqa: PLC0415
    from ..platforms import parse_platform  # noqa: PLC0415

    runner = Run(str)
    wanted = None
    if args.platform is not None:
        try:
            wanted = parse_platform(args.platform)
        except ImageRefError as exc:
            runner.complain(f"--platform: {exc}")
            return EXIT_USAGE
    if args.digest is not None and descriptor_digest_error(args.digest) is not None:
        runner.complain(f"--digest: {show_short(args.digest)} is not a digest")
        return EXIT_USAGE

    def consume(stream: IO[bytes]) -> None:
        body = stream.read(manifest.DEFAULT_MAX_BYTES + 1)
        source = "-" if args.file == "-" else args.file
        try:
            if len(body) > manifest.DEFAULT_MAX_BYTES:
                raise manifest.ManifestError(
                    "$", f"the document is over {manifest.DEFAULT_MAX_BYTES} bytes"
                )
            if _is_config(body, args.media_type):
                document: Any = manifest.parse_config(body, digest=args.digest)
            else:
                document = manifest.parse_manifest(body, args.media_type, digest=args.digest)
        except manifest.ManifestError as exc:
            runner.fail(EXIT_INVALID)
            if args.format == "json":
                _write_json(
                    runner,
                    {"source": source, "valid": False, "path": exc.path, "reason": exc.reason},
                )
            else:
                runner.complain(f"{show_short(source)}: {exc}")
            return
        report = describe(document, wanted, strict=args.strict)
        if report.get("selected", True) is None or report.get("matches", True) is False:
            runner.fail(EXIT_INVALID)  # nothing for the platform asked for
        if args.format == "json":
            _write_json(runner, {"source": source, "valid": True, **report})
        else:
            runner.out.write(_text(source, report).encode("ascii"))

    runner.read(args.file, consume)
    return runner.status


def _is_config(body: bytes, media_type: str | None) -> bool:
    """Whether to read *body* as an image config (see the module's docstring)."""
    if media_type is not None:
        return media_type.partition(";")[0].strip().lower() in _CONFIG_TYPES
    import json  # noqa: PLC0415

    try:
        tree = json.loads(body)
    except (ValueError, RecursionError):
        return False  # the manifest reader reports what is wrong with it
    return (
        isinstance(tree, dict)
        and "schemaVersion" not in tree
        and ("rootfs" in tree or "architecture" in tree)
    )


def _entry(d: Descriptor) -> dict[str, Any]:
    """One descriptor as the output shows it."""
    platform = d.platform
    return {
        "platform": None if platform is None else str(platform),
        "architecture": None if platform is None else platform.backendai_architecture,
        "os_version": platform.os_version or None if platform is not None else None,
        "kind": d.kind,
        "media_type": d.media_type,
        "digest": d.digest,
        "size": d.size,
    }


def describe(
    document: ImageIndex | ImageManifest | ImageConfig,
    wanted: Platform | None = None,
    *,
    strict: bool = False,
) -> dict[str, Any]:
    """What ``imageref manifest`` reports about *document*, as JSON-ready data."""
    from ..manifest import ImageIndex, ImageManifest  # noqa: PLC0415
    from ..platforms import matcher  # noqa: PLC0415

    if isinstance(document, ImageIndex):
        report: dict[str, Any] = {
            "kind": "index",
            "media_type": document.media_type,
            "entries": [_entry(d) for d in document.manifests],
        }
        if wanted is not None:
            chosen = document.select(wanted, strict=strict)
            report["wanted"] = str(wanted)
            report["selected"] = None if chosen is None else _entry(chosen)
        return report
    if isinstance(document, ImageManifest):
        return {
            "kind": "manifest",
            "media_type": document.media_type,
            "artifact_type": document.artifact_type,
            "config": _entry(document.config),
            "entries": [_entry(d) for d in document.layers],
            "total_size": document.total_size,
        }
    platform = document.platform
    report = {
        "kind": "config",
        "platform": str(platform),
        "architecture": platform.backendai_architecture,
        "created": document.created,
        "labels": dict(document.labels),
    }
    if wanted is not None:
        report["wanted"] = str(wanted)
        report["matches"] = matcher(wanted, strict=strict).match(platform)
    return report


def _write_json(runner: Run, data: dict[str, Any]) -> None:
    import json  # noqa: PLC0415

    runner.out.write((json.dumps(data) + "\n").encode("ascii"))


def _text(source: str, report: dict[str, Any]) -> str:
    """The text form of a report: a summary line, then a table of entries."""
    head = f"{show_short(source)}: {report['kind']} {report.get('media_type') or ''}"
    lines = [head.rstrip()]
    if report["kind"] == "config":
        lines.append(f"  platform {report['platform']} (Backend.AI {report['architecture']})")
        if report["created"] is not None:
            lines.append(f"  created {report['created']}")
        lines.extend(
            f"  label {show_short(key)} = {show_short(value)}"
            for key, value in report["labels"].items()
        )
        if "matches" in report:
            verdict = "matches" if report["matches"] else "does not match"
            lines.append(f"  {verdict} {report['wanted']}")
        return "\n".join(one_line(line) for line in lines) + "\n"
    if report["kind"] == "manifest":
        config = report["config"]
        lines.append(f"  config {config['media_type']} {config['digest']} {config['size']}")
        if report["artifact_type"] is not None:
            lines.append(f"  artifact {report['artifact_type']}")
        lines.append(f"  {len(report['entries'])} layers, total size {report['total_size']}")
    rows = [
        (
            e["platform"] or "-",
            e["architecture"] or "-",
            e["kind"],
            e["digest"],
            str(e["size"]),
        )
        for e in report["entries"]
    ]
    if report["kind"] == "index":
        rows.insert(0, ("PLATFORM", "BACKEND.AI", "KIND", "DIGEST", "SIZE"))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines.extend(
            "  " + "  ".join([*(row[i].ljust(widths[i]) for i in range(4)), row[4]]) for row in rows
        )
        if "wanted" in report:
            chosen = report["selected"]
            lines.append(
                f"  selected for {report['wanted']}: "
                + (
                    "none"
                    if chosen is None
                    else f"{chosen['digest']} ({chosen['platform'] or 'no platform'})"
                )
            )
    else:
        lines.extend(
            f"  layer {e['media_type']} {e['digest']} {e['size']}" for e in report["entries"]
        )
    return "\n".join(one_line(line) for line in lines) + "\n"
