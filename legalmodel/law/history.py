"""A law's history: a base spec plus its amendments, and the law in force on a date.

Owns splitting a spec's items into the base and its amendments (every item after an
`amendment` header belongs to it), ordering the amendments by their date in force, applying
them the way an amending act is applied (insert a paragraph, give one a new wording, repeal
one, add facts and goals), and keeping every wording of every provision with the dates it
was in force. A proposal is an amendment without a date: it is applied only when asked for.
"""

from __future__ import annotations

from ..i18n import sentence
from dataclasses import dataclass, field, fields

from ..syntax import tree as s
from ..syntax.diagnostics import DiagnosticSink
from ..syntax.source import SourceFile
from ..frozen import frozen_dataclass

OPERATIONS = (s.InsertOp, s.RewordOp, s.RepealOp)


@frozen_dataclass
class Amendment:
    """One amending act (or proposal) and what it does."""

    decl: s.AmendmentDecl
    operations: tuple
    additions: tuple
    contracts: tuple[s.ContractDecl, ...]
    source: SourceFile

    @property
    def date(self) -> str | None:
        return self.decl.provenance.in_force

    @property
    def sfs(self) -> str | None:
        return self.decl.provenance.sfs

    @property
    def name(self) -> str:
        return self.sfs or self.decl.title

    @property
    def is_proposal(self) -> bool:
        return self.date is None


@frozen_dataclass
class Version:
    """One wording of a provision and the dates it was in force (`until` exclusive)."""

    key: tuple
    since: str | None
    until: str | None
    provision: s.ProvisionDecl
    by: str  # "base" or the amending act


@dataclass
class History:
    name: str
    base: list = field(default_factory=list)
    first_source: SourceFile | None = None
    amendments: list[Amendment] = field(default_factory=list)
    proposals: list[Amendment] = field(default_factory=list)
    # the languages the spec's files declare (`språk sv`, `language en`): the law on each date
    # is one file, which keeps them for the spec's language (resolve.declare_language)
    declared_languages: frozenset = frozenset()

    def dates(self) -> list[str]:
        return sorted({a.date for a in self.amendments})


def split(name: str, files: list[s.SpecFile]) -> History:
    """Sort a spec's items into the base and its amendments."""
    sink = DiagnosticSink()
    history = History(name, declared_languages=frozenset(f.language for f in files if f.declared))
    for f in files:
        current: dict | None = None
        pending: list[dict] = []
        for item in f.items:
            if isinstance(item, s.AmendmentDecl):
                current = {"decl": item, "ops": [], "adds": [], "contracts": []}
                pending.append(current)
            elif current is None:
                if isinstance(item, OPERATIONS) or isinstance(item, s.ContractDecl):
                    sink.error("amendment", sentence('this belongs in an amendment, but no `amendment` comes before it'),
                               item.span, help=sentence('start the amendment with `amendment "Lag om ändring i …" (SFS 2020:575, in force 2020-08-01) to OSL`'))
                else:
                    history.base.append(item)
            elif isinstance(item, OPERATIONS):
                current["ops"].append(item)
            elif isinstance(item, s.ContractDecl):
                current["contracts"].append(item)
            elif isinstance(item, s.ProvisionDecl):
                sink.error("amendment", sentence('an amendment inserts or rewords provisions; it does not declare them'),
                           item.span, help=sentence('write `insert` for a new paragraph, `reword` for a new wording'))
            else:
                current["adds"].append(item)
        if history.first_source is None:
            history.first_source = f.source
        for p in pending:
            amendment = Amendment(p["decl"], tuple(p["ops"]), tuple(p["adds"]), tuple(p["contracts"]), f.source)
            (history.proposals if amendment.is_proposal else history.amendments).append(amendment)
    history.amendments.sort(key=lambda a: (a.date, _sfs_key(a.sfs), a.decl.span.path, a.decl.span.line))
    sink.raise_if_any()
    return history


def _sfs_key(sfs: str | None):
    if not sfs:
        return (0, 0)
    year, number = sfs.split()[-1].split(":")
    return (int(year), int(number))


