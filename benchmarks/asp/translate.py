"""A checked spec as one ground answer-set program whose answer sets are its situations.

The program is written from the law model (`legalmodel.law.model.CheckedSpec`) alone: it
shares no code with legalmodel's evaluator, its Z3 encoding or its boxes, so that it can be
held against them. Every answer set is one situation (one value of every fact the spec uses,
the assumptions holding), and the atoms of the situation's triggered and in-force
provisions and verdicts follow from it by stratified rules, exactly as docs/semantics.md
defines them. The questions `check` asks are atoms true in some answer set (brave
consequences):

| atom | true in an answer set iff |
|---|---|
| `trig(P)` | provision P applies (its condition holds) |
| `inf(P)` | P is in force: it applies and no provision that overrides it is in force |
| `pair(K)` | both provisions of candidate pair K are in force |
| `gap(A)` | no provision on action A is in force and A has no default |
| `gbad(G)` | an `all` goal G's condition holds and the verdict is not one it wants |
| `ggood(G)` | a `possibly` goal G's condition holds and the verdict is one it wants |
| `exg(X)` | example X's given facts hold |
| `exhit(X,K)`, `exmiss(X,K)` | they hold, and the verdict of X's K-th expectation is (is not) the one expected |
| `chg(K)` | some verdict differs in the law without the K-th override (`_overrides`) |

Integers get one atom per threshold, not one per value: `ge(F,C)` says fact F is at least
C, for each C where some comparison of F in the spec changes its truth (C and C+1 for every
constant F is compared with), and the atoms are chained (`ge(F,C2)` implies `ge(F,C1)` for
C1 < C2). Between two thresholds every comparison is the same, so an answer set stands for
the whole interval and the translation is exact: no value is sampled or left out. An integer
compared with another fact gets every value of its range as a threshold.

Pairs of provisions are joined only where the values their conditions pin meet (a
provision for one kind of information never meets one for another kind): a pin is a value
set a condition's every situation lies in, so a pair left out can never be in force
together, and leaving it out is exact too.
"""

from __future__ import annotations

from dataclasses import dataclass

from legalmodel.law import model as m

VERDICTS = ("contradictory", "obligatory", "forbidden", "permitted", "undecided")
MODALITY_ATOM = {m.OBLIGE: "obl", m.FORBID: "forb", m.PERMIT: "perm"}
FLIPPED = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=", "!=": "!="}

TRUE, FALSE = ("#true", True), ("#false", True)  # literals: (atom, positive)


@dataclass(frozen=True)
class Program:
    """The program's text and what its numbered atoms stand for."""

    text: str
    provisions: tuple[str, ...]  # trig(P), inf(P): P is the index of the provision here
    actions: tuple[str, ...]  # gap(A): A's index here
    pairs: tuple[tuple[str, str], ...]  # pair(K): the K-th candidate pair (first, second)
    goals: tuple[m.Goal, ...]  # gbad(G), ggood(G)
    examples: tuple[m.Example, ...]  # exg(X), exhit(X,K), exmiss(X,K)
    thresholds: dict  # int fact → the thresholds of its ge/2 atoms
    overrides: tuple[tuple[str, str], ...] = ()  # chg(K): the K-th override (P, Q), P setting Q aside


def translate(spec: m.CheckedSpec, members=None, fixed: tuple | None = None, pins: dict | None = None,
              idle: bool = True) -> Program:
    """The answer-set program of `spec` (see the module docstring). With `fixed` (a fact and
    a value), only the situations where the fact has that value; `members` are then the
    provisions that can apply there (the others are left out: they apply nowhere in it).
    `pins`: every provision's `pins`, when already worked out."""
    return _Translation(spec, members, fixed, pins, idle).program()


def pins_of(spec: m.CheckedSpec) -> dict:
    """Each provision's pins (see `_pins`)."""
    return {pid: _pins(spec, p.condition) for pid, p in spec.provisions.items()}


def _negated(lit):
    if lit is TRUE:
        return FALSE
    if lit is FALSE:
        return TRUE
    atom, positive = lit
    return atom, not positive


