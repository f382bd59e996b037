"""Input that used to be accepted wrongly or unsafely (issue 18): reserved words as names,
lookalike names, an act that changes a paragraph before it is in force, several acts on one
day changing one paragraph, two proposals with one title, and a contract on an action the law
does not have."""

from __future__ import annotations

import json

import pytest

from legalmodel.law.names import reserved_words, skeleton

from helpers import diagnostics, load
from test_formats import invoke

BASE = 'law L "l"\nfact x: bool "x"\naction a "a" default permitted\n'


# ---- reserved words --------------------------------------------------------------------------------

@pytest.mark.parametrize("text,kind", [
    ('law L "l"\nfact true: bool "t"\n', "fact"),
    ('law L "l"\nfact and: bool "t"\n', "fact"),
    ('law L "l"\nfact permit: bool "t"\n', "fact"),
    ('law L "l"\naction when "w"\n', "action"),
    ('law L "l"\nenum e { a, false }\n', "value"),
    ('law L "l"\nenum provision { a, b }\n', "enumeration"),
])
def test_a_reserved_word_cannot_be_a_name(text, kind):
    (d,) = diagnostics(text + 'action z "z" default permitted\n')
    assert d.code == "reserved" and d.span.line == 2
    assert "is a word of the language" in d.message and d.message.endswith(kind)


def test_the_reserved_words_are_the_grammars_keywords():
    assert {"true", "false", "and", "or", "not", "permit", "forbid", "oblige", "provision", "when", "is"} <= reserved_words()
    assert "samtycke" not in reserved_words() and "kap" not in reserved_words()


def test_given_a_reserved_word_is_a_usage_error(tmp_path):
    (tmp_path / "s.lm").write_text(BASE, encoding="utf-8")
    for given in ("true=false", "not and", "permit"):
        run = invoke(["explain", "s.lm", "--given", given], cwd=tmp_path)
        assert run.exit_code == 2, given
        assert "is a word of the language, not a fact" in run.stderr


# ---- lookalikes --------------------------------------------------------------------------------------

def test_a_cyrillic_lookalike_of_a_declared_name_is_an_error():
    (d,) = diagnostics('law L "l"\nfact samtycke: bool "s"\nfact s\u0430mtycke: bool "t"\n'
                       'action z "z" default permitted\n')
    assert d.code == "lookalike" and (d.span.line, d.span.column) == (3, 6)
    assert "U+0430 CYRILLIC SMALL LETTER A" in d.message
    assert d.notes and d.notes[0][1].line == 2


@pytest.mark.parametrize("first,second", [
    ("fix", "\ufb01x"),          # the ligature ﬁ: NFKC folds it
    ("ab", "\uff41b"),           # a full-width a
    ("opt", "\u03bfpt"),         # a Greek omicron
    ("Cat", "\u0421at"),         # a Cyrillic capital Es
])
def test_names_equal_after_nfkc_or_a_lookalike_letter_are_an_error(first, second):
    assert skeleton(first) == skeleton(second) and first != second
    (d,) = diagnostics(f'law L "l"\nfact {first}: bool "s"\naction {second} "t" default permitted\n')
    assert d.code == "lookalike"


def test_names_that_differ_in_case_or_in_real_letters_are_fine():
    load('law L "l"\nfact samtycke: bool "s"\nfact Samtycke: bool "t"\nfact sämtycke: bool "u"\n'
         'action z "z" default permitted\n')


# ---- dates of amending acts ------------------------------------------------------------------------

LATE = BASE + 'provision 1 § "p" (SFS 2000:1, in force 2030-01-01, verified)\n  forbid a when x\n'


@pytest.mark.parametrize("operation,verb", [('reword 1 § "p" forbid a when not x', "gives"),
                                            ("repeal 1 §", "repeals")])
def test_an_act_cannot_change_a_paragraph_before_it_is_in_force(operation, verb):
    text = LATE + f'amendment "A" (SFS 2001:1, in force 2001-01-01) to L\n{operation}\n'
    (d,) = diagnostics(text)
    assert d.code == "amendment-date" and d.span.line == 7
    assert d.message.startswith(f"SFS 2001:1 {verb} 1 § L")
    assert "2030-01-01" in d.message and "2001-01-01" in d.message


