"""The public API: load a law, check it, explain a case, diff two versions (docs/api.md).

    >>> import legalmodel
    >>> law = legalmodel.load("specs/tutorial")
    >>> law.check().status
    'consistent'

A `Law` is one spec on one date (with any proposals applied). Its methods return the typed,
frozen results of results.py; bad input raises `SpecError` (with diagnostics that name file,
line and column) and a wrong request `UsageError`, and no other exception escapes for either.
The command line (cli.py) is a thin layer over this module.
"""

from __future__ import annotations

from .i18n import _
import functools
from dataclasses import replace
from typing import Iterator

from .law import model as m
from .analyses.baseline import apply_acceptances, read_baseline, stale_baseline
from .syntax.diagnostics import SpecError
from .law.history import Amendment, History, all_versions, split
from .pipeline import UsageError, discover, find_proposals, history_of, law_of, parse_unit
from .results import (CheckResult, DiffResult, Explanation, InvalidSpec, LawHistory, Wording,
                      HistoryAct)
from .law.versions import Comparison, around_act, between_dates, find_provision, label, single_unit
from .frozen import frozen_dataclass

DEFAULT_TIMEOUT = 10.0  # seconds the solver may spend on each question


def _milliseconds(timeout: float | None) -> int | None:
    if timeout is None:
        return None
    if not isinstance(timeout, (int, float)) or not 0.001 <= timeout <= 86_400:
        raise UsageError(_('the timeout `{timeout}` is not a number of seconds from 0.001 to 86400').format(timeout=timeout))
    return int(timeout * 1000)


def check_date(value) -> str | None:
    """A date as YYYY-MM-DD (a `datetime.date` is taken too); a usage error otherwise. Only
    that form: `date.fromisoformat` also takes 20161005 and 2016-W40-3."""
    import datetime
    import re

    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise UsageError(_('`{value}` is not a date; write it as YYYY-MM-DD, like 2016-10-05').format(value=value))
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(_('`{value}` is not a date of the calendar; write it as YYYY-MM-DD, like 2016-10-05').format(value=value)) from None


