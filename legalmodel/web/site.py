"""The static report: `legalmodel report SPEC -o DIR`. Owns which dates a report covers, what
it asks the API for each, and the pages it writes: an index, a page per provision and a page
per pair of consecutive dates (docs/report.md).

The site is self-contained (HTML and one style sheet, links relative, nothing fetched from
elsewhere), needs no JavaScript and prints well. Its bytes depend only on the spec and the
options: no time stamps, everything in the spec's order.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .. import api
from ..results import CheckResult, DiffResult, Finding, LawHistory, Wording
from .render import STATIC_DIR, environment, slug
from ..frozen import frozen_dataclass


@frozen_dataclass
class DatedLaw:
    """The law on one date of the report and what `check` found in it."""

    date: str | None  # None: as last amended (a law without amendments)
    label: str  # the date, or "" for a law without amendments (the pages say "as last amended")
    acts: tuple[str, ...]  # the amendments that enter into force on this date
    law: api.Law
    check: CheckResult


@frozen_dataclass
class DiffPage:
    before: DatedLaw
    after: DatedLaw
    result: DiffResult

    @property
    def file(self) -> str:
        return f"diff-{self.before.date}-{self.after.date}.html"


@frozen_dataclass
class ProvisionPage:
    citation: str
    file: str
    title: str
    wordings: tuple[Wording, ...]
    # per date of the report: the provision as then in force (None: not part of the law then)
    on: tuple[tuple[DatedLaw, object], ...]
    findings: tuple[tuple[DatedLaw, Finding], ...]
    impact: DiffResult | None  # on the last date, where computed and the provision is in the law
    impact_date: str | None = None


@dataclass
class Site:
    name: str
    laws: dict
    history: LawHistory
    dates: list[DatedLaw]
    diffs: list[DiffPage] = field(default_factory=list)
    provisions: list[ProvisionPage] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        """As `check` would exit for the worst date: 1 findings, 3 undecided in time, else 0."""
        statuses = {d.check.exit_status for d in self.dates}
        return 1 if 1 in statuses else 3 if 3 in statuses else 0


def default_dates(law: api.Law) -> list[str | None]:
    """The law just before its first amendment (the day before it enters into force) and on
    each date an amendment enters into force; a law without amendments has one date, None."""
    reforms = list(law.reform_dates())
    if not reforms:
        return [None]
    first = datetime.date.fromisoformat(reforms[0]) - datetime.timedelta(days=1)
    return [first.isoformat(), *reforms]


def build(path, dates=(), impact: bool = True, timeout: float | None = api.DEFAULT_TIMEOUT,
          jobs: int | None = None, progress=None) -> Site:
    """Everything the report shows, asked of the API: the law on each date (`dates`, or
    default_dates), its check, the diff of each consecutive pair and, with `impact`, where
    each provision of the last date still decides.

    The questions are independent of each other, so they are asked as one batch shared
    among `jobs` processes (api.answer_all), the diffs and impacts first; and each answer is
    kept in the cache folder, so that a report of a law asked before is read, not computed
    (analyses/stored.py)."""
    law = api.load(path)
    chosen = sorted({api.check_date(d) for d in dates}) if dates else default_dates(law)
    history = law.history()
    say = progress or (lambda step: None)
    on_dates = [(d, law.at(d) if d is not None else law) for d in chosen]
    last = on_dates[-1][1]
    impacted = [c for c in _citations(history, [on for _d, on in on_dates]) if c in last.spec.provisions] \
        if impact else []
    # a date whose law is the date before's but for the wording of its provisions (an act
    # that only rewords, or amends other laws) has that date's check: one is asked per run
    checked = [0]
    for (_a, before), (_b, on) in zip(on_dates, on_dates[1:]):
        checked.append(checked[-1] if _alike_but_wording(before.spec, on.spec) else len(checked))
    asked = sorted(set(checked))
    questions = [lambda on=on_dates[i][1]: on.check(timeout, 1, remember=True) for i in asked]
    questions += [lambda old=old, new=new: api.diff(old, new, timeout, 1)
                  for (_a, old), (_b, new) in zip(on_dates, on_dates[1:])]
    # a provision that is the image of another under swapping two facts has its impact
    # derived from the other's (Law.impacts): one question per group. Only where each
    # provision decides is shown, not the goals and examples with and without it.
    groups = last.image_groups(impacted)
    questions += [lambda group=group: last.impacts(group, timeout, 1, goals=False) for group in groups]
    say(f"{len(on_dates)} checks, {len(on_dates) - 1} diffs, {len(impacted)} impacts")
    answers = api.answer_all(questions, jobs, first=range(len(asked), len(questions)),
                             laws=[on for _d, on in on_dates])
    by_date = dict(zip(asked, answers))
    checks = [replace(by_date[source], spec=on.spec) for source, (_d, on) in zip(checked, on_dates)]
    answers = answers[len(asked):]
    diffs = answers[:len(on_dates) - 1]
    found = dict(zip((pid for group in groups for pid in group),
                     (result for results in answers[len(on_dates) - 1:] for result in results)))
    impacts = [found[c] for c in impacted]  # each citation is a provision's own id
    dated = []
    for (d, on_date), result in zip(on_dates, checks):
        acts = tuple(a.name for a in history.amendments if a.date == d)
        dated.append(DatedLaw(d, d or "", acts, on_date, result))
    site = Site(law.name, dict(dated[-1].law.spec.laws), history, dated)
    for before, after, result in zip(dated, dated[1:], diffs):
        site.diffs.append(DiffPage(before, after, result))
    site.provisions = _provision_pages(site, dict(zip(impacted, impacts)) if impact else None)
    return site


def _alike_but_wording(before, after) -> bool:
    """Whether two checked specs (law.model.CheckedSpec) say the same in everything a check
    reads: the same facts, assumptions, actions, goals, examples, accepted findings, phrasing
    and overrides, and the same provisions in the same order with the same citation, title,
    modality, act, condition, overrides and excepts. Only their dates and where each
    provision's wording comes from (its provenance, and the file its span points into) may
    differ, which no analysis reads: a check of the one is the check of the other."""
    if list(before.provisions) != list(after.provisions):
        return False
    plain = lambda spec: {pid: replace(p, provenance=None) for pid, p in spec.provisions.items()}  # noqa: E731
    same = lambda name: getattr(before, name) == getattr(after, name)  # noqa: E731
    return all(same(f.name) for f in fields(before) if f.name not in ("as_of", "provisions")) \
        and plain(before) == plain(after)


def _citations(history: LawHistory, laws) -> list[str]:
    """Every provision of the report, in the history's order (by law, chapter and
    paragraph), then any the history cannot place (none today)."""
    citations: list[str] = []
    for w in history.wordings:
        if w.citation not in citations:
            citations.append(w.citation)
    for on_date in laws:
        for pid in on_date.spec.provisions:
            if pid not in citations:
                citations.append(pid)
    return citations


def _provision_pages(site: Site, impacts: dict | None) -> list[ProvisionPage]:
    """A page per provision; `impacts`: where each provision of the last date still decides
    (None: not asked)."""
    last = site.dates[-1]
    files: dict[str, str] = {}
    pages = []
    for citation in _citations(site.history, [d.law for d in site.dates]):
        name = slug(citation)
        while name in files.values():  # two citations that read alike in ASCII
            name += "-"
        files[citation] = name
        on = tuple((d, d.law.spec.provisions.get(citation)) for d in site.dates)
        wordings = tuple(w for w in site.history.wordings if w.citation == citation)
        title = next((p.title for _, p in reversed(on) if p is not None), wordings[-1].title if wordings else "")
        found = tuple((d, f) for d in site.dates for f in d.check.findings
                      if citation in f.provisions or f.subject == citation)
        result = impacts.get(citation) if impacts is not None else None
        pages.append(ProvisionPage(citation, f"{name}.html", title, wordings, on, found, result,
                                   last.date if impacts is not None else None))
    return pages


def write(site: Site, out: Path, lang: str = "en") -> list[Path]:
    """Write the site's pages and style sheet into `out` (created where missing); the paths
    written, in order."""
    env = environment(lang, site.dates[-1].law.spec if site.dates else None)
    out.mkdir(parents=True, exist_ok=True)
    links = {p.citation: p.file for p in site.provisions}
    common = dict(site=site, links=links)
    written = []

    def page(name: str, template: str, **values) -> None:
        target = out / name
        target.write_text(env.get_template(template).render(**common, **values), encoding="utf-8")
        written.append(target)

    page("index.html", "index.html", page_name="index.html", goals=goal_rows(site), examples=example_rows(site))
    for p in site.provisions:
        page(p.file, "provision.html", provision=p, page_name=p.file)
    for d in site.diffs:
        page(d.file, "diff.html", diff=d, page_name=d.file)
    style = out / "style.css"
    style.write_bytes((STATIC_DIR / "style.css").read_bytes())
    written.append(style)
    return written


def goal_rows(site: Site) -> list[tuple[str, list]]:
    """Each goal (by title, in the order the dates first show them) with its result on each
    date: a GoalResult, or None where the goal is not in the law then."""
    titles: list[str] = []
    for d in site.dates:
        titles += [g.title for g in d.check.goals if g.title not in titles]
    return [(t, [next((g for g in d.check.goals if g.title == t), None) for d in site.dates]) for t in titles]


def example_rows(site: Site) -> list[tuple[str, list]]:
    """Each example with its result on each date (None: not in the law then)."""
    titles: list[str] = []
    for d in site.dates:
        titles += [e.title for e in d.check.examples if e.title not in titles]
    return [(t, [next((e for e in d.check.examples if e.title == t), None) for d in site.dates]) for t in titles]
