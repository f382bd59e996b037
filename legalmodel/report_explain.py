"""Reports of an explanation: text for people and JSON (`legalmodel.explain/1`) for programs.

Rendering only; explain.py decides what is true.
"""

from __future__ import annotations

from .explain import ActionExplanation, Explanation
from .report import _value_text

EXPLAIN_SCHEMA = "legalmodel.explain/1"


def _facts(pairs) -> str:
    return ", ".join(f"{f} = {_value_text(v)}" for f, v in pairs)


def _trace_lines(a: ActionExplanation, trace, indent: str) -> list[str]:
    lines = []
    for t in trace:
        if t.in_force:
            state = "applies and is in force"
        elif t.triggered:
            state = "applies, but is set aside by " + ", ".join(t.set_aside_by)
        else:
            state = "does not apply"
        lines.append(f"{indent}{t.modality} · {t.id} “{t.title}”: {state}")
        for p in t.parts:
            mark = "✓" if p.holds else "✗"
            facts = f"   ({_facts(p.facts)})" if p.facts else ""
            lines.append(f"{indent}    {mark} {p.text}{facts}")
    return lines


def render_explain_text(x: Explanation) -> str:
    out = []
    if x.given:
        out.append(("situation: " if x.full else "partial situation: ") + _facts(x.given.items()))
    else:
        out.append("no facts given: every situation")
    for a in x.actions:
        out.append("")
        if a.unknown:
            out.append(f"`{a.action}`: unknown (the solver gave up: {a.unknown})")
            continue
        if a.settled:
            deciding = ", ".join(a.deciding) or "no provision: the action's default"
            out.append(f"`{a.action}` is {a.verdict}, decided by {deciding}")
            out.extend(_trace_lines(a, a.trace, "  "))
            if not x.full:
                out.append("  (every completion of the given facts has this verdict)")
        else:
            out.append(f"`{a.action}` is not settled by the given facts: it can be "
                       + " or ".join(a.possible) + "; it depends on " + ", ".join(f"`{f}`" for f in a.depends_on))
            for comp in a.completions:
                where = " ∧ ".join(c.describe() for c in comp["conditions"]) or "any completion"
                out.append(f"  {comp['verdict']} where {where}, decided by {', '.join(comp['deciding']) or 'the default'}")
        for w in a.why_not:
            who = w["provision"] or "—"
            out.append(f"  why not: {who}: {w['reason']}")
            for f in w["failed"]:
                out.append(f"      ✗ {f['part']}   ({_facts(f['facts'].items())})" if f["facts"] else f"      ✗ {f['part']}")
        cf = a.counterfactual
        if cf is not None:
            changed = ", ".join(f"{f} from {_value_text(old)} to {_value_text(new)}" for f, old, new in cf.changes)
            n = len(cf.changes)
            out.append(f"  smallest change: {n} {'fact' if n == 1 else 'facts'}: {changed} → `{a.action}` is "
                       f"{cf.verdict}, decided by {', '.join(cf.deciding) or 'the default'}")
        elif a.settled and x.given:
            out.append("  no change of the given facts can change this verdict")
    return "\n".join(out) + "\n"


def explain_json(x: Explanation) -> dict:
    def trace(tr):
        return [{"provision": t.id, "title": t.title, "modality": t.modality, "applies": t.triggered,
                 "in_force": t.in_force, "set_aside_by": list(t.set_aside_by),
                 "condition": [{"part": p.text, "holds": p.holds, "facts": dict(p.facts)} for p in t.parts]}
                for t in tr]

    actions = []
    for a in x.actions:
        item = {"action": a.action, "settled": a.settled, "verdict": a.verdict, "possible": list(a.possible),
                "depends_on": list(a.depends_on), "decided_by": list(a.deciding), "trace": trace(a.trace),
                "completions": [{"verdict": c["verdict"], "where": [k.to_json() for k in c["conditions"]],
                                 "situation": c["situation"], "decided_by": list(c["deciding"])}
                                for c in a.completions],
                "why_not": a.why_not, "unknown": a.unknown}
        cf = a.counterfactual
        item["smallest_change"] = None if cf is None else {
            "changes": [{"fact": f, "from": old, "to": new} for f, old, new in cf.changes],
            "verdict": cf.verdict, "decided_by": list(cf.deciding), "situation": cf.situation}
        actions.append(item)
    return {"schema": EXPLAIN_SCHEMA, "spec": x.spec.name, "as_of": x.spec.as_of, "given": dict(x.given),
            "complete_situation": x.full, "actions": actions}