@frozen_dataclass
class Law:
    """One spec on one date (`as_of`; None: as last amended), with `proposals` applied after
    the dated amendments. `spec` is the checked model the analyses read; `versions` the
    base law and its amendments, from which every version is made."""

    versions: History
    spec: m.CheckedSpec
    as_of: str | None = None
    proposals: tuple[Amendment, ...] = ()

    @property
    def name(self) -> str:
        return self.versions.name

    def at(self, as_of) -> "Law":
        """The same law on another date, with the same proposals."""
        as_of = check_date(as_of)
        return Law(self.versions, law_of(self.versions, as_of, list(self.proposals)), as_of, self.proposals)

    # ---- analyses -----------------------------------------------------------------------------

    def check(self, timeout: float | None = DEFAULT_TIMEOUT, jobs: int | None = None, baseline=(),
              progress=None, coverage: bool = False, cases=(), remember: bool = False) -> CheckResult:
        """Every analysis, with evidence: contradictions, collisions, gaps, dead provisions,
        provisions never in force, idle overrides, goals, examples and the contracts of the
        amendments applied. `baseline`: a baseline file's path, or (id, justification,
        where) triples, of findings the drafters accept. `jobs`: processes to share the
        questions among (the result is the same for any number). `coverage`: also an
        `uncovered-provision` finding for each provision that decides in none of the spec's
        examples and the cases of the tables `cases` (paths of CSV files). `remember`: keep
        the result in the cache folder and read it from there when the same law is checked
        again (analyses/stored.py; not with a baseline, coverage, cases or proposals); its
        `timings` are then those of the run that stored it."""
        if remember and not (baseline or coverage or cases or self.proposals):
            from .analyses import stored

            name = stored.entry_name("check", self.versions, self.as_of, _milliseconds(timeout))
            return stored.remembered(name, lambda: self.check(timeout, jobs, progress=progress),
                                     stored.complete_check, (self.spec,))
        from .analyses.contracts import contract_task

        timeout_ms = _milliseconds(timeout)
        if isinstance(baseline, str):
            baseline = read_baseline(baseline)
        applied = [a for a in self.versions.amendments if self.as_of is None or a.date <= self.as_of]
        applied += list(self.proposals)
        # each amendment's contracts are one more task for the analyses' processes
        contracts = tuple(("contracts", functools.partial(contract_task, self.versions, a, timeout_ms, self.as_of))
                          for a in applied if a.contracts)
        from .analyses.analyse import analyse  # only a check needs the analyses
        report = analyse(self.spec, timeout_ms, progress, jobs=jobs or _default_jobs(self.spec), extra=contracts)
        for findings in report.extra:
            if isinstance(findings, Exception):
                raise findings
            report.findings.extend(findings)
        from .analyses.amendments import same_day_findings

        report.findings.extend(same_day_findings(self.versions, self.as_of))
        if coverage or cases:  # a table that cannot be used is a UsageError (CaseTableError)
            from .cases.run import coverage_findings

            report.findings.extend(coverage_findings(self, list(cases), timeout))
        used = apply_acceptances(report, tuple(baseline), coverage=bool(coverage or cases))
        return replace(report.result(), baseline_used=frozenset(used))

    def explain(self, given: dict | None = None, action: str | list[str] | None = None, why_not: str | None = None,
                timeout: float | None = DEFAULT_TIMEOUT, brief: bool = False, parts: bool = True) -> Explanation:
        """Why the law decides a situation as it does. `given` maps facts to values (a fact
        left out may take any value: the answer then says whether the verdict is settled
        and what it depends on); `action` limits the answer to one act or a list of acts;
        `why_not` also says why the verdict is not that one. `brief`: only the possible
        verdicts and the provisions that decide a settled one (no `depends_on`, completions,
        trace or smallest change), as a table of many dates needs. `parts=False`: a partial situation's trace leaves out
        whether each part of each condition holds (the costliest part of its trace)."""
        items = [f"{k}={'true' if v is True else 'false' if v is False else v}" for k, v in (given or {}).items()]
        return self.explain_given(items, action, why_not, timeout, brief, parts)

    def reform_dates(self) -> tuple[str, ...]:
        """The dates the law's amendments enter into force, in order (proposals have none)."""
        return tuple(self.versions.dates())

    def explain_given(self, items: list[str], action: str | list[str] | None = None, why_not: str | None = None,
                      timeout: float | None = DEFAULT_TIMEOUT, brief: bool = False,
                      parts: bool = True) -> Explanation:
        """explain, with the facts as the command line's `--given` takes them: `ålder=25`,
        `konkret_risk` (true), `not olämpligt` (false)."""
        from .analyses.explain import parse_given

        actions = [action] if isinstance(action, str) else list(action or ())
        for a in actions:
            if a not in self.spec.actions:
                raise UsageError(_('the spec has no action `{a}`; its actions: {names}').format(a=a, names=', '.join(self.spec.actions)))
        if why_not is not None and why_not not in m.VERDICTS:
            raise UsageError(_('`{why_not}` is not a verdict; one of: {names}').format(why_not=why_not, names=', '.join(m.VERDICTS)))
        from .law.names import is_reserved

        for item in items:  # `true=false` would otherwise read as a fact the spec cannot have
            name = item.split("=", 1)[0].strip().removeprefix("not ").strip()
            if is_reserved(name):
                raise UsageError(_('`{name}` in `--given {item}` is a word of the language, not a fact; give a fact of the spec: {facts}').format(name=name, item=item, facts=', '.join(self.spec.facts) or _('it has none')))
        try:
            situation = parse_given(self.spec, list(items))
            return self._explainer(_milliseconds(timeout)).explain(situation, actions or None, why_not, brief, parts)
        except ValueError as err:
            raise UsageError(str(err)) from None

    def _explainer(self, timeout_ms: int | None):
        """One explainer per time limit, kept with the law: its encoding and solvers are built
        once, so that a program asking many questions of one law (`legalmodel serve`) pays for
        them once. Not for use by two threads at a time: Z3's objects are not thread-safe."""
        from .analyses.explain import Explainer

        kept = self.__dict__.setdefault("_explainers", {})  # a frozen dataclass: no setattr
        if timeout_ms not in kept:
            kept[timeout_ms] = Explainer(self.spec, timeout_ms)
        return kept[timeout_ms]

    def impact(self, citation: str, timeout: float | None = DEFAULT_TIMEOUT, jobs: int | None = None,
               progress=None, keep: bool = True, goals: bool = True) -> DiffResult:
        """Every situation whose verdict would change if the provision `citation` names were
        taken out of the law: where it still decides. Nothing: it is redundant here.
        `keep=False`: the answer is not stored in the cache folder (a law read from an
        editor's unsaved text, which changes with every keystroke), though one stored
        before is read. `goals=False`: without whether each goal holds and each example
        passes on each side (the report shows only where the provision decides)."""
        from .analyses import stored
        from .analyses.diff import diff, without_provision

        pid = find_provision(self.spec, citation, self.versions)
        timeout_ms = _milliseconds(timeout)

        without = without_provision(self.spec, pid)

        def ask() -> DiffResult:
            return diff(self.spec, without, timeout_ms, f"{self.spec.name} with {pid}",
                        f"{self.spec.name} without {pid}", with_goals=goals, progress=progress,
                        jobs=jobs or _default_jobs(self.spec))
        if self.proposals:  # a proposal need not be a file of the law's history: asked afresh
            return ask()
        name = stored.entry_name("impact" if goals else "impact-regions", self.versions, self.as_of, pid, timeout_ms)
        return stored.remembered(name, ask, stored.complete_diff, (self.spec, without), store=keep)

    def impacts(self, citations, timeout: float | None = DEFAULT_TIMEOUT, jobs: int | None = None,
                goals: bool = True) -> tuple[DiffResult, ...]:
        """The impact of each provision `citations` names, as `impact` gives it. Where a
        later one is the image of the first under swapping two facts (the same rule on
        another fact that no other rule mentions: analyses/images.py), its regions are the
        first's renamed, each witness replayed by the evaluator, and no solver is asked for
        them. `image_groups` says which provisions to give together."""
        from .analyses import stored
        from .analyses.diff import Differ, without_provision
        from .analyses.images import derived_impact, image_renaming

        pids = [find_provision(self.spec, c, self.versions) for c in citations]
        if not pids:
            return ()
        timeout_ms = _milliseconds(timeout)
        first = self.impact(pids[0], timeout, jobs, goals=goals)
        out = [first]
        for pid in pids[1:]:
            renaming = image_renaming(self.spec, pids[0], pid)
            if renaming is None or self.proposals or not stored.complete_diff(first):
                out.append(self.impact(pid, timeout, jobs, goals=goals))
                continue
            without = without_provision(self.spec, pid)

            def ask(renaming=renaming, without=without, pid=pid) -> DiffResult:
                result = derived_impact(first, renaming, self.spec, without, f"{self.spec.name} with {pid}",
                                        f"{self.spec.name} without {pid}")
                if goals:  # each side's goals and examples are asked, as impact asks them
                    differ = Differ(self.spec, without, timeout_ms)
                    for task, finish in differ.goals_and_examples_tasks(timeout_ms):
                        finish(task())
                    result.goals, result.examples = differ.result.goals, differ.result.examples
                    result.questions = differ.result.questions
                return result
            name = stored.entry_name("impact" if goals else "impact-regions", self.versions, self.as_of, pid,
                                     timeout_ms, "image of", pids[0])
            out.append(stored.remembered(name, ask, stored.complete_diff, (self.spec, without)))
        return tuple(out)

    def image_groups(self, citations) -> list[tuple[str, ...]]:
        """The provisions `citations` name, grouped for `impacts`: each group's first in the
        order given, then its images (analyses/images.py); a provision that is no other's
        image is a group of its own."""
        from .analyses.images import image_groups

        pids = [find_provision(self.spec, c, self.versions) for c in citations]
        return [(first, *(pid for pid, _renaming in images)) for first, images in image_groups(self.spec, pids)]

    def decides_alike(self, other: "Law", action: str) -> bool:
        """Whether `other` decides `action` as this law does in every situation, with the
        same provisions deciding, read off the provisions without a solver: both have the
        same facts (names and types), assumptions and provisions on the act in the same
        order, and no provision the verdict depends on differs in modality, condition or
        overriders, nor the act's default (diff.changing_actions). A law amended only in
        its wording, or in other acts, decides alike. False says only that it may not."""
        from .analyses.diff import changing_actions

        a, b = self.spec, other.spec
        if action not in a.actions or action not in b.actions:
            return False
        if {n: f.type for n, f in a.facts.items()} != {n: f.type for n, f in b.facts.items()}:
            return False
        if [x.condition for x in a.assumptions] != [x.condition for x in b.assumptions]:
            return False
        on = lambda spec: [pid for pid in spec.order if spec.provisions[pid].action == action]  # noqa: E731
        return on(a) == on(b) and action not in changing_actions(a, b)

    def diff_amendment(self, act: str, timeout: float | None = DEFAULT_TIMEOUT, jobs: int | None = None,
                       progress=None) -> DiffResult:
        """The law just before and just after one amendment (its SFS number, file or title) on
        its own date, or without and with a proposal on this law's date; with the act's
        contracts."""
        comparison = around_act(self.versions, act, self.as_of, "--amendment", as_of_for_proposals_only=True)
        return run_comparison(comparison, timeout, jobs, progress)

    def history(self, citation: str | None = None) -> LawHistory:
        """The law's amendments and proposals, and every wording of each provision (or of the
        one `citation` names) with the dates it was in force."""
        return law_history(self.versions, citation)


