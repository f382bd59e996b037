"""Which versions of a law a command is about: one spec among the paths given, the two
versions a diff compares (two specs, two dates, or the law without and with one act), and the
provision a citation on the command line names on a date.

Every way to ask for something that is not there is a `UsageError` whose message says what
there is instead.
"""

from __future__ import annotations

from ..i18n import _, said, sentence
import functools

from ..syntax.citations import Citation
from ..syntax.diagnostics import SpecErrors, suggest
from .history import History, all_versions, around, find_amendments
from .model import CheckedSpec
from ..pipeline import SpecUnit, UsageError, discover, history_of, law_of
from .resolve import resolve
from ..frozen import frozen_dataclass


def single_unit(path: str) -> SpecUnit:
    """The one spec at `path`; a usage error where it holds several."""
    units = discover([path])
    if len(units) != 1:
        raise UsageError(_("`{path}` holds {count} specs; name one of them: {names}").format(
            path=path, count=len(units), names=", ".join(u.name for u in units)))
    return units[0]


def label(name: str, date: str | None) -> str:
    """How a report names a version: `specs/osl on 2016-10-05`, `… as last amended`."""
    # Words: English in the JSON, said in the reader's language by the prose diff
    return sentence("{spec} on {date}", spec=name, date=date) if date else sentence("{spec} as last amended", spec=name)


@frozen_dataclass
class Comparison:
    """Two versions of a law to diff, their labels, the contracts to check as they are
    (typed: contracts.typed_contracts) and tasks that check more contracts (each returning a
    list of ContractResult)."""

    old: CheckedSpec
    new: CheckedSpec
    old_label: str
    new_label: str
    contracts: tuple = ()
    contract_tasks: tuple = ()
    # one law on two dates: its history and the dates, by which the answer is kept
    # (analyses/stored.py); None for other comparisons, which are asked afresh each time
    history: History | None = None
    dates: tuple = ()


def between_dates(history: History, date_from: str | None, date_to: str | None, timeout_ms: int | None,
                  name: str | None = None, specs: tuple[CheckedSpec, CheckedSpec] | None = None) -> Comparison:
    """One law on two dates (None: as last amended), with the contracts of every amendment
    that enters into force after the first date and by the second. `specs`: the law on
    both dates, where the caller has them already (law_of of the same history and dates)."""
    from ..analyses.contracts import contract_results

    name = name or history.name
    contracts = tuple(functools.partial(contract_results, history, a, timeout_ms) for a in history.amendments
                      if a.contracts and (date_from is None or a.date > date_from)
                      and (date_to is None or a.date <= date_to))
    old, new = specs or (law_of(history, date_from), law_of(history, date_to))
    return Comparison(old, new, label(name, date_from),
                      label(name, date_to), contract_tasks=contracts, history=history, dates=(date_from, date_to))


def around_act(history: History, wanted: str, as_of: str | None, option: str,
               as_of_for_proposals_only: bool = False) -> Comparison:
    """The law just before and just after one amendment or proposal (`wanted`: its SFS
    number, file or title), with its contracts; a proposal on the law in force on `as_of`.
    `option` is how the user named the act (`--amendment`), for messages. An amendment is
    compared on its own date: `as_of` given with one is a usage error, unless
    `as_of_for_proposals_only`."""
    from ..analyses.contracts import typed_contracts

    matches = find_amendments(history, wanted)
    if not matches:
        names = ", ".join(x.name for x in history.amendments + history.proposals) or _("none")
        raise UsageError(_('no amendment or proposal `{wanted}` in {history}; it has: {names}').format(wanted=wanted, history=history.name, names=names))
    if len(matches) > 1:
        listed = "; ".join(f"{x.name} “{x.decl.title}” ({x.decl.span.location()})" for x in matches)
        raise UsageError(_('`{wanted}` names {count} amendments in {history}: {listed}; name one by its title, like {option} "{title}"').format(wanted=wanted, count=len(matches), history=history.name, listed=listed, option=option, title=matches[0].decl.title))
    a = matches[0]
    if as_of and not a.is_proposal and as_of_for_proposals_only:
        as_of = None
    if as_of and not a.is_proposal:
        raise UsageError(_('--as-of does not apply to {a}: an amendment is compared on its own date ({date}); --as-of is for a proposal, which has none').format(a=a.name, date=a.date))
    before_files, after_files = around(history, a, as_of)
    date = a.date or as_of
    old = resolve(history.name, before_files, date)
    new = resolve(history.name, after_files, date)
    if date:
        without = sentence("{spec} on {date} without {act}", spec=history.name, date=date, act=a.name)
        with_act = sentence("{spec} on {date} with {act}", spec=history.name, date=date, act=a.name)
    else:
        without = sentence("{spec} without {act}", spec=history.name, act=a.name)
        with_act = sentence("{spec} with {act}", spec=history.name, act=a.name)
    return Comparison(old, new, without, with_act,
                      tuple(typed_contracts(a, new)))


