"""A seeded generator of synthetic specs whose rules cut across chapters, as real secrecy law's do.

benchmarks/generate.py cuts the law into independent groups, each pinned to one kind of
information, so that slicing by the kind makes every question small. Real secrecy law also
has rules that set secrecy aside across whole ranges of chapters, conditioned on who gives
and who receives the information rather than on its kind (10 kap. 2 §, 12 kap. 2 §,
10 kap. 15 a §, 10 kap. 27 §, duties from other acts through 10 kap. 28 §). This generator
writes that shape:

- per-kind secrecy in chapters 21–60, each kind with a short chain of exceptions: a secrecy
  provision (`forbid`), a secrecy-breaking rule (`permit`, overriding it), a stricter secrecy
  the breaking rule leaves alone (`except`), and for some kinds a duty to disclose on request;
- a share `crosscutting` of the provisions cut across chapters: permissions conditioned on the
  recipient (`mottagare`) and the holder (`utlämnare`) that override `forbid in A–B kap.` over
  `width` chapters, with an `except` list of sections inside the range; duties conditioned on
  `applies(forbid in A–B kap.)` (a duty from another act that breaks the secrecy of those
  chapters); and general clauses that override secrecy in general except some chapters.

A permission over a range meets, unnamed, the secrecy of every chapter outside it: those are
collisions, as a drafter who writes such a rule without `except` would be told. Every example
is the plainest case of its kind (no circumstance holds), where the kind's first secrecy
provision decides, so examples pass.

    python3 benchmarks/generate_crosscutting.py 1000 --seed 1 --crosscutting 0.06 --width 10 > /tmp/cc1000.lm
"""

from __future__ import annotations

import argparse
import random

FIRST_CHAPTER, LAST_CHAPTER = 21, 60  # the chapters that hold secrecy, as in OSL
SLOTS = 5  # sections a kind takes in its chapter: secrecy, breaking rule, stricter secrecy, duty, spare
RECIPIENTS = 8
HOLDERS = 6
CROSS_FACTS = 12  # the judgements cross-cutting rules are conditioned on (`nödvändigt`, `samtycke`, …)


