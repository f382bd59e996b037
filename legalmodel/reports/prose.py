"""Conditions in prose, in Swedish and English: a situation as a lawyer writes it.

Rendering goes through a small structured intermediate, a tree of prose nodes: a `Clause`
says one thing of one fact (in the words the spec's `reads` lines give it, else its
description), `AllOf` joins clauses ("A, B och C"), `AnyOf` gives alternatives ("något av
följande: A, B eller C"), `Unless` an exception ("utom när …"). The tree knows what it says:
`holds(situation)` reads it back, without the words, and the property tests hold it to the
condition it was made from. Nothing here asks the solver or the evaluator.
"""

from __future__ import annotations

import re

from ..i18n import _
from ..law import model as m
from ..results import Condition, Evidence
from ..frozen import frozen_dataclass

# ---- the intermediate ------------------------------------------------------------------------


@frozen_dataclass
class Clause:
    """One fact's restriction: `relation` is `true`, `false`, `in` (one of `values`),
    `not-in`, or `range` (`values` = (low, high), either may be None); `text` its words."""

    fact: str
    relation: str
    values: tuple
    text: str

    def holds(self, situation: dict) -> bool:
        value = situation[self.fact]
        if self.relation == "true":
            return value is True
        if self.relation == "false":
            return value is False
        if self.relation == "in":
            return value in self.values
        if self.relation == "not-in":
            return value not in self.values
        low, high = self.values
        return (low is None or value >= low) and (high is None or value <= high)


@frozen_dataclass
class AllOf:
    parts: tuple

    def holds(self, situation: dict) -> bool:
        return all(p.holds(situation) for p in self.parts)


@frozen_dataclass
class AnyOf:
    parts: tuple

    def holds(self, situation: dict) -> bool:
        return any(p.holds(situation) for p in self.parts)


@frozen_dataclass
class Unless:
    """An exception: the situation is not one where `part` holds."""

    part: object

    def holds(self, situation: dict) -> bool:
        return not self.part.holds(situation)


ProseNode = Clause | AllOf | AnyOf | Unless


# ---- words for facts and values --------------------------------------------------------------

def _phrasing(spec: m.CheckedSpec, name: str, language: str) -> m.Phrasing | None:
    return spec.phrasings.get((name, language))


def value_words(spec: m.CheckedSpec, fact: str, value, language: str) -> str:
    """An enum value as the spec phrases it (`reads`), else its description, else its name."""
    if isinstance(value, str):
        p = _phrasing(spec, value, language)
        if p is not None:
            return p.positive
        t = spec.facts[fact].type
        if isinstance(t, m.EnumType) and t.descriptions:
            described = dict(zip(t.members, t.descriptions)).get(value)
            if described:
                return described
        return value.replace("_", " ")
    return str(value)


def _noun(spec: m.CheckedSpec, fact: str, language: str) -> str:
    p = _phrasing(spec, fact, language)
    return p.positive if p is not None else spec.facts[fact].description


def bool_words(spec: m.CheckedSpec, fact: str, value: bool, language: str) -> str:
    """A bool fact's true or false case in words: its `reads` phrasing, else its description
    (its false case marked by "not")."""
    p = _phrasing(spec, fact, language)
    positive = p.positive if p is not None else spec.facts[fact].description
    if value:
        return positive
    if p is not None and p.negative is not None:
        return p.negative
    return negated(positive, language)


# a short label before a description (`26:1: det står klart att …`, `10:18 a: …`) stays in front
_LABEL = re.compile(r"^([0-9][0-9a-z:. §]{0,11}: )(.+)$", re.S)
_EN_AUXILIARIES = {"is", "are", "was", "were", "can", "may", "must", "will", "should", "could", "would", "has",
                   "have"}
_EN_SUBJECT_WORDS = {"the", "a", "an", "this", "that", "its", "his", "her", "their"}
_EN_PRONOUNS = {"it", "he", "she", "someone", "there", "they", "we"}
_SV_AUXILIARIES = {"är", "kan", "ska", "skall", "får", "måste", "bör", "finns", "behövs", "har", "vill", "var"}
_SV_CLAUSE_WORDS = {"i", "på", "som", "och", "att", "för", "med", "av", "om", "till", "från", "eller", "när", "där"}


