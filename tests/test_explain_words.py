"""`explain` in words a reader relies on, in English and Swedish: a tick (✓) or a cross (✗)
stands only beside facts that were stated; a part the assumptions settle without them is
marked `·` and says so; the trace and the smallest change are in the language asked for."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from legalmodel.cli import main

SPEC = '''law L "l"
fact a: bool "the person is at risk"
fact b: bool "the person consents"
fact c: bool "the matter is urgent"
assume "everyone is at risk" a
action x "x"
provision 1 § L "p" forbid x when a and not b
provision 2 § L "q" permit x when b and c
  overrides 1 §
'''


def explain(tmp_path, *args) -> str:
    spec = tmp_path / "law.lm"
    spec.write_text(SPEC, encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(spec), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("language, settled, not_stated", [
    ("en", "holds whatever the facts not stated are", "a not stated"),
    ("sv", "uppfylls oavsett de omständigheter som inte anges", "a anges inte"),
])
def test_no_tick_stands_beside_a_fact_that_was_not_stated(tmp_path, language, settled, not_stated):
    out = explain(tmp_path, "--lang", language, "--given", "not b")
    for line in out.splitlines():
        if ("✓" in line or "✗" in line) and not line.lstrip().startswith("("):  # the legend names both
            assert "not stated" not in line and "anges inte" not in line, line
    assert f"· a   ({not_stated}; {settled})" in out
    # a fact that was stated keeps its mark; one that decides nothing yet is `?`
    assert "✓ not b" in out and "? c" in out


def test_the_trace_and_the_smallest_change_are_in_the_language_asked_for(tmp_path):
    swedish = explain(tmp_path, "--lang", "sv", "--given", "a", "--given", "b", "--given", "c")
    english = explain(tmp_path, "--lang", "en", "--given", "a", "--given", "b", "--given", "c")
    assert swedish.splitlines()[0] == "situation: a = sant, b = sant, c = sant"
    assert "`x` är tillåtet, avgjort av 2 § L" in swedish
    assert "tillåter · 2 § L ”q”: är tillämplig och har verkan" in swedish
    assert "minsta ändring: 1 omständighet: b från sant till falskt → `x` är förbjudet, avgjort av 1 § L" in swedish
    assert "`x` is permitted, decided by 2 § L" in english
    assert "smallest change: 1 fact: b from true to false → `x` is forbidden, decided by 1 § L" in english


def test_why_not_is_in_the_language_asked_for(tmp_path):
    swedish = explain(tmp_path, "--lang", "sv", "--given", "not b", "--why-not", "permitted")
    assert "varför inte: 2 § L: dess villkor är inte uppfyllt" in swedish
    english = explain(tmp_path, "--lang", "en", "--given", "not b", "--why-not", "permitted")
    assert "why not: 2 § L: its condition does not hold" in english
