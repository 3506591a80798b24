"""The ``ai.backend.service-ports`` label: its grammar, its checks and its values.

A label is entries joined by ``,``; an entry is ``NAME:PROTOCOL:PORTS``. The text
is read left to right once, with ``str`` methods only (no pattern that could
backtrack), so time and memory are linear in its length (divergence D15).

Reading goes in three steps, each a function below:

1. :func:`split_entries` cuts the text at the ``,`` between entries, keeping a
   bracketed port list such as ``[5100,5105]`` inside its entry (D11);
2. :func:`read_entry` splits one entry into its name, protocol and port texts, or
   says why it is not ``NAME:PROTOCOL:PORTS`` (D12, D13);
3. :func:`check_entries` checks the protocol and every port of each entry against
   the ports used before it, and collects every problem (D14).

A label of plain entries (no bracketed list) that follows the grammar is read in
bulk instead (:func:`_accept`): one anchored pattern accepts the whole text
(``Protocols.plain_label``: built for the protocols a release allows, since they
decide what is a good label), one ``split`` takes it apart into columns of names,
protocols and ports, and the port rules run over whole columns (``min``, ``max``,
set operations) rather than entry by entry. Steps 1 to 3 then only run for
bracketed lists and to explain a label the bulk reading refuses (a plain label
refused for a port skips steps 1 and 2: its entries are taken from the fields the
bulk reading made, :func:`_read_label`). The test suite checks that the ways give
the same answer. Each pattern piece's characters
exclude the delimiter that follows it (``:``, ``,``), so no piece can take text
that another piece could take, and a refused label is known to be refused after
one pass.

:func:`parse_service_ports` (the agent's entry point) and
:func:`imageref.labels.validate_image_labels` both go through :func:`check_entries`.
"""

from __future__ import annotations

import enum
import re

from ._memo import LONGEST_REMEMBERED, Table
from ._value import ReadOnlyValue
from .errors import ImageLabelError, LabelProblem, _shown, _shown_bare, _Tally, _type_error

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Sequence
    from typing import Any

__all__ = [
    "LABEL_SERVICE_PORTS",
    "PROTOCOLS_2403",
    "CheckedEntries",
    "PortRow",
    "Protocols",
    "ServicePort",
    "ServicePortProtocol",
    "check_entries",
    "parse_service_ports",
    "read_entry",
    "read_service_ports",
    "split_entries",
]

LABEL_SERVICE_PORTS = "ai.backend.service-ports"


class ServicePortProtocol(str, enum.Enum):
    """The protocol of a service port; a ``str`` (``ServicePortProtocol.TCP == "tcp"``)."""

    TCP = "tcp"
    HTTP = "http"
    PREOPEN = "preopen"

    # str() and format() give the value on every Python, as enum.StrEnum's do.
    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(self, format_spec)


# ---------------------------------------------------------------------------
# Grammar: one rule per piece
# ---------------------------------------------------------------------------

# A name is one or more ASCII letters, digits, "_" and "-" (D13: the reference also
# takes any Unicode word character).
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

# A protocol is one or more ASCII letters, digits and "_"; only some are supported.
_PROTOCOL_CHARS = _NAME_CHARS - {"-"}

# A port is ASCII decimal digits (leading zeros allowed: "05000" is port 5000).
_DIGITS = frozenset("0123456789")

# Entries of the "pty" protocol are skipped; the protocols a release allows are a
# policy value (:class:`Protocols` below).
_SKIPPED_PROTOCOL = "pty"

# A port must be above 1024 (no root needed) and below 65535, and not reserved.
_PORT_MIN_EXCLUSIVE = 1024
_PORT_MAX_EXCLUSIVE = 65535
_RESERVED_PORTS = frozenset({2000, 2001, 2002, 2003, 2200, 7681})

# The reference converts ports with int(), which refuses more than this many digits.
_MAX_PORT_DIGITS = 4300

# The labels read in bulk (_accept), as one pattern per set of allowed protocols
# (ASCII, used with fullmatch): plain entries NAME:PROTOCOL:PORT joined by ",", one
# trailing "," allowed, or nothing, where PROTOCOL is an allowed one or "pty" and PORT
# has at most 5 digits. Any other label is read entry by entry. Each piece's
# characters exclude the delimiter that follows it, so a label is accepted or refused
# in one pass.
_NAME = r"[A-Za-z0-9_-]+"
_SHORT_PORT = r"[0-9]{1,5}"


