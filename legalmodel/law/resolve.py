"""Resolution and type checking: syntax trees of one spec → a `CheckedSpec`.

Owns every check that needs the whole spec: unknown and duplicate names (with "did you
mean"), type errors in conditions, duplicate citations, which law an unqualified citation
means, citation lists that select nothing, and cycles in the override and `applies` graphs
(reported as a path of citations). All problems are collected and raised together.
"""

from __future__ import annotations

from . import model as m
from ..syntax import tree as s
from ..syntax.citations import Citation, Selector
from ..syntax.diagnostics import DiagnosticSink, suggest
from ..syntax.source import NOWHERE, Span
from ..i18n import sentence

VALUE_TYPES = (m.BoolType, m.IntType, m.EnumType)


class Resolver:
    def __init__(self, name: str, files: list[s.SpecFile], as_of: str | None = None, rules_only: bool = False):
        self.name = name
        self.as_of = as_of
        self.rules_only = rules_only  # leave goals, examples and acceptances out
        self.files = files
        self.sink = DiagnosticSink()
        self.asking: tuple[str, str] | None = None  # (provision, act) whose condition is being read
        self.laws: dict[str, s.LawDecl] = {}
        self.enums: dict[str, m.EnumType] = {}
        self.enum_spans: dict[str, Span] = {}
        self.facts: dict[str, m.Fact] = {}
        self.actions: dict[str, m.Action] = {}
        self.value_owner: dict[str, list[str]] = {}
        self.provision_syntax: dict[str, s.ProvisionDecl] = {}
        self.citations: dict[str, Citation] = {}
        self.outside: list[Selector] = []
        self._chapter_index = None  # (provisions indexed, pids by (law, chapter), chapters by law, positions)
        self._modality_index: dict[tuple[str, str], list[str]] | None = None

    # ---- helpers --------------------------------------------------------------------------

    def items(self, kind):
        for f in self.files:
            for item in f.items:
                if isinstance(item, kind):
                    yield item

    def error(self, code, message, span=NOWHERE, **kw):
        self.sink.error(code, message, span, **kw)

    def default_law(self, span: Span, law: str | None, context_law: str | None) -> str | None:
        if law is not None:
            if law not in self.laws:
                self.error("unknown-law", sentence('unknown law `{law}`', law=law), span,
                           help=suggest(law, self.laws) or sentence('declare it: `law {law} "its title"`', law=law))
                return None
            return law
        if context_law is not None:
            return context_law
        if len(self.laws) == 1:
            return next(iter(self.laws))
        if not self.laws:
            self.error("no-law", sentence('this citation names no law and the spec declares none'), span,
                       help=sentence('declare the law first: `law OSL "Offentlighets- och sekretesslag (2009:400)"`'))
        else:
            self.error("which-law", sentence('this spec declares several laws; say which one this citation means'),
                       span, help=sentence("add the law's name, like `10 kap. 18 a § OSL`"))
        return None

    # ---- passes ---------------------------------------------------------------------------

    def run(self) -> m.CheckedSpec:
        self.declare_laws()
        self.declare_enums()
        self.declare_facts()
        phrasings = self.declare_phrasings()
        language = self.declare_language()
        self.declare_actions()
        self.check_names()
        self.declare_provisions()
        self.declare_outside()
        assumptions = []
        for a in self.items(s.Assumption):
            condition = self.condition(a.condition)
            if m.applied_in(condition):
                self.error("assumption", sentence('an assumption speaks of facts only; it cannot ask whether a provision applies'), a.span, help=sentence("state the facts themselves, or put `applies(…)` in a provision's condition or a goal"))
            assumptions.append(m.Assumption(a.label, condition, a.span))
        assumptions = tuple(assumptions)
        provisions = self.resolve_provisions()
        goals = examples = acceptances = ()
        if not self.rules_only:
            goals = tuple(self.goal(g) for g in self.items(s.GoalDecl))
            examples = tuple(self.example(e) for e in self.items(s.ExampleDecl) if self.applies_on_date(e))
            acceptances = self.acceptances()
        self.sink.raise_if_any()
        overridden_by = {pid: [] for pid in provisions}
        for p in provisions.values():
            for target in p.overrides:
                overridden_by[target].append(p.id)
        self.check_cycles(provisions, overridden_by)
        order = self.applies_order(provisions)  # both kinds of cycle are reported in one run
        self.sink.raise_if_any()
        return m.CheckedSpec(
            name=self.name,
            laws={k: v.title for k, v in self.laws.items()},
            facts=self.facts,
            assumptions=assumptions,
            actions=self.actions,
            provisions=provisions,
            goals=goals,
            examples=examples,
            overridden_by={k: tuple(v) for k, v in overridden_by.items()},
            order=order,
            as_of=self.as_of,
            acceptances=acceptances,
            phrasings=phrasings,
            language=language,
        )

    def acceptances(self) -> tuple:
        """The spec's `accept` lines as (finding id, justification, span). A question the
        solver could not decide (`UNK-…`) cannot be accepted: it may hide any finding, and
        accepting it would report a timeout as consistent."""
        out = []
        for a in self.items(s.AcceptDecl):
            if a.finding.startswith(m.UNKNOWN_ID_PREFIX):
                self.error("accept", sentence('`{finding}` is a question the solver could not decide in time; it cannot be accepted', finding=a.finding), _within(a.span, a.finding),
                           help=sentence('remove this line, and give the solver more time with `--timeout` or split the spec into smaller ones'))
            out.append((a.finding, a.justification, a.span))
        return tuple(out)

    def declare_phrasings(self) -> dict:
        """The `reads` lines: (name, language) → Phrasing, for facts and enum values."""
        out: dict = {}
        for r in self.items(s.ReadsDecl):
            name, language = r.name.text, r.language.text
            if language not in m.LANGUAGES:
                self.error("language", sentence('unknown language `{language}`', language=language), r.language.span,
                           help=suggest(language, m.LANGUAGES) or sentence('write `sv` or `en`'))
                continue
            fact = self.facts.get(name)
            if fact is None and name not in self.value_owner:
                self.error("unknown-name", sentence('unknown fact or value `{name}`', name=name), r.name.span,
                           help=suggest(name, list(self.facts) + list(self.value_owner))
                           or sentence('`reads` phrases a declared fact or enum value'))
                continue
            if r.negative is not None and not (fact is not None and isinstance(fact.type, m.BoolType)):
                self.error("reads", sentence('only a bool fact reads differently when false; `{name}` is not one', name=name),
                           r.span, help=sentence('leave out the `, not "…"` part: `reads {name} {language} "…"`', name=name, language=language))
                continue
            if (name, language) in out:
                self.error("duplicate", sentence('`{name}` already reads in `{language}`', name=name, language=language), r.span)
                continue
            out[(name, language)] = m.Phrasing(r.positive, r.negative)
        return out

    def declare_language(self) -> str | None:
        """The spec's language, for messages and prose: the one its files declare (`språk sv`,
        `language en`: the same declaration picks their keywords, syntax/surface.py), where
        those that declare one agree; else none, and the locale decides."""
        declared = {f.language for f in self.files if f.declared}
        return next(iter(declared)) if len(declared) == 1 else None

    def declare_laws(self):
        for law in self.items(s.LawDecl):
            if law.name.text in self.laws:
                self.error("duplicate", sentence('the law `{law}` is declared twice', law=law.name.text), law.name.span,
                           notes=((sentence("first declared here"), self.laws[law.name.text].span),))
            else:
                self.laws[law.name.text] = law

    def declare_enums(self):
        for enum in self.items(s.EnumDecl):
            name = enum.name.text
            if name in self.enums:
                self.error("duplicate", sentence('the enumeration `{name}` is declared twice', name=name), enum.name.span,
                           notes=((sentence("first declared here"), self.enum_spans[name]),))
                continue
            members = []
            for value in enum.values:
                if value.name.text in members:
                    self.error("duplicate", sentence('`{text}` is listed twice in `{name}`', text=value.name.text, name=name), value.name.span)
                    continue
                members.append(value.name.text)
                self.value_owner.setdefault(value.name.text, []).append(name)
            self.enums[name] = m.EnumType(name, tuple(members), tuple(v.description for v in enum.values))
            self.enum_spans[name] = enum.name.span

    def declare_facts(self):
        for fact in self.items(s.FactDecl):
            name = fact.name.text
            if name in self.facts:
                self.error("duplicate", sentence('the fact `{name}` is declared twice', name=name), fact.name.span,
                           notes=((sentence("first declared here"), self.facts[name].span),))
                continue
            t = fact.type
            if isinstance(t, s.BoolTypeSyntax):
                ftype = m.BoolType()
            elif isinstance(t, s.IntRangeSyntax):
                if t.low > t.high:
                    self.error("type", sentence('the range `{low}..{high}` is empty', low=t.low, high=t.high), t.span,
                               help=sentence('write the smaller bound first: `{high}..{low}`', high=t.high, low=t.low))
                    continue
                ftype = m.IntType(t.low, t.high)
            else:
                if t.name.text not in self.enums:
                    self.error("unknown-type", sentence('unknown type `{t}`', t=t.name.text), t.name.span,
                               help=_other_surface(t.name) or suggest(t.name.text, list(self.enums) + ["bool"])
                               or sentence("a fact's type is `bool`, a range like `0..130`, or a declared `enum`"))
                    continue
                ftype = self.enums[t.name.text]
            self.facts[name] = m.Fact(name, ftype, fact.description, fact.name.span)

    def declare_actions(self):
        for action in self.items(s.ActionDecl):
            name = action.name.text
            if name in self.actions:
                self.error("duplicate", sentence('the action `{name}` is declared twice', name=name), action.name.span,
                           notes=((sentence("first declared here"), self.actions[name].span),))
                continue
            if name in self.facts:
                self.error("duplicate", sentence('`{name}` is already a fact; an action needs its own name', name=name),
                           action.name.span)
                continue
            if action.default not in (None, m.PERMITTED, m.FORBIDDEN):
                self.error("default", sentence("an action's default is `permitted` or `forbidden`, not `{default}`", default=action.default),
                           action.span, help=sentence('leave the default out to have undecided situations reported as gaps'))
                continue
            self.actions[name] = m.Action(name, action.description, action.default, action.name.span)

    def check_names(self):
        """No declared name is a word of the language, and no two look alike (names.py)."""
        from ..syntax.surface import declared_language
        from .names import foreign_letters, is_reserved, skeleton

        declared = [("law", law.name.text, law.name.span) for law in self.laws.values()]
        for enum in self.items(s.EnumDecl):
            declared.append(("enumeration", enum.name.text, enum.name.span))
            declared.extend(("value", v.name.text, v.name.span) for v in enum.values)
        declared.extend(("fact", f.name, f.span) for f in self.facts.values())
        declared.extend(("action", a.name, a.span) for a in self.actions.values())
        seen: dict[str, tuple[str, str, Span]] = {}
        languages: dict[int, str] = {}  # a name is reserved by the surface of its own file
        for kind, name, span in declared:
            source = span.source
            if source is not None and id(source) not in languages:
                languages[id(source)] = declared_language(source.text)
            if is_reserved(name, languages.get(id(source), "en")):
                self.error("reserved", sentence('`{name}` is a word of the language and cannot name {a}', name=name, a=_a(kind)), span,
                           help=sentence("choose another name for it, such as the statute's own word"))
                continue
            first = seen.setdefault(skeleton(name), (kind, name, span))
            if first[1] != name:
                letters = foreign_letters(name) or foreign_letters(first[1])
                self.error("lookalike", sentence('the {kind} `{name}` looks the same as the {first} `{first2}` but is another name; it differs in {letters}', kind=_noun(kind), name=name, first=_noun(first[0]), first2=first[1], letters=letters), span,
                           notes=((sentence("`{name}` is declared here", name=first[1]), first[2]),),
                           help=sentence('write both with the same letters (retype the name, or use the other one); names are compared after Unicode NFKC normalisation and with Cyrillic and Greek letters that look Latin taken as Latin'))

    def declare_provisions(self):
        for p in self.items(s.ProvisionDecl):
            c = p.citation
            law = self.default_law(c.span, c.law, None)
            if law is None:
                continue
            citation = Citation(law, c.chapter, c.paragraph, c.letter, c.stycke, c.punkt)
            pid = citation.swedish()
            if pid in self.provision_syntax:
                self.error("duplicate", sentence('`{pid}` is cited by two provisions', pid=pid), c.span,
                           notes=((sentence("first here"), self.provision_syntax[pid].citation.span),),
                           help=sentence('give one of them its stycke or punkt, or merge them'))
                continue
            self.provision_syntax[pid] = p
            self.citations[pid] = citation

    def declare_outside(self):
        for o in self.items(s.OutsideScope):
            for sel in o.selectors:
                resolved = self.selector(sel, None)
                if resolved is not None:
                    self.outside.append(resolved)

    def selector(self, sel: s.SelectorSyntax, context_law: str | None) -> Selector | None:
        law = self.default_law(sel.span, sel.law, context_law)
        if law is None:
            return None
        return Selector(law, sel.chapters, sel.paragraphs, sel.stycke, sel.punkt)

    def select(self, sel: s.SelectorSyntax, context_law: str | None, naming: bool = False) -> list[str]:
        resolved = self.selector(sel, context_law)
        if resolved is None:
            return []
        chosen = [pid for pid in self._candidates(resolved) if resolved.matches(self.citations[pid])]
        if not chosen and not any(self._within(resolved, o) for o in self.outside):
            self.error("selects-nothing", (sentence('`{selector}` names no provision of this spec', selector=resolved.describe()) if naming
                        else sentence('`{selector}` selects no provision of this spec', selector=resolved.describe())),
                       sel.span,
                       help=sentence('if the spec leaves it out on purpose, say so: `outside scope {selector} "why"`', selector=resolved.describe()))
        return chosen

    def _candidates(self, sel: Selector) -> list[str]:
        """The provisions of `sel`'s law in its chapters, in declaration order: an index, so
        that a law of thousands of provisions, each naming a few others, is not read through
        once for every name (built again only when provisions were declared since)."""
        import bisect

        if self._chapter_index is None or self._chapter_index[0] != len(self.citations):
            by_chapter: dict[tuple[str, int | None], list[str]] = {}
            for pid, c in self.citations.items():
                by_chapter.setdefault((c.law, c.chapter), []).append(pid)
            chapters: dict[str, list[int]] = {}
            for law, chapter in by_chapter:
                if chapter is not None:
                    chapters.setdefault(law, []).append(chapter)
            position = {pid: i for i, pid in enumerate(self.citations)}
            by_paragraph: dict[tuple, list[str]] = {}
            for pid, c in self.citations.items():
                by_paragraph.setdefault((c.law, c.chapter, c.paragraph, c.letter), []).append(pid)
            self._chapter_index = (len(self.citations), by_chapter, {k: sorted(v) for k, v in chapters.items()},
                                   position, by_paragraph)
        _count, by_chapter, chapters, position, by_paragraph = self._chapter_index
        if sel.paragraphs is not None and sel.paragraphs[0] == sel.paragraphs[1] and (
                sel.chapters is None or sel.chapters[0] == sel.chapters[1]):
            chapter = None if sel.chapters is None else sel.chapters[0]
            return by_paragraph.get((sel.law, chapter, *sel.paragraphs[0]), [])
        if sel.chapters is None:
            return by_chapter.get((sel.law, None), [])
        low, high = sel.chapters
        present = chapters.get(sel.law, [])
        inside = present[bisect.bisect_left(present, low):bisect.bisect_right(present, high)]
        if len(inside) == 1:
            return by_chapter[(sel.law, inside[0])]
        return sorted((pid for c in inside for pid in by_chapter[(sel.law, c)]), key=position.__getitem__)

    @staticmethod
    def _within(sel: Selector, outside: Selector) -> bool:
        """Whether every citation `sel` could name lies inside `outside`."""
        if sel.law != outside.law:
            return False
        if outside.chapters is None or sel.chapters is None:
            if (outside.chapters is None) != (sel.chapters is None):
                return False
        else:
            if not (outside.chapters[0] <= sel.chapters[0] and sel.chapters[1] <= outside.chapters[1]):
                return False
        if outside.paragraphs is None:
            return True
        if sel.paragraphs is None:
            return False
        if not (outside.paragraphs[0] <= sel.paragraphs[0] and sel.paragraphs[1] <= outside.paragraphs[1]):
            return False
        if outside.stycke is not None and sel.stycke != outside.stycke:
            return False
        return True

    def resolve_provisions(self) -> dict[str, m.Provision]:
        out: dict[str, m.Provision] = {}
        syntax_by_pid = self.provision_syntax
        for pid, p in syntax_by_pid.items():
            citation = self.citations[pid]
            law = citation.law
            if p.action.text not in self.actions:
                self.error("unknown-name", sentence('unknown action `{action}`', action=p.action.text), p.action.span,
                           help=suggest(p.action.text, self.actions) or
                           sentence('declare it: `action {action} "what the act is"`', action=p.action.text))
            self.asking = (pid, p.action.text)
            condition = self.condition(p.condition, law) if p.condition is not None else m.TRUE
            self.asking = None
            overrides: list[str] = []
            for clause in p.overrides:
                if isinstance(clause, s.ModalityOverride):
                    scope = None
                    if clause.within:
                        scope = set()
                        for sel in clause.within:
                            scope.update(self.select(sel, law))
                    chosen = [qid for qid in self._by_modality(clause.modality, p.action.text)
                              if qid != pid and (scope is None or qid in scope)]
                    if not chosen and (scope is None or scope):
                        said = (sentence('`overrides {modality}` selects no other `{modality}` provision on `{action}` there',
                                         modality=clause.modality, action=p.action.text)
                                if clause.within else
                                sentence('`overrides {modality}` selects no other `{modality}` provision on `{action}`',
                                         modality=clause.modality, action=p.action.text))
                        self.error("selects-nothing", said,
                                   clause.span,
                                   help=sentence('remove the clause, or name the provisions it should set aside'))
                    overrides.extend(chosen)
                else:
                    for sel in clause.selectors:
                        chosen = self.select(sel, law)
                        if chosen == [pid]:
                            self.error("self-override", sentence('{pid} cannot override itself', pid=pid), sel.span,
                                       help=sentence('name the provisions it sets aside, not its own citation'))
                        overrides.extend(q for q in chosen if q != pid)
            excepts: list[str] = []
            for sel in p.excepts:
                excepts.extend(self.select(sel, law))
            excluded = set(excepts)
            final = sorted({q for q in overrides if q not in excluded}, key=lambda q: self.citations[q].sort_key())
            out[pid] = m.Provision(
                id=pid, citation=citation, title=p.title,
                provenance=m.Provenance(p.provenance.sfs, p.provenance.preparatory_works,
                                        p.provenance.in_force, p.provenance.certainty, p.provenance.notes),
                modality=p.modality, action=p.action.text, condition=condition,
                overrides=tuple(final),
                excepts=tuple(sorted(excluded, key=lambda q: self.citations[q].sort_key())),
                span=p.span,
            )
        return out

    def _by_modality(self, modality: str, action: str) -> list[str]:
        """The provisions of one modality on one act, in declaration order (built once)."""
        if self._modality_index is None:
            self._modality_index = {}
            for qid, q in self.provision_syntax.items():
                self._modality_index.setdefault((q.modality, q.action.text), []).append(qid)
        return self._modality_index.get((modality, action), [])

    def check_cycles(self, provisions, overridden_by):
        self._cycles({pid: p.overrides for pid, p in provisions.items()}, provisions,
                     "override", sentence("these provisions override each other in a circle"))

    def applies_order(self, provisions) -> tuple[str, ...]:
        deps = {pid: tuple(sorted(m.applied_in(p.condition))) for pid, p in provisions.items()}
        if self._cycles(deps, provisions, "applies-cycle",
                        sentence("these provisions ask whether each other applies, in a circle")):
            return ()
        order: list[str] = []
        seen: set[str] = set()
        for root in provisions:
            stack = [(root, iter(deps[root]))]
            if root in seen:
                continue
            seen.add(root)
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    order.append(node)
                    stack.pop()
                elif child not in seen:
                    seen.add(child)
                    stack.append((child, iter(deps[child])))
        return tuple(order)

    def _cycles(self, edges: dict[str, tuple[str, ...]], provisions, code: str, message: str) -> bool:
        """Report each cycle of the graph once, as a path of citations. Iterative DFS."""
        WHITE, GREY, BLACK = 0, 1, 2
        colour = {n: WHITE for n in edges}
        found = False
        reported: set[frozenset] = set()
        for root in edges:
            if colour[root] != WHITE:
                continue
            stack = [(root, iter(edges[root]))]
            path = [root]
            colour[root] = GREY
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    colour[node] = BLACK
                    stack.pop()
                    path.pop()
                    continue
                if colour[child] == GREY:
                    cycle = path[path.index(child):] + [child]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        found = True
                        shown = " → ".join(cycle)
                        self.error(code, sentence("{problem}: {cycle}", problem=message, cycle=shown), provisions[child].span,
                                   help=sentence('remove one of these overrides, or name the provision in `except`')
                                   if code == "override" else sentence('a condition may not depend on itself'))
                elif colour[child] == WHITE:
                    colour[child] = GREY
                    path.append(child)
                    stack.append((child, iter(edges[child])))
        return found

    # ---- goals and examples ---------------------------------------------------------------

    def goal(self, g: s.GoalDecl) -> m.Goal:
        if g.action.text not in self.actions:
            self.error("unknown-name", sentence('unknown action `{action}`', action=g.action.text), g.action.span,
                       help=suggest(g.action.text, self.actions))
        verdicts = set(g.verdicts)
        if g.negated:
            verdicts = set(m.VERDICTS) - verdicts
        condition = self.condition(g.condition) if g.condition is not None else m.TRUE
        expected = g.expected_to_fail
        if g.expected_until is not None:
            # expected to fail on dates before `until`; the law without a date is the latest law
            expected = self.as_of is not None and self.as_of < g.expected_until
        return m.Goal(g.title, g.kind, g.action.text, frozenset(verdicts), condition,
                      expected, g.expected_reason, g.span)

    def applies_on_date(self, e: s.ExampleDecl) -> bool:
        """An example with dates is checked only against the law on those dates (the law
        without a date, as last amended, counts as later than every date)."""
        if self.as_of is None:
            return e.until is None
        if e.since is not None and self.as_of < e.since:
            return False
        return e.until is None or self.as_of < e.until

    def example(self, e: s.ExampleDecl) -> m.Example:
        given: dict[str, object] = {}
        for item in e.given:
            name = item.fact.text
            if name not in self.facts:
                self.error("unknown-name", sentence('unknown fact `{name}`', name=name), item.fact.span,
                           help=suggest(name, self.facts))
                continue
            if name in given:
                self.error("duplicate", sentence('`{name}` is given twice', name=name), item.fact.span)
                continue
            value = self.constant(item.value, self.facts[name].type, name)
            if value is not None:
                given[name] = value.value
        expectations = []
        seen = set()
        for x in e.expectations:
            if x.action.text not in self.actions:
                self.error("unknown-name", sentence('unknown action `{action}`', action=x.action.text), x.action.span,
                           help=suggest(x.action.text, self.actions))
            if x.action.text in seen:
                self.error("duplicate", sentence('the example expects `{action}` twice', action=x.action.text), x.action.span)
            seen.add(x.action.text)
            expectations.append((x.action.text, x.verdict))
        return m.Example(e.title, tuple(given.items()), tuple(expectations), e.span)

    # ---- conditions -----------------------------------------------------------------------

    def condition(self, expr: s.Expr, law: str | None = None) -> m.Expr:
        typed, t = self.expr(expr, law)
        if t is not None and not isinstance(t, m.BoolType):
            self.error("type", sentence('a condition must be true or false, but this is {kind}', kind=self.kind(t)), expr.span,
                       help=sentence('compare it with something, like `ålder >= 18`') if isinstance(t, m.IntType) else None)
        return typed

    @staticmethod
    def kind(t) -> str:
        if isinstance(t, m.BoolType):
            return sentence("true or false")
        if isinstance(t, m.IntType):
            return sentence("a number ({low}..{high})", low=t.low, high=t.high)
        if isinstance(t, m.EnumType):
            return sentence("a `{enum}`", enum=t.name)
        return sentence("a value")

    def constant(self, expr: s.Expr, expected, fact_name: str | None = None) -> m.Const | None:
        """A literal of the expected type (enumeration values by name)."""
        if isinstance(expected, m.EnumType):
            if isinstance(expr, s.NameRef) and expr.name in expected.members:
                return m.Const(expr.name, expr.span)
            shown = expr.name if isinstance(expr, s.NameRef) else expr.span.text()
            self.error("type", sentence('`{shown}` is not a value of `{expected}`', shown=shown, expected=expected.name), expr.span,
                       help=suggest(shown, expected.members) or
                       sentence("its values are {values}", values=", ".join(f"`{v}`" for v in expected.members)))
            return None
        if isinstance(expected, m.IntType):
            if isinstance(expr, s.IntLit):
                if not expected.low <= expr.value <= expected.high:
                    what = f"`{fact_name}`" if fact_name else sentence("this number")
                    self.error("range", sentence("{expr} is outside {what}'s range {low}..{high}", expr=expr.value, what=what, low=expected.low, high=expected.high),
                               expr.span)
                    return None
                return m.Const(expr.value, expr.span)
            self.error("type", sentence('expected a number here, found `{text}`', text=expr.span.text()), expr.span)
            return None
        if isinstance(expr, s.BoolLit):
            return m.Const(expr.value, expr.span)
        self.error("type", sentence('expected `true` or `false` here, found `{text}`', text=expr.span.text()), expr.span)
        return None

    def expr(self, e: s.Expr, law: str | None):
        """Type one expression: returns (typed expression, type or None after an error)."""
        if isinstance(e, s.BoolLit):
            return m.Const(e.value, e.span), m.BoolType()
        if isinstance(e, s.IntLit):
            return m.Const(e.value, e.span), m.IntType(e.value, e.value)
        if isinstance(e, s.NameRef):
            if e.name in self.facts:
                return m.FactRef(e.name, e.span), self.facts[e.name].type
            if e.name in self.value_owner:
                owners = self.value_owner[e.name]
                self.error("type", sentence('`{e}` is a value of `{owners}`, not a fact', e=e.name, owners=owners[0]), e.span,
                           help=self._compare_help(e.name, owners[0]))
                return m.Const(e.name, e.span), None
            if e.name in self.actions:
                self.error("type", sentence('`{e}` is an action; a condition speaks of facts', e=e.name), e.span,
                           help=sentence('to ask whether a provision applies, write `applies(10 kap. 18 a §)`'))
                return m.Const(False, e.span), None
            self.error("unknown-name", sentence('unknown name `{e}`', e=e.name), e.span,
                       help=suggest(e.name, list(self.facts) + list(self.value_owner)) or
                       sentence('declare it: `fact {e}: bool "what it means"`', e=e.name))
            return m.Const(False, e.span), None
        if isinstance(e, s.Not):
            return m.NotE(self.condition(e.operand, law), e.span), m.BoolType()
        if isinstance(e, s.And):
            return m.AndE(tuple(self.condition(x, law) for x in e.operands), e.span), m.BoolType()
        if isinstance(e, s.Or):
            return m.OrE(tuple(self.condition(x, law) for x in e.operands), e.span), m.BoolType()
        if isinstance(e, s.Implies):
            return m.ImpliesE(self.condition(e.premise, law), self.condition(e.conclusion, law), e.span), m.BoolType()
        if isinstance(e, s.Iff):
            return m.IffE(self.condition(e.left, law), self.condition(e.right, law), e.span), m.BoolType()
        if isinstance(e, s.Compare):
            return self.compare(e, law), m.BoolType()
        if isinstance(e, s.InSet):
            operand, t = self.operand(e.operand, law)
            values = []
            if t is not None:
                if isinstance(t, m.IntType) and isinstance(operand, m.Const):
                    self.error("type", sentence('the left side of `in` should be a fact'), e.operand.span)
                for v in e.values:
                    c = self.constant(v, t, operand.fact if isinstance(operand, m.FactRef) else None)
                    if c is not None:
                        values.append(c)
            return m.InE(operand, tuple(values), e.negated, e.span), m.BoolType()
        if isinstance(e, s.Applies):
            chosen: list[str] = []
            for sel in e.selectors:
                chosen.extend(self.select(sel, law, naming=True))
            return m.AppliesE(tuple(dict.fromkeys(chosen)), e.span), m.BoolType()
        if isinstance(e, s.AppliesModality):
            if self.asking is None:
                self.error("applies", sentence("`applies({modality})` can be asked only in a provision's condition, where the act is known", modality=e.modality), e.span, help=sentence('name the provisions: `applies(15 kap. 7 § SoL)`'))
                return m.Const(False, e.span), m.BoolType()
            pid, action = self.asking
            scope = None
            if e.within:
                scope = set()
                for sel in e.within:
                    scope.update(self.select(sel, law, naming=True))
            chosen = [qid for qid, q in self.provision_syntax.items()
                      if q.modality == e.modality and q.action.text == action and qid != pid
                      and (scope is None or qid in scope)]
            return m.AppliesE(tuple(chosen), e.span), m.BoolType()
        raise AssertionError(f"unhandled syntax {e!r}")

    def _compare_help(self, value: str, enum: str) -> str:
        facts = [f.name for f in self.facts.values() if isinstance(f.type, m.EnumType) and f.type.name == enum]
        if facts:
            return sentence("compare a fact with it: `{fact} = {value}`", fact=facts[0], value=value)
        return sentence("declare a fact of type `{enum}` and compare it with `{value}`", enum=enum, value=value)

    def operand(self, e: s.Expr, law, partner: s.Expr | None = None):
        if isinstance(e, s.NameRef) and e.name not in self.facts:
            partner_is_enum = (isinstance(partner, s.NameRef) and partner.name in self.facts
                               and isinstance(self.facts[partner.name].type, m.EnumType))
            if e.name in self.value_owner or (partner_is_enum and e.name not in self.actions):
                # a value, typed by the fact it is compared with (`mottagare = åklagare`)
                return m.Const(e.name, e.span), ("enum-value", e.name)
        return self.expr(e, law)

    def compare(self, e: s.Compare, law) -> m.Expr:
        left, lt = self.operand(e.left, law, e.right)
        right, rt = self.operand(e.right, law, e.left)
        if lt is None or rt is None:
            return m.CmpE(e.op, left, right, e.span)
        # an enumeration value is typed by the other side
        if isinstance(lt, tuple) and isinstance(rt, tuple):
            self.error("type", sentence('compare a fact with a value, not two values'), e.span)
            return m.CmpE(e.op, left, right, e.span)
        if isinstance(lt, tuple) or isinstance(rt, tuple):
            value_side, other_type = (e.left, rt) if isinstance(lt, tuple) else (e.right, lt)
            if not isinstance(other_type, m.EnumType):
                owner = self.value_owner.get(value_side.name, [sentence("an enumeration")])[0]
                self.error("type", sentence('`{value_side}` is a value of `{owner}`, but it is compared with {kind}', value_side=value_side.name, owner=owner, kind=self.kind(other_type)), e.span)
                return m.CmpE(e.op, left, right, e.span)
            const = self.constant(value_side, other_type)
            if isinstance(lt, tuple):
                left, lt = const or left, other_type
            else:
                right, rt = const or right, other_type
        if isinstance(lt, m.IntType) and isinstance(rt, m.IntType):
            for side, other in ((left, rt), (right, lt)):
                if isinstance(side, m.Const) and isinstance(other, m.IntType) and other.low != other.high:
                    if not other.low <= side.value <= other.high:
                        self.error("range", sentence('{side} is outside the range {low}..{high} of what it is compared with', side=side.value, low=other.low, high=other.high), side.span)
            return m.CmpE(e.op, left, right, e.span)
        if type(lt) is not type(rt) or (isinstance(lt, m.EnumType) and lt.name != rt.name):
            self.error("type", sentence('cannot compare {kind} with {kind2}', kind=self.kind(lt), kind2=self.kind(rt)), e.span)
            return m.CmpE(e.op, left, right, e.span)
        if e.op not in ("=", "!="):
            self.error("type", sentence('`{op}` compares numbers; {kind} can only be compared with `=` or `!=`', op=e.op, kind=self.kind(lt)),
                       e.span)
        return m.CmpE(e.op, left, right, e.span)


