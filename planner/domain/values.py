"""Immutable value classes, declared like frozen dataclasses but cheap to define.

`dataclasses` writes each generated method as source text and compiles it, and
imports `inspect` on the way: about 1 ms per class here, some 40 ms before
`acuplan status` could print a line. `@frozen` gives the same behaviour (keyword
or positional construction with defaults, equality and hashing by fields,
a readable repr, no assignment after construction) from shared functions,
so defining a class costs microseconds. `fields` and `replace` stand in for
their `dataclasses` namesakes.

Only what the domain uses is supported: annotated fields with plain (immutable)
defaults, no `field()`, no `__post_init__`, no ordering.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # the default of a field that has none


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a value after it was made."""


class Field:
    """One declared field: its name and its default (MISSING if it must be given)."""

    __slots__ = ("name", "default")

    def __init__(self, name: str, default: Any) -> None:
        self.name = name
        self.default = default

    def __repr__(self) -> str:
        return f"Field({self.name!r}, default={self.default!r})"


def frozen(cls: type[T]) -> type[T]:
    """Make `cls` an immutable value class from its annotated fields (see the module doc)."""
    own = cls.__dict__
    names = tuple(n for n, ann in own.get("__annotations__", {}).items()
                  if not str(ann).startswith(("ClassVar", "typing.ClassVar")))
    defaults: dict[str, Any] = {}
    for n in names:
        if n in own:
            d = own[n]
            if isinstance(d, (list, dict, set)):
                raise TypeError(f"{cls.__name__}.{n}: a mutable default is shared; use a tuple")
            defaults[n] = d
        elif defaults:
            raise TypeError(f"{cls.__name__}: field {n!r} without a default follows one with")
    required = tuple(n for n in names if n not in defaults)
    nameset = frozenset(names)
    qual = cls.__qualname__
    getter = attrgetter(*names) if names else (lambda self: ())
    many = len(names)
    takes = f"{many + 1}" if len(required) == many else f"from {len(required) + 1} to {many + 1}"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if len(args) > many:
            raise TypeError(f"{qual}.__init__() takes {takes} positional arguments but "
                            f"{len(args) + 1} were given")
        d = self.__dict__
        d.update(defaults)
        if args:
            d.update(zip(names, args))
        if kwargs:
            for k in kwargs:
                if k not in nameset:
                    raise TypeError(f"{qual}.__init__() got an unexpected keyword argument {k!r}")
                if k in names[:len(args)]:
                    raise TypeError(f"{qual}.__init__() got multiple values for argument {k!r}")
            d.update(kwargs)
        if len(args) < len(required):
            missing = [n for n in required[len(args):] if n not in kwargs]
            if missing:
                listed = " and ".join(", ".join(repr(m) for m in missing).rsplit(", ", 1))
                word = "argument" if len(missing) == 1 else "arguments"
                raise TypeError(f"{qual}.__init__() missing {len(missing)} required "
                                f"positional {word}: {listed}")

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={self.__dict__[n]!r}" for n in names)
        return f"{qual}({inner})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return getter(self) == getter(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(getter(self))

    def __setattr__(self, name: str, _value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    for f in (__init__, __repr__, __eq__, __hash__, __setattr__, __delattr__):
        if f.__name__ not in own:  # a method the class writes itself is kept
            f.__qualname__ = f"{qual}.{f.__name__}"
            setattr(cls, f.__name__, f)
    cls.__value_fields__ = tuple(Field(n, defaults.get(n, MISSING)) for n in names)  # type: ignore[attr-defined]
    cls.__match_args__ = names  # type: ignore[attr-defined]
    return cls


def is_value(obj: Any) -> bool:
    return hasattr(obj, "__value_fields__")


def fields(class_or_instance: Any) -> tuple[Field, ...]:
    """The declared fields, in order."""
    try:
        return class_or_instance.__value_fields__
    except AttributeError:
        raise TypeError(f"{class_or_instance!r} is not a value class or value") from None


def replace(obj: T, **changes: Any) -> T:
    """A copy of `obj` with some fields changed (made through the constructor)."""
    kwargs = {f.name: obj.__dict__[f.name] for f in fields(obj)}
    for k in changes:
        if k not in kwargs:
            raise TypeError(f"{type(obj).__qualname__} has no field {k!r}")
    kwargs.update(changes)
    return obj.__class__(**kwargs)