def _plain_label(protocols: Iterable[str]) -> re.Pattern[str]:
    """The pattern of a plain label whose protocols are *protocols* or ``pty``."""
    known = "(?:" + "|".join(sorted({*protocols, _SKIPPED_PROTOCOL})) + ")"
    entry = f"{_NAME}:{known}:{_SHORT_PORT}"
    return re.compile(f"(?:{entry}(?:,{entry})*,?)?", re.ASCII)


def split_entries(text: str) -> list[str]:
    """*text* cut at each ``,`` that is not inside ``[...]`` (D11).

    An unclosed ``[`` ends at the next ``,`` like any entry (and is then not a valid
    entry). Each character is looked at a bounded number of times.
    """
    if "[" not in text:
        return text.split(",")
    entries: list[str] = []
    start = 0
    end = len(text)
    no_close_from = end + 1  # no "]" at or after this index
    while True:
        comma = text.find(",", start)
        stop = end if comma < 0 else comma
        bracket = text.find("[", start, stop)
        if 0 <= bracket < no_close_from:
            close = text.find("]", bracket)
            if close < 0:
                no_close_from = bracket
            elif close > stop:
                comma = text.find(",", close)
        if comma < 0:
            entries.append(text[start:])
            return entries
        entries.append(text[start:comma])
        start = comma + 1


def read_entry(entry: str) -> tuple[str, str, list[str]] | str:
    """``(name, protocol, port texts)`` of one entry, or why it is not ``NAME:PROTOCOL:PORTS``."""
    name, _, rest = entry.partition(":")
    protocol, colon, ports = rest.partition(":")
    if not colon:
        return "not NAME:PROTOCOL:PORTS"
    if not name or not _NAME_CHARS.issuperset(name):
        return "the name must be ASCII letters, digits, '_' and '-'"
    if not protocol or not _PROTOCOL_CHARS.issuperset(protocol):
        return "the protocol must be ASCII letters, digits and '_'"
    bracketed = ports[:1] == "[" and ports[-1:] == "]"
    texts = ports[1:-1].split(",") if bracketed else [ports]
    for port in texts:
        if not port or not _DIGITS.issuperset(port):
            return "the ports must be a decimal port or a list [p1,p2,...] without spaces"
    return name, protocol, texts


# The kinds of problem a service-ports label can have, each named by the phrase a
# report's summary of that kind shows (see imageref.errors._Tally).
_MALFORMED = "entries not NAME:PROTOCOL:PORTS"
_UNSUPPORTED = "unsupported protocols"
_TOO_LOW = "ports not above 1024"
_TOO_HIGH = "ports not below 65535"
_RESERVED = "reserved ports"
_USED = "ports already used"
_TOO_LONG = "ports of too many digits"


def _port(text: str, used: set[int]) -> int | str:
    """The port number of a port text, or the kind of problem it has (*used*: earlier
    ports), checked in the reference's order: used, too low, too high, reserved."""
    if len(text) > _MAX_PORT_DIGITS:
        return _TOO_LONG
    digits = text.lstrip("0")
    if len(digits) > 5:  # above 99999, so above any port: not worth converting
        return _TOO_HIGH
    port = int(digits or "0")
    if port in used:
        return _USED
    if port <= _PORT_MIN_EXCLUSIVE:
        return _TOO_LOW
    if port >= _PORT_MAX_EXCLUSIVE:
        return _TOO_HIGH
    if port in _RESERVED_PORTS:
        return _RESERVED
    return port


def _malformed(number: int, why: str) -> str:
    """The reference's words for an entry that is not ``NAME:PROTOCOL:PORTS``, then why."""
    return f"Invalid service-ports format (entry {number}: {why})"


def _unsupported(number: int, protocol: str, allowed: Protocols) -> str:
    """The reference's words for a protocol it does not take, then the ones it takes."""
    shown = _shown_bare(protocol)
    why = f"the protocol must be {allowed.described}"
    return f"Unsupported service port protocol: {shown} (entry {number}: {why})"


