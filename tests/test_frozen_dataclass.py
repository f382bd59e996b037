"""`frozen_dataclass` makes the class `dataclasses.dataclass(frozen=True)` makes: the same
equality, hash, repr, frozenness, replace and pickling, on generated classes (fields compared or
not, hashed or not, shown or not, defaults, slots, inheritance, methods of the class's own) and
on every data class of the package."""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import pickle
import pkgutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import legalmodel
from legalmodel.frozen import frozen_dataclass

FIELD_OPTIONS = st.fixed_dictionaries({
    "compare": st.booleans(),
    "hash": st.sampled_from([None, True, False]),
    "repr": st.booleans(),
    "default": st.booleans(),
})
VALUES = st.one_of(st.integers(-3, 3), st.text("ab", max_size=2), st.tuples(st.integers(0, 2)), st.none())
OWN_METHODS = st.sampled_from([(), ("__eq__",), ("__hash__",), ("__repr__",), ("__eq__", "__hash__")])


def _namespace(fields: list[dict], own: tuple[str, ...], prefix: str = "f") -> dict:
    ns = {"__annotations__": {}}
    for i, options in enumerate(fields):
        name = f"{prefix}{i}"
        ns["__annotations__"][name] = "object"
        kwargs = {k: options[k] for k in ("compare", "hash", "repr")}
        if options["default"]:
            kwargs["default"] = 0
        ns[name] = dataclasses.field(**kwargs)
    if "__eq__" in own:
        ns["__eq__"] = lambda self, other: isinstance(other, type(self))
    if "__hash__" in own:
        ns["__hash__"] = lambda self: 7
    if "__repr__" in own:
        ns["__repr__"] = lambda self: "mine"
    if "__eq__" in own and "__hash__" not in own:
        ns["__hash__"] = None  # what Python's class statement does for a body that defines __eq__
    return ns


_made = itertools.count()


def _importable(cls):
    """Pickle finds a class by its module and name: give each generated one its own."""
    name = f"Made{next(_made)}"
    cls.__qualname__ = cls.__name__ = name
    globals()[name] = cls
    return cls


def _class(decorate, name: str, bases: tuple, namespace: dict):
    return _importable(decorate(type(name, bases, {**namespace, "__module__": __name__})))


def _twins(fields: list[dict], own: tuple[str, ...], slots: bool):
    """The same class made by each decorator (each with a fresh namespace: slots remake it)."""
    standard = _class(lambda c: dataclasses.dataclass(c, frozen=True, slots=slots), "Twin", (),
                      _namespace(fields, own))
    ours = _class(lambda c: frozen_dataclass(c, slots=slots), "Twin", (), _namespace(fields, own))
    return standard, ours


def _behaviour(cls, values: list, other_values: list):
    a, b = cls(*values), cls(*other_values)
    out = {"eq": a == b, "ne": a != b, "self": a == cls(*values), "other type": a == (values,),
           "repr": repr(a).replace(cls.__qualname__, "Twin"), "match": cls.__match_args__, "replace": dataclasses.replace(a) == a,
           "fields": [f.name for f in dataclasses.fields(cls)], "pickled": pickle.loads(pickle.dumps(a)) == a}
    try:
        out["hash"] = hash(a)
    except TypeError as err:
        out["hash"] = f"unhashable: {err}"
    for attempt in (lambda: setattr(a, "f0", 1), lambda: delattr(a, "f0"), lambda: setattr(a, "new", 1)):
        try:
            attempt()
            out.setdefault("frozen", []).append("allowed")
        except (dataclasses.FrozenInstanceError, AttributeError, TypeError) as err:
            out.setdefault("frozen", []).append(type(err).__name__)
    return out


@settings(max_examples=300, deadline=None)
@given(fields=st.lists(FIELD_OPTIONS, max_size=4), own=OWN_METHODS, slots=st.booleans(), data=st.data())
def test_generated_classes_behave_as_the_standard_ones(fields, own, slots, data):
    # a field without a default may not follow one with a default
    for i in range(1, len(fields)):
        if fields[i - 1]["default"]:
            fields[i] = {**fields[i], "default": True}
    standard, ours = _twins(fields, own, slots)
    values = data.draw(st.lists(VALUES, min_size=len(fields), max_size=len(fields)))
    other = data.draw(st.one_of(st.just(list(values)),
                                st.lists(VALUES, min_size=len(fields), max_size=len(fields))))
    assert _behaviour(ours, values, other) == _behaviour(standard, values, other)


@settings(max_examples=100, deadline=None)
@given(parent=st.lists(FIELD_OPTIONS.map(lambda o: {**o, "default": False}), max_size=2),
       child=st.lists(FIELD_OPTIONS.map(lambda o: {**o, "default": False}), max_size=2), data=st.data())
def test_a_subclass_compares_its_own_and_its_parents_fields(parent, child, data):
    standard_parent, our_parent = _twins(parent, (), False)
    standard = _class(lambda c: dataclasses.dataclass(c, frozen=True), "Child", (standard_parent,),
                      _namespace(child, (), "g"))
    ours = _class(frozen_dataclass, "Child", (our_parent,), _namespace(child, (), "g"))
    n = len(parent) + len(child)
    values = data.draw(st.lists(VALUES, min_size=n, max_size=n))
    other = data.draw(st.lists(VALUES, min_size=n, max_size=n))
    assert _behaviour(ours, values, other) == _behaviour(standard, values, other)


def test_a_class_that_refers_to_itself_in_its_repr_does_not_recurse():
    @frozen_dataclass
    class Box:
        items: list

    box = Box([])
    box.items.append(box)
    assert repr(box) == "test_a_class_that_refers_to_itself_in_its_repr_does_not_recurse.<locals>.Box(items=[...])"


def _package_classes():
    for info in pkgutil.walk_packages(legalmodel.__path__, "legalmodel."):
        if info.name.startswith(("legalmodel.lsp", "legalmodel.web")):
            try:
                module = importlib.import_module(info.name)
            except ImportError:  # an extra that is not installed
                continue
        else:
            module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__ and dataclasses.is_dataclass(value):
                yield value


def test_every_frozen_data_class_of_the_package_is_frozen_and_compares_by_fields():
    frozen = [cls for cls in _package_classes() if cls.__dataclass_params__.frozen]
    assert len(frozen) > 100
    for cls in frozen:
        assert cls.__hash__ is not None, cls
        assert cls.__eq__ is not object.__eq__, cls
        if dataclasses.fields(cls):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(object.__new__(cls), dataclasses.fields(cls)[0].name, 1)


def test_the_package_declares_its_frozen_data_classes_with_frozen_dataclass():
    """The standard decorator compiles three more methods per class, and a command pays for
    every class it imports: a new class declared with it is named here."""
    standard = []
    for cls in _package_classes():
        params = cls.__dataclass_params__
        if not params.frozen or params.order:
            continue  # mutable, or ordered (the one class that sorts): the standard decorator
        made_here = {name: getattr(vars(cls).get(name), "__code__", None) for name in ("__eq__", "__repr__")}
        if any(code is not None and code.co_filename.endswith("<string>") for code in made_here.values()):
            standard.append(f"{cls.__module__}.{cls.__qualname__}")
    assert standard == []