def law_history(versions: History, citation: str | None = None) -> LawHistory:
    """A law's amendments and proposals, and every wording of each provision (or of the one
    `citation` names) with the dates it was in force; a usage error where the law has never
    had that provision. Nothing is resolved: a law whose last version has errors has a
    history all the same."""
    from .syntax.citations import Citation
    from .law.versions import citation_argument

    wanted = None
    if citation:
        c = citation_argument(citation)
        wanted = (c.law, c.chapter, c.paragraph, c.letter, c.stycke, c.punkt)
    all_wordings = all_versions(versions)
    wordings = []
    for key in sorted(all_wordings, key=lambda k: (k[0] or "", k[1] or -1, k[2], k[3], k[4] or 0, k[5] or 0)):
        if wanted is not None and (key[1:] != wanted[1:] or (wanted[0] and key[0] != wanted[0])):
            continue
        name = Citation(key[0] or "", *key[1:]).swedish()
        for v in all_wordings[key]:
            p = v.provision
            wordings.append(Wording(name, v.since, v.until, v.by, p.title, p.provenance.certainty, p.span.location()))
    if citation and not wordings:
        raise UsageError(_('{versions} has never had {citation}').format(versions=versions.name, citation=citation))
    acts = tuple(HistoryAct(a.date, a.name, a.decl.title, a.decl.span.location())
                 for a in versions.amendments + versions.proposals)
    return LawHistory(versions.name, acts, tuple(wordings))


