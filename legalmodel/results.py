"""What the analyses find, as typed values: the contract between the library, its reports and
its users (docs/api.md).

Everything here is data: frozen dataclasses and the `Verdict` enumeration, with no solver
and no evaluator behind them, so that reports, the command line and a notebook can read a
result without importing Z3. The analyses build these; `api.py` hands them out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from .law import model as m
from .law.model import Verdict  # noqa: F401  (part of the results' vocabulary)
from .frozen import frozen_dataclass


# ---- regions and evidence --------------------------------------------------------------------

@frozen_dataclass
class Condition:
    """One conjunct of a cube: a fact restricted to some of its values, or (kind "except")
    an exception: not all of `cube`, a conjunction of such restrictions (a region of a diff's
    cover may have exceptions: Session.widen). `fact` of an exception is its cube's first."""

    fact: str
    kind: str  # "bool", "range", "set", "except"
    value: bool | None = None
    low: int | None = None
    high: int | None = None
    members: tuple[str, ...] = ()
    cube: tuple["Condition", ...] = ()
    # a set's fact's every value, when known: the set is then described by the values it
    # leaves out where they are fewer (`mottagare ≠ polismyndigheten`)
    universe: tuple[str, ...] = field(default=(), compare=False)

    @property
    def excluded(self) -> tuple[str, ...] | None:
        """The values a set leaves out, where it is described by them; else None."""
        if self.kind != "set" or not self.universe:
            return None
        left_out = tuple(x for x in self.universe if x not in self.members)
        return left_out if len(left_out) < len(self.members) else None

    @property
    def facts(self) -> tuple[str, ...]:
        """The facts the condition names, in its order."""
        if self.kind != "except":
            return (self.fact,)
        return tuple(dict.fromkeys(a.fact for a in self.cube))

    def admits(self, situation: dict) -> bool:
        """Whether the condition holds in a situation (as the plain evaluator reads it)."""
        if self.kind == "except":
            return not all(a.admits(situation) for a in self.cube)
        value = situation[self.fact]
        if self.kind == "bool":
            return value == self.value
        if self.kind == "range":
            return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)
        return value in self.members

    def describe(self) -> str:
        if self.kind == "except":
            return "¬(" + " ∧ ".join(a.describe() for a in self.cube) + ")"
        if self.kind == "bool":
            return self.fact if self.value else f"¬{self.fact}"
        if self.kind == "range":
            if self.low is not None and self.high is not None:
                if self.low == self.high:
                    return f"{self.fact} = {self.low}"
                return f"{self.low} ≤ {self.fact} ≤ {self.high}"
            if self.low is not None:
                return f"{self.fact} ≥ {self.low}"
            return f"{self.fact} ≤ {self.high}"
        if self.excluded is not None:
            if len(self.excluded) == 1:
                return f"{self.fact} ≠ {self.excluded[0]}"
            return f"{self.fact} ∉ {{{', '.join(self.excluded)}}}"
        if len(self.members) == 1:
            return f"{self.fact} = {self.members[0]}"
        return f"{self.fact} ∈ {{{', '.join(self.members)}}}"

    def holds_throughout(self, allowed) -> bool:
        """Whether every value a box allows the fact (boxes.py: a set of values, or an
        interval) meets this condition."""
        if self.kind == "except":
            return False
        if self.kind == "bool":
            return all(v == self.value for v in allowed)
        if self.kind == "range":
            low, high = allowed
            return (self.low is None or low >= self.low) and (self.high is None or high <= self.high)
        return set(allowed) <= set(self.members)

    def to_json(self) -> dict:
        if self.kind == "except":
            return {"except": [a.to_json() for a in self.cube], "text": self.describe()}
        out = {"fact": self.fact, "text": self.describe()}
        if self.kind == "bool":
            out["equals"] = self.value
        elif self.kind == "range":
            if self.low is not None:
                out["min"] = self.low
            if self.high is not None:
                out["max"] = self.high
        else:
            out["in"] = list(self.members)
        return out


@frozen_dataclass
class Evidence:
    """A concrete situation, re-evaluated by the evaluator, and the facts that matter in it."""

    situation: dict
    conditions: tuple[Condition, ...]
    verdicts: dict[str, str]
    in_force: tuple[str, ...]
    triggered: tuple[str, ...]
    label: str = ""
    # the facts of `conditions` another value of which changes a verdict (analyses/relevance.py)
    matters: tuple[str, ...] = ()

    def cube_text(self) -> str:
        return " ∧ ".join(c.describe() for c in self.conditions) or "any situation"


