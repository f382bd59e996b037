"""Reading a model (Encoding.decode through encode.ModelReader): the Booleans read at once, as
the bits of one integer term, and the numbers one by one, give each fact the value Z3's own
evaluation gives it, for every fact or a few of them, with the facts not read at their first
value; a fact the model leaves open reads as its first value (model completion)."""

from __future__ import annotations

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from legalmodel.law import model as m
from legalmodel.semantics.encode import Encoding, assert_all, make_solver

from helpers import load

# more Booleans than fit in 64 bits, a range wider than 64 bits, a range not from 0, an enumeration
SPEC = "\n".join(
    ["law L \"a law\"", ""]
    + [f"fact b{i}: bool \"a Boolean\"" for i in range(70)]
    + ["fact huge: 0..100000000000000000000000 \"a range beyond 64 bits\"",
       "fact temperature: 10..40 \"a range from 10\"",
       "enum Colour \"a colour\" { red, green, blue }",
       "fact colour: Colour \"an enumeration\"",
       "",
       "action act \"an action\" default permitted",
       "",
       "provision 1 § L \"one\"",
       "  forbid act when b0 and not b69 and colour = green",
       ""])


def z3_value(encoding: Encoding, model: z3.ModelRef, name: str):
    """The fact's value as the Python API evaluates it (the reading this replaces)."""
    t = encoding.facts[name].type
    value = model.eval(encoding.vars[name], model_completion=True)
    if isinstance(t, m.BoolType):
        return z3.is_true(value)
    return t.members[value.as_long()] if isinstance(t, m.EnumType) else value.as_long()


situations = st.fixed_dictionaries({
    **{f"b{i}": st.booleans() | st.none() for i in range(70)},
    "huge": st.integers(0, 10 ** 23) | st.none(),
    "temperature": st.integers(10, 40) | st.none(),
    "colour": st.sampled_from(["red", "green", "blue"]) | st.none(),
})


@settings(max_examples=60, deadline=None)
@given(situations, st.sets(st.sampled_from(["b0", "b5", "b69", "huge", "temperature", "colour"])))
def test_decode_reads_what_z3_evaluates(pinned, read):
    spec = load(SPEC)
    encoding = Encoding(spec)
    solver = make_solver(None)
    assert_all(solver, encoding.solver_background())
    for name, value in pinned.items():
        if value is not None:  # the others left to the solver, or open in the model
            solver.add(encoding.equals(name, value))
    assert solver.check() == z3.sat
    model = solver.model()
    whole = encoding.decode(model)
    assert list(whole) == list(spec.facts)
    for name in spec.facts:
        assert whole[name] == z3_value(encoding, model, name), name
        if pinned[name] is not None:
            assert whole[name] == pinned[name]
    part = encoding.decode(model, read=set(read))
    assert list(part) == list(spec.facts)
    firsts = encoding.firsts()
    for name in spec.facts:
        assert part[name] == (whole[name] if name in read else firsts[name]), name
    # many facts read (more than an eighth): through the packed Booleans
    many = {f"b{i}" for i in range(0, 70, 3)} | {"colour"}
    assert encoding.decode(model, read=many) == {n: whole[n] if n in many else firsts[n] for n in spec.facts}


def test_open_facts_read_as_their_first_value():
    spec = load(SPEC)
    encoding = Encoding(spec)
    solver = make_solver(None)  # only the ranges: the model leaves every Boolean open
    assert_all(solver, encoding.domain)
    assert solver.check() == z3.sat
    model = solver.model()
    decoded = encoding.decode(model)
    assert all(decoded[f"b{i}"] is False for i in range(70))
    assert all(decoded[n] == z3_value(encoding, model, n) for n in spec.facts)
