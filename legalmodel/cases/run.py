"""Running case tables against the law on each of their dates, and coverage per provision.

Owns what a case's outcome is (pass, fail or unknown, with the actual verdict, the deciding
and set-aside provisions and the smallest change, all read off `Law.explain`), and what
coverage counts: for each provision, in how many cases (table rows on a date, and the spec's
own `example`s) it applied, decided, or was set aside, and for each provision that decides
in no case a situation where it would, found by the solver and confirmed by the plain
evaluator, offered as a row to add to a table.
"""

from __future__ import annotations

from dataclasses import field

import z3

from ..i18n import Words, _, sentence
from ..law import model as m
from ..pipeline import UsageError
from ..results import ActionExplanation, Finding
from ..solver.session import Unknown
from .table import NOT_SETTLED, Case, CaseTableError, Expectation, Problem, first_date, read_table
from ..frozen import frozen_dataclass

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@frozen_dataclass
class Outcome:
    """One case on one date. `actual` is the verdict where the facts settle it, else None
    (then `possible` and `depends_on` say what it can be); `decided_by` the provisions that
    decide it, `set_aside` those that apply but are set aside; `smallest_change` the fewest
    given facts to change for another settled verdict: (changes, verdict, decided_by)."""

    case: Case
    expectation: Expectation
    status: str
    actual: str | None
    possible: tuple[str, ...]
    depends_on: tuple[str, ...]
    decided_by: tuple[str, ...]
    set_aside: tuple[str, ...]
    applied: tuple[str, ...]
    smallest_change: tuple | None
    unknown: str | None = None
    # where the facts leave the verdict open: for each verdict it can be, the conditions on
    # the facts not stated under which it is that one (Conditions), and what decides there
    open_verdicts: tuple[tuple[str, tuple, tuple[str, ...]], ...] = ()

    @property
    def date(self) -> str | None:
        return self.expectation.date

    @property
    def passed(self) -> bool:
        return self.status == PASS


@frozen_dataclass
class CaseRun:
    """Every case of every table, on each of its dates, against one spec."""

    spec: str
    tables: tuple[str, ...]
    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == FAIL)

    @property
    def exit_status(self) -> int:
        if self.failed:
            return 1
        return 3 if any(o.status == UNKNOWN for o in self.outcomes) else 0


def read_tables(law, paths: list[str]) -> list[Case]:
    """Every case of every table, checked against the law; one CaseTableError with the
    problems of all of them."""
    first = first_date(law.versions)
    problems: list[Problem] = []
    cases: list[Case] = []
    for path in paths:
        try:
            cases.extend(read_table(law.spec, path, first))
        except CaseTableError as err:
            problems.extend(err.problems)
    if problems:
        raise CaseTableError(problems)
    return cases


class Laws:
    """The law on each date asked for, resolved once, with one explainer each: a case that
    passes is explained without its smallest change (two thirds of an explanation's time
    in specs/osl), and a case that fails is explained again in full by `Law.explain`."""

    def __init__(self, law, timeout: float | None = 10.0):
        self.law = law
        self.timeout = timeout
        self._on: dict = {}
        self._quick: dict = {}

    def on(self, date: str | None):
        if date not in self._on:
            self._on[date] = self.law.at(date) if date != self.law.as_of else self.law
        return self._on[date]

    def quick(self, date: str | None, given: dict, action: str):
        """The explanation of `action` in a situation, without the smallest change."""
        if date not in self._quick:
            self._quick[date] = _quick_explainer(self.on(date).spec, None if self.timeout is None else int(self.timeout * 1000))
        explainer = self._quick[date]
        try:
            a = explainer.explain(given, [action]).actions[0]
            if not a.settled and not a.unknown and not a.trace:
                # explain traces a settled verdict only; coverage counts what holds in every
                # completion of an unsettled case too (a full situation is always settled)
                formula = explainer.enc.situation_formula(given) if given else z3.BoolVal(True)
                a.trace = explainer.partial_trace(action, given, formula)
            return a
        except ValueError as err:
            raise UsageError(str(err)) from None
        except Unknown as u:
            return ActionExplanation(action, False, None, (), unknown=u.reason)

    def full(self, date: str | None, given: dict, action: str):
        return self.on(date).explain(given, action, timeout=self.timeout).actions[0]


