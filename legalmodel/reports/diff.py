"""Reports of a semantic diff: text for people, Markdown for a review, JSON for programs.

Rendering only. The JSON layout is the documented schema `legalmodel.diff/1` (docs/json.md).
"""

from __future__ import annotations

from ..results import ContractResult, DiffResult, Region
from .check import _condition_note, _value_text, markdown_cell

DIFF_SCHEMA = "legalmodel.diff/1"


DEFAULT = "no provision (the default)"


def _side(at_witness: tuple[str, ...], in_region: tuple[str, ...]) -> str:
    text = ", ".join(at_witness) or DEFAULT
    elsewhere = [p for p in in_region if p not in at_witness]
    return text + (f"; elsewhere in the region also by {', '.join(elsewhere)}" if elsewhere else "")


def _side_said(at_witness: tuple[str, ...], in_region: tuple[str, ...]) -> str:
    """_side in the current language (the prose diff)."""
    from ..i18n import _

    text = ", ".join(at_witness) or DEFAULT
    elsewhere = [p for p in in_region if p not in at_witness]
    return text + (_("; elsewhere in the region also by {provisions}").format(provisions=", ".join(elsewhere))
                   if elsewhere else "")


def _sides(change: Region, side=_side) -> tuple[str, str]:
    return (side(change.old_deciding, change.old_deciding_in_region),
            side(change.new_deciding, change.new_deciding_in_region))


