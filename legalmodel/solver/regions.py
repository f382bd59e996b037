"""Regions: conjunctions of `Condition`s, the shape in which findings and a diff's cover say
where something holds. Owns the regions of a property (Regions.regions: situations each outside
the regions found before), growing a region with exceptions (Regions.widen), saying one more
plainly (Regions.simplified, and the algebra of plain conditions on one fact under it), and a
region as a formula (cube_formula, and its negation as one literal of the session's solver:
outside). A part of Session (session.py).
"""

from __future__ import annotations

from dataclasses import replace

import z3

from ..results import Condition
from ..semantics.boxes import disjoint, intersect
from ..semantics.encode import all_of, any_of, assert_term, boolean, implies, negate
from .search import cuts_with


# how many exceptions a region of a diff's cover may take on to drop one condition (Session.widen)
EXCEPTIONS = 3

# how many regions' formulas a session keeps (Regions.cube_formula)
CUBES = 4096


class Regions:
    """Session's regions and the algebra of conditions; used only as a base of Session."""

    def widen(self, situation: dict, conditions: tuple[Condition, ...], prop: z3.BoolRef, relevant: list[str],
              cuts: dict | None, holds_at) -> tuple[Condition, ...]:
        """A larger region around `situation` where `prop` holds throughout, grown from the
        generalised `conditions` (all true of `situation`): each condition is dropped, in
        order, where the situations it shuts out include some where `prop` holds, and what
        the dropped condition let in where `prop` fails is shut out again by at most
        EXCEPTIONS exceptions (kind "except"): each a cube (generalise) that holds every such
        situation around the first one left. A condition whose drop needs more is kept.

        Where the changed situations are a product of independent choices (a provision that
        applies only where a dozen others, each failing in two or three ways, do not), a
        list of plain conjunctions needs one item per combination (616 for the real law's
        2025 amendments); this needs one, with an exception per rule. The region stays exact:
        a drop is kept only once the solver shows no situation of the region where `prop`
        fails. `holds_at(point)` is the evaluator's word on the property at a point: None
        where the solver's constraints exclude it, else whether `prop` holds there."""
        current = list(conditions)
        for dropped in conditions:
            rest = [c for c in current if c != dropped]
            if not self.possible(prop, self.cube_formula(tuple(rest)), negate(self.cube_formula((dropped,)))):
                continue  # every situation the condition shuts out lies outside the property
            exceptions: list[Condition] = []
            # each exception's situations lie inside those of the one before (one more
            # exception shuts more out): none comes before its first situation (Search.least)
            floor = None
            for _ in range(EXCEPTIONS + 1):
                region = tuple(rest + exceptions)
                inside = self.cube_formula(region)
                model = self.sat(inside, negate(prop))
                if model is None:
                    current = list(region)
                    break
                if len(exceptions) == EXCEPTIONS:
                    break

                def excluded_at(p: dict, region=region) -> bool:  # the cube's property fails there
                    return all(c.admits(p) for c in region) and holds_at(p) is True

                def let_in(p: dict, region=region) -> bool:  # in the region, and `prop` fails there
                    return all(c.admits(p) for c in region) and holds_at(p) is False
                point = self.least(self.enc_facts.decode(model), [inside, negate(prop)],
                                   cuts=cuts_with(cuts, region), floor=floor, holds=let_in)
                floor = None if self.stopped_early else point
                cube = self.generalise(point, negate(all_of(inside, prop)), relevant, {}, cuts_with(cuts, region),
                                       excluded_at)
                if not cube:  # no situation of the region keeps the property: it cannot grow this way
                    break
                cube = tuple(replace(c, universe=tuple(self.facts[c.fact].type.members)) if c.kind == "set" else c
                             for c in cube)  # said by the values left out where they are fewer
                exceptions.append(Condition(cube[0].fact, "except", cube=cube))
        return self.simplified(tuple(current))

    def simplified(self, conditions: tuple[Condition, ...]) -> tuple[Condition, ...]:
        """The same region, said more plainly: conditions on one fact met in one, a part of an
        exception's cube that the plain conditions make true left out, an exception they
        rule out or that a smaller exception implies dropped, an exception of one condition
        made a plain condition (its negation) where it is one. The plain conditions come
        first, in the order of the facts, then the exceptions in the order found."""
        plain: dict[str, Condition] = {}
        exceptions: list[Condition] = []
        pending = list(conditions)
        while pending:
            for c in pending:
                if c.kind != "except":
                    plain[c.fact] = c if c.fact not in plain else self._meet(plain[c.fact], c)
                elif c not in exceptions:
                    exceptions.append(c)
            pending = []
            kept = []
            for exception in exceptions:
                if any(a.fact in plain and self._disjoint(plain[a.fact], a) for a in exception.cube):
                    continue  # the plain conditions leave no situation of its cube
                cube = tuple(self._plainer(a, plain.get(a.fact)) for a in exception.cube
                             if not (a.fact in plain and self._within(plain[a.fact], a)))
                negation = self._negation(cube[0]) if len(cube) == 1 else None
                if negation is not None:
                    pending.append(negation)
                elif cube:
                    kept.append(exception if cube == exception.cube else Condition(cube[0].fact, "except", cube=cube))
                else:  # unreachable for a region with a witness: kept as it is
                    kept.append(exception)
            exceptions = [c for c in kept if not any(o != c and set(o.cube) < set(c.cube) for o in kept)]
        order = {f: i for i, f in enumerate(self.facts)}
        return tuple(sorted(plain.values(), key=lambda c: order[c.fact])) + tuple(exceptions)

    def _plainer(self, part: Condition, plain: Condition | None) -> Condition:
        """A part of an exception's cube, met with the region's plain condition on its fact
        where that says it with fewer values (the same situations of the region)."""
        if plain is None:
            return part
        met = self._meet(plain, part)
        if part.kind != "set":
            return met
        listed = lambda c: len(c.excluded) if c.excluded is not None else len(c.members)  # noqa: E731
        return met if listed(met) < listed(part) else part

    def _negation(self, c: Condition) -> Condition | None:
        """The situations where a plain condition fails, as one plain condition (None when
        it takes two: a range bounded on both sides)."""
        t = self.facts[c.fact].type
        if c.kind == "bool":
            return Condition(c.fact, "bool", value=not c.value)
        if c.kind == "range":
            if c.low is not None and c.high is not None:
                return None
            return Condition(c.fact, "range", high=c.low - 1) if c.low is not None else Condition(
                c.fact, "range", low=c.high + 1)
        others = tuple(x for x in t.members if x not in c.members)
        return Condition(c.fact, "set", members=others, universe=tuple(t.members))

    def _allowed(self, c: Condition):
        """The values a plain condition allows its fact, as a box does (boxes.py)."""
        t = self.facts[c.fact].type
        if c.kind == "range":
            return (t.low if c.low is None else c.low, t.high if c.high is None else c.high)
        return frozenset([c.value]) if c.kind == "bool" else frozenset(c.members)

    def _within(self, a: Condition, b: Condition) -> bool:
        """Whether every value plain condition `a` allows, `b` allows (one fact)."""
        return b.holds_throughout(self._allowed(a))

    def _disjoint(self, a: Condition, b: Condition) -> bool:
        return disjoint({a.fact: self._allowed(a)}, {b.fact: self._allowed(b)})

    def _meet(self, a: Condition, b: Condition) -> Condition:
        """Both plain conditions on one fact, as one (they share a value: each region's
        conditions hold at its witness)."""
        if self._within(a, b):
            return a
        if self._within(b, a):
            return b
        allowed = intersect({a.fact: self._allowed(a)}, {b.fact: self._allowed(b)})[a.fact]
        t = self.facts[a.fact].type
        if a.kind == "range":
            return Condition(a.fact, "range", low=None if allowed[0] == t.low else allowed[0],
                             high=None if allowed[1] == t.high else allowed[1])
        # not a boolean: two that share their one value are the same, and `within` settled them
        return Condition(a.fact, "set", members=tuple(x for x in t.members if x in allowed),
                         universe=a.universe or b.universe)

    def outside(self, conditions: tuple[Condition, ...]) -> z3.BoolRef:
        """The negation of cube_formula: the situations outside a region found before (a
        cover of hundreds of regions asks for it again with every region after). Asked
        between questions, it is a literal that the solver holds implies the negation, so
        that each question after asserts a constant instead of a formula to take apart
        again (the 2025 diff of the real law asserted 66,000 terms). That literal means the
        negation only to this session's solver; a formula for another solver is built from
        cube_formula."""
        term = self._outside.get(conditions)
        if term is None:
            term = negate(self.cube_formula(conditions))
            if not z3.Z3_solver_get_num_scopes(self.solver.ctx.ref(), self.solver.solver):
                literal = boolean(f"outside:{len(self._outside)}")  # one dict per solver
                assert_term(self.solver, implies(literal, term))
                term = literal
            self._outside[conditions] = term
        return term

    def cube_formula(self, conditions: tuple[Condition, ...]) -> z3.BoolRef:
        """A region as a formula: built once per region and session (widen asks for each
        region it tries, with each exception, again and again), at most CUBES kept."""
        term = self._cubes.get(conditions)
        if term is None:
            if len(self._cubes) >= CUBES:
                self._cubes.clear()
            term = self._cubes[conditions] = self._cube_formula(conditions)
        return term

    def _cube_formula(self, conditions: tuple[Condition, ...]) -> z3.BoolRef:
        parts = []
        for c in conditions:
            var = self.enc_facts.vars[c.fact]
            if c.kind == "bool":
                parts.append(self.enc_facts.literal(c.fact, c.value))
            elif c.kind == "range":
                if c.low is not None:
                    parts.append(var >= c.low)
                if c.high is not None:
                    parts.append(var <= c.high)
            elif c.kind == "except":
                parts.append(negate(self.cube_formula(c.cube)))
            else:
                parts.append(any_of([self.enc_facts.equals(c.fact, x) for x in c.members]))
        return all_of(parts) if parts else z3.BoolVal(True)

    def regions(self, prop: z3.BoolRef, make_evidence, limit: int, fixed: dict | None = None,
                diversify: bool = False, box: dict | None = None) -> list:
        """Up to `limit` situations where `prop` holds, each outside the conditions of those
        before; `make_evidence(model, earlier, prefer)` turns a model into evidence with
        `.conditions`; `earlier` holds the conditions found before, which a plainer witness must
        stay outside of, and `prefer` formulas the witness should also meet.
        With no limit (None) this enumerates a complete cover of `prop`.

        With `diversify`, each next situation also differs from the earlier ones in as many of
        the conditions that mattered there as it can (tried one by one, in order), so that a
        few counterexamples show different reasons rather than variations of one. `box` is a
        box (boxes.py) every situation where `prop` holds lies in: a condition that holds
        throughout it cannot be differed from, and is not asked about."""
        found: list = []
        outside: list[z3.BoolRef] = []
        base = [prop] + ([all_of([self.enc_facts.equals(f, v) for f, v in fixed.items()])] if fixed else [])
        while limit is None or len(found) < limit:
            prefer: list[z3.BoolRef] = []
            if diversify and found:
                if not self.possible(*base, *outside):
                    break
                tried = set()
                for ev in found:
                    for c in ev.conditions:
                        if (fixed and c.fact in fixed) or c in tried or (
                                box and c.fact in box and c.holds_throughout(box[c.fact])):
                            continue
                        tried.add(c)
                        # a formula, not this solver's literal (outside): the witness may be
                        # sought in a slice's solver (context.QueryContext.evidence)
                        other = negate(self.cube_formula((c,)))
                        if self.check(*base, *outside, *prefer, other) == z3.sat:
                            prefer.append(other)
            model = self.sat(*base, *outside, *prefer)
            if model is None:
                break
            ev = make_evidence(model, [e.conditions for e in found], prefer)
            found.append(ev)
            self.bound(f for c in ev.conditions for f in c.facts)  # the questions after name them
            outside.append(self.outside(ev.conditions))
            if not ev.conditions:
                break
        return found
