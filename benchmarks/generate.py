"""A seeded generator of synthetic specs shaped like real secrecy law.

The law is cut into secrecy groups, one per kind of information. Each group has a secrecy
provision (`forbid`) and a chain of exceptions several levels deep: a secrecy-breaking rule
(`permit`, overriding the secrecy before it), an exception to it (`forbid`, overriding the
permits before it), and so on, with integer thresholds (ages, minimum penalties) and
judgement facts in the conditions. A few duties (`oblige`) override the secrecy of their
group; a general clause overrides secrecy in general except a list of chapters written in
the statute's own form. Goals and examples come in proportion; every example is written
from a situation the generator evaluates itself, so a generated spec is consistent and its
examples pass, as a real law's spec should be.

    python3 benchmarks/generate.py 1000 --seed 1 > /tmp/law1000.lm
"""

from __future__ import annotations

import argparse
import random

GROUP_SIZE = 8  # provisions per secrecy group: one chain of exceptions
KINDS_PER_ENUM = 10


def generate(n: int, seed: int = 0, changed: float = 0.0) -> str:
    """A spec text with about `n` provisions. With `changed` > 0, that share of the
    secrecy-breaking rules (at least one) get a different threshold: a second version, for
    `diff`."""
    rng = random.Random(seed)
    groups = max(1, (n - 1) // GROUP_SIZE)
    n_bools = max(20, n // 10)
    n_ints = max(2, n // 100)
    out = ['law L "A synthetic law, shaped like secrecy law"', ""]
    members = ", ".join(f"k{g}" for g in range(groups))
    out.append(f"enum Kind {{ {members}, other }}")
    out.append('fact kind: Kind "which secrecy provision covers the information"')
    for b in range(n_bools):
        out.append(f'fact b{b}: bool "judgement or circumstance {b}"')
    for i in range(n_ints):
        high = 130 if i % 2 == 0 else 240
        out.append(f'fact x{i}: 0..{high} "{"an age" if high == 130 else "a minimum penalty in months"} ({i})"')
    out.append('fact uppenbart: bool "it is obvious that disclosure outweighs secrecy"')
    out.append('assume "a judgement is made only for a request" b0 implies b1')
    out.append('action disclose "give the information to another authority" default permitted')
    out.append("")
    provisions = []
    chapters = []
    used: list[tuple[set, set]] = []  # per group: the booleans and numbers its rules read
    # the changed version differs in exactly this share of the secrecy-breaking rules, chosen
    # by their own generator so that everything else is drawn the same in both versions
    breaking = groups * (GROUP_SIZE // 2)
    k = max(1, round(changed * breaking)) if changed else 0
    to_change = set(random.Random(seed + 1).sample(range(breaking), k))
    breaking_seen = 0
    for g in range(groups):
        used.append((set(), set()))
        chapter = 10 + g // 6
        chapters.append(chapter)
        cite = [f"{chapter} kap. {(g % 6) * 10 + level + 1} §" for level in range(GROUP_SIZE)]
        forbids = [level for level in range(GROUP_SIZE) if level % 2 == 0]
        for level in range(GROUP_SIZE):
            b = rng.randrange(n_bools)
            x = rng.randrange(n_ints)
            threshold = rng.randrange(10, 90)
            used[g][0].add(b)
            used[g][1].add(x)
            if level % 2 == 0:
                # secrecy; each deeper level is a stricter secrecy for part of the kind's cases
                cond = f"kind = k{g} and not b{b}" + (f" and x{x} >= {threshold}" if level else "")
                title = f"Secrecy for kind {g}" if level == 0 else f"Stricter secrecy {level // 2} for kind {g}"
                body = f"forbid disclose when {cond}"
                if level and rng.random() < 0.25:
                    # a duty that breaks this secrecy: the whereabouts kind of rule
                    pass
            else:
                if breaking_seen in to_change:
                    threshold += 1
                breaking_seen += 1
                op = rng.choice([">=", "<"])
                cond = f"kind = k{g} and x{x} {op} {threshold} and b{b}"
                earlier = [cite[f] for f in forbids if f < level]
                later = [cite[f] for f in forbids if f > level]
                title = f"Secrecy-breaking rule {level // 2 + 1} for kind {g}"
                body = f"permit disclose when {cond}\n  overrides {', '.join(earlier)}"
                if later:
                    body += f"\n  except {', '.join(later)}"
            provisions.append(f'provision {cite[level]} "{title}" (SFS 2020:{len(provisions) + 1}, '
                              f"in force 2020-01-01, verified)\n  {body}")
        if g % 5 == 0:
            b = rng.randrange(n_bools)
            used[g][0].add(b)
            provisions.append(f'provision {chapter} kap. {(g % 6) * 10 + 9} § "Duty to disclose kind {g} on request" '
                              f"(SFS 2020:{len(provisions) + 1}, in force 2020-01-01, verified)\n"
                              f"  oblige disclose when kind = k{g} and b{b} and b1\n"
                              f"  overrides {', '.join(cite[f] for f in forbids)}")
    # a general clause: overrides secrecy in general, except some chapters, as a statute lists them
    distinct = sorted(set(chapters))
    excluded = sorted(rng.sample(distinct, k=min(3, len(distinct))))
    provisions.append('provision 1 kap. 27 § "General clause" (SFS 2020:999, in force 2020-01-01, verified)\n'
                      "  permit disclose when uppenbart\n  overrides forbid\n"
                      f"  except {', '.join(f'{c} kap.' for c in excluded)}")
    out.extend(p + "\n" for p in provisions)
    step = max(1, groups // max(1, n // 50))
    for g in range(0, groups, step):
        out.append(f'goal "kind {g} can be disclosed in some case"\n  possibly disclose is permitted when kind = k{g}\n')
    for g in range(0, groups, step):
        # the kind's plainest case: no circumstance holds, every number is 0, nothing is obvious:
        # its first secrecy provision decides
        bools, ints = used[g]
        given = [f"kind = k{g}", "uppenbart = false", "b0 = false", "b1 = false"]
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
                        help="share of exception rules whose threshold moves (a second version, for diff)")
    args = parser.parse_args()
    print(generate(args.provisions, args.seed, args.changed), end="")


if __name__ == "__main__":
    main()
