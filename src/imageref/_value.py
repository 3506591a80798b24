"""The one rule for imageref's small value classes: read-only, compared by their fields."""

from __future__ import annotations

__all__ = ["ReadOnlyValue"]


class ReadOnlyValue:
    """A base for slotted values: fields set once (``object.__setattr__``), then read-only.

    Subclasses say which fields make the value with ``_fields()``; two values are
    equal when they are of the same class and their fields are, and hash alike.
    """

    __slots__ = ()

    def _fields(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, ReadOnlyValue)  # for the type checker
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())