def _quick_explainer(spec, timeout_ms):
    """An explainer that leaves out the smallest change (a case that passes does not show
    it), by overriding the two methods that find it."""
    from ..analyses.explain import Explainer

    class Quick(Explainer):
        def _settling_change(self, *args, **kwargs):
            return None

        def _counterfactual(self, *args, **kwargs):
            return None

    return Quick(spec, timeout_ms)


def run_cases(law, cases: list[Case], timeout: float | None = 10.0) -> CaseRun:
    """Each case on each of its dates. Facts that contradict the spec's assumptions on a date
    are bad input (a CaseTableError naming the row)."""
    laws = Laws(law, timeout)
    outcomes: list[Outcome] = []
    problems: list[Problem] = []
    for case in cases:
        for e in case.expectations:
            try:
                quick = laws.quick(e.date, dict(case.given), case.action)
                outcome = outcome_of(case, e, quick)
                if outcome.status != PASS:  # a failure shows the smallest change: explained in full
                    full = laws.full(e.date, dict(case.given), case.action)
                    full.trace = full.trace or quick.trace
                    outcome = outcome_of(case, e, full)
            except UsageError as err:
                problems.append(Problem(case.file, case.row, e.column, _("on {date}: {error}").format(date=e.date, error=err) if e.date
                                        else _("on the law as last amended: {error}").format(error=err)))
                continue
            outcomes.append(outcome)
    if problems:
        raise CaseTableError(problems)
    files = tuple(dict.fromkeys(c.file for c in cases))
    return CaseRun(law.name, files, tuple(outcomes))


def outcome_of(case: Case, e: Expectation, a) -> Outcome:
    """A case's outcome on a date, from the explanation of its act (ActionExplanation)."""
    applied = tuple(t.id for t in a.trace if t.triggered is True)
    set_aside = tuple(t.id for t in a.trace if t.triggered is True and t.in_force is False)
    cf = a.counterfactual
    change = None if cf is None else (tuple(cf.changes), cf.verdict, tuple(cf.deciding))
    if a.unknown:
        status = UNKNOWN
    elif e.expected == NOT_SETTLED:
        status = PASS if not a.settled else FAIL
    else:
        status = PASS if a.settled and a.verdict == e.expected else FAIL
    open_verdicts = () if a.settled else tuple(
        (c["verdict"], tuple(c["conditions"]), tuple(c["deciding"])) for c in a.completions)
    return Outcome(case, e, status, a.verdict if a.settled else None, tuple(a.possible), tuple(a.depends_on),
                   tuple(a.deciding), set_aside, applied, change, a.unknown, open_verdicts)


# ---- coverage ---------------------------------------------------------------------------------

@frozen_dataclass
class ProvisionCoverage:
    """How often one provision applied, decided and was set aside in the cases. `suggestion`,
    for a provision that decides in no case: a row that would have it decide (date, act,
    facts, verdict), confirmed by the evaluator; None where the solver finds none (it can
    never decide) or was not asked."""

    provision: str
    title: str
    action: str
    applied: int
    decided: int
    set_aside: int
    suggestion: tuple | None = None
    accepted: str | None = None  # the baseline's justification, where the gap is accepted
    never: bool = False  # the solver shows it can decide in no situation of its law
    # the certified situation behind `suggestion` (on the suggestion's date)
    evidence: object = field(default=None, compare=False, repr=False)


@frozen_dataclass
class Coverage:
    spec: str
    cases: int  # cases counted: table rows on a date, and the spec's own examples
    provisions: tuple[ProvisionCoverage, ...]

    @property
    def uncovered(self) -> tuple[ProvisionCoverage, ...]:
        return tuple(p for p in self.provisions if p.decided == 0)

    @property
    def failing(self) -> tuple[ProvisionCoverage, ...]:
        """Provisions that decide in no case and are not accepted in the baseline."""
        return tuple(p for p in self.uncovered if p.accepted is None)