def negated(description: str, language: str) -> str:
    """A bool fact's false case from the description of its true case, where no `reads`
    gives one: the clause itself negated where its shape is plain (a subject, then its
    verb: "the person consents" → "the person does not consent"; in Swedish, as a clause
    after `när`, "den enskilde samtycker" → "den enskilde inte samtycker"), a noun phrase's
    article turned ("a risk that …" → "no risk that …", "en risk" → "ingen risk"), else "it is
    not the case that …" ("det inte är så att …"). Only the words move: the fact is the same."""
    label, text = "", description
    m = _LABEL.match(description)
    if m is not None:
        label, text = m.group(1), m.group(2)
    words = text.split(" ")
    # a noun phrase with an indefinite article: "a risk that …" → "no risk that …"
    article = {"a": "no", "an": "no", "en": "ingen", "ett": "inget"}.get(words[0])
    if article is not None and len(words) > 1 and (words[0] in ("a", "an")) == (language != "sv"):
        return label + " ".join([article, *words[1:]])
    clause = (_negated_sv(words) if language == "sv" else _negated_en(words))
    if clause is None:
        return label + _("it is not the case that {case}").format(case=text)
    return label + " ".join(clause)


def _negated_en(words: list[str]) -> list[str] | None:
    if not words:
        return None
    first = words[0].lower()
    if first in _EN_PRONOUNS:
        subject = 1
    elif first in _EN_SUBJECT_WORDS and len(words) > 2:
        subject = 2
    else:
        return None
    verb = words[subject] if len(words) > subject else ""
    rest = words[subject + 1:]
    if verb in _EN_AUXILIARIES and rest and rest[0] not in ("not", "no"):
        if verb in ("has", "have") and not (rest[0] == "been" or rest[0].endswith("ed")):
            return None  # `has a right`: "has not a right" is not how it is said
        if first == "there" and verb in ("is", "are") and rest[0] in ("a", "an", "any", "some"):
            return [*words[:subject], verb, "no", *rest[1:]]  # there is a risk → there is no risk
        return [*words[:subject], "cannot" if verb == "can" else verb, *(() if verb == "can" else ("not",)), *rest]
    if (subject == 2 or first in ("it", "he", "she", "someone")) and re.fullmatch(r"[a-z]+[^s]s", verb) \
            and verb not in ("is", "has", "was", "does"):
        stem = verb[:-3] + "y" if verb.endswith("ies") else verb[:-2] if verb.endswith(("ches", "shes", "sses", "xes")) \
            else verb[:-1]
        return [*words[:subject], "does", "not", stem, *rest]
    return None


def _negated_sv(words: list[str]) -> list[str] | None:
    """`inte` before the finite verb, as a clause after `när` has it."""
    if len(words) < 2:
        return None
    first = words[0].lower()
    if first in ("den", "de") or (first == "det" and words[1].endswith("a") and len(words) > 2):
        subject = 2
    elif first in ("det", "han", "hon", "någon", "man", "ingen") or re.fullmatch(r"\w+(en|et|na|n)", first) \
            and first not in _SV_CLAUSE_WORDS:
        subject = 1
    else:
        return None
    if len(words) <= subject:
        return None
    verb = words[subject]
    if verb in _SV_CLAUSE_WORDS or not (verb in _SV_AUXILIARIES or re.fullmatch(r"\w+[rs]", verb)) \
            or words[subject - 1].endswith(","):
        return None
    if len(words) > subject + 1 and words[subject + 1] == "inte":
        return None
    return [*words[:subject], "inte", *words[subject:]]


def _choice(words: list[str], conjunction: str) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def clause(spec: m.CheckedSpec, c: Condition, language: str) -> Clause:
    """The clause saying what one (non-exception) condition says."""
    if c.kind == "bool":
        return Clause(c.fact, "true" if c.value else "false", (), bool_words(spec, c.fact, c.value, language))
    noun = _noun(spec, c.fact, language)
    if c.kind == "range":
        low, high = c.low, c.high
        if low is not None and low == high:
            text = _("{noun} is {value}").format(noun=noun, value=low)
        elif low is not None and high is not None:
            text = _("{noun} is between {low} and {high}").format(noun=noun, low=low, high=high)
        elif low is not None:
            text = _("{noun} is at least {low}").format(noun=noun, low=low)
        else:
            text = _("{noun} is at most {high}").format(noun=noun, high=high)
        return Clause(c.fact, "range", (low, high), text)
    excluded = c.excluded
    if excluded:  # said by the values it leaves out, where they are fewer
        words = [value_words(spec, c.fact, v, language) for v in excluded]
        if len(words) == 1:
            text = _("{noun} is not {value}").format(noun=noun, value=words[0])
        else:
            text = _("{noun} is neither {values}").format(noun=noun, values=_choice(words, _("nor")))
        return Clause(c.fact, "not-in", tuple(excluded), text)
    words = [value_words(spec, c.fact, v, language) for v in c.members]
    text = _("{noun} is {value}").format(noun=noun, value=_choice(words, _("or")))
    return Clause(c.fact, "in", tuple(c.members), text)