def _within(span: Span, text: str) -> Span:
    """The span of `text` where it first occurs inside `span` (or `span` itself)."""
    at = span.text().find(text)
    if span.source is None or at < 0:
        return span
    start = span.start + at
    before = span.source.text[:start]
    line = before.count("\n") + 1
    return Span(span.source, start, start + len(text), line, start - (before.rfind("\n") + 1) + 1)


def _a(kind: str) -> str:
    """`a law`, `an action`: what a reserved word cannot name."""
    return {"law": sentence("a law"), "enumeration": sentence("an enumeration"), "value": sentence("a value"), "fact": sentence("a fact"),
            "action": sentence("an action")}.get(kind, kind)


def _noun(kind: str) -> str:
    return {"law": sentence("law"), "enumeration": sentence("enumeration"), "value": sentence("value"), "fact": sentence("fact"),
            "action": sentence("action")}.get(kind, kind)


def resolve_condition(spec: m.CheckedSpec, expr: s.Expr) -> m.Expr:
    """Type a condition written outside a spec (a contract, a command-line question) against
    a checked spec's vocabulary; raise SpecErrors if it does not fit."""
    r = Resolver(spec.name, [], spec.as_of)
    r.facts = dict(spec.facts)
    r.actions = dict(spec.actions)
    r.laws = {name: s.LawDecl(s.Name(name), title) for name, title in spec.laws.items()}
    for fact in spec.facts.values():
        if isinstance(fact.type, m.EnumType):
            for member in fact.type.members:
                owners = r.value_owner.setdefault(member, [])
                if fact.type.name not in owners:
                    owners.append(fact.type.name)
    r.citations = {pid: p.citation for pid, p in spec.provisions.items()}
    typed = r.condition(expr)
    r.sink.raise_if_any()
    return typed


def resolve(name: str, files: list[s.SpecFile], as_of: str | None = None, rules_only: bool = False) -> m.CheckedSpec:
    """Resolve and check one spec (all its files); raise SpecErrors with every problem.

    `as_of` is the date the law is taken on (it decides goals `expected to fail until …`).
    With `rules_only`, goals, examples and acceptances are left out (and not checked): what
    an amendment's contract asks about is the rules alone."""
    return Resolver(name, files, as_of, rules_only).run()


def _other_surface(name) -> str | None:
    """Help for a type written with the other surface's keyword (`bool` in a file written with
    the Swedish keywords, where it is `ja/nej`), as the parser gives it for other keywords: a
    suggestion of the word itself would say nothing."""
    from ..syntax.diagnostics import SpecErrors
    from ..syntax.parse import _other_surface as other_surface
    from ..syntax.surface import read_declaration

    if name.span.source is None:
        return None
    try:
        return other_surface(name.text, read_declaration(name.span.source))
    except SpecErrors:
        return None
