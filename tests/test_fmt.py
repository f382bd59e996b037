"""`legalmodel fmt`: the canonical layout never changes what a spec means, is a fixed point,
and keeps every comment.

Properties over generated specs (tests/strategies.py writes the text, with comments on lines
of their own; these tests add comments at the ends of lines of code too):

1. the formatted text parses and resolves to the same model: spans are outside equality on
   every node, so `CheckedSpec ==` compares facts, assumptions, actions, provisions (with
   their conditions, overrides and excepts), goals and examples; the order of declarations
   is compared as well, since reports list provisions in the spec's order;
2. formatting the formatted text changes nothing;
3. every comment of the input is a line of the output.

And the command itself: `fmt --check` exits 1 on an unformatted file (changing nothing) and
0 on a formatted one, `fmt` rewrites in place, and the project's own specs are canonical.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, note, settings
from hypothesis import strategies as st

from legalmodel.cli import main
from legalmodel.syntax.format import format_text
from legalmodel.pipeline import load_text

from helpers import REPO, make_runner
from strategies import spec_plans

COMMENT = re.compile(r"^\s*(#|//)")


def run(args, cwd: Path):
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = make_runner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command line crashed: {result.exception!r}") from result.exception
    return result


def meaning(text: str):
    """The resolved model, and the order of its declarations (dict equality ignores order)."""
    spec = load_text(text, name="spec.lm")
    order = (list(spec.facts), list(spec.actions), list(spec.provisions), list(spec.laws))
    acceptances = tuple((a[0], a[1]) for a in spec.acceptances)
    return spec, order, acceptances


def comment_lines(text: str) -> list[str]:
    """The comments of a spec: each line whose code part ends in a `#` or `//` comment, as
    the comment's text. Strings in generated specs hold no `#` or `//`."""
    out = []
    for line in text.splitlines():
        m = re.search(r"(#|//).*$", line)
        if m:
            out.append(m.group(0).rstrip())
    return out


@st.composite
def with_trailing_comments(draw):
    """A generated spec, some of whose lines of code get a comment at their end."""
    plan = draw(spec_plans())
    lines = plan.text.split("\n")
    code = [i for i, line in enumerate(lines) if line.strip() and not COMMENT.match(line)]
    chosen = draw(st.lists(st.sampled_from(code), unique=True, max_size=3)) if code else []
    for n, i in enumerate(sorted(chosen)):
        lines[i] += f"  # slutkommentar {n}" if n % 2 == 0 else f" // slutkommentar {n}"
    return "\n".join(lines)


@settings()
@given(spec_plans())
def test_fmt_keeps_the_meaning_and_is_a_fixed_point(plan):
    note(plan.text)
    formatted = format_text(plan.text, "spec.lm")
    note(formatted)
    assert meaning(formatted) == meaning(plan.text)
    assert format_text(formatted, "spec.lm") == formatted


@settings()
@given(with_trailing_comments())
def test_fmt_keeps_every_comment(text):
    note(text)
    formatted = format_text(text, "spec.lm")
    note(formatted)
    output_lines = [line.strip() for line in formatted.splitlines()]
    for comment in comment_lines(text):
        assert comment.strip() in output_lines, f"the comment {comment!r} was lost"
    # and a comment is never duplicated
    assert len(comment_lines(formatted)) == len(comment_lines(text))
    assert meaning(formatted) == meaning(text)
    assert format_text(formatted, "spec.lm") == formatted


def test_fmt_keeps_the_parentheses_a_comparison_of_a_comparison_needs():
    """`(kind = polisen) = false` compares a comparison with false; without its parentheses
    (`kind = polisen = false`) it is not a condition the grammar accepts."""
    text = ('law OSL "o"\nenum Mottagare { polisen, skolan }\nfact mottagare: Mottagare "m"\n'
            'action lämna "l" default permitted\n'
            'provision 26 kap. 1 § "s" forbid lämna when (mottagare = polisen) = false\n')
    formatted = format_text(text, "spec.lm")
    assert meaning(formatted) == meaning(text), formatted
    assert format_text(formatted, "spec.lm") == formatted