@frozen_dataclass
class Finding:
    kind: str
    severity: str
    message: str
    subject: str  # the provision, goal or example the finding is about
    span: object
    action: str | None = None
    provisions: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    details: tuple[str, ...] = ()
    accepted: str | None = None  # the drafters' justification, when they accept the finding
    identity: tuple[str, ...] | None = None  # what names the finding, when `provisions` come from evidence
    named: str | None = None  # its id where another command names it already (coverage: `COV-…`)

    @property
    def id(self) -> str:
        """A short id that stays the same while the finding is the same finding: it depends
        on the kind, the subject, the action and the provisions that define the finding, or
        its `identity` when that is given (for an unknown, the question not decided; not on
        positions, and not on which evidence the solver found)."""
        if self.named is not None:
            return self.named
        names = self.provisions if self.identity is None else self.identity
        key = "|".join([self.kind, self.subject, self.action or "", *names])
        return self.kind[:3].upper() + "-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]

    @property
    def witness(self) -> Evidence | None:
        """The first situation shown as evidence, or None."""
        return self.evidence[0] if self.evidence else None




def cannot_help_text(pair: tuple[str, str]):
    """Why a provision that would give a goal's verdict does not: English as a str (the JSON
    `details`, --notation logic), said in the reader's language where a report says it."""
    from .i18n import sentence

    helper, blocker = pair
    return sentence("{helper} cannot help here: its `except` keeps {blocker} in force, whatever its own condition",
                    helper=helper, blocker=blocker)


# ---- goals and examples ----------------------------------------------------------------------

@frozen_dataclass
class GoalResult:
    """Whether one goal holds. `status` is `holds`, `fails`, `fails-as-expected`,
    `holds-unexpectedly` or `unknown`; `evidence` are the counterexamples of a failed `all`
    goal, or the example of a `possibly` goal that holds (none where only the status was
    asked, as a diff does); `cannot_help` pairs a provision that could have made the goal
    hold with the one its `except` keeps in force."""

    goal: m.Goal
    status: str
    evidence: tuple[Evidence, ...] = ()
    cannot_help: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        return self.goal.title

    @property
    def holds(self) -> bool | None:
        """True or False; None where the solver could not decide it in time."""
        return None if self.status == "unknown" else self.status in ("holds", "holds-unexpectedly")

    @property
    def expected_to_fail(self) -> bool:
        return self.goal.expected_to_fail

    @property
    def counterexamples(self) -> tuple[Evidence, ...]:
        """Situations in which the goal fails (empty where it holds)."""
        return () if self.holds is not False else self.evidence


@frozen_dataclass
class ExpectationResult:
    """One `expect` line of an example. `status` is `passes`, `fails`, `underdetermined`
    (the given facts allow the expected verdict and another), `impossible` (the given facts
    contradict the assumptions; `action` and `expected` are then None) or `unknown`.
    `depends_on` names the facts the verdict turns on, where it turns on some (None where
    that was not asked)."""

    action: str | None
    expected: str | None
    status: str
    evidence: tuple[Evidence, ...] = ()
    depends_on: tuple[str, ...] | None = None

    @property
    def actual(self) -> tuple[str, ...]:
        """The verdicts the given facts allow, as the evidence shows them (one where the
        example settles the act; empty where none was shown: a pass, or a status only)."""
        return tuple(e.verdicts[self.action] for e in self.evidence if self.action in e.verdicts)


@frozen_dataclass
class ExampleResult:
    """Whether one example passes: one `ExpectationResult` per `expect` line."""

    example: m.Example
    results: tuple[ExpectationResult, ...] = ()

    @property
    def title(self) -> str:
        return self.example.title

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.status == "passes" for r in self.results)

    @property
    def expected(self) -> dict[str, str]:
        """The verdict the example expects of each act."""
        return dict(self.example.expectations)

    @property
    def actual(self) -> dict[str, str | None]:
        """Each act's verdict where the given facts settle it: the expected one where the
        expectation passes, the one shown where it fails with a single verdict; None where
        the verdict is not settled or was not decided."""
        out = {}
        for r in self.results:
            if r.action is None:
                continue
            shown = r.actual
            out[r.action] = (r.expected if r.status == "passes"
                             else shown[0] if r.status == "fails" and len(shown) == 1 else None)
        return out


# ---- diffs and contracts ----------------------------------------------------------------------

@frozen_dataclass
class Region:
    """One item of the cover: where the verdict on `action` goes from `old` to `new`."""

    action: str
    old: str
    new: str
    conditions: tuple[Condition, ...]
    situation: dict
    old_deciding: tuple[str, ...]
    new_deciding: tuple[str, ...]
    old_in_force: tuple[str, ...]
    new_in_force: tuple[str, ...]
    # every provision that decides somewhere in the region (the witness's among them), in
    # the spec's order; empty where only the witness was asked about (a contract's
    # counterexample)
    old_deciding_in_region: tuple[str, ...] = ()
    new_deciding_in_region: tuple[str, ...] = ()

    def cube_text(self) -> str:
        return " ∧ ".join(c.describe() for c in self.conditions) or "every situation"


