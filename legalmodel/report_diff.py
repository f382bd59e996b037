"""Reports of a semantic diff: text for people, Markdown for a review, JSON for programs.

Rendering only. The JSON layout is the documented schema `legalmodel.diff/1` (docs/json.md).
"""

from __future__ import annotations

from .diff import Change, ContractResult, DiffResult
from .report import _condition_note, _value_text, markdown_cell

DIFF_SCHEMA = "legalmodel.diff/1"


def _sides(change: Change) -> tuple[str, str]:
    before = ", ".join(change.old_deciding) or "no provision (the default)"
    after = ", ".join(change.new_deciding) or "no provision (the default)"
    return before, after


def deciders_summary(items: list[Change]) -> str:
    """Which provisions decide before and after across a change's regions, with how many
    regions each decides: the change in a lawyer's terms before the list of regions."""
    def tally(side: str) -> str:
        counts: dict[str, int] = {}
        for c in items:
            key = ", ".join(getattr(c, side)) or "no provision (the default)"
            counts[key] = counts.get(key, 0) + 1
        if len(counts) == 1:
            return next(iter(counts))
        return "; ".join(f"{k} ({n})" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"decided before by {tally('old_deciding')}; after by {tally('new_deciding')}"


def common_conditions(items: list[Change]) -> tuple:
    """The conditions every item of a group shares, so the report can say them once."""
    if len(items) < 2:
        return ()
    shared = [c for c in items[0].conditions if all(c in other.conditions for other in items[1:])]
    return tuple(shared)


def _rest(change: Change, common: tuple) -> str:
    rest = [c.describe() for c in change.conditions if c not in common]
    return " ∧ ".join(rest) or "(nothing more)"


def _change_lines(change: Change, indent: str, common: tuple = ()) -> list[str]:
    where = _rest(change, common) if common else change.cube_text()
    lines = [f"{indent}{where}" if common else f"{indent}where {where}"]
    if change.conditions:
        width = max(len(c.fact) for c in change.conditions)
        lines.append(f"{indent}  for example:")
        for c in change.conditions:
            note = _condition_note(c)
            lines.append(f"{indent}    {c.fact.ljust(width)}  {_value_text(change.situation[c.fact])}"
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
    if not r.changes:
        out.append("no situation changes its verdict")
    for (action, old, new), items in r.changes.items():
        complete = " (incomplete: more regions than shown)" if (action, old, new) in r.incomplete else ""
        out.append(f"`{action}`: {old} → {new} in {len(items)} {'region' if len(items) == 1 else 'regions'}{complete}")
        out.append(f"  {deciders_summary(items)}")
        common = common_conditions(items)
        if common:
            out.append(f"  where {' ∧ '.join(c.describe() for c in common)}, and one of:")
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
            out.append(f"  {g['change']}: “{g['title']}”")
    if r.examples:
        out.append("examples:")
        for e in r.examples:
            out.append(f"  {e['change']}: “{e['title']}” (`{e['action']}`)")
    if r.contracts:
        out.append("contracts:")
        for c in r.contracts:
            out.append("  " + _contract_line(c))
            if c.counterexample is not None:
                out.extend(_change_lines(c.counterexample, "    "))
    return "\n".join(out).rstrip() + "\n"


def render_diff_markdown(r: DiffResult) -> str:
    out = [f"## What changes: {r.old_label} → {r.new_label}", ""]
    if not r.changes:
        out.append("No situation changes its verdict.")
    for (action, old, new), items in r.changes.items():
        out.append(f"### `{action}`: {old} → {new}")
        out.append("")
        summary = deciders_summary(items)
        out.append(summary[0].upper() + summary[1:] + ".")
        out.append("")
        common = common_conditions(items)
        if common:
            out.append(f"In every row: {' ∧ '.join(c.describe() for c in common)}.")
            out.append("")
        out.append("| # | where | example | decided before | decided after |")
        out.append("|---|---|---|---|---|")
        for i, c in enumerate(items, 1):
            example = ", ".join(f"{x.fact} = {_value_text(c.situation[x.fact])}" for x in c.conditions) or "any"
            before, after = _sides(c)
            where = _rest(c, common) if common else c.cube_text()
            cells = (markdown_cell(x) for x in (where, example, before, after))
            out.append(f"| {i} | " + " | ".join(cells) + " |")
        if (action, old, new) in r.incomplete:
            out.append("")
            out.append("*More regions than shown: the list is incomplete.*")
        out.append("")
    if r.goals:
        out.append("### Goals")
        out.append("")
        out.append("| goal | before | after | change |")
        out.append("|---|---|---|---|")
        for g in r.goals:
            out.append(f"| {markdown_cell(g['title'])} | {g['before'] or '—'} | {g['after'] or '—'} "
                       f"| {g['change']} |")
        out.append("")
    if r.examples:
        out.append("### Examples")
        out.append("")
        out.append("| example | action | before | after |")
        out.append("|---|---|---|---|")
        for e in r.examples:
            out.append(f"| {markdown_cell(e['title'])} | `{e['action']}` | {e['before'] or '—'} "
                       f"| {e['after'] or '—'} |")
        out.append("")
    if r.contracts:
        out.append("### Contracts")
        out.append("")
        for c in r.contracts:
            out.append(f"- {_contract_line(c)}")
            if c.counterexample is not None:
                out.append(f"  - counterexample: {c.counterexample.cube_text()}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def change_json(c: Change) -> dict:
    return {
        "action": c.action,
        "before": c.old,
        "after": c.new,
        "where": [x.to_json() for x in c.conditions],
        "where_text": c.cube_text(),
        "witness": dict(c.situation),
        "decided_before_by": list(c.old_deciding),
        "decided_after_by": list(c.new_deciding),
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
            for (a, o, n), items in r.changes.items()
        ],
        "added_actions": list(r.added_actions),
        "removed_actions": list(r.removed_actions),
        "unknown": list(r.unknown),
        "goals": [dict(g) for g in r.goals],
        "examples": [dict(e) for e in r.examples],
        "contracts": [
            {"source": c.source, "contract": c.text,
             "status": {True: "holds", False: "broken", None: "unknown"}[c.holds],
             "reason": c.reason,
             "counterexample": change_json(c.counterexample) if c.counterexample else None}
            for c in r.contracts
        ],
    }