def _port_refused(number: int, kind: str, text: str) -> str:
    """The reference's sentence for a port text refused as *kind* (:func:`_port`), then
    the entry's number."""
    if kind is _TOO_LONG:
        return _malformed(number, f"a port of {len(text)} digits is not a port number")
    port = _shown_bare(text.lstrip("0") or "0")  # as the reference's int() shows it
    if kind is _USED:
        sentence = f"The port {port} is already used by another service port."
    elif kind is _TOO_LOW:
        sentence = (
            f"The service port number {port} must be larger than {_PORT_MIN_EXCLUSIVE}"
            " to run without the root privilege."
        )
    elif kind is _TOO_HIGH:
        sentence = f"The service port number {port} must be smaller than {_PORT_MAX_EXCLUSIVE}."
    else:  # _RESERVED
        return (
            "The service ports 2000 to 2003, 2200 and 7681 are reserved for internal use."
            f" (entry {number}: port {port})"
        )
    return f"{sentence} (entry {number})"


class ServicePort(ReadOnlyValue):
    """One service port of an image: what ``parse_service_ports`` returns, as a value.

    >>> port = ServicePort("jupyter", "http", (8080,))
    >>> port.protocol is ServicePortProtocol.HTTP, port.host_ports
    (True, (None,))
    >>> port.to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'name': 'jupyter', 'protocol': 'http', 'container_ports': [8080],
     'host_ports': [None], 'is_inference': False}
    """

    __slots__ = ("container_ports", "host_ports", "is_inference", "name", "protocol")

    name: str
    protocol: ServicePortProtocol
    container_ports: tuple[int, ...]
    host_ports: tuple[int | None, ...]
    is_inference: bool

    def __init__(
        self,
        name: str,
        protocol: ServicePortProtocol | str,
        container_ports: Iterable[int],
        host_ports: Iterable[int | None] | None = None,
        is_inference: bool = False,
    ) -> None:
        ports = tuple(container_ports)
        hosts = (None,) * len(ports) if host_ports is None else tuple(host_ports)
        set_ = object.__setattr__
        set_(self, "name", name)
        member = PROTOCOLS_2403.by_text.get(protocol) or ServicePortProtocol(protocol)
        set_(self, "protocol", member)
        set_(self, "container_ports", ports)
        set_(self, "host_ports", hosts)
        set_(self, "is_inference", is_inference)

    def _fields(self) -> tuple[Any, ...]:
        return (self.name, self.protocol, self.container_ports, self.host_ports, self.is_inference)

    def __reduce__(self) -> tuple[Any, ...]:
        return (ServicePort, self._fields())

    def __repr__(self) -> str:
        return f"ServicePort({self.name!r}, {self.protocol.value!r}, {self.container_ports!r}" + (
            ", is_inference=True)" if self.is_inference else ")"
        )

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain, JSON-ready dict (protocol as text, ports as lists)."""
        return {
            "name": self.name,
            "protocol": self.protocol.value,
            "container_ports": list(self.container_ports),
            "host_ports": list(self.host_ports),
            "is_inference": self.is_inference,
        }


# ---------------------------------------------------------------------------
# Checking a list of entries
# ---------------------------------------------------------------------------


#: One service port as ``(name, protocol, container ports, host ports)``; the
#: protocol is a member of the release's ``str`` enum of protocols.
PortRow = tuple[str, str, tuple[int, ...], tuple[None, ...]]


_ENTRIES_CACHE_LIMIT = 256


class Protocols:
    """The protocols a release allows in service ports (a policy value).

    ``by_text`` maps each allowed protocol's text to its enum member (a dict: much
    faster than calling the enum), ``described`` lists them for messages,
    ``plain_label`` is the bulk reading's pattern for them, and ``checked``
    remembers the labels checked under them (a :class:`~imageref._memo.Table`; a
    label's verdict depends on the protocols allowed, so each set has its own).
    """

    __slots__ = ("by_text", "checked", "described", "plain_label")

    def __init__(self, members: Iterable[str]) -> None:
        self.by_text: dict[str, str] = {str(member): member for member in members}
        *first, last = self.by_text
        self.described = f"{', '.join(first)} or {last}" if first else last
        self.plain_label = _plain_label(self.by_text)
        self.checked = Table(_ENTRIES_CACHE_LIMIT, longest=LONGEST_REMEMBERED)


#: Backend.AI 24.03's protocols: tcp, http and preopen.
PROTOCOLS_2403 = Protocols(ServicePortProtocol)


class CheckedEntries:
    """What :func:`check_entries` found in a service-ports label.

    :meth:`entries` gives the label's entries, ``problems`` its problems in
    order (bounded: see :class:`imageref.errors._Tally`), :meth:`ports` the good
    entries that are not skipped (``pty``), and :meth:`protocol_of` looks up an
    endpoint port. A reading is remembered and
    shared, so what is derived from it is derived once, when first asked for.
    """

    __slots__ = (
        "_by_text",
        "_entries",
        "_fields",
        "_named",
        "_numbers",
        "_ports",
        "_text",
        "problems",
    )

    def __init__(
        self,
        text: str,
        fields: Sequence[str] = (),
        numbers: Sequence[int] = (),
        by_text: dict[str, str] | None = None,
    ) -> None:
        """A label read in bulk: its text, its fields (name, protocol, port, name, ...),
        the port numbers and the allowed protocols' members by text
        (``Protocols.by_text``), from which the rest is derived when asked for."""
        self._text = text
        self._fields = fields
        self._numbers = numbers
        self._by_text = by_text
        self._entries: Sequence[str] | None = None
        self._ports: tuple[PortRow, ...] | None = None
        self._named: dict[str, str] | None = None
        self.problems: Sequence[LabelProblem] = ()

    @classmethod
    def one_by_one(
        cls,
        entries: Sequence[str],
        ports: tuple[PortRow, ...],
        named: dict[str, str],
        problems: Sequence[LabelProblem],
    ) -> CheckedEntries:
        """A label read entry by entry: its entries, ports, named ports and problems."""
        checked = cls("")
        checked._entries = entries
        checked._ports = ports
        checked._named = named
        checked.problems = problems
        return checked

    def entries(self) -> list[str]:
        """The label's entries (a new list), as :func:`validate_image_labels` lists them."""
        if self._entries is None:  # read in bulk: split once, when first asked for
            self._entries = self._text.split(",")
        return list(self._entries)

    def ports(self) -> tuple[PortRow, ...]:
        """``(name, protocol, container ports, host ports)`` of each good, not-skipped entry."""
        if self._ports is None:
            fields = self._fields
            by_text = self._by_text or {}  # bulk: set by _accept, every protocol in it
            self._ports = tuple(
                [  # a list comprehension: faster than a generator
                    (name, by_text[protocol], (number,), (None,))
                    for name, protocol, number in zip(  # equal lengths: _accept's fields
                        fields[0::3], fields[1::3], self._numbers, strict=False
                    )
                    if protocol != _SKIPPED_PROTOCOL
                ]
            )
        return self._ports

    def protocol_of(self, name: str) -> str | None:
        """The protocol text of the well-formed, not-skipped entry named *name* (a later
        entry wins): where an endpoint port is looked up. None when there is none."""
        if self._named is None:  # read in bulk: every protocol is allowed or skipped
            fields = self._fields
            self._named = {
                name: protocol
                for name, protocol in zip(fields[0::3], fields[1::3], strict=False)
                if protocol != _SKIPPED_PROTOCOL
            }
        return self._named.get(name)


def _plain_fields(text: str, allowed: Protocols) -> list[str] | None:
    """The fields of *text* (name, protocol, port, name, ...) if it is a plain label
    (``allowed.plain_label``), else None."""
    if allowed.plain_label.fullmatch(text) is None:
        return None
    body = text[:-1] if text[-1:] == "," else text
    return body.replace(",", ":").split(":") if body else []


def _accept(text: str, allowed: Protocols = PROTOCOLS_2403) -> CheckedEntries | None:
    """The checked entries of *text* if it is plain entries, all good, read in bulk.

    None when *text* is not such a label (``allowed.plain_label``) or a port is refused:
    :func:`_check_entries` then reads it entry by entry and says what is wrong.
    """
    fields = _plain_fields(text, allowed)
    return None if fields is None else _accept_fields(text, fields, allowed)


def _accept_fields(text: str, fields: list[str], allowed: Protocols) -> CheckedEntries | None:
    """:func:`_accept` of a plain label's *fields*. The port rules are applied to all
    ports at once, the ``pty`` ones too (a label they refuse is read entry by entry,
    where those ports are not checked)."""
    if not fields:  # no entry ("" or ","): nothing to check
        return CheckedEntries(text)
    numbers = list(map(int, fields[2::3]))
    if (
        min(numbers) <= _PORT_MIN_EXCLUSIVE
        or max(numbers) >= _PORT_MAX_EXCLUSIVE
        or not _RESERVED_PORTS.isdisjoint(numbers)
        or len(set(numbers)) < len(numbers)
    ):
        return None
    return CheckedEntries(text, fields, numbers, allowed.by_text)


def _read_label(text: str, allowed: Protocols) -> CheckedEntries:
    """The checked entries of a label's *text*: read in bulk when it is plain and good
    (:func:`_accept_fields`), else entry by entry (:func:`_check_entries`), where the
    entries of a plain label (refused for a port) are taken from its fields, which
    the pattern has already read, instead of each being read again."""
    fields = _plain_fields(text, allowed)
    if fields is None:
        return _check_entries(split_entries(text), allowed)
    return _accept_fields(text, fields, allowed) or _check_entries(
        text.split(","),
        allowed,
        zip(fields[0::3], fields[1::3], ([port] for port in fields[2::3]), strict=False),
    )


def _check_entries(
    entries: Sequence[str],
    allowed: Protocols = PROTOCOLS_2403,
    reads: Iterable[tuple[str, str, list[str]] | str] | None = None,
) -> CheckedEntries:
    """Check each entry in order; *reads*: what :func:`read_entry` says of each entry,
    when known already (a plain label's fields; a trailing empty entry needs none)."""
    if reads is None:
        reads = map(read_entry, entries)
    ports: list[PortRow] = []
    named: dict[str, str] = {}
    problems: list[LabelProblem] = []
    tally = _Tally()  # bounds the report: a few problems of each kind, then a count
    listed = tally.listed
    used: set[int] = set()
    last = len(entries) - 1
    for index, (entry, read) in enumerate(zip(entries, reads, strict=False)):
        if not entry:
            if index != last and listed(_MALFORMED):
                why = _malformed(index + 1, "an empty entry; only the last one may be empty")
                problems.append(LabelProblem(LABEL_SERVICE_PORTS, _shown(entry), why))
            continue
        if isinstance(read, str):
            if listed(_MALFORMED):
                why = _malformed(index + 1, read)
                problems.append(LabelProblem(LABEL_SERVICE_PORTS, _shown(entry), why))
            continue
        name, protocol_text, texts = read
        if protocol_text == _SKIPPED_PROTOCOL:
            continue
        named[name] = protocol_text
        protocol = allowed.by_text.get(protocol_text)
        if protocol is None and listed(_UNSUPPORTED):
            why = _unsupported(index + 1, protocol_text, allowed)
            problems.append(LabelProblem(LABEL_SERVICE_PORTS, _shown(entry), why))
        numbers: list[int] = []
        for text in texts:
            port = _port(text, used)
            if isinstance(port, str):
                if listed(port):
                    why = _port_refused(index + 1, port, text)
                    problems.append(LabelProblem(LABEL_SERVICE_PORTS, _shown(entry), why))
            elif protocol is not None:
                used.add(port)
                numbers.append(port)
        if protocol is not None and len(numbers) == len(texts):
            ports.append((name, protocol, tuple(numbers), (None,) * len(numbers)))
    problems += tally.summaries(LABEL_SERVICE_PORTS)
    return CheckedEntries.one_by_one(tuple(entries), tuple(ports), named, problems)


def check_entries(
    label: str | Sequence[str], allowed: Protocols = PROTOCOLS_2403
) -> CheckedEntries:
    """Check every entry of a service-ports label: its text, or a list of its entries.

    *allowed* are the release's protocols. A text of up to 1024 characters is
    memoised (the images of one family share their service ports): a repeat costs one
    ``dict.get``, and a stream of new texts a lookup and a counter (see
    :mod:`imageref._memo`).
    """
    if not isinstance(label, str):
        return _check_entries(label, allowed)
    memo = allowed.checked
    found: CheckedEntries | None = memo.entries.get(label)
    if found is not None:
        memo.hits += 1
        return found
    return memo.offer(label, _read_label(label, allowed))


def entry_problems(checked: CheckedEntries) -> list[LabelProblem]:
    """The problems of *checked*, problems of ``ai.backend.service-ports`` (a new list)."""
    return list(checked.problems)


# ---------------------------------------------------------------------------
# The agent's entry point
# ---------------------------------------------------------------------------


def _strings(value: object, what: str) -> list[str] | None:
    """*value* as a list of ``str`` if it is a list or tuple of them, None if it is a str."""
    if isinstance(value, str):
        return None
    if not isinstance(value, (list, tuple)):
        raise _type_error(what, "a str or a list of str", value)
    for item in value:
        if not isinstance(item, str):
            raise _type_error(f"each item of {what}", "a str", item)
    return list(value)


def raise_label_error(problems: list[LabelProblem], exception_cls: type[Exception]) -> None:
    """Raise :class:`ImageLabelError` for *problems*, as *exception_cls* if it is not one."""
    error = ImageLabelError(problems)
    if isinstance(error, exception_cls):
        raise error
    raise exception_cls(str(error)) from error


def endpoint_names(endpoint_ports_label: str | Sequence[str]) -> Collection[str]:
    """The endpoint port names of a label text (split at ``,``) or list."""
    if isinstance(endpoint_ports_label, str):
        return frozenset(endpoint_ports_label.split(",")) if endpoint_ports_label else ()
    return frozenset(_strings(endpoint_ports_label, "endpoint_ports_label") or ())


def parse_service_ports(
    service_ports_label: str | Sequence[str],
    endpoint_ports_label: str | Sequence[str],
    exception_cls: type[Exception] = ValueError,
) -> list[dict[str, Any]]:
    """The service ports of a ``ai.backend.service-ports`` label, as the agent reads them.

    *service_ports_label* is the label text (or a list of its entries),
    *endpoint_ports_label* the ``ai.backend.endpoint-ports`` text (split at ``,``) or
    a list of names. One dict per entry in order, ``pty`` entries skipped:

    >>> [port["name"] for port in parse_service_ports("ipython:pty:3000,jupyter:http:8080,", "")]
    ['jupyter']
    >>> parse_service_ports("api:preopen:[8000,8001]", "api")[0]
    {'name': 'api', 'protocol': <ServicePortProtocol.PREOPEN: 'preopen'>,
     'container_ports': (8000, 8001), 'host_ports': (None, None), 'is_inference': True}

    Every problem is reported at once, as :class:`~imageref.ImageLabelError` (a
    ``ValueError``) when *exception_cls* is ``ValueError`` (the default) or a base of
    it, else as ``exception_cls(message)`` raised from that error.
    """
    return read_service_ports(
        service_ports_label, endpoint_ports_label, exception_cls, PROTOCOLS_2403
    )


def read_service_ports(
    service_ports_label: str | Sequence[str],
    endpoint_ports_label: str | Sequence[str],
    exception_cls: type[Exception],
    allowed: Protocols,
) -> list[dict[str, Any]]:
    """:func:`parse_service_ports` with the protocols *allowed* (a release's policy)."""
    if not (isinstance(exception_cls, type) and issubclass(exception_cls, BaseException)):
        raise _type_error("exception_cls", "an exception class", exception_cls)
    checked = check_entries(
        service_ports_label
        if isinstance(service_ports_label, str)
        else _strings(service_ports_label, "service_ports_label") or (),
        allowed,
    )
    endpoints = endpoint_names(endpoint_ports_label)
    if checked.problems:
        raise_label_error(entry_problems(checked), exception_cls)
    return [
        {
            "name": name,
            "protocol": protocol,
            "container_ports": ports,
            "host_ports": host_ports,
            "is_inference": name in endpoints,
        }
        for name, protocol, ports, host_ports in checked.ports()
    ]
