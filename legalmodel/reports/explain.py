"""Reports of an explanation: text for people and JSON (`legalmodel.explain/1`) for programs.

Rendering only; explain.py decides what is true.
"""

from __future__ import annotations

from ..results import ActionExplanation, Explanation
from .check import _value_text

EXPLAIN_SCHEMA = "legalmodel.explain/1"


def _facts(pairs) -> str:
    """`ålder = 25`; a fact a partial situation leaves open (value None): `ålder not stated`."""
    return ", ".join(f"{f} not stated" if v is None else f"{f} = {_value_text(v)}" for f, v in pairs)


def _aside(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else "one or more of " + ", ".join(names)


def _state(t, full: bool) -> str:
    """Whether a provision applies and is in force; in a partial situation None means it
    depends on facts not stated."""
    if t.in_force is True:
        return "applies and is in force"
    if t.triggered is False:
        return "does not apply"
    if t.triggered is True and t.in_force is False:
        return "applies, but is set aside by " + (", ".join(t.set_aside_by) if full else _aside(t.set_aside_by))
    if t.triggered is True:
        return f"applies; whether {_aside(t.set_aside_by)} sets it aside depends on facts not stated"
    if t.in_force is False:
        return f"may apply, depending on facts not stated; where it does, {_aside(t.set_aside_by)} sets it aside"
    return "may apply and be in force, depending on facts not stated"


def _trace_lines(a: ActionExplanation, trace, indent: str, full: bool) -> list[str]:
    lines = []
    for t in trace:
        lines.append(f"{indent}{t.modality} · {t.id} “{t.title}”: {_state(t, full)}")
        for p in t.parts:
            mark = "?" if p.holds is None else "✓" if p.holds else "✗"
            facts = f"   ({_facts(p.facts)})" if p.facts else ""
            lines.append(f"{indent}    {mark} {p.text}{facts}")
    return lines


def _decided_by(sure, maybe, default: str, by_default: bool) -> str:
    """The provisions that decide; in a partial situation also those in force in some
    completions only (`by_default`: the action's default gives the verdict where none is)."""
    if not maybe:
        return ", ".join(sure) or default
    if sure:
        return ", ".join(sure) + " (and, depending on facts not stated, " + ", ".join(maybe) + ")"
    return " or ".join([*maybe, *(["the default"] if by_default else [])]) + ", depending on facts not stated"


def render_explain_text(x: Explanation, notation: str = "logic") -> str:
    """The explanation for people. With `notation` "prose", the completions of a partial
    situation (where each verdict is given) are said in words, in the current language
    (reports/prose.py); with "logic", as formulas."""
    out = []
    if x.given:
        out.append(("situation: " if x.full else "partial situation: ") + _facts(x.given.items()))
    else:
        out.append("no facts given: every situation")
    for a in x.actions:
        out.append("")
        if a.unknown:
            # nothing found before the limit is shown: conditions cut short would name facts
            # the outcome does not depend on
            out.append(f"`{a.action}`: unknown, not answered in full: {a.unknown}; no partial answer is shown "
                       "(a longer time limit may answer it)")
            continue
        if a.settled:
            default = x.spec.actions[a.action].default
            deciding = _decided_by(a.deciding, a.maybe_deciding, "no provision: the action's default",
                                   default == a.verdict)
            out.append(f"`{a.action}` is {a.verdict}, decided by {deciding}")
            out.extend(_trace_lines(a, a.trace, "  ", x.full))
            if not x.full:
                out.append("  (every completion of the given facts has this verdict; ✓ and ✗ hold in every "
                           "completion, ? depends on facts not stated)")
        else:
            out.append(f"`{a.action}` is not settled by the given facts: it can be "
                       + " or ".join(a.possible) + "; it depends on " + ", ".join(f"`{f}`" for f in a.depends_on))
            for comp in a.completions:
                if notation == "prose" and comp["conditions"]:
                    from ..i18n import current
                    from .prose import tree, words

                    where = words(tree(x.spec, comp["conditions"], current()))
                else:
                    where = " ∧ ".join(c.describe() for c in comp["conditions"]) or "any completion"
                out.append(f"  {comp['verdict']} where {where}, decided by {', '.join(comp['deciding']) or 'the default'}")
        for w in a.why_not:
            out.append(f"  why not: {w['provision']}: {w['reason']}" if w["provision"] else f"  why not: {w['reason']}")
            for f in w["failed"]:
                facts = f["facts"]
                ruled_out = "; the assumptions rule it out" if facts and all(v is None for v in facts.values()) \
                    and w["reason"] == "its condition does not hold" else ""
                mark = "?" if w["reason"].startswith("its condition cannot hold") else "✗"
                out.append(f"      {mark} {f['part']}   ({_facts(facts.items())}{ruled_out})" if facts
                           else f"      {mark} {f['part']}")
        cf = a.counterfactual
        if cf is not None:
            changed = ", ".join(f"{f} from {_value_text(old)} to {_value_text(new)}" for f, old, new in cf.changes)
            n = len(cf.changes)
            settled = "" if cf.complete else " whatever the facts not stated"
            out.append(f"  smallest change: {n} {'fact' if n == 1 else 'facts'}: {changed} → `{a.action}` is "
                       f"{cf.verdict}{settled}, decided by {_decided_by(cf.deciding, cf.maybe_deciding, 'the default', x.spec.actions[a.action].default == cf.verdict)}")
        elif a.smallest_change_unknown is not None:
            out.append(f"  smallest change: not found within the time limit ({a.smallest_change_unknown})")
        elif a.settled and x.given:
            out.append("  no change of the given facts can change this verdict" if x.full else
                       "  no change of the given facts settles another verdict")
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
                "depends_on": list(a.depends_on), "decided_by": list(a.deciding),
                "may_be_decided_by": list(a.maybe_deciding), "trace": trace(a.trace),
                "completions": [{"verdict": c["verdict"], "where": [k.to_json() for k in c["conditions"]],
                                 "situation": c["situation"], "decided_by": list(c["deciding"])}
                                for c in a.completions],
                "why_not": a.why_not, "unknown": a.unknown}
        cf = a.counterfactual
        item["smallest_change"] = None if cf is None else {
            "changes": [{"fact": f, "from": old, "to": new} for f, old, new in cf.changes],
            "verdict": cf.verdict, "decided_by": list(cf.deciding), "may_be_decided_by": list(cf.maybe_deciding),
            "complete_situation": cf.complete, "situation": cf.situation}
        if a.smallest_change_unknown is not None:  # only then: a time limit struck
            item["smallest_change_unknown"] = a.smallest_change_unknown
        actions.append(item)
    return {"schema": EXPLAIN_SCHEMA, "spec": x.spec.name, "as_of": x.spec.as_of, "given": dict(x.given),
            "complete_situation": x.full, "actions": actions}