def _body(lit) -> str:
    atom, positive = lit
    return atom if positive else f"not {atom}"


class _Translation:
    """One translation: the rules written so far, one atom per distinct sub-condition, and
    the facts and thresholds the conditions have named."""

    def __init__(self, spec: m.CheckedSpec, members=None, fixed=None, pins=None, idle=True):
        self.spec = spec
        self.idle = idle
        self.members = set(spec.provisions) if members is None else set(members)
        self.fixed = fixed
        self.pins = pins if pins is not None else pins_of(spec)
        self.rules: list[str] = []
        self.memo: dict = {}
        self.nodes = 0
        self.fact_index = {name: i for i, name in enumerate(spec.facts)}
        self.provision_index = {pid: i for i, pid in enumerate(spec.provisions)}
        self.used_facts: set[str] = set()
        self.thresholds: dict[str, set[int]] = {}

    # ---- literals ---------------------------------------------------------------------------

    def _new(self, bodies: list[list]) -> tuple[str, bool]:
        """A fresh atom true iff one of the bodies (each a conjunction of literals) holds."""
        atom = f"t({self.nodes})"
        self.nodes += 1
        for body in bodies:
            self.rules.append(f"{atom} :- {', '.join(_body(x) for x in body)}." if body else f"{atom}.")
        return atom, True

    def conj(self, lits) -> tuple:
        lits = [x for x in lits if x is not TRUE]
        if any(x is FALSE for x in lits):
            return FALSE
        lits = list(dict.fromkeys(lits))
        if not lits:
            return TRUE
        if len(lits) == 1:
            return lits[0]
        return self._new([lits])

    def disj(self, lits) -> tuple:
        lits = [x for x in lits if x is not FALSE]
        if any(x is TRUE for x in lits):
            return TRUE
        lits = list(dict.fromkeys(lits))
        if not lits:
            return FALSE
        if len(lits) == 1:
            return lits[0]
        return self._new([[x] for x in lits])

    def iff(self, a, b) -> tuple:
        if a in (TRUE, FALSE):
            return b if a is TRUE else _negated(b)
        if b in (TRUE, FALSE):
            return a if b is TRUE else _negated(a)
        return self._new([[a, b], [_negated(a), _negated(b)]])

    # ---- facts ------------------------------------------------------------------------------

    def _type(self, fact: str):
        self.used_facts.add(fact)
        return self.spec.facts[fact].type

    def ge(self, fact: str, c: int) -> tuple:
        """fact ≥ c."""
        t = self._type(fact)
        if c <= t.low:
            return TRUE
        if c > t.high:
            return FALSE
        self.thresholds.setdefault(fact, set()).add(c)
        return f"ge({self.fact_index[fact]},{c})", True

    def int_cmp(self, fact: str, op: str, c: int) -> tuple:
        """fact op c, for an integer fact and a constant."""
        if op == ">=":
            return self.ge(fact, c)
        if op == ">":
            return self.ge(fact, c + 1)
        if op == "<":
            return _negated(self.ge(fact, c))
        if op == "<=":
            return _negated(self.ge(fact, c + 1))
        t = self._type(fact)
        equal = FALSE if not t.low <= c <= t.high else self.conj([self.ge(fact, c), _negated(self.ge(fact, c + 1))])
        return equal if op == "=" else _negated(equal)

    def equals_value(self, fact: str, value) -> tuple:
        """fact = value, for a constant of the fact's type."""
        if self.fixed is not None and fact == self.fixed[0]:  # the slice's own value: known
            return TRUE if value == self.fixed[1] else FALSE
        t = self._type(fact)
        if isinstance(t, m.BoolType):
            return f"b({self.fact_index[fact]})", bool(value)
        if isinstance(t, m.EnumType):
            if value not in t.members:
                return FALSE
            return f"e({self.fact_index[fact]},{t.members.index(value)})", True
        return self.int_cmp(fact, "=", value)

    def compare_facts(self, op: str, left: str, right: str) -> tuple:
        """left op right, two facts of one type."""
        t = self._type(left)
        self._type(right)
        if isinstance(t, m.IntType):
            # left = v and right flipped(op) v, for some v: every value a threshold of both
            return self.disj([self.conj([self.int_cmp(left, "=", v), self.int_cmp(right, FLIPPED[op], v)])
                              for v in t.values()])
        equal = self.disj([self.conj([self.equals_value(left, v), self.equals_value(right, v)])
                           for v in t.values()])
        return equal if op == "=" else _negated(equal)

    # ---- conditions -------------------------------------------------------------------------

    def expr(self, e: m.Expr) -> tuple:
        """The literal true exactly where the boolean expression `e` holds."""
        found = self.memo.get(e)
        if found is None:
            found = self.memo[e] = self._expr(e)
        return found

    def _expr(self, e: m.Expr) -> tuple:
        if isinstance(e, m.Const):
            return TRUE if e.value else FALSE
        if isinstance(e, m.FactRef):
            return self.equals_value(e.fact, True)
        if isinstance(e, m.NotE):
            return _negated(self.expr(e.operand))
        if isinstance(e, m.AndE):
            return self.conj([self.expr(x) for x in e.operands])
        if isinstance(e, m.OrE):
            return self.disj([self.expr(x) for x in e.operands])
        if isinstance(e, m.ImpliesE):
            return self.disj([_negated(self.expr(e.premise)), self.expr(e.conclusion)])
        if isinstance(e, m.IffE):
            return self.iff(self.expr(e.left), self.expr(e.right))
        if isinstance(e, m.InE):
            lits = [self.compare(m.CmpE("=", e.operand, value)) for value in e.values]
            found = self.disj(lits)
            return _negated(found) if e.negated else found
        if isinstance(e, m.CmpE):
            return self.compare(e)
        if isinstance(e, m.AppliesE):
            # a provision left out of these situations applies nowhere in them
            return self.disj([(f"trig({self.provision_index[p]})", True) for p in e.provisions if p in self.members])
        raise TypeError(f"the ASP translation does not know {type(e).__name__}")

    def _is_value(self, e: m.Expr) -> bool:
        """A fact of a non-boolean type or a non-boolean constant: compared as a value."""
        if isinstance(e, m.FactRef):
            return not isinstance(self.spec.facts[e.fact].type, m.BoolType)
        return isinstance(e, m.Const) and type(e.value) is not bool

    def compare(self, e: m.CmpE) -> tuple:
        op, left, right = e.op, e.left, e.right
        if not (self._is_value(left) or self._is_value(right)):  # two conditions: = is ⇔
            same = self.iff(self.expr(left), self.expr(right))
            return same if op == "=" else _negated(same)
        if isinstance(left, m.Const) and isinstance(right, m.Const):
            return TRUE if _holds(op, left.value, right.value) else FALSE
        if isinstance(left, m.Const):
            op, left, right = FLIPPED[op], right, left
        if isinstance(right, m.FactRef):
            return self.compare_facts(op, left.fact, right.fact)
        if op in ("=", "!="):
            equal = self.equals_value(left.fact, right.value)
            return equal if op == "=" else _negated(equal)
        return self.int_cmp(left.fact, op, right.value)

    # ---- the program ------------------------------------------------------------------------

    def program(self) -> Program:
        spec, rules = self.spec, self.rules
        provisions = tuple(spec.provisions)
        actions = tuple(spec.actions)
        action_index = {a: i for i, a in enumerate(actions)}
        for pid, p in spec.provisions.items():
            if pid not in self.members:  # it applies nowhere in these situations: trig(i) is false
                continue
            i = self.provision_index[pid]
            condition = self.expr(p.condition)
            if condition is TRUE:
                rules.append(f"trig({i}).")
            elif condition is not FALSE:
                rules.append(f"trig({i}) :- {_body(condition)}.")
            rules.append(f"inf({i}) :- trig({i}), not ovr({i}).")
            for q in spec.overridden_by.get(pid, ()):
                if q in self.members:
                    rules.append(f"ovr({i}) :- inf({self.provision_index[q]}).")
            rules.append(f"{MODALITY_ATOM[p.modality]}({action_index[p.action]}) :- inf({i}).")
        for a, action in spec.actions.items():
            i = action_index[a]
            rules += [f"dec({i}) :- obl({i}).", f"dec({i}) :- forb({i}).", f"dec({i}) :- perm({i}).",
                      f"v({i},contradictory) :- obl({i}), forb({i}).",
                      f"v({i},obligatory) :- obl({i}), not forb({i}).",
                      f"v({i},forbidden) :- forb({i}), not obl({i}).",
                      f"v({i},permitted) :- perm({i}), not obl({i}), not forb({i}).",
                      f"v({i},{action.default or 'undecided'}) :- not dec({i})."]
            if action.default is None:
                rules.append(f"gap({i}) :- not dec({i}).")
        for assumption in spec.assumptions:
            holds = self.expr(assumption.condition)
            if holds is not TRUE:
                rules.append(":- ." if holds is FALSE else f":- {_body(_negated(holds))}.")
        pairs = self._pairs()
        for k, (first, second) in enumerate(pairs):
            rules.append(f"pair({k}) :- inf({self.provision_index[first]}), inf({self.provision_index[second]}).")
        for g, goal in enumerate(spec.goals):
            condition = self.expr(goal.condition)
            if condition is FALSE:
                continue
            a = action_index[goal.action]
            head = [] if condition is TRUE else [_body(condition)]
            if goal.kind == "all":
                rules.append(f"gbad({g}) :- {', '.join(head + [f'not v({a},{v})' for v in sorted(goal.verdicts)])}.")
            else:
                rules += [f"ggood({g}) :- {', '.join(head + [f'v({a},{v})'])}." for v in sorted(goal.verdicts)]
        for x, example in enumerate(spec.examples):
            given = self.conj([self.equals_value(fact, value) for fact, value in example.given])
            if given is FALSE:
                continue
            rules.append(f"exg({x}) :- {_body(given)}." if given is not TRUE else f"exg({x}).")
            for k, (a, expected) in enumerate(example.expectations):
                rules.append(f"exhit({x},{k}) :- exg({x}), v({action_index[a]},{expected}).")
                rules.append(f"exmiss({x},{k}) :- exg({x}), not v({action_index[a]},{expected}).")
        edges = self._overrides(action_index) if self.idle else []
        rules += self._domains()
        rules += [f"#show {name}." for name in ("trig/1", "inf/1", "pair/1", "gap/1", "gbad/1", "ggood/1",
                                                "exg/1", "exhit/2", "exmiss/2", "chg/1")]
        return Program("\n".join(rules) + "\n", provisions, actions, tuple(pairs), tuple(spec.goals),
                       tuple(spec.examples), {f: tuple(sorted(c)) for f, c in self.thresholds.items()},
                       tuple(edges))

    # ---- idle overrides ---------------------------------------------------------------------

    def _overrides(self, action_index: dict) -> list[tuple[str, str]]:
        """For each override P → Q among the members, `chg(K)`: some verdict differs in the
        law without that one override. Without it only Q and what Q sets aside, directly or
        through others (its cone), can change whether they are in force; they get a second
        copy of their in-force atoms (`inf2(K,X)`), and each action they rule on a second
        verdict (`v2(K,A,V)`). Whether a modality stays in force on the action is counted:
        some provision outside the cone is in force iff more are in force (`cnt`) than those
        of the cone."""
        spec, rules, members = self.spec, self.rules, self.members
        index = self.provision_index
        sets_aside: dict[str, list[str]] = {}
        for q in spec.provisions:
            for p in spec.overridden_by.get(q, ()):
                sets_aside.setdefault(p, []).append(q)
        counted: set = set()
        edges: list[tuple[str, str]] = []
        for p in spec.provisions:
            if p not in members:
                continue
            for q in spec.provisions[p].overrides:
                if q not in members:
                    continue
                k = len(edges)
                edges.append((p, q))
                cone, stack = [], [q]
                while stack:
                    x = stack.pop()
                    if x in cone:
                        continue
                    cone.append(x)
                    stack.extend(y for y in sets_aside.get(x, ()) if y in members)
                inside = set(cone)
                touched: dict = {}
                for x in cone:
                    i = index[x]
                    rules.append(f"inf2({k},{i}) :- trig({i}), not ovr2({k},{i}).")
                    for y in spec.overridden_by.get(x, ()):
                        if y not in members or (x == q and y == p):
                            continue
                        source = f"inf2({k},{index[y]})" if y in inside else f"inf({index[y]})"
                        rules.append(f"ovr2({k},{i}) :- {source}.")
                    x_p = spec.provisions[x]
                    touched.setdefault((x_p.action, x_p.modality), []).append(i)
                for (action, modality), ids in touched.items():
                    a, atom = action_index[action], MODALITY_ATOM[modality]
                    if (a, atom) not in counted:
                        counted.add((a, atom))
                        everyone = [index[x.id] for x in spec.provisions_for(action)
                                    if x.modality == modality and x.id in members]
                        rules.append(f"cnt({a},{atom},N) :- N = #count{{ {'; '.join(f'{j} : inf({j})' for j in everyone)} }}.")
                    rules += [f"has2({k},{a},{atom}) :- inf2({k},{j})." for j in ids]
                    rules.append(f"has2({k},{a},{atom}) :- cnt({a},{atom},N), N > #count{{ "
                                 f"{'; '.join(f'{j} : inf({j})' for j in ids)} }}.")
                for action in dict.fromkeys(action for action, _m in touched):
                    a = action_index[action]

                    def has(modality, a=a, action=action):
                        atom = MODALITY_ATOM[modality]
                        return f"has2({k},{a},{atom})" if (action, modality) in touched else f"{atom}({a})"

                    o, f, pm = has(m.OBLIGE), has(m.FORBID), has(m.PERMIT)
                    rules += [f"v2({k},{a},contradictory) :- {o}, {f}.",
                              f"v2({k},{a},obligatory) :- {o}, not {f}.",
                              f"v2({k},{a},forbidden) :- {f}, not {o}.",
                              f"v2({k},{a},permitted) :- {pm}, not {o}, not {f}.",
                              f"v2({k},{a},{spec.actions[action].default or 'undecided'}) :- "
                              f"not {o}, not {f}, not {pm}."]
                    rules += [f"chg({k}) :- v({a},{v}), not v2({k},{a},{v})." for v in VERDICTS]
        return edges

    def _domains(self) -> list[str]:
        """Each fact the program names, as choices: a boolean free, an enumeration exactly
        one member, an integer its chained thresholds. A fact no condition names is left
        out: any value of it gives the same answers."""
        out = []
        for name, fact in self.spec.facts.items():
            if name not in self.used_facts:
                continue
            i = self.fact_index[name]
            if isinstance(fact.type, m.BoolType):
                out.append(f"{{ b({i}) }}.")
            elif isinstance(fact.type, m.EnumType):
                out.append(f"1 {{ {'; '.join(f'e({i},{j})' for j in range(len(fact.type.members)))} }} 1.")
            else:
                cuts = sorted(self.thresholds.get(name, ()))
                out += [f"{{ ge({i},{c}) }}." for c in cuts]
                out += [f"ge({i},{low}) :- ge({i},{high})." for low, high in zip(cuts, cuts[1:])]
        return out

    # ---- which pairs can meet ---------------------------------------------------------------

    def _pairs(self) -> list[tuple[str, str]]:
        """Candidate contradictions (oblige, forbid) and unstated collisions (permit, forbid)
        on each action, in the order `check` reports them (by the first provision, then the
        second), joined on pinned values: only pairs whose pins meet can be in force together."""
        spec = self.spec
        pins = self.pins
        out: list[tuple[str, str]] = []
        for action in spec.actions:
            on_action = [p for p in spec.provisions_for(action) if p.id in self.members]
            forbids = [p for p in on_action if p.modality == m.FORBID]
            firsts = [p for p in on_action if p.modality in (m.OBLIGE, m.PERMIT)]
            if not forbids or not firsts:
                continue
            counts: dict[str, int] = {}
            for p in on_action:
                for fact in (pins[p.id] or {}):
                    counts[fact] = counts.get(fact, 0) + 1
            pivot = max(counts, key=lambda f: (counts[f], -self.fact_index[f]), default=None)
            rank = {q.id: n for n, q in enumerate(forbids)}
            by_value: dict = {}
            wild: list[str] = []
            for q in forbids:
                pin = pins[q.id]
                if pin is None:
                    continue
                if pivot not in pin:
                    wild.append(q.id)
                else:
                    for value in pin[pivot]:
                        by_value.setdefault(value, []).append(q.id)
            for p in firsts:
                pin = pins[p.id]
                if pin is None:
                    continue
                if pivot not in pin:
                    candidates = [q.id for q in forbids if pins[q.id] is not None]
                else:
                    found = set(wild)
                    for value in pin[pivot]:
                        found.update(by_value.get(value, ()))
                    candidates = sorted(found, key=rank.__getitem__)
                for q in candidates:
                    if not _meet(pin, pins[q]):
                        continue
                    if p.modality == m.PERMIT and not _unstated(p, spec.provisions[q]):
                        continue
                    out.append((p.id, q))
        position = spec.position
        return sorted(out, key=lambda pair: (position[pair[0]], position[pair[1]]))