def comparison(paths: list[str], date_from: str | None = None, date_to: str | None = None,
               as_of: str | None = None, amendment: str | None = None, proposal: str | None = None,
               timeout_ms: int | None = 10_000) -> Comparison:
    """The two versions `legalmodel diff` compares, from its arguments: two specs (on one
    date, or each on its own), one spec on two dates, or one spec without and with an
    amendment or a proposal. Every other combination is a usage error that says why."""
    if len(paths) > 2:
        raise UsageError(_('give one spec (with --from/--to, --amendment or --proposal) or two specs'))
    if amendment and proposal:
        raise UsageError(_('give --amendment or --proposal, not both: each compares the law without and with one act'))
    change = "--amendment" if amendment else "--proposal" if proposal else None
    dates = (" " + _("and") + " ").join(o for o, v in (("--from", date_from), ("--to", date_to)) if v)
    if change and dates:
        raise UsageError(_('{change} compares the law just before and after the act; it cannot be combined with {dates}, which compare two dates').format(change=change, dates=dates))
    if as_of and dates:
        raise UsageError(_('give --as-of or {dates}, not both: --as-of is the one date of both versions').format(dates=dates))
    if len(paths) == 2:
        if change:
            raise UsageError(_('{change} compares one spec without and with the act; with two specs, leave it out (or give one spec)').format(change=change))
        old_h = history_of(single_unit(paths[0]))
        new_h = history_of(single_unit(paths[1]))
        old_date, new_date = (as_of, as_of) if as_of else (date_from, date_to)
        return Comparison(law_of(old_h, old_date), law_of(new_h, new_date), label(paths[0], old_date),
                          label(paths[1], new_date))
    history = history_of(single_unit(paths[0]))
    if amendment or proposal:
        return around_act(history, amendment or proposal, as_of, change)
    if as_of:
        raise UsageError(_('with one spec, --as-of is the date of the law a --proposal is applied to; to compare two dates, give --from and --to'))
    if date_from is None and date_to is None:
        raise UsageError(_('with one spec, say what to compare: --from/--to, --amendment or --proposal'))
    return between_dates(history, date_from, date_to, timeout_ms)


def citation_argument(text: str) -> Citation:
    """A citation given as the CITATION argument, or a usage error that names the argument,
    the text and what was expected (a diagnostic would point into no file)."""
    from ..syntax.parse import parse_citation

    try:
        return parse_citation(text)
    except SpecErrors as err:
        if "more than one paragraph" in err.diagnostics[0].message:
            raise UsageError(_('the CITATION argument `{text}` names more than one paragraph; name one, like `10 kap. 18 a §`').format(text=text)) from None
        raise UsageError(_('the CITATION argument `{text}` is not a citation; expected one paragraph, like `10 kap. 18 a §`, `10 kap. 18 a § OSL` or `OSL 10:18 a`').format(text=text)) from None


def find_provision(spec: CheckedSpec, text: str, history: History | None = None) -> str:
    """The id of the provision a command-line citation names, or a usage error that suggests
    one. A citation without a law's name means the one provision of that number in any law of
    the spec (as `history` reads it); if several laws have one, the law must be named. With the
    law's `history`, a provision not in force on the spec's date is said to be not yet in force
    (or no longer), with the act and the date."""
    if text in spec.provisions:  # a provision's own id (as the report asks): nothing to read
        return text
    c = citation_argument(text)
    number = (c.chapter, c.paragraph, c.letter, c.stycke, c.punkt)
    matches = [pid for pid, p in spec.provisions.items()
               if (p.citation.chapter, p.citation.paragraph, p.citation.letter, p.citation.stycke,
                   p.citation.punkt) == number and (c.law is None or p.citation.law == c.law)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(_('`{text}` names a provision in {count} laws: {names}; name the law, like `{matches}`').format(text=text, count=len(matches), names=', '.join(matches), matches=matches[0]))
    if history is not None:
        _not_in_force(history, spec.as_of, c, number)
    laws = list(spec.laws)
    law = c.law or (laws[0] if len(laws) == 1 else "")
    pid = Citation(law, *number).swedish(with_law=bool(law))
    hint = suggest(pid, spec.provisions)
    raise UsageError(_("the spec has no provision {provision}").format(provision=pid) + (f"; {said(hint)}" if hint else ""))


def _not_in_force(history: History, as_of: str | None, c: Citation, number: tuple) -> None:
    """A usage error for a provision the law has had, or will have, but not on `as_of`: not
    yet in force (with the act and the date it enters into force), or no longer in force."""
    versions = [v for key, vs in all_versions(history).items()
                if key[1:] == number and (c.law is None or key[0] == c.law) for v in vs]
    if not versions:
        return
    key = versions[0].key
    name = Citation(key[0] or "", *key[1:]).swedish(with_law=bool(key[0]))
    when = _("on {date}").format(date=as_of) if as_of else _("as last amended")
    later = sorted((v for v in versions if v.since and as_of and v.since > as_of), key=lambda v: v.since)
    if later:
        v = later[0]
        act = v.by if v.by != "base" else (v.provision.provenance.sfs or _("its act"))
        raise UsageError(_('{name} is not yet in force {when}: {act} puts it into force on {since}; give --as-of {since} or later').format(name=name, when=when, act=act, since=v.since))
    ended = sorted((v for v in versions if v.until and (as_of is None or v.until <= as_of)),
                   key=lambda v: v.until)
    if ended:
        raise UsageError(_('{name} is no longer in force {when}: it was in force until {until}; give an --as-of before {until}').format(name=name, when=when, until=ended[-1].until))