class _Applier:
    def __init__(self, history: History):
        self.history = history
        self.sink = DiagnosticSink()
        laws = [i.name.text for i in history.base if isinstance(i, s.LawDecl)]
        for a in history.amendments + history.proposals:
            laws += [i.name.text for i in a.additions if isinstance(i, s.LawDecl)]
        self.laws = laws
        self.default_law = laws[0] if len(set(laws)) == 1 else None

    def key(self, c: s.CitationSyntax, law: str | None) -> tuple:
        return (c.law or law or self.default_law, c.chapter, c.paragraph, c.letter, c.stycke, c.punkt)

    @staticmethod
    def show(key: tuple) -> str:
        from ..syntax.citations import Citation

        law, chapter, paragraph, letter, stycke, punkt = key
        return Citation(law or "", chapter, paragraph, letter, stycke, punkt).swedish(with_law=bool(law))


def _in_force_on(date: str | None, as_of: str | None) -> bool:
    return date is None or as_of is None or date <= as_of


_INIT_FIELDS: dict[type, tuple[tuple[str, ...], frozenset[str]]] = {}


def _replaced(obj, **changes):
    """`dataclasses.replace` for the syntax tree's dataclasses, whose fields are all set by
    `__init__`: the field names are looked up once per class, not on every call (every
    amended provision is copied on each date a law is made for)."""
    known = _INIT_FIELDS.get(type(obj))
    if known is None:
        order = tuple(f.name for f in fields(obj) if f.init)
        known = _INIT_FIELDS[type(obj)] = (order, frozenset(order))
    names, allowed = known
    if not changes.keys() <= allowed:
        raise TypeError(f"{type(obj).__name__} has no field {sorted(changes.keys() - allowed)[0]!r} to replace")
    return type(obj)(**{name: changes[name] if name in changes else getattr(obj, name) for name in names})


def _with_amendment_provenance(p: s.ProvisionDecl, a: Amendment) -> s.ProvisionDecl:
    own, act = p.provenance, a.decl.provenance
    merged = _replaced(
        own,
        sfs=own.sfs or act.sfs,
        preparatory_works=own.preparatory_works or act.preparatory_works,
        in_force=own.in_force or act.in_force,
        certainty=own.certainty or act.certainty,
    )
    citation = p.citation if p.citation.law else _replaced(p.citation, law=a.decl.law.text)
    return _replaced(p, provenance=merged, citation=citation)


def _after_entry(ap: _Applier, a: Amendment, k: tuple, since: dict, span, verb: str, what: str) -> bool:
    """Whether amendment `a` comes into force no earlier than the wording it changes; if not,
    an error: an act in force in 2001 cannot reword a paragraph that enters into force in 2030
    (its history would read "2030-01-01 – 2001-01-01")."""
    start, by = since[k]
    if a.date is None or start is None or a.date >= start:
        return True
    wording = sentence("the wording it changes") if by == "base" else sentence("the wording {act} gave it", act=by)
    values = dict(act=a.name, paragraph=ap.show(k), date=a.date, wording=wording, start=start)
    said = (sentence("{act} gives {paragraph} a new wording in force {date}, before {wording} enters into force on "
                     "{start}", **values)
            if verb == "gives" else
            sentence("{act} repeals {paragraph} in force {date}, before {wording} enters into force on {start}",
                     **values))
    ap.sink.error("amendment-date", said, span,
                  help=sentence('check both dates in force: an act can change a paragraph only once it is in force'))
    return False


@frozen_dataclass
class SameDayChange:
    """A paragraph that several acts in force on one day change (`changes`: (act, verb) in the
    order they are applied); `span` is where the last of them does."""

    paragraph: str
    date: str
    changes: tuple[tuple[str, str], ...]
    span: object