def history(path, citation: str | None = None) -> LawHistory:
    """The history of the law a spec file or folder holds (see `law_history`)."""
    return law_history(history_of(single_unit(str(path))), citation)


def load(path, as_of=None, proposals=()) -> Law:
    """The law a spec file or folder holds, in force on `as_of` (None: as last amended), with
    `proposals` (their files or titles) applied after the dated amendments."""
    as_of = check_date(as_of)
    history = history_of(single_unit(str(path)))
    chosen = find_proposals(history, [str(p) for p in proposals])
    return Law(history, law_of(history, as_of, chosen), as_of, tuple(chosen))


def loads(text: str, name: str = "<input>", as_of=None, proposals=()) -> Law:
    """The law a spec given as text holds (see `load`); `name` is the file name its
    diagnostics use."""
    from .syntax.parse import parse_source
    from .pipeline import decode_source

    if not isinstance(text, str):
        raise UsageError(_("loads takes the spec's text as a str; use load for a file"))
    as_of = check_date(as_of)
    source = decode_source(text.encode("utf-8", errors="surrogatepass"), name)
    history = split(name, [parse_source(source)])
    chosen = find_proposals(history, [str(p) for p in proposals])
    return Law(history, law_of(history, as_of, chosen), as_of, tuple(chosen))


def fmt(text: str, to: str | None = None, name: str = "<input>") -> str:
    """A spec file's text in the canonical layout, as `legalmodel fmt` writes it; with `to`
    ("sv" or "en"), written with that surface's keywords, as `fmt --to` does. Raises
    SpecError when the text cannot be read or converted, UsageError for another `to`."""
    from .pipeline import decode_source
    from .syntax.format import format_checked
    from .syntax.surface import LANGUAGES

    if not isinstance(text, str):
        raise UsageError(_("fmt takes the spec's text as a str"))
    if to is not None and to not in LANGUAGES:
        raise UsageError(_('`{to}` is not a surface of the language; one of: {names}').format(to=to, names=', '.join(LANGUAGES)))
    return format_checked(decode_source(text.encode("utf-8", errors="surrogatepass"), name), to)


