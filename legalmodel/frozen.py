"""Frozen dataclasses that are cheaper to define: the project's one way to declare data.

`@frozen_dataclass` (or `@frozen_dataclass(slots=True)`) makes the class that
`@dataclasses.dataclass(frozen=True)` makes, with the same fields, `__init__`, frozenness,
`__match_args__`, `dataclasses.replace` and pickling, and the same `__eq__`, `__hash__` and
`__repr__`. Only how the last three are made differs. The standard decorator writes each of
them out as Python source for every class and compiles it; a command-line run defines about a
hundred such classes before it reads a spec, and compiling those three was about a sixth of
importing the command line (docs/performance.md). Here the three are closures over the class's field names, made
without compiling. tests/test_frozen_dataclass.py holds them to the standard ones on generated classes.
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter
from reprlib import recursive_repr


def _getter(names: tuple[str, ...]):
    """A function of an instance returning the tuple of these fields' values, as the standard
    methods build it (a one-field tuple for one field: its hash is not the value's)."""
    if not names:
        return lambda self: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return attrgetter(*names)


def _methods(cls):
    fields = dataclasses.fields(cls)
    compared = _getter(tuple(f.name for f in fields if f.compare))
    hashed = _getter(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))
    shown = tuple(f.name for f in fields if f.repr)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self):
        return hash(hashed(self))

    @recursive_repr()
    def __repr__(self):
        return (self.__class__.__qualname__ + "("
                + ", ".join(f"{name}={getattr(self, name)!r}" for name in shown) + ")")

    return __eq__, __hash__, __repr__


def frozen_dataclass(cls=None, /, *, slots: bool = False):
    """`dataclasses.dataclass(frozen=True, slots=slots)`, with shared `__eq__`, `__hash__` and
    `__repr__`; a class that defines one of them itself keeps its own, as with the standard
    decorator."""
    def make(cls):
        own = cls.__dict__
        own_eq = "__eq__" in own
        # a class body that defines __eq__ gets __hash__ = None from Python itself: that is not
        # a hash of its own, and the standard decorator then adds one (frozen and eq)
        own_hash = "__hash__" in own and not (own["__hash__"] is None and own_eq)
        own_repr = "__repr__" in own
        cls = dataclasses.dataclass(cls, frozen=True, eq=False, repr=False, slots=slots)
        eq, hash_, repr_ = _methods(cls)
        for name, method, kept in (("__eq__", eq, own_eq), ("__hash__", hash_, own_hash),
                                   ("__repr__", repr_, own_repr)):
            if not kept:
                method.__qualname__ = f"{cls.__qualname__}.{name}"
                setattr(cls, name, method)
        return cls

    return make if cls is None else make(cls)