def generate(n: int, seed: int = 0, changed: float = 0.0, crosscutting: float = 0.06, width: int = 10) -> str:
    """A spec text with about `n` provisions, `crosscutting` of them cutting across `width`
    chapters each. With `changed` > 0, that share of the secrecy-breaking rules (at least
    one) get a different threshold: a second version, for `diff`; everything else is drawn
    the same in both versions."""
    rng = random.Random(seed)
    width = max(1, min(width, LAST_CHAPTER - FIRST_CHAPTER + 1))
    n_cross = max(1, round(crosscutting * n)) if crosscutting > 0 else 0
    # a kind has three provisions, and one in four a duty as well: 3.25 on average
    kinds = max(1, round((n - n_cross) / 3.25))
    n_bools = max(20, n // 10)
    n_ints = max(2, n // 100)
    chapters = LAST_CHAPTER - FIRST_CHAPTER + 1
    per_chapter = -(-kinds // chapters)  # kinds share a chapter when there are more kinds than chapters
    out = ['law L "A synthetic law whose rules cut across chapters, shaped like secrecy law"', ""]
    out.append(f"enum Kind {{ {', '.join(f'k{g}' for g in range(kinds))}, other }}")
    out.append(f"enum Recipient {{ {', '.join(f'r{r}' for r in range(RECIPIENTS))} }}")
    out.append(f"enum Holder {{ {', '.join(f'h{h}' for h in range(HOLDERS))} }}")
    out.append('fact kind: Kind "which secrecy provision covers the information"')
    out.append('fact mottagare: Recipient "the authority that receives the information"')
    out.append('fact utlämnare: Holder "the authority that holds the information"')
    for b in range(n_bools):
        out.append(f'fact b{b}: bool "judgement or circumstance {b}"')
    for c in range(CROSS_FACTS):
        out.append(f'fact c{c}: bool "a judgement a rule across chapters turns on ({c})"')
    for i in range(n_ints):
        high = 130 if i % 2 == 0 else 240
        out.append(f'fact x{i}: 0..{high} "{"an age" if high == 130 else "a minimum penalty in months"} ({i})"')
    out.append('fact uppenbart: bool "it is obvious that disclosure outweighs secrecy"')
    out.append('assume "a judgement is made only for a request" b0 implies b1')
    out.append('action disclose "give the information to another authority" default permitted')
    out.append("")
    provisions: list[str] = []
    used: list[tuple[set, set]] = []  # per kind: the booleans and numbers its rules read
    chapter_of: list[int] = []
    secrecy: dict[int, list[str]] = {}  # chapter → its first secrecy provisions' citations
    to_change = set(random.Random(seed + 1).sample(range(kinds), max(1, round(changed * kinds)))) if changed else set()

    def sfs() -> str:
        return f"(SFS 2020:{len(provisions) + 1}, in force 2020-01-01, verified)"

    for g in range(kinds):
        chapter = FIRST_CHAPTER + g // per_chapter
        chapter_of.append(chapter)
        base = (g % per_chapter) * SLOTS
        cite = [f"{chapter} kap. {base + s + 1} §" for s in range(SLOTS)]
        secrecy.setdefault(chapter, []).append(cite[0])
        b_secret, b_break, b_strict = (rng.randrange(n_bools) for _ in range(3))
        x = rng.randrange(n_ints)
        threshold, strict = rng.randrange(10, 90), rng.randrange(10, 90)
        if g in to_change:
            threshold += 1
        op = rng.choice([">=", "<"])
        used.append(({b_secret, b_break, b_strict}, {x}))
        provisions.append(f'provision {cite[0]} "Secrecy for kind {g}" {sfs()}\n'
                          f"  forbid disclose when kind = k{g} and not b{b_secret}")
        provisions.append(f'provision {cite[1]} "Secrecy-breaking rule for kind {g}" {sfs()}\n'
                          f"  permit disclose when kind = k{g} and x{x} {op} {threshold} and b{b_break}\n"
                          f"  overrides {cite[0]}\n  except {cite[2]}")
        provisions.append(f'provision {cite[2]} "Stricter secrecy for kind {g}" {sfs()}\n'
                          f"  forbid disclose when kind = k{g} and not b{b_strict} and x{x} >= {strict}")
        if g % 4 == 0:
            b_duty = rng.randrange(n_bools)
            used[g][0].add(b_duty)
            provisions.append(f'provision {cite[3]} "Duty to disclose kind {g} on request" {sfs()}\n'
                              f"  oblige disclose when kind = k{g} and b{b_duty} and b1\n"
                              f"  overrides {cite[0]}, {cite[2]}")
    last = max(chapter_of)
    # the rules across chapters, in chapter 10 as OSL has them, numbered after one another
    for r in range(n_cross):
        cite = f"10 kap. {r + 1} §"
        first = rng.randint(FIRST_CHAPTER, max(FIRST_CHAPTER, last - width + 1))
        end = min(last, first + width - 1)
        span = f"{first}–{end} kap." if end > first else f"{first} kap."
        recipient = rng.randrange(RECIPIENTS)
        c = rng.randrange(CROSS_FACTS)
        shape = rng.random()
        if shape < 0.6:
            # a secrecy-breaking rule across a range, for one recipient and some holders,
            # leaving some of the range's secrecy alone (10 kap. 2 §, 10 kap. 15 a §)
            holders = sorted(rng.sample(range(HOLDERS), rng.randint(1, 3)))
            inside = [cite for ch in range(first, end + 1) for cite in secrecy.get(ch, ())]
            excepted = sorted(rng.sample(inside, min(len(inside), rng.randint(1, 3))), key=inside.index)
            body = (f"permit disclose when mottagare = r{recipient} and utlämnare in "
                    f"{{{', '.join(f'h{h}' for h in holders)}}} and c{c}\n  overrides forbid in {span}")
            if excepted:
                body += f"\n  except {', '.join(excepted)}"
            title = f"Necessary for r{recipient}'s work, chapters {span}"
        elif shape < 0.85:
            # a duty from another act, which breaks the range's secrecy where some of it
            # applies (10 kap. 28 §)
            body = (f"oblige disclose when mottagare = r{recipient} and c{c} and applies(forbid in {span})\n"
                    f"  overrides forbid in {span}")
            title = f"Duty to inform r{recipient}, chapters {span}"
        else:
            # a general clause, for one recipient, that leaves some chapters alone (10 kap. 27 §)
            excluded = sorted(rng.sample(range(FIRST_CHAPTER, last + 1), min(3, last - FIRST_CHAPTER + 1)))
            body = (f"permit disclose when mottagare = r{recipient} and uppenbart and c{c}\n  overrides forbid\n"
                    f"  except {', '.join(f'{ch} kap.' for ch in excluded)}")
            title = f"General clause for r{recipient}"
        provisions.append(f'provision {cite} "{title}" {sfs()}\n  {body}')
    # a general clause for everyone, as generate.py has it
    excluded = sorted(rng.sample(sorted(set(chapter_of)), k=min(3, len(set(chapter_of)))))
    provisions.append('provision 1 kap. 27 § "General clause" (SFS 2020:99999, in force 2020-01-01, verified)\n'
                      "  permit disclose when uppenbart\n  overrides forbid\n"
                      f"  except {', '.join(f'{c} kap.' for c in excluded)}")
    out.extend(p + "\n" for p in provisions)
    step = max(1, kinds // max(1, n // 50))
    for g in range(0, kinds, step):
        out.append(f'goal "kind {g} can be disclosed in some case"\n  possibly disclose is permitted when kind = k{g}\n')
    for r in range(0, RECIPIENTS, 3):
        out.append(f'goal "r{r} can be told in some case"\n  possibly disclose is permitted when mottagare = r{r}\n')
    crosses = ", ".join(f"c{c} = false" for c in range(CROSS_FACTS))
    for g in range(0, kinds, step):
        # the kind's plainest case: no circumstance holds, every number is 0, nothing is obvious:
        # its first secrecy provision decides
        bools, ints = used[g]
        given = [f"kind = k{g}", "uppenbart = false", "b0 = false", "b1 = false", crosses]
        given += [f"b{b} = false" for b in sorted(bools - {0, 1})] + [f"x{x} = 0" for x in sorted(ints)]
        out.append(f'example "kind {g}, nothing shown"\n  given {", ".join(given)}\n  expect disclose forbidden\n')
    out.append('example "information no secrecy covers"\n  given kind = other\n  expect disclose permitted\n')
    out.append('goal "an obvious case is always disclosable" expected to fail '
               '"the excluded chapters keep their secrecy"\n  disclose is permitted whenever uppenbart\n')
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("provisions", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--changed", type=float, default=0.0,
                        help="share of secrecy-breaking rules whose threshold moves (a second version, for diff)")
    parser.add_argument("--crosscutting", type=float, default=0.06,
                        help="share of the provisions that cut across chapters (default 0.06)")
    parser.add_argument("--width", type=int, default=10, help="chapters a rule across chapters spans (default 10)")
    args = parser.parse_args()
    print(generate(args.provisions, args.seed, args.changed, args.crosscutting, args.width), end="")


if __name__ == "__main__":
    main()