def tree(spec: m.CheckedSpec, conditions, language: str) -> AllOf:
    """The prose tree of a conjunction of conditions: the clauses, then the exceptions."""
    plain = [clause(spec, c, language) for c in conditions if c.kind != "except"]
    exceptions = [Unless(AllOf(tuple(clause(spec, a, language) for a in c.cube)))
                  for c in conditions if c.kind == "except"]
    return AllOf(tuple(plain + exceptions))


def alternatives(spec: m.CheckedSpec, cubes, language: str) -> AnyOf:
    """The prose tree of a disjunction of conjunctions (a diff's regions, for instance)."""
    return AnyOf(tuple(tree(spec, cube, language) for cube in cubes))


# ---- the words of a tree ---------------------------------------------------------------------

def words(node: ProseNode) -> str:
    """The tree as a sentence fragment in the current language: "A, B och C, utom när D"."""
    if isinstance(node, Clause):
        return node.text
    if isinstance(node, Unless):
        return _("except where {condition}").format(condition=words(node.part))
    if isinstance(node, AnyOf):
        parts = [words(p) for p in node.parts]
        if len(parts) == 1:
            return parts[0]
        return _("any of the following: {alternatives}").format(
            alternatives="; ".join(parts[:-1]) + "; " + _("or") + " " + parts[-1])
    plain = [words(p) for p in node.parts if not isinstance(p, Unless)]
    exceptions = [words(p) for p in node.parts if isinstance(p, Unless)]
    if not plain and not exceptions:
        return _("in any situation")
    text = _choice(plain, _("and")) if plain else _("in any situation")
    return ", ".join([text, *exceptions])


# ---- a situation shown as evidence -------------------------------------------------------------

@frozen_dataclass
class SituationProse:
    """A situation in prose: what is shown (`shown`, a tree), and what is summarised: the
    grounds that would change the verdict and are absent (`absent_grounds`), and how many of
    its conditions do not matter to the verdicts (`immaterial`)."""

    shown: AllOf
    absent_grounds: tuple[str, ...]
    immaterial: int
    absent_facts: tuple[str, ...] = ()  # the facts of `absent_grounds`

    def text(self) -> str:
        out = words(self.shown)
        if self.absent_grounds:
            # not counted: situations that differ only in which grounds are absent read alike
            out += "; " + _("and none of the other grounds applies")
        return out


def situation_prose(spec: m.CheckedSpec, ev: Evidence, language: str, premise=frozenset(),
                    summarised=None) -> SituationProse:
    """What a situation shows, minimised: a condition is shown where its fact matters to the
    verdicts (`ev.matters`) or belongs to the question asked (`premise`: a goal's facts); a
    ground that would change the verdict but is absent (a bool fact that matters, false, not
    in the premise) is summarised by number when there are more than two; the rest are left out.
    Evidence without a record of what matters (a contract's) is shown whole. `summarised`,
    when given, limits the grounds that may be summarised to those facts (the grounds absent
    from every situation of a finding: one that tells one situation from another is shown)."""
    if not ev.matters and not premise:
        return SituationProse(tree(spec, ev.conditions, language), (), 0)
    matters = set(ev.matters)
    shown, grounds, immaterial = [], [], 0
    for c in ev.conditions:
        facts = set(c.facts)
        if facts & premise:
            shown.append(c)
        elif facts & matters:
            if c.kind == "bool" and c.value is False and (summarised is None or c.fact in summarised):
                grounds.append(c)
            else:
                shown.append(c)
        else:
            immaterial += 1
    if len(grounds) <= 2:  # two are said as easily as summarised
        shown, grounds = [c for c in ev.conditions if c in shown or c in grounds], []
    absent = tuple(bool_words(spec, c.fact, True, language) for c in grounds)
    return SituationProse(tree(spec, shown, language), absent, immaterial, tuple(c.fact for c in grounds))


def situation_text(spec: m.CheckedSpec, ev: Evidence, language: str, premise=frozenset(),
                   summarised=None) -> str:
    """situation_prose as one sentence fragment."""
    return situation_prose(spec, ev, language, premise, summarised).text()


def common_grounds(spec: m.CheckedSpec, evidence, language: str, premise=frozenset()) -> frozenset | None:
    """The grounds absent from every one of several situations: the ones worth summarising
    (None for a single situation: then every absent ground may be)."""
    if len(evidence) < 2:
        return None
    sets = [set(situation_prose(spec, ev, language, premise).absent_facts) for ev in evidence]
    return frozenset(set.intersection(*sets))