def example_outcomes(law, timeout: float | None = 10.0) -> list[Outcome]:
    """The spec's own examples, on the law's date, as outcomes (for coverage)."""
    out = []
    laws = Laws(law, timeout)
    source = law.spec.name
    for x in law.spec.examples:
        case = Case(x.span.path if x.span.source else source, x.span.line if x.span.source else 0,
                    x.title, "example", x.expectations[0][0] if x.expectations else "", tuple(x.given), ())
        for action, verdict in x.expectations:
            e = Expectation(law.as_of, verdict, "expect")
            try:
                explained = laws.quick(law.as_of, dict(x.given), action)
            except UsageError:
                # the assumptions rule the example out: no provision applies in it, and the
                # check reports it (impossible-example)
                break
            out.append(outcome_of(case, e, explained))
    return out


def coverage(law, outcomes: list[Outcome], accepted: dict | None = None, timeout: float | None = 10.0,
             suggest: bool = True, baseline=()) -> Coverage:
    """Per provision of the law on each date the outcomes use (and of `law` itself), the
    cases in which it applied, decided and was set aside; a suggested row for each that
    decides in none. `accepted` maps a provision to the justification of accepting that;
    `baseline` (read_baseline's triples) accepts them by id (coverage_id)."""
    laws = Laws(law)
    # the law as given (the spec's examples were run on it) and on each date of a case; a
    # provision's row is suggested on the latest case date it is in the law on, so that it
    # fits a table of dates (as last amended only where no case date has it)
    dates = sorted({o.date for o in outcomes} | {law.as_of}, key=lambda d: (d is not None, d or ""))
    # each provision's latest date among them, where its suggested row is looked for
    where: dict[str, str | None] = {}
    order: list[str] = []
    for d in dates:
        for pid in laws.on(d).spec.provisions:
            if pid not in where:
                order.append(pid)
            where[pid] = d
    counts = {pid: [0, 0, 0] for pid in order}
    for o in outcomes:
        for pid in o.applied:
            counts.setdefault(pid, [0, 0, 0])[0] += 1
        for pid in o.decided_by:
            counts.setdefault(pid, [0, 0, 0])[1] += 1
        for pid in o.set_aside:
            counts.setdefault(pid, [0, 0, 0])[2] += 1
    accepted = accepted or {}
    contexts: dict = {}  # one query context per date, shared by the provisions asked of it
    if baseline:
        ids = {coverage_id(pid): pid for pid in order}
        accepted = {**accepted, **{ids[i]: j for i, j, *_ in baseline if i in ids}}
    items = []
    for pid in order:
        spec = laws.on(where[pid]).spec
        p = spec.provisions[pid]
        applied, decided, aside = counts[pid]
        suggestion, never, evidence = None, False, None
        if decided == 0 and suggest:
            suggestion, evidence = _deciding(laws.on(where[pid]), pid, timeout, contexts)
            never = suggestion is None
        items.append(ProvisionCoverage(pid, p.title, p.action, applied, decided, aside, suggestion,
                                       accepted.get(pid), never, evidence))
    return Coverage(law.name, len(outcomes), tuple(items))


def deciding_situation(law, pid: str, timeout: float | None = 10.0, contexts: dict | None = None) -> tuple | None:
    """A row in which the provision decides its act: (date, act, facts, verdict), with only
    the facts that matter stated, confirmed by the evaluator (on the full situation the
    solver found) and by `explain` (on the row as it will be written: settled, and decided
    by the provision). None where no situation of the law has it decide."""
    return _deciding(law, pid, timeout, contexts)[0]


