"""Reports of an explanation: text for people and JSON (`legalmodel.explain/1`) for programs.

Rendering only; explain.py decides what is true.
"""

from __future__ import annotations

from ..i18n import _, ngettext, quoted
from ..results import ActionExplanation, Explanation
from .check import _value_text

EXPLAIN_SCHEMA = "legalmodel.explain/1"


def _value(value) -> str:
    """A fact's value in the current language: `true` reads `sant` in Swedish."""
    if isinstance(value, bool):
        return _("true") if value else _("false")
    return _value_text(value)


def _facts(pairs) -> str:
    """`ålder = 25`; a fact a partial situation leaves open (value None): `ålder not stated`."""
    return ", ".join(_("{fact} not stated").format(fact=f) if v is None
                     else _("{fact} = {value}").format(fact=f, value=_value(v)) for f, v in pairs)


def _aside(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else _("one or more of {provisions}").format(provisions=", ".join(names))


def _state(t, full: bool) -> str:
    """Whether a provision applies and is in force; in a partial situation None means it
    depends on facts not stated."""
    if t.in_force is True:
        return _("applies and is in force")
    if t.triggered is False:
        return _("does not apply")
    if t.triggered is True and t.in_force is False:
        return _("applies, but is set aside by {provisions}").format(
            provisions=", ".join(t.set_aside_by) if full else _aside(t.set_aside_by))
    if t.triggered is True:
        return _("applies; whether {provisions} sets it aside depends on facts not stated").format(
            provisions=_aside(t.set_aside_by))
    if t.in_force is False:
        return _("may apply, depending on facts not stated; where it does, {provisions} sets it aside").format(
            provisions=_aside(t.set_aside_by))
    return _("may apply and be in force, depending on facts not stated")


def _modality(modality: str) -> str:
    return {"forbid": _("forbid"), "permit": _("permit"), "oblige": _("oblige")}.get(modality, modality)


def _part_line(p) -> str:
    """One part of a condition: ✓ or ✗ where the stated facts meet or fail it, ? where it
    depends on facts not stated, and · where it holds or fails whatever those facts are (the
    assumptions settle it): a tick never stands beside a fact that was not stated."""
    facts = f"   ({_facts(p.facts)})" if p.facts else ""
    unstated = any(v is None for _f, v in p.facts)
    if p.holds is None:
        return f"? {p.text}{facts}"
    if not unstated:
        return f"{'✓' if p.holds else '✗'} {p.text}{facts}"
    settled = (_("holds whatever the facts not stated are") if p.holds
               else _("fails whatever the facts not stated are"))
    return f"· {p.text}   ({_facts(p.facts)}; {settled})"


def _trace_lines(a: ActionExplanation, trace, indent: str, full: bool) -> list[str]:
    lines = []
    for t in trace:
        lines.append(f"{indent}{_modality(t.modality)} · {t.id} {quoted(t.title)}: {_state(t, full)}")
        for p in t.parts:
            lines.append(f"{indent}    {_part_line(p)}")
    return lines


def _decided_by(sure, maybe, default: str, by_default: bool) -> str:
    """The provisions that decide; in a partial situation also those in force in some
    completions only (`by_default`: the action's default gives the verdict where none is)."""
    if not maybe:
        return ", ".join(sure) or default
    if sure:
        return _("{provisions} (and, depending on facts not stated, {others})").format(
            provisions=", ".join(sure), others=", ".join(maybe))
    return _("{provisions}, depending on facts not stated").format(
        provisions=(" " + _("or") + " ").join([*maybe, *([_("the default")] if by_default else [])]))


def render_explain_text(x: Explanation, notation: str = "logic", width: int | None = None) -> str:
    """The explanation for people, in the current language. With `notation` "prose", the
    completions of a partial situation (where each verdict is given) are said in words
    (reports/prose.py); with "logic", as formulas. `width`: each line longer than that is
    wrapped, its continuation indented under it (None: not wrapped)."""
    from ..i18n import said
    from .reader import verdict_word

    out = []
    if x.given:
        out.append((_("situation: {facts}") if x.full else _("partial situation: {facts}")).format(
            facts=_facts(x.given.items())))
    else:
        out.append(_("no facts given: every situation"))
    for a in x.actions:
        out.append("")
        if a.unknown:
            # nothing found before the limit is shown: conditions cut short would name facts
            # the outcome does not depend on
            out.append(_("`{act}`: unknown, not answered in full: {reason}; no partial answer is shown "
                         "(a longer time limit may answer it)").format(act=a.action, reason=a.unknown))
            continue
        if a.settled:
            default = x.spec.actions[a.action].default
            deciding = _decided_by(a.deciding, a.maybe_deciding, _("no provision: the action's default"),
                                   default == a.verdict)
            out.append(_("`{act}` is {verdict}, decided by {provisions}").format(
                act=a.action, verdict=verdict_word(a.verdict), provisions=deciding))
            out.extend(_trace_lines(a, a.trace, "  ", x.full))
            if not x.full:
                out.append("  " + _("(every completion of the given facts has this verdict; ✓ and ✗: the stated "
                                    "facts meet or fail the condition in every completion; · it holds or fails "
                                    "whatever the facts not stated are; ? it depends on facts not stated)"))
        else:
            out.append(_("`{act}` is not settled by the given facts: it can be {verdicts}; it depends on "
                         "{facts}").format(act=a.action,
                                           verdicts=(" " + _("or") + " ").join(verdict_word(v) for v in a.possible),
                                           facts=", ".join(f"`{f}`" for f in a.depends_on)))
            for comp in a.completions:
                if notation == "prose" and comp["conditions"]:
                    from ..i18n import current
                    from .prose import tree, words

                    where = words(tree(x.spec, comp["conditions"], current()))
                else:
                    where = " ∧ ".join(c.describe() for c in comp["conditions"]) or _("any completion")
                out.append("  " + _("{verdict} where {situation}, decided by {provisions}").format(
                    verdict=verdict_word(comp["verdict"]), situation=where,
                    provisions=", ".join(comp["deciding"]) or _("the default")))
        for w in a.why_not:
            reason = said(w["reason"])
            out.append("  " + (_("why not: {provision}: {reason}").format(provision=w["provision"], reason=reason)
                               if w["provision"] else _("why not: {reason}").format(reason=reason)))
            for f in w["failed"]:
                facts = f["facts"]
                ruled_out = ("; " + _("the assumptions rule it out")) if facts and all(
                    v is None for v in facts.values()) and w["reason"] == "its condition does not hold" else ""
                mark = "?" if w["reason"].startswith("its condition cannot hold") else "✗"
                if facts and any(v is None for v in facts.values()) and mark == "✗":
                    mark = "·"  # it fails whatever the facts not stated are: no mark of a stated fact
                out.append(f"      {mark} {f['part']}   ({_facts(facts.items())}{ruled_out})" if facts
                           else f"      {mark} {f['part']}")
        cf = a.counterfactual
        if cf is not None:
            changed = ", ".join(_("{fact} from {old} to {new}").format(fact=f, old=_value(old), new=_value(new))
                                for f, old, new in cf.changes)
            n = len(cf.changes)
            decided = _decided_by(cf.deciding, cf.maybe_deciding, _("the default"),
                                  x.spec.actions[a.action].default == cf.verdict)
            change = ngettext("smallest change: {n} fact: {changes} → `{act}` is {verdict}, decided by {provisions}",
                              "smallest change: {n} facts: {changes} → `{act}` is {verdict}, decided by {provisions}",
                              n) if cf.complete else ngettext(
                "smallest change: {n} fact: {changes} → `{act}` is {verdict} whatever the facts not stated, "
                "decided by {provisions}",
                "smallest change: {n} facts: {changes} → `{act}` is {verdict} whatever the facts not stated, "
                "decided by {provisions}", n)
            out.append("  " + change.format(n=n, changes=changed, act=a.action, verdict=verdict_word(cf.verdict),
                                            provisions=decided))
        elif a.smallest_change_unknown is not None:
            out.append("  " + _("smallest change: not found within the time limit ({reason})").format(
                reason=a.smallest_change_unknown))
        elif a.settled and x.given:
            out.append("  " + (_("no change of the given facts can change this verdict") if x.full else
                               _("no change of the given facts settles another verdict")))
    if width is not None:
        from .reader import wrap_line

        out = [wrapped for line in out for wrapped in wrap_line(line, width)]
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