@frozen_dataclass
class ContractResult:
    source: str  # the amendment that carries it
    text: str
    holds: bool | None  # None: unknown
    counterexample: Region | None = None
    reason: str = ""


@frozen_dataclass
class VerdictChange:
    """Every situation in which the verdict on `action` goes from `before` to `after`: the
    regions of the cover, and whether the cover is complete (it is cut at a limit otherwise)."""

    action: str
    before: str
    after: str
    regions: tuple[Region, ...]
    complete: bool


@frozen_dataclass
class GoalChange:
    """A goal on both sides of a diff: `before` and `after` are `holds`, `fails`, `unknown`,
    or None where the goal is not in that version; `change` says it in words."""

    title: str
    before: str | None
    after: str | None
    change: str

    def to_json(self) -> dict:
        return {"title": self.title, "before": self.before, "after": self.after, "change": self.change}


@frozen_dataclass
class ExampleChange:
    """One expectation of an example on both sides of a diff (statuses as ExpectationResult's)."""

    title: str
    action: str
    before: str | None
    after: str | None
    change: str

    def to_json(self) -> dict:
        return {"title": self.title, "action": self.action, "before": self.before, "after": self.after,
                "change": self.change}


@dataclass
class DiffResult:
    """What changes between two versions of a law. The differ fills it in as its questions
    are answered (`covers` by pair of verdicts, in the order they are asked); read it through
    `changes`."""

    old_label: str
    new_label: str
    old: m.CheckedSpec
    new: m.CheckedSpec
    vocabulary: dict[str, m.Fact]
    covers: dict[tuple[str, str, str], list[Region]] = field(default_factory=dict)
    incomplete: list[tuple[str, str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    added_actions: list[str] = field(default_factory=list)
    removed_actions: list[str] = field(default_factory=list)
    goals: list[GoalChange] = field(default_factory=list)
    examples: list[ExampleChange] = field(default_factory=list)
    contracts: list[ContractResult] = field(default_factory=list)
    questions: int = 0

    @property
    def changes(self) -> tuple[VerdictChange, ...]:
        """Each change of verdict on each act, with its regions."""
        return tuple(VerdictChange(action, before, after, tuple(regions), (action, before, after) not in self.incomplete)
                     for (action, before, after), regions in self.covers.items())

    @property
    def broken_contracts(self) -> list[ContractResult]:
        return [c for c in self.contracts if c.holds is False]


# ---- the result of a check ---------------------------------------------------------------------

@frozen_dataclass
class InvalidSpec:
    """A spec that could not be read or resolved: what a check reports in its place."""

    name: str
    diagnostics: tuple



@frozen_dataclass
class CheckResult:
    """Everything `check` found in one spec: its findings (sorted as every report shows
    them), goals and examples, and how many solver questions it took."""

    spec: m.CheckedSpec
    findings: tuple[Finding, ...] = ()
    goals: tuple[GoalResult, ...] = ()
    examples: tuple[ExampleResult, ...] = ()
    questions: int = 0
    timings: dict[str, float] = field(default_factory=dict, compare=False)  # seconds per analysis
    baseline_used: frozenset[str] = frozenset()  # the ids of the baseline's entries that matched a finding

    @property
    def status(self) -> str:
        """`consistent`: no finding but notes and accepted ones; `findings`; or `unknown`: no
        finding, but some question was not decided in time."""
        kinds = {f.kind for f in self.findings if f.severity in ("error", "warning") and f.accepted is None}
        if kinds - {"unknown"}:
            return "findings"
        return "unknown" if "unknown" in kinds else "consistent"

    @property
    def exit_status(self) -> int:
        """What `legalmodel check` exits with for this spec alone: 0, 1 findings, 3 unknown."""
        return {"consistent": 0, "findings": 1, "unknown": 3}[self.status]

    def to_json(self) -> str:
        """The JSON document `legalmodel check --format json` prints for this spec alone."""
        from .reports.check import check_document, dumps

        return dumps(check_document([self]))

    def to_text(self, notation: str = "prose", language: str | None = None, width: int = 100) -> str:
        """The text `legalmodel check` prints for this spec (when not on a terminal):
        `notation` "prose" (the verdict first, situations in words, in `language`: by default
        the spec's `language`, else the locale's, else English, as the command line chooses)
        or "logic" (the formulas)."""
        from .reports.check import render_text

        if notation == "logic":
            return render_text(self)
        from . import i18n
        from .reports.reader import render_reader

        with i18n.speaking(i18n.choose(language, self.spec.language)):
            return render_reader(self, width)

    def to_markdown(self) -> str:
        from .reports.check import render_markdown

        return render_markdown(self)


# ---- explanations -----------------------------------------------------------------------------

@frozen_dataclass
class ConditionPart:
    """One part of a condition, whether it held, and the facts it read. In a partial
    situation `holds` is None where it depends on facts not stated, and a fact not given has
    the value None (not stated)."""

    text: str
    holds: bool | None
    facts: tuple[tuple[str, object], ...]



@frozen_dataclass
class ProvisionTrace:
    """One provision in a situation. In a partial one, `triggered` and `in_force` are None
    where they depend on facts not stated, and `set_aside_by` lists the provisions that set
    it aside in some completion where it applies."""

    id: str
    title: str
    modality: str
    triggered: bool | None
    in_force: bool | None
    set_aside_by: tuple[str, ...]
    parts: tuple[ConditionPart, ...]


@frozen_dataclass
class Counterfactual:
    """The smallest change. For a partial situation, `situation` is the given facts as
    changed (the facts not stated stay unstated) and `verdict` holds in every completion."""

    changes: tuple[tuple[str, object, object], ...]  # fact, from, to
    verdict: str
    deciding: tuple[str, ...]
    situation: dict
    complete: bool = True
    maybe_deciding: tuple[str, ...] = ()  # partial: in force in some completions only


@dataclass
class ActionExplanation:
    """Why one act gets its verdict in the situation explained. `possible`: the verdicts the
    given facts allow (one where they settle it); `deciding`: the provisions that decide it;
    `counterfactual`: the smallest change of the given facts after which the verdict is
    settled as another one; `unknown`: why the solver could not answer, where it could not."""

    action: str
    settled: bool
    verdict: str | None
    possible: tuple[str, ...]
    depends_on: tuple[str, ...] = ()
    situation: dict | None = None
    deciding: tuple[str, ...] = ()
    maybe_deciding: tuple[str, ...] = ()  # partial: in force in some completions only
    trace: tuple[ProvisionTrace, ...] = ()
    completions: list[dict] = field(default_factory=list)  # per verdict: situation, conditions, deciding
    why_not: list[dict] = field(default_factory=list)
    counterfactual: Counterfactual | None = None
    unknown: str | None = None
    smallest_change_unknown: str | None = None  # why the smallest change was not found in time

    @property
    def decided_by(self) -> tuple[str, ...]:
        return self.deciding

    @property
    def smallest_change(self) -> Counterfactual | None:
        return self.counterfactual


@dataclass
class Explanation:
    """An explained situation: the facts given (`full`: every fact of the spec is given) and
    one ActionExplanation per act. Where one act is explained, its answers can be read here
    directly (`x.verdict`, `x.decided_by`, …)."""

    spec: m.CheckedSpec
    given: dict
    full: bool
    actions: list[ActionExplanation]

    def _one(self) -> ActionExplanation:
        if len(self.actions) != 1:
            from .pipeline import UsageError

            names = ", ".join(a.action for a in self.actions)
            from .i18n import _

            raise UsageError(_("this explanation covers {count} acts ({names}); read `.actions`, or explain one "
                               "act with `action=`").format(count=len(self.actions), names=names))
        return self.actions[0]

    @property
    def settled(self) -> bool:
        return self._one().settled

    @property
    def verdict(self) -> str | None:
        """The verdict where the given facts settle it, else None."""
        return self._one().verdict

    @property
    def possible(self) -> tuple[str, ...]:
        return self._one().possible

    @property
    def decided_by(self) -> tuple[str, ...]:
        return self._one().deciding

    @property
    def depends_on(self) -> tuple[str, ...]:
        return self._one().depends_on

    @property
    def smallest_change(self) -> Counterfactual | None:
        return self._one().counterfactual


# ---- a law's history ----------------------------------------------------------------------------

@frozen_dataclass
class HistoryAct:
    """An amendment (`date` set) or a proposal (`date` None) of a law."""

    date: str | None
    name: str  # its SFS number, or its title where it has none
    title: str
    location: str  # file:line:column of its `amendment` header


@frozen_dataclass
class Wording:
    """One wording of a provision and the dates it was in force (`until` exclusive; None:
    before the base law's date, or still in force)."""

    citation: str
    since: str | None
    until: str | None
    act: str  # "base", or the amending act that gave it
    title: str
    certainty: str | None  # verified, summary or unverified; None where the spec does not say
    location: str


@frozen_dataclass
class LawHistory:
    """A law's amendments and proposals, in the order they apply, and every wording of its
    provisions, by citation."""

    name: str
    acts: tuple[HistoryAct, ...]
    wordings: tuple[Wording, ...]

    @property
    def amendments(self) -> tuple[HistoryAct, ...]:
        return tuple(a for a in self.acts if a.date is not None)

    @property
    def proposals(self) -> tuple[HistoryAct, ...]:
        return tuple(a for a in self.acts if a.date is None)
