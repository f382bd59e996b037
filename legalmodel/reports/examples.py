"""Situations rendered as `example` blocks to paste into a spec: the evidence of a check
(`check --as-examples`), the regions of a diff (`diff --as-examples`) and an explained case
(`explain --as-example`). Each block passes as a regression test where it is pasted: it gives
the facts that can matter to its act and expects the verdict the spec gives there.
"""

from __future__ import annotations

from ..i18n import _
from ..law.model import relevant_facts
from .check import _value_text
from ..results import CheckResult, DiffResult, Explanation
from ..syntax.surface import ENGLISH, phrases, spec_language

EN = phrases(ENGLISH)


def example_block(title: str, given: dict, expectations: dict, w: dict[str, str] = EN) -> str:
    """One `example` block, as `fmt` writes it, with the keywords `w` (those of the spec's
    surface, so that the block can be pasted into its files)."""
    def value(v):
        return w["true"] if v is True else w["false"] if v is False else str(v)

    lines = [f'{w["example"]} "{title}"']
    if given:
        lines.append(f"  {w['given']} " + ", ".join(f"{k} = {value(v)}" for k, v in given.items()))
    for action, verdict in expectations.items():
        lines.append(f"  {w['expect']} {action} {w.get(str(verdict), str(verdict))}")
    return "\n".join(lines) + "\n"


def evidence_examples(report: CheckResult) -> str:
    """Each evidence situation as an example block: the facts that can matter to the act, and
    the verdict the spec gives there (so the block passes as a regression test)."""
    spec = report.spec
    w = phrases(spec_language(spec))
    blocks = []
    for f in report.findings:
        for i, ev in enumerate(f.evidence, 1):
            actions = [f.action] if f.action in spec.actions else list(spec.actions)
            facts = set()
            for a in actions:
                facts |= set(relevant_facts(spec, {a}))
            given = {k: ev.situation[k] for k in spec.facts if k in facts and k in ev.situation}
            title = f"{f.kind}: {f.subject}" + (f" ({i})" if len(f.evidence) > 1 else "")
            blocks.append(example_block(title.replace('"', "'"), given, {a: ev.verdicts[a] for a in actions
                                                                         if a in ev.verdicts}, w))
    return "\n".join(blocks)


def change_examples(result: DiffResult) -> str:
    """Each changed situation as an example of the new law (facts that can matter, new verdict)."""
    w = phrases(spec_language(result.new))
    blocks = []
    for (action, old, new), items in result.covers.items():
        facts = set(relevant_facts(result.old, {action})) | set(relevant_facts(result.new, {action}))
        for i, c in enumerate(items, 1):
            given = {k: c.situation[k] for k in result.new.facts if k in facts}
            blocks.append(example_block(f"{action}: {old} → {new} ({i})", given, {action: new}, w))
    return "\n".join(blocks)


def explained_examples(x: Explanation) -> str:
    """The explained situation as `example` blocks that pass when pasted into the spec: one
    block with the settled verdicts; where a verdict is not settled, a comment saying what it
    depends on and one block per possible verdict, with the given facts and the facts that
    settle it there."""
    def title(facts: dict) -> str:
        return "explained: " + (", ".join(f"{k} = {_value_text(v)}" for k, v in facts.items()) or _('any situation'))

    w = phrases(spec_language(x.spec))
    settled = {a.action: a.verdict for a in x.actions if a.settled}
    open_ = [a for a in x.actions if not a.settled and not a.unknown]
    if not open_:
        return example_block(title(x.given), x.given, settled, w)
    blocks = []
    for a in open_:
        depends = ", ".join(f"`{f}`" for f in a.depends_on)
        lines = [_('# `{action}` is not settled by the given facts: it can be {names}; it depends on {depends}. One example for each:').format(action=a.action, names=' or '.join(a.possible), depends=depends)]
        for comp in a.completions:
            facts = dict(x.given)  # the given facts, then those that settle the verdict here
            for c in comp["conditions"]:
                facts[c.fact] = comp["situation"][c.fact]
            lines.append(example_block(title(facts), facts, {**settled, a.action: comp["verdict"]}, w).rstrip("\n"))
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
