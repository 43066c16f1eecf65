"""Plain records: the engine's inputs as slots, with none of a model's machinery.

What the engine reads on every command, a patient, a regimen, a protocol, is made once per run
(or per batch line), so its type must cost nothing to define and little to fill in. A record is
a class whose slots are its fields, in the order of the model it stands for; pydantic-core
fills those of the input documents itself (`b12plan.contract._core_schema`), the generator
writes the bundled protocols' (`b12plan.protocols._bundled`). Records are not changed once
made: `replaced` gives a copy with other values. Records compare and hash by their values, as
tuples do (one holding a list cannot be hashed); pydantic-core shares a hashable record given as
a default, where it would deep-copy it otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from collections.abc import Iterator


class Record:
    """A plain record: its fields are its slots."""

    __slots__: tuple[str, ...] = ()

    def __init__(self, **values: Any) -> None:
        for name in self.__slots__:
            setattr(self, name, values.pop(name))
        if values:
            msg = f"{type(self).__name__} has no field {next(iter(values))!r}"
            raise TypeError(msg)

    def fields(self) -> Iterator[tuple[str, Any]]:
        """(name, value) of every field, in order."""
        for name in self.__slots__:
            yield name, getattr(self, name)

    def replaced(self, **changes: Any) -> Self:
        """A copy with `changes` in place of those fields."""
        return type(self)(**(dict(self.fields()) | changes))

    def as_dict(self) -> dict[str, Any]:
        """The fields as a dict, records within turned into dicts too (as `model_dump`)."""
        return {name: _plain(value) for name, value in self.fields()}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(other, name) == value for name, value in self.fields()
        )

    def __hash__(self) -> int:
        return hash((type(self), *(value for _, value in self.fields())))

    def __repr__(self) -> str:
        inside = ", ".join(f"{name}={value!r}" for name, value in self.fields())
        return f"{type(self).__name__}({inside})"


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.as_dict()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