def _unstated(p: m.Provision, q: m.Provision) -> bool:
    """A permit and a forbid whose relation the spec never states (docs/semantics.md): a
    collision only where neither names the other in `overrides` or `except`."""
    return (q.id not in p.overrides and q.id not in p.excepts
            and p.id not in q.overrides and p.id not in q.excepts)


def _holds(op: str, a, b) -> bool:
    return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _meet(a: dict, b: dict) -> bool:
    """Whether two pins allow a common value of every fact both pin."""
    return all(values & b[fact] for fact, values in a.items() if fact in b)


def _pins(spec: m.CheckedSpec, e: m.Expr) -> dict | None:
    """For the boolean and enumeration facts a condition pins: the values it allows them
    (every situation where it holds has the fact among them); None: it never holds."""
    def domain(fact):
        t = spec.facts[fact].type
        return frozenset(t.values()) if not isinstance(t, m.IntType) else None

    def pinned(fact, values, negated=False):
        d = domain(fact)
        if d is None:
            return {}
        allowed = (d - values) if negated else (d & values)
        return None if not allowed else {fact: frozenset(allowed)}

    if isinstance(e, m.Const):
        return None if e.value is False else {}
    if isinstance(e, m.FactRef):
        return pinned(e.fact, {True})
    if isinstance(e, m.NotE):
        inner = e.operand
        if isinstance(inner, m.FactRef):
            return pinned(inner.fact, {True}, negated=True)
        if isinstance(inner, m.InE) and isinstance(inner.operand, m.FactRef):
            return pinned(inner.operand.fact, {c.value for c in inner.values}, negated=not inner.negated)
        return {}
    if isinstance(e, m.InE) and isinstance(e.operand, m.FactRef):
        return pinned(e.operand.fact, {c.value for c in e.values}, negated=e.negated)
    if isinstance(e, m.CmpE) and e.op in ("=", "!="):
        sides = (e.left, e.right)
        facts = [x for x in sides if isinstance(x, m.FactRef)]
        consts = [x for x in sides if isinstance(x, m.Const)]
        if len(facts) == 1 and len(consts) == 1:
            return pinned(facts[0].fact, {consts[0].value}, negated=e.op == "!=")
        return {}
    if isinstance(e, m.AndE):
        out: dict = {}
        for part in e.operands:
            found = _pins(spec, part)
            if found is None:
                return None
            for fact, values in found.items():
                values = out[fact] & values if fact in out else values
                if not values:
                    return None
                out[fact] = values
        return out
    if isinstance(e, m.OrE):
        branches = [b for b in (_pins(spec, part) for part in e.operands) if b is not None]
        if not branches:
            return None
        shared = set(branches[0]).intersection(*branches[1:])
        return {fact: frozenset().union(*(b[fact] for b in branches)) for fact in shared}
    return {}