def _deciding(law, pid: str, timeout: float | None, contexts: dict | None) -> tuple:
    """deciding_situation, and the certified evidence of the full situation behind the row
    (None, None where there is none)."""
    from ..analyses.context import QueryContext
    from ..semantics.encode import any_of
    from ..solver.session import Unknown

    spec = law.spec
    p = spec.provisions[pid]
    verdicts = [v for v, modalities in m.DECIDING.items() if p.modality in modalities]
    contexts = {} if contexts is None else contexts
    if law.as_of not in contexts:
        contexts[law.as_of] = QueryContext(spec, None if timeout is None else int(timeout * 1000))
    ctx = contexts[law.as_of]
    part = ctx.part_for(ctx.boxes[pid])

    def build(enc):
        return z3.And(enc.in_force[pid], any_of([enc.verdict_is(p.action, v) for v in verdicts]))

    try:
        model = ctx.sat(build(part.enc), part=part)
        if model is None:
            return None, None
        evidence = ctx.evidence(model, lambda e: pid in e.deciding(spec, p.action),
                                f"{pid} deciding", build, ctx.relevant_facts({p.action}), part=part)
    except Unknown:
        return None, None
    situation = evidence.situation
    verdict = evidence.verdicts[p.action]
    named = [c.fact for c in evidence.conditions if getattr(c, "fact", None) in spec.facts]
    for facts in (named, ctx.relevant_facts({p.action}), list(spec.facts)):
        given = {f: situation[f] for f in spec.facts if f in set(facts)}
        try:
            a = law.explain(given, p.action, timeout=timeout).actions[0]
        except UsageError:
            continue
        if a.settled and a.verdict == verdict and pid in a.deciding:
            return (law.as_of, p.action, tuple(given.items()), verdict), evidence
    return None, None


def coverage_id(pid: str) -> str:
    """The id under which a baseline accepts that a provision decides in no case: `COV-` and
    eight hex digits of its citation, the form of every finding id."""
    import hashlib

    return "COV-" + hashlib.sha256(pid.encode("utf-8")).hexdigest()[:8]



# ---- coverage as findings of `check --coverage` ----------------------------------------------

UNCOVERED = "uncovered-provision"


def coverage_findings(law, tables: list[str] = (), timeout: float | None = 10.0) -> list[Finding]:
    """`check --coverage`: one finding for each provision of the law that decides in none of
    its cases (the spec's examples and the rows of `tables` on each of their dates), under
    the id `test --coverage` shows (coverage_id), so one baseline entry accepts it in both.
    Its evidence is the certified situation where it would decide, when that is a situation
    of the law as checked; its details, the counts and the row to add. Raises
    CaseTableError for a table that cannot be used."""
    from ..reports.cases import suggested_row  # the row as `test --coverage` prints it

    outcomes = [*example_outcomes(law, timeout)]
    if tables:
        outcomes += run_cases(law, read_tables(law, list(tables)), timeout).outcomes
    covered = coverage(law, outcomes, timeout=timeout)
    spec = law.spec
    out = []
    for p in covered.uncovered:
        if p.provision not in spec.provisions:  # in the law only on another date of the cases
            continue
        details = [sentence("over {cases} case-date and examples: applied in {applied}, decided in 0, set aside in "
                            "{set_aside}", cases=covered.cases, applied=p.applied, set_aside=p.set_aside)
                   if covered.cases == 1 else
                   sentence("over {cases} case-dates and examples: applied in {applied}, decided in 0, set aside in "
                            "{set_aside}", cases=covered.cases, applied=p.applied, set_aside=p.set_aside)]
        evidence = ()
        if p.never:
            details.append(sentence("no situation of the law has it decide, so no case can cover it: accept it with "
                                    "a justification, or see why with `legalmodel impact`"))
        elif p.suggestion is not None:
            date, action, _given, verdict = p.suggestion
            details.append(sentence("a row where it decides (on {date}: `{action}` {verdict}), to add to a case table:",
                                    date=date or sentence("the law as last amended"), action=action,
                                    verdict=Words(verdict)))
            details.extend("  " + line for line in suggested_row(p.suggestion).splitlines())
            if date == law.as_of and p.evidence is not None:
                evidence = (p.evidence,)
        out.append(Finding(UNCOVERED, "warning", sentence("{provision} decides in no case: no example or case "
                                                          "exercises it", provision=p.provision), p.provision, spec.provisions[p.provision].span, p.action,
                           (p.provision,), evidence, tuple(details), named=coverage_id(p.provision)))
    return out