def same_day_changes(history: History, as_of: str | None = None) -> list[SameDayChange]:
    """Paragraphs that two or more acts in force on the same day change, up to `as_of`: a
    wording that lasts no day at all. Their order is then only that of their SFS numbers,
    which need not be the order the statute book gives."""
    from ..syntax.citations import Citation, Selector

    ap = _Applier(history)
    versions = all_versions(history)
    out = []
    for k, wordings in versions.items():
        for v in wordings:
            if v.since is None or v.since != v.until or (as_of is not None and v.since > as_of):
                continue
            changes, span = [], None
            for a in history.amendments:
                if a.date != v.since:
                    continue
                law = a.decl.law.text
                for op in a.operations:
                    if isinstance(op, s.RepealOp):
                        for sel in op.selectors:
                            selector = Selector(sel.law or law, sel.chapters, sel.paragraphs, sel.stycke, sel.punkt)
                            if selector.matches(Citation(k[0] or "", k[1], k[2], k[3], k[4], k[5])):
                                changes.append((a.name, "repeals it"))
                                span = sel.span
                    elif ap.key(op.provision.citation, law) == k:
                        changes.append((a.name, "inserts it" if isinstance(op, s.InsertOp) else "rewords it"))
                        span = op.provision.citation.span
            if len({name for name, _verb in changes}) > 1 and not any(c.paragraph == ap.show(k) and c.date == v.since
                                                                       for c in out):
                out.append(SameDayChange(ap.show(k), v.since, tuple(changes), span))
    return out


def law_on(history: History, as_of: str | None = None, proposals: tuple[Amendment, ...] = (),
           versions: dict | None = None, chosen: list[Amendment] | None = None
           ) -> tuple[list[s.SpecFile], list[Amendment]]:
    """The items of the law in force on `as_of` (all dated amendments when None), with the
    chosen proposals applied last. Returns synthetic spec files for `resolve` and the
    amendments applied. Records every wording in `versions` when a dict is given.
    `chosen` replaces the date rule with an explicit list of amendments to apply, in order."""
    ap = _Applier(history)
    provisions: dict[tuple, s.ProvisionDecl] = {}
    since: dict[tuple, tuple[str | None, str]] = {}
    # every item in the order the law has it: a replaced wording keeps its place, an inserted
    # paragraph comes last; (key, item) with key None for items that are not provisions
    order: list[list] = []
    for item in history.base:
        if isinstance(item, s.ProvisionDecl):
            if not _in_force_on(item.provenance.in_force, as_of):
                continue
            k = ap.key(item.citation, None)
            if k in provisions:
                order.append([None, item])  # a duplicate: resolve reports it, after the first
                continue
            provisions[k] = item
            since[k] = (item.provenance.in_force, "base")
            order.append([k, item])
        else:
            order.append([None, item])
    applied: list[Amendment] = []
    if chosen is None:
        chosen = [a for a in history.amendments if _in_force_on(a.date, as_of)] + list(proposals)

    def close(k, date):
        if versions is not None and k in provisions:
            start, by = since[k]
            versions.setdefault(k, []).append(Version(k, start, date, provisions[k], by))

    for a in chosen:
        law = a.decl.law.text
        if law not in ap.laws:
            ap.sink.error("unknown-law", sentence('the amendment amends `{law}`, which the spec does not declare', law=law),
                          a.decl.law.span)
            continue
        for op in a.operations:
            if isinstance(op, s.InsertOp):
                p = _with_amendment_provenance(op.provision, a)
                k = ap.key(p.citation, law)
                if k in provisions:
                    ap.sink.error("amendment", sentence('{act} inserts {paragraph}, but the law already has it', act=a.name, paragraph=ap.show(k)),
                                  op.provision.citation.span,
                                  help=sentence('use `reword` to give an existing paragraph a new wording'))
                    continue
                provisions[k] = p
                since[k] = (a.date, a.name)
                order.append([k, p])
            elif isinstance(op, s.RewordOp):
                p = _with_amendment_provenance(op.provision, a)
                k = ap.key(p.citation, law)
                if k in provisions and not _after_entry(ap, a, k, since, op.provision.citation.span, "gives",
                                                        "a new wording"):
                    continue
                if k not in provisions:
                    ap.sink.error("amendment", (sentence('{act} gives {paragraph} a new wording, but the law no longer has such a provision',
                                            act=a.name, paragraph=ap.show(k))
                                   if versions and k in versions else
                                   sentence('{act} gives {paragraph} a new wording, but the law has no such provision',
                                            act=a.name, paragraph=ap.show(k))),
                                  op.provision.citation.span,
                                  help=sentence('use `insert` for a paragraph the law does not have'))
                    continue
                close(k, a.date)
                provisions[k] = p
                since[k] = (a.date, a.name)
                for entry in order:
                    if entry[0] == k:
                        entry[1] = p
            else:
                from ..syntax.citations import Citation, Selector

                for sel in op.selectors:
                    sel_law = sel.law or law
                    selector = Selector(sel_law, sel.chapters, sel.paragraphs, sel.stycke, sel.punkt)
                    hit = [k for k in provisions
                           if selector.matches(Citation(k[0] or "", k[1], k[2], k[3], k[4], k[5]))]
                    if not hit:
                        ap.sink.error("amendment", sentence('{act} repeals {selector}, but the law has no such provision in force', act=a.name, selector=selector.describe()), sel.span)
                    for k in hit:
                        if not _after_entry(ap, a, k, since, sel.span, "repeals", ""):
                            continue
                        close(k, a.date)
                        del provisions[k]
                        del since[k]
                        order[:] = [entry for entry in order if entry[0] != k]
        order.extend([None, item] for item in a.additions)
        applied.append(a)
    ap.sink.raise_if_any()
    if versions is not None:
        for k in provisions:
            start, by = since[k]
            versions.setdefault(k, []).append(Version(k, start, None, provisions[k], by))
    source = history.first_source or SourceFile(history.name, "")
    items = tuple(item for _key, item in order)
    languages = history.declared_languages
    if len(languages) == 1:  # one declared language: the law's single file declares it
        (language,) = languages
        return [s.SpecFile(source, items, language, True)], applied
    return [s.SpecFile(source, items)], applied