def _deciders(items: list[Region], side: str, default: str) -> tuple[str, str]:
    """Who decides on one side (`old`, `new`) across a change's regions: the sets that decide
    at the witnesses, with how many regions each decides, and those that decide elsewhere in
    some regions, with how many ("" where none does)."""
    def counted(counts: dict[str, int], alone: bool) -> str:  # alone: one key needs no count
        if alone and len(counts) == 1:
            return next(iter(counts))
        return "; ".join(f"{k} ({n})" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    at_witnesses: dict[str, int] = {}
    elsewhere: dict[str, int] = {}
    for c in items:
        at_witness, in_region = getattr(c, f"{side}_deciding"), getattr(c, f"{side}_deciding_in_region")
        key = ", ".join(at_witness) or default
        at_witnesses[key] = at_witnesses.get(key, 0) + 1
        for p in in_region:
            if p not in at_witness:
                elsewhere[p] = elsewhere.get(p, 0) + 1
    return counted(at_witnesses, True), counted(elsewhere, len(items) == 1) if elsewhere else ""


def deciders_summary(items: list[Region]) -> str:
    """Which provisions decide before and after across a change's regions: at the witnesses,
    with how many regions each set decides, then those that decide elsewhere in some regions,
    with how many: the change in a lawyer's terms before the list of regions."""
    def side(name: str) -> str:
        at_witnesses, elsewhere = _deciders(items, name, DEFAULT)
        return at_witnesses + (f"; elsewhere in the regions also by {elsewhere}" if elsewhere else "")

    return f"decided before by {side('old')}; after by {side('new')}"


def common_conditions(items: list[Region]) -> tuple:
    """The conditions every item of a group shares, so the report can say them once."""
    if len(items) < 2:
        return ()
    shared = [c for c in items[0].conditions if all(c in other.conditions for other in items[1:])]
    return tuple(shared)


def _said(conditions, empty: str, translated: bool = False) -> tuple[str, list[str]]:
    """A region's plain conditions as one conjunction (`empty` when there are none), and
    each exception as `except where …` (`translated`: in the current language, `utom när …`;
    else in English, as the text of `--notation logic` is)."""
    from ..i18n import _

    plain = " ∧ ".join(c.describe() for c in conditions if c.kind != "except") or empty
    template = _("except where {condition}") if translated else "except where {condition}"
    return plain, [template.format(condition=" ∧ ".join(a.describe() for a in c.cube))
                   for c in conditions if c.kind == "except"]


def _where_lines(conditions, indent: str, lead: str, empty: str) -> list[str]:
    """Conditions as the text report says them: the plain ones on the first line after
    `lead`, then one line for each exception."""
    plain, exceptions = _said(conditions, empty)
    return [f"{indent}{lead}{plain}"] + [f"{indent}  {e}" for e in exceptions]


def where_inline(conditions, empty: str, translated: bool = False) -> str:
    """Conditions on one line: the plain ones, then `, except where …` for each exception."""
    plain, exceptions = _said(conditions, empty, translated)
    return ", ".join([plain, *exceptions])


def _rest(change: Region, common: tuple) -> str:
    return where_inline([c for c in change.conditions if c not in common], "(nothing more)")


def _shown_facts(change: Region) -> dict[str, str]:
    """The facts an item's conditions name, each once in the order they are first named,
    with what its own condition allows (none for a fact named only in exceptions)."""
    shown: dict[str, str] = {}
    for c in change.conditions:
        for fact in c.facts:
            if fact not in shown or (c.kind != "except" and not shown[fact]):
                shown[fact] = "" if c.kind == "except" else _condition_note(c)
    return shown


def _change_lines(change: Region, indent: str, common: tuple = ()) -> list[str]:
    if common:
        lines = _where_lines([c for c in change.conditions if c not in common], indent, "", "(nothing more)")
    else:
        lines = _where_lines(change.conditions, indent, "where ", "every situation")
    if change.conditions:
        shown = _shown_facts(change)
        width = max(len(f) for f in shown)
        lines.append(f"{indent}  for example:")
        for fact, note in shown.items():
            lines.append(f"{indent}    {fact.ljust(width)}  {_value_text(change.situation[fact])}"
                         + (f"   ({note})" if note else ""))
    before, after = _sides(change)
    lines.append(f"{indent}  before: {change.old} by {before}")
    lines.append(f"{indent}  after:  {change.new} by {after}")
    return lines


def _contract_line(c: ContractResult) -> str:
    state = {True: "holds", False: "BROKEN", None: "unknown"}[c.holds]
    return f"{state}: `{c.text}` ({c.source})" + (f": {c.reason}" if c.reason else "")


def render_diff_text(r: DiffResult) -> str:
    out = [f"diff: {r.old_label} → {r.new_label}", ""]
    if not r.covers:
        out.append("no situation changes its verdict")
    for (action, old, new), items in r.covers.items():
        complete = " (incomplete: more regions than shown)" if (action, old, new) in r.incomplete else ""
        out.append(f"`{action}`: {old} → {new} in {len(items)} {'region' if len(items) == 1 else 'regions'}{complete}")
        out.append(f"  {deciders_summary(items)}")
        common = common_conditions(items)
        if common:
            out.extend(_where_lines(common, "  ", "where ", "every situation"))
            out.append("  and one of:")
        for i, change in enumerate(items, 1):
            lines = _change_lines(change, "     ", common)
            lines[0] = f"  {i:>2}. " + lines[0][5:]
            out.extend(lines)
        out.append("")
    for a in r.added_actions:
        out.append(f"new action `{a}`")
    for a in r.removed_actions:
        out.append(f"action `{a}` no longer ruled on")
    if r.unknown:
        out.append("undecided within the time limit: " + "; ".join(r.unknown))
    if r.goals:
        out.append("goals:")
        for g in r.goals:
            out.append(f"  {g.change}: “{g.title}”")
    if r.examples:
        out.append("examples:")
        for e in r.examples:
            out.append(f"  {e.change}: “{e.title}” (`{e.action}`)")
    if r.contracts:
        out.append("contracts:")
        for c in r.contracts:
            out.append("  " + _contract_line(c))
            if c.counterexample is not None:
                out.extend(_change_lines(c.counterexample, "    "))
    return "\n".join(out).rstrip() + "\n"


def render_diff_markdown(r: DiffResult, notation: str = "logic") -> str:
    """The diff fit to paste into a review of an amendment, in the current language. Each
    change of verdict is a table of its regions: with `notation="prose"` each region said in
    words, as the prose diff says it; with `"logic"` as formulas, with an example situation."""
    from ..i18n import _, current, said
    from . import prose
    from .reader import verdict_word

    in_prose = notation != "logic"
    words, language = _Words(r), current()

    def where(conditions, empty: str) -> str:
        if in_prose:
            return prose.words(prose.tree(words, conditions, language)) if conditions else empty
        return where_inline(conditions, empty, translated=True)

    out = [_("## What changes: {old} → {new}").format(old=said(r.old_label), new=said(r.new_label)), ""]
    if not r.covers:
        out.append(_("No situation changes its verdict."))
    for (action, old, new), items in r.covers.items():
        out.append(f"### `{action}`: {verdict_word(old)} → {verdict_word(new)}")
        out.append("")
        out.append(_sentence_of(deciders_said(items)))
        out.append("")
        common = common_conditions(items)
        if common:
            out.append(_("In every row: {conditions}.").format(conditions=markdown_cell(where(common, ""))))
            out.append("")
        columns = [_("situations"), _("decided before"), _("decided after")]
        if not in_prose:
            columns.insert(1, _("example"))
        out.append("| # | " + " | ".join(columns) + " |")
        out.append("|---" * (len(columns) + 1) + "|")
        for i, c in enumerate(items, 1):
            before, after = (_no_default(side) for side in _sides(c, _side_said))
            rest = [x for x in c.conditions if x not in common] if common else list(c.conditions)
            cells = [where(rest, _("(nothing more)") if common else _("in any situation")), before, after]
            if not in_prose:
                cells.insert(1, ", ".join(f"{f} = {_value_text(c.situation[f])}" for f in _shown_facts(c))
                             or _("any"))
            out.append(f"| {i} | " + " | ".join(markdown_cell(x) for x in cells) + " |")
        if (action, old, new) in r.incomplete:
            out.append("")
            out.append("*" + _("More regions than shown: the list is incomplete.") + "*")
        out.append("")
    if r.goals:
        out.append("### " + _("Goals"))
        out.append("")
        out.append("| " + " | ".join((_("goal"), _("before"), _("after"), _("change"))) + " |")
        out.append("|---|---|---|---|")
        for g in r.goals:
            out.append(f"| {markdown_cell(g.title)} | {goal_status_said(g.before)} | {goal_status_said(g.after)} "
                       f"| {goal_change_said(g.before, g.after)} |")
        out.append("")
    if r.examples:
        out.append("### " + _("Examples"))
        out.append("")
        out.append("| " + " | ".join((_("example"), _("act"), _("before"), _("after"))) + " |")
        out.append("|---|---|---|---|")
        for e in r.examples:
            out.append(f"| {markdown_cell(e.title)} | `{e.action}` | {example_status_said(e.before)} "
                       f"| {example_status_said(e.after)} |")
        out.append("")
    if r.contracts:
        out.append("### " + _("Contracts"))
        out.append("")
        for c in r.contracts:
            out.append(f"- {markdown_cell(contract_line_said(c))}")
            if c.counterexample is not None:
                out.append("  - " + markdown_cell(_("for example where {situation}").format(
                    situation=where(c.counterexample.conditions, _("in any situation")))))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def change_json(c: Region) -> dict:
    return {
        "action": c.action,
        "before": c.old,
        "after": c.new,
        "where": [x.to_json() for x in c.conditions],
        "where_text": c.cube_text(),
        "witness": dict(c.situation),
        "decided_before_by": list(c.old_deciding),
        "decided_after_by": list(c.new_deciding),
        "decided_before_in_region_by": list(c.old_deciding_in_region or c.old_deciding),
        "decided_after_in_region_by": list(c.new_deciding_in_region or c.new_deciding),
        "in_force_before": list(c.old_in_force),
        "in_force_after": list(c.new_in_force),
    }


def diff_json(r: DiffResult) -> dict:
    return {
        "schema": DIFF_SCHEMA,
        "before": r.old_label,
        "after": r.new_label,
        "changes": [
            {"action": a, "before": o, "after": n, "complete": (a, o, n) not in r.incomplete,
             "regions": [change_json(c) for c in items]}
            for (a, o, n), items in r.covers.items()
        ],
        "added_actions": list(r.added_actions),
        "removed_actions": list(r.removed_actions),
        "unknown": list(r.unknown),
        "goals": [g.to_json() for g in r.goals],
        "examples": [e.to_json() for e in r.examples],
        "contracts": [
            {"source": c.source, "contract": c.text,
             "status": {True: "holds", False: "broken", None: "unknown"}[c.holds],
             "reason": c.reason,
             "counterexample": change_json(c.counterexample) if c.counterexample else None}
            for c in r.contracts
        ],
    }


# ---- prose ------------------------------------------------------------------------------------

class _Words:
    """The vocabulary and phrasings of both versions, as reports/prose.py reads a spec: a fact
    the new version dropped still has its words from the old one."""

    def __init__(self, r: DiffResult):
        self.facts = r.vocabulary
        self.phrasings = {**r.old.phrasings, **r.new.phrasings}


def render_diff_prose(r: DiffResult, width: int = 100) -> str:
    """The diff for a reader (`--notation prose`, the default): for each change of verdict,
    who decides before and after, then each region in words, in the current language, wrapped
    to `width`. The regions are exact, so every condition is said; only the example situation
    is left out (`--notation logic` and JSON give it)."""
    from ..i18n import _, current, ngettext, quoted, said
    from . import prose
    from .reader import _paragraph, verdict_word

    words = _Words(r)
    language = current()
    out = [_("diff: {old} → {new}").format(old=said(r.old_label), new=said(r.new_label)), ""]
    if not r.covers:
        out.append(_("No situation changes its verdict."))
    for (action, old, new), items in r.covers.items():
        head = ngettext("`{act}` goes from {before} to {after} in {n} region of situations",
                        "`{act}` goes from {before} to {after} in {n} regions of situations", len(items)).format(
            act=action, before=verdict_word(old), after=verdict_word(new), n=len(items))
        if (action, old, new) in r.incomplete:
            head += " " + _("(incomplete: there are more than shown)")
        out.extend(_paragraph(head + ".", width, ""))
        for i, change in enumerate(items, 1):
            where = prose.words(prose.tree(words, change.conditions, language)) if change.conditions \
                else _("in any situation")
            before, after = _sides(change, _side_said)
            text = _("{i}. Where {where}: before, {before} by {by_before}; after, {after} by {by_after}.").format(
                i=i, where=where, before=verdict_word(change.old), by_before=_no_default(before),
                after=verdict_word(change.new), by_after=_no_default(after))
            out.extend(_paragraph(text, width, "  "))
        out.append("")
    for a in r.added_actions:
        out.append(_("New act `{act}`.").format(act=a))
    for a in r.removed_actions:
        out.append(_("The act `{act}` is no longer ruled on.").format(act=a))
    if r.unknown:
        out.extend(_paragraph(_("Not decided within the time limit: {what}.").format(what="; ".join(r.unknown)),
                              width, ""))
    if r.goals:
        out.append(_("Goals"))
        for g in r.goals:
            out.extend(_paragraph(f"{goal_change_said(g.before, g.after)}: {quoted(g.title)}", width, "  "))
    if r.examples:
        out.append(_("Examples"))
        for e in r.examples:
            out.extend(_paragraph(f"{example_change_said(e.before, e.after)}: {quoted(e.title)} (`{e.action}`)",
                                  width, "  "))
    if r.contracts:
        out.append(_("Contracts"))
        for c in r.contracts:
            out.extend(_paragraph(contract_line_said(c), width, "  "))
            if c.counterexample is not None:
                where = prose.words(prose.tree(words, c.counterexample.conditions, language))
                out.extend(_paragraph(_("For example where {situation}.").format(situation=where), width, "    "))
    return "\n".join(out).rstrip() + "\n"


def _no_default(side: str) -> str:
    from ..i18n import _

    return side.replace(DEFAULT, _("no provision (the default)"))


# ---- the words of a diff in the current language ------------------------------------------------

def deciders_said(items: list[Region]) -> str:
    """deciders_summary in the current language."""
    from ..i18n import _

    def side(name: str) -> str:
        at_witnesses, elsewhere = _deciders(items, name, _("no provision (the default)"))
        return at_witnesses + (_("; elsewhere in the regions also by {provisions}").format(provisions=elsewhere)
                               if elsewhere else "")

    return _("decided before by {before}; after by {after}").format(before=side("old"), after=side("new"))


def _sentence_of(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def goal_status_said(status: str | None) -> str:
    """A goal's status on one side of a diff (`holds`, `fails`, `unknown`; None: not there)."""
    from ..i18n import _

    if status is None:
        return "—"
    return {"holds": _("holds"), "fails": _("fails"), "unknown": _("unknown")}.get(status, status)


def goal_change_said(before: str | None, after: str | None) -> str:
    """What happened to a goal from one side of a diff to the other, in the current language
    (the JSON's `change` says it in English: analyses/diff.py)."""
    from ..i18n import _

    if before is None:
        return _("added")
    if after is None:
        return _("removed")
    if before == after:
        return {"holds": _("still holds"), "fails": _("still fails")}.get(after, goal_status_said(after))
    if after == "holds":
        return _("met")
    if before == "holds":
        return _("broken")
    return f"{goal_status_said(before)} → {goal_status_said(after)}"


def example_status_said(status: str | None) -> str:
    """An expectation's status on one side of a diff, in the current language."""
    from ..i18n import _

    if status is None:
        return "—"
    return {"passes": _("passes"), "fails": _("does not pass"), "underdetermined": _("underdetermined"),
            "impossible": _("impossible"), "unknown": _("unknown")}.get(status, status)


def example_change_said(before: str | None, after: str | None) -> str:
    """What happened to an expectation from one side of a diff to the other."""
    from ..i18n import _

    if before is None:
        return _("added")
    if after is None:
        return _("removed")
    if before == after:
        return {"passes": _("still passes"), "fails": _("still does not pass")}.get(
            after, _("still {status}").format(status=example_status_said(after)))
    if after == "passes":
        return _("now passes")
    if before == "passes" and after == "fails":
        return _("now fails")
    return _("now {status}").format(status=example_status_said(after))


def contract_line_said(c: ContractResult) -> str:
    """`holds: `contract …` (SFS 2020:2)`, in the current language."""
    from ..i18n import _, said

    line = {True: _("holds: `{contract}` ({act})"), False: _("BROKEN: `{contract}` ({act})"),
            None: _("unknown: `{contract}` ({act})")}[c.holds].format(contract=c.text, act=said(c.source))
    return line + (f": {said(c.reason)}" if c.reason else "")