def diff(old: Law, new: Law, timeout: float | None = DEFAULT_TIMEOUT, jobs: int | None = None,
         progress=None) -> DiffResult:
    """Every situation in which the verdict changes from `old` to `new`, and why; goals and
    examples on both sides. Two dates of one law also check the contracts of the amendments
    between them."""
    if old.versions is new.versions and old.proposals == new.proposals == ():
        comparison = between_dates(old.versions, old.as_of, new.as_of, _milliseconds(timeout),
                                   specs=(old.spec, new.spec))
    else:
        comparison = Comparison(old.spec, new.spec, label(old.name, old.as_of), label(new.name, new.as_of))
    return run_comparison(comparison, timeout, jobs, progress)


def _default_jobs(*specs: m.CheckedSpec) -> int:
    from .analyses.analyse import default_jobs  # the analyses are imported by the commands that run them

    return default_jobs(*specs)


def run_comparison(c: Comparison, timeout: float | None = DEFAULT_TIMEOUT, jobs: int | None = None,
                   progress=None) -> DiffResult:
    """The diff of a comparison's two versions (versions.comparison), with its contracts."""
    from .analyses import stored
    from .analyses.diff import diff as diff_specs

    timeout_ms = _milliseconds(timeout)

    def ask() -> DiffResult:
        return diff_specs(c.old, c.new, timeout_ms, c.old_label, c.new_label, c.contracts,
                          progress=progress, jobs=jobs or _default_jobs(c.old, c.new), extra=c.contract_tasks)
    if c.history is None:
        return ask()
    name = stored.entry_name("diff", c.history, *c.dates, c.old_label, c.new_label, timeout_ms)
    return stored.remembered(name, ask, stored.complete_diff, (c.old, c.new))


def check_paths(paths: list[str], as_of=None, proposals=(), timeout: float | None = DEFAULT_TIMEOUT,
                jobs: int | None = None, baseline=(), progress_for=None,
                stages: dict | None = None, coverage: bool = False, cases=()) -> Iterator[CheckResult | InvalidSpec]:
    """Check every spec the paths name, in order: each as a CheckResult, or an InvalidSpec
    where it cannot be read. A baseline entry that matches no finding in any spec is stale,
    and is reported once, with the last spec (where every spec could be read: otherwise
    nobody can tell); so each result is handed out once the next spec is done.
    `progress_for(name)` gives the progress callback of one spec; `stages`, where given, is
    filled with each spec's seconds per stage (parse, resolve, analyse). `coverage` and
    `cases`: as for Law.check (tables of cases name one spec's facts: give them with one)."""
    import time

    units = discover(list(paths))
    if isinstance(baseline, str):
        baseline = read_baseline(baseline)
    used: set[str] = set()
    pending: list[CheckResult] = []
    invalid = False
    for unit in units:
        times = []
        started = time.perf_counter()
        try:
            history = split(unit.name, parse_unit(unit))
            times.append(("parse", time.perf_counter() - started))
            t = time.perf_counter()
            chosen = find_proposals(history, [str(p) for p in proposals])
            law = Law(history, law_of(history, as_of, chosen), as_of, tuple(chosen))
            times.append(("resolve", time.perf_counter() - t))
            t = time.perf_counter()
            result = law.check(timeout, jobs, baseline, progress_for(unit.name) if progress_for else None,
                               coverage, cases)
            times.append(("analyse", time.perf_counter() - t))
        except SpecError as err:
            invalid = True
            yield from pending
            pending.clear()
            yield InvalidSpec(unit.name, err.diagnostics)
            continue
        used |= result.baseline_used
        if stages is not None:
            stages[unit.name] = times
        yield from pending
        pending[:] = [result]
    if pending and not invalid:
        last = pending[0]
        pending[0] = replace(last, findings=last.findings + tuple(stale_baseline(tuple(baseline), used, coverage or bool(cases))))
    yield from pending


def answer_all(questions, jobs: int | None = None, first=(), laws=()) -> list:
    """Each question (a callable without arguments that asks this API, such as
    `lambda: law.check(jobs=1)`) answered, in the order given, shared among `jobs`
    processes; `first`, the indices of those expected to take longest, which are started
    first. Without `jobs`, as many processes as `check` would use for the largest of `laws`
    (each process builds its own solvers), or the usable cores. The answers are the same
    for any number of processes (solver.parallel.run_tasks); the first question to raise,
    in order, raises here, once all have run. For a program that asks many independent
    questions at once, as `legalmodel report` does: each question should ask with `jobs=1`."""
    from .analyses.analyse import default_jobs
    from .solver.parallel import run_tasks, usable_cores

    if not jobs:
        jobs = default_jobs(*[law.spec for law in laws]) if laws else usable_cores()
    return run_tasks(list(questions), jobs, first=tuple(first))