def test_history_never_shows_a_wording_that_ends_before_it_starts(tmp_path):
    (tmp_path / "s.lm").write_text(LATE + 'amendment "A" (SFS 2001:1, in force 2001-01-01) to L\n'
                                          'reword 1 § "p" forbid a when not x\n', encoding="utf-8")
    run = invoke(["history", "s.lm"], cwd=tmp_path)
    assert run.exit_code == 2 and "2030-01-01 – 2001-01-01" not in run.stdout


SAME_DAY = (BASE + 'provision 1 § "p" (SFS 2000:1, verified)\n  forbid a when x\n'
            'amendment "A" (SFS 2010:1, in force 2010-01-01) to L\nreword 1 § "p" forbid a when not x\n'
            'amendment "B" (SFS 2010:2, in force 2010-01-01) to L\nreword 1 § "p" permit a when x\n'
            'amendment "C" (SFS 2010:3, in force 2010-01-01) to L\nrepeal 1 §\n')


def test_three_acts_on_one_day_changing_one_paragraph_are_a_warning(tmp_path):
    (tmp_path / "s.lm").write_text(SAME_DAY, encoding="utf-8")
    run = invoke(["check", "s.lm", "--format", "json"], cwd=tmp_path)
    assert run.exit_code == 1
    (f,) = json.loads(run.stdout)["specs"][0]["findings"]
    assert (f["kind"], f["severity"]) == ("same-day-amendments", "warning")
    assert "SFS 2010:1 rewords it, SFS 2010:2 rewords it, SFS 2010:3 repeals it" in f["message"]
    assert f["location"]["line"] == 11  # the repeal, the last change
    # it can be accepted like any finding, and before the date it does not arise
    (tmp_path / "s.lm").write_text(SAME_DAY + f'accept {f["id"]} "the statute book has this order"\n',
                                   encoding="utf-8")
    assert invoke(["check", "s.lm"], cwd=tmp_path).exit_code == 0
    (tmp_path / "s.lm").write_text(SAME_DAY, encoding="utf-8")
    assert invoke(["check", "s.lm", "--as-of", "2009-12-31"], cwd=tmp_path).exit_code == 0


def test_acts_on_different_days_are_no_finding(tmp_path):
    (tmp_path / "s.lm").write_text(SAME_DAY.replace("(SFS 2010:2, in force 2010-01-01)", "(SFS 2010:2, in force 2011-01-01)")
                                   .replace("(SFS 2010:3, in force 2010-01-01)", "(SFS 2010:3, in force 2012-01-01)"),
                                   encoding="utf-8")
    assert invoke(["check", "s.lm"], cwd=tmp_path).exit_code == 0


# ---- proposals and contracts -----------------------------------------------------------------------

def test_check_refuses_a_proposal_title_that_names_two(tmp_path):
    (tmp_path / "law").mkdir()
    (tmp_path / "law" / "a.lm").write_text(BASE + 'provision 1 § "p" (SFS 2000:1, verified)\n  forbid a when x\n',
                                           encoding="utf-8")
    for name, rule in (("p1.lm", "permit a when x"), ("p2.lm", "oblige a when x")):
        (tmp_path / "law" / name).write_text(f'amendment "Motion" to L\nreword 1 § "p" {rule}\n', encoding="utf-8")
    run = invoke(["check", "law", "--proposal", "Motion"], cwd=tmp_path)
    assert run.exit_code == 2
    assert "`Motion` names 2 proposals" in run.stderr and "--proposal law/p1.lm" in run.stderr
    assert invoke(["check", "law", "--proposal", "law/p1.lm"], cwd=tmp_path).exit_code in (0, 1)


def test_a_contract_on_an_undeclared_action_is_an_input_error(tmp_path):
    (tmp_path / "s.lm").write_text(BASE + 'provision 1 § "p" (SFS 2000:1, verified)\n  forbid a when x\n'
                                          'amendment "A" (SFS 2010:1, in force 2010-01-01) to L\n'
                                          'reword 1 § "p" forbid a when not x\ncontract only widens nosuch\n',
                                   encoding="utf-8")
    for args in (["check", "s.lm"], ["diff", "s.lm", "--amendment", "2010:1"]):
        run = invoke(args, cwd=tmp_path)
        assert run.exit_code == 2, args
        assert "s.lm:8:22: error[unknown-name]: unknown action `nosuch`" in run.stderr