def test_fmt_writes_applies_by_modality_back_as_written():
    text = ('law OSL "o"\nfact b: bool "b"\naction lämna "l" default permitted\n'
            'provision 26 kap. 1 § "s" forbid lämna when not b\n'
            'provision 26 kap. 2 § "d" oblige lämna when b and not applies(forbid in 26 kap.)\n'
            'provision 10 kap. 28 § "u" permit lämna when applies(oblige) overrides forbid\n')
    formatted = format_text(text, "spec.lm")
    assert "applies(forbid in 26 kap.)" in formatted and "applies(oblige)" in formatted
    assert meaning(formatted) == meaning(text), formatted
    assert format_text(formatted, "spec.lm") == formatted


# ---- the command -----------------------------------------------------------------------------------

UNFORMATTED = '''# who may tell the police
law   OSL   "Offentlighets- och sekretesslag (2009:400)"
fact risk:bool "risk"   // trailing
action lämna "tell the police"   default permitted
provision  OSL 26:1 "Socialtjänstsekretess"
    forbid lämna when (not risk)
goal "told when at risk" lämna is permitted whenever risk
'''


def test_fmt_check_exits_1_on_an_unformatted_file_and_changes_nothing(tmp_path):
    path = tmp_path / "spec.lm"
    path.write_text(UNFORMATTED, encoding="utf-8")
    assert format_text(UNFORMATTED, "spec.lm") != UNFORMATTED  # the premise
    result = run(["fmt", "--check", "spec.lm"], tmp_path)
    assert result.exit_code == 1
    assert "spec.lm" in result.stdout
    assert path.read_text(encoding="utf-8") == UNFORMATTED


def test_fmt_rewrites_in_place_and_then_check_passes(tmp_path):
    path = tmp_path / "spec.lm"
    path.write_text(UNFORMATTED, encoding="utf-8")
    result = run(["fmt", "spec.lm"], tmp_path)
    assert result.exit_code == 0
    assert "spec.lm" in result.stdout
    rewritten = path.read_text(encoding="utf-8")
    assert rewritten == format_text(UNFORMATTED, "spec.lm")
    assert meaning(rewritten) == meaning(UNFORMATTED)
    for comment in ("# who may tell the police", "// trailing"):
        assert comment in rewritten
    again = run(["fmt", "--check", "spec.lm"], tmp_path)
    assert again.exit_code == 0
    assert again.stdout == ""
    assert path.read_text(encoding="utf-8") == rewritten


def test_fmt_check_exits_0_on_a_formatted_file(tmp_path):
    formatted = format_text(UNFORMATTED, "spec.lm")
    (tmp_path / "spec.lm").write_text(formatted, encoding="utf-8")
    result = run(["fmt", "--check", "spec.lm"], tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / "spec.lm").read_text(encoding="utf-8") == formatted


def test_fmt_leaves_a_file_that_does_not_parse_alone(tmp_path):
    bad = 'law OSL "o"\nfact risk: bool "risk"\nprovision 26 kap. 1 § "x" forbid\n'
    (tmp_path / "bad.lm").write_text(bad, encoding="utf-8")
    for args in (["fmt", "bad.lm"], ["fmt", "--check", "bad.lm"]):
        result = run(args, tmp_path)
        assert result.exit_code == 2
        assert re.search(r"bad\.lm:\d+:\d+: error", result.stderr), result.stderr
        assert (tmp_path / "bad.lm").read_text(encoding="utf-8") == bad


def project_spec_files() -> list[Path]:
    return sorted((REPO / "specs").rglob("*.lm")) + sorted((REPO / "docs" / "tutorial").glob("*.lm"))


def test_the_project_specs_are_in_canonical_form():
    """Every spec in specs/ and every tutorial step is already formatted; the failure lists
    the files that are not (fix them with `legalmodel fmt`)."""
    files = project_spec_files()
    assert len(files) >= 10
    not_canonical = [str(p.relative_to(REPO)) for p in files
                     if format_text(p.read_text(encoding="utf-8"), str(p)) != p.read_text(encoding="utf-8")]
    assert not_canonical == [], f"not in canonical form: {not_canonical}"
    result = run(["fmt", "--check", "specs", "docs/tutorial"], REPO)
    assert result.exit_code == 0, result.stdout
