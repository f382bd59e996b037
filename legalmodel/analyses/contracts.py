"""The contracts of an amendment (`contract only widens …`, `contract unchanged where …`):
whether the law just after the act keeps what the act promises of the law just before it.

A contract is checked on the two versions around its act: a dated amendment on its own date,
a proposal on the law in force on the date asked for. `check` reports a broken or undecided
contract as a finding; `diff` lists every contract with its result.
"""

from __future__ import annotations

from .certify import Disagreement, certify
from ..i18n import Words, sentence
from ..syntax.diagnostics import SpecErrors
from ..law.history import Amendment, History, around, same_rules
from ..law.resolve import resolve, resolve_condition
from ..results import ContractResult, Evidence, Finding
from ..syntax.tree import BoolLit


def typed_contracts(amendment: Amendment, new_spec) -> list[tuple]:
    """An amendment's contracts, typed against the law it produces, as the differ takes them:
    (the act's name, kind, text, condition, action)."""
    from ..syntax.diagnostics import Diagnostic, suggest

    out = []
    unknown = [Diagnostic("unknown-name", sentence("unknown action `{action}` in a contract of {act}",
                                                   action=c.action.text, act=amendment.name),
                          c.action.span, help=suggest(c.action.text, new_spec.actions)
                          or sentence("the actions of the law: {actions}",
                                      actions=", ".join(new_spec.actions) or sentence("none")))
               for c in amendment.contracts if c.action is not None and c.action.text not in new_spec.actions]
    if unknown:  # bad input, as an unknown action in a goal is; not a broken contract
        raise SpecErrors(unknown)
    for c in amendment.contracts:
        condition = resolve_condition(new_spec, c.condition) if c.kind == "unchanged" else None
        text = " ".join(c.span.text().split())
        out.append((amendment.name, c.kind, text, condition, c.action.text if c.action else None))
    return out


def contract_results(history: History, amendment: Amendment, timeout_ms: int | None,
                     as_of: str | None = None) -> list[ContractResult]:
    """Check an amendment's contracts on the law just before and just after it: a dated
    amendment on its own date; a proposal on the law in force on `as_of` (None: as last
    amended)."""
    return _checked(history, amendment, timeout_ms, as_of)[0]


def _checked(history: History, amendment: Amendment, timeout_ms: int | None,
             as_of: str | None) -> tuple[list[ContractResult], object]:
    """contract_results, and the law just after the act (None where nothing needed it)."""
    from .diff import Differ

    before_files, after_files = around(history, amendment, as_of)
    if same_rules(before_files, after_files) and all(
            c.kind == "unchanged" and isinstance(c.condition, BoolLit) for c in amendment.contracts):
        # the same rules before and after, and contracts with nothing to type: all hold
        return [ContractResult(amendment.name, " ".join(c.span.text().split()), True)
                for c in amendment.contracts], None
    date = amendment.date or as_of
    old = resolve(history.name, before_files, date, rules_only=True)
    new = resolve(history.name, after_files, date, rules_only=True)
    d = Differ(old, new, timeout_ms)
    return [d.contract(*c) for c in typed_contracts(amendment, new)], new


def _evidence(new, change, act: str) -> Evidence:
    """A broken contract's counterexample as evidence, replayed by the evaluator on the law
    just after the act: its verdict there, the provisions in force and those triggered (that
    apply), as every other finding's evidence names them. The situation is the differ's own:
    a nicer one would have to keep the verdict before the act too, which this law cannot see."""
    own = {f: v for f, v in change.situation.items() if f in new.facts}  # a fact the act dropped is not read
    whole = certify(new, own, lambda e: e.verdicts[change.action] == change.new,
                    f"the counterexample of a contract of {act}")
    return Evidence(change.situation, change.conditions, {change.action: whole.verdicts[change.action]},
                    tuple(sorted(whole.in_force, key=new.position.__getitem__)),
                    tuple(sorted(whole.triggered, key=new.position.__getitem__)),
                    label=sentence("`{action}` goes from {old} to {new}", action=change.action,
                                   old=Words(change.old), new=Words(change.new)))


def contract_findings(history: History, amendment: Amendment, timeout_ms: int | None,
                      as_of: str | None = None) -> list[Finding]:
    """Broken or undecided contracts of an amendment, as findings of `check` (a proposal's on
    the law in force on `as_of`, as `diff --as-of … --proposal` checks them)."""
    findings = []
    results, new = _checked(history, amendment, timeout_ms, as_of)
    for decl, result in zip(amendment.contracts, results):
        if result.holds:
            continue
        if result.holds is None:
            findings.append(Finding("unknown", "error",
                                    sentence("could not decide whether {act} keeps `{contract}` within the time "
                                             "limit ({reason})", act=amendment.name, contract=result.text,
                                             reason=result.reason),
                                    amendment.name, decl.span, identity=(result.text,)))
            continue
        evidence = ()
        details = (result.reason,) if result.reason else ()
        c = result.counterexample
        if c is not None:
            evidence = (_evidence(new, c, amendment.name),)
            details = (sentence("before: {old} by {old_deciding}; after: {new} by {new_deciding}",
                                old=Words(c.old), old_deciding=", ".join(c.old_deciding) or sentence("no provision"),
                                new=Words(c.new), new_deciding=", ".join(c.new_deciding) or sentence("no provision")),)
        findings.append(Finding("broken-contract", "error",
                                sentence("{act} breaks its contract `{contract}`", act=amendment.name,
                                         contract=result.text),
                                amendment.name, decl.span, c.action if c else None,
                                tuple(c.new_deciding) if c else (), evidence, details,
                                identity=(result.text,)))
    return findings


def contract_task(history: History, amendment: Amendment, timeout_ms: int | None, as_of: str | None):
    """contract_findings, with what stops it (bad input, a disagreement) as its result: the
    task may run in another process, and the error is raised where one process would have
    raised it, after the analyses."""
    try:
        return contract_findings(history, amendment, timeout_ms, as_of)
    except (SpecErrors, Disagreement) as err:
        return err
