"""The one walk of conditions (law/model.py): every construct is known to it, and every fold
of the package says what every construct means, so a construct added to the language cannot be
forgotten by one semantics and quietly mean nothing there."""

from __future__ import annotations

import typing

import pytest
from hypothesis import given, settings

from legalmodel.analyses import explain
from legalmodel.law import model as m
from legalmodel.semantics import boxes, encode, evaluate

from legalmodel.pipeline import load_text

from strategies import spec_plans

CONSTRUCTS = typing.get_args(m.Expr)
FOLDS = [evaluate._Compile, encode._Term, encode._SmtText, boxes._Box, explain._SpecText]


def test_the_walk_knows_every_construct():
    assert set(m.FOLD_METHODS) == set(CONSTRUCTS)
    assert set(m._SUBTERMS) == set(CONSTRUCTS)


@pytest.mark.parametrize("fold", FOLDS, ids=lambda f: f.__name__)
def test_every_fold_says_what_every_construct_means(fold):
    undefined = [name for name in m.FOLD_METHODS.values() if getattr(fold, name) is getattr(m.ExprFold, name)]
    assert undefined == []


def test_every_fold_of_the_package_is_listed_here():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    assert {c for c in subclasses(m.ExprFold) if c.__module__.startswith("legalmodel.")} == set(FOLDS)


def test_a_fold_that_forgets_a_construct_names_it():
    class Partial(m.ExprFold):
        def fact(self, e):
            return e.fact

    with pytest.raises(NotImplementedError, match="Partial does not say what NotE means"):
        Partial()(m.NotE(m.FactRef("a")))


@settings(max_examples=40, deadline=None)
@given(spec_plans())
def test_children_rebuilt_and_nodes_agree(plan):
    """`nodes` visits a condition and, below it, exactly the nodes of its children; `rebuilt`
    with nothing changed gives the condition back."""
    spec = load_text(plan.text, name="spec.lm")
    for provision in spec.provisions.values():
        condition = provision.condition
        assert m.rebuilt(condition, lambda part: part) == condition
        below = [node for part in m.children(condition) for node in m.nodes(part)]
        assert sorted(map(id, m.nodes(condition))) == sorted(map(id, [condition, *below]))