def all_versions(history: History) -> dict[tuple, list[Version]]:
    """Every wording of every provision across all dated amendments."""
    versions: dict[tuple, list[Version]] = {}
    law_on(history, None, (), versions)
    return versions


def around(history: History, amendment: Amendment, as_of: str | None = None
           ) -> tuple[list[s.SpecFile], list[s.SpecFile]]:
    """The law just before and just after one amendment (a dated one: on its date; a
    proposal: on `as_of`, or as last amended)."""
    if amendment.is_proposal:
        earlier = [a for a in history.amendments if _in_force_on(a.date, as_of)]
        date = as_of
    else:
        index = history.amendments.index(amendment)
        earlier = history.amendments[:index]
        date = amendment.date
    before, _applied = law_on(history, date, chosen=list(earlier))
    after, _applied = law_on(history, date, chosen=list(earlier) + [amendment])
    return before, after


def same_rules(before: list[s.SpecFile], after: list[s.SpecFile]) -> bool:
    """Whether two laws (as law_on gives them) have the same items in the same order, their
    provisions differing at most in title and provenance: the same rules, so no situation's
    verdict differs. An amending act that gives a paragraph a new wording with the same rule
    makes such a pair, and its contracts hold without resolving or asking anything."""
    def rule(item):
        if isinstance(item, s.ProvisionDecl):
            return (item.citation, item.modality, item.action, item.condition, item.overrides, item.excepts)
        return item

    first = [item for f in before for item in f.items]
    second = [item for f in after for item in f.items]
    return len(first) == len(second) and all(a is b or rule(a) == rule(b) for a, b in zip(first, second))


def find_amendments(history: History, wanted: str) -> list[Amendment]:
    """The amendments and proposals `wanted` names: by SFS number (`2020:575` or `SFS
    2020:575`), title or file. One act may publish several amendments under one number (a
    new law and the repeal of the old one), so there can be more than one."""
    import os

    found = []
    for a in history.amendments + history.proposals:
        sfs = (a.sfs or "").replace("SFS", "").strip()
        if wanted in (a.sfs, sfs, a.decl.title) or os.path.abspath(wanted) == os.path.abspath(a.source.path):
            found.append(a)
    titled = [a for a in found if a.decl.title == wanted]
    return titled or found
