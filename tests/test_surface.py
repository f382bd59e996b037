"""The Swedish surface (syntax/surface.py): a file that begins `språk sv` is written with the
Swedish keywords, and `fmt --to sv|en` converts a file between the surfaces without loss.

What a drafter relies on:

1. every keyword of the grammar has a Swedish phrase, and no Swedish keyword word is an
   English one, so a file is in one surface or the other, never both;
2. converting any spec (the project's, the test fixtures', generated ones) to Swedish and back
   gives the file's `fmt` text byte for byte; the Swedish text is a fixed point of `fmt`, it
   parses to the same syntax tree, and it keeps every comment in its place;
3. the two surfaces of one spec give the same check results;
4. bad Swedish input gets a diagnostic with file, line, column and a Swedish suggestion; a
   keyword of the other surface is named as such, with the word to write instead.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import currently_in_test_context, given, note, settings

from legalmodel import api
from legalmodel.cli import main
from legalmodel.syntax import surface
from legalmodel.syntax.diagnostics import SpecErrors
from legalmodel.syntax.format import comments_of, format_text
from legalmodel.syntax.parse import grammar_text, parse_text

from helpers import FIXTURES, REPO, make_runner
from strategies import spec_plans
from test_fmt import with_trailing_comments


def run(args, cwd: Path, input: str | None = None):
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = make_runner().invoke(main, [str(a) for a in args], input=input)
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command line crashed: {result.exception!r}") from result.exception
    return result


def error_of(text: str, name: str = "spec.lm"):
    with pytest.raises(SpecErrors) as caught:
        parse_text(text, name)
    return caught.value.diagnostics


# ---- the table -------------------------------------------------------------------------------

def test_every_keyword_of_the_grammar_has_a_swedish_phrase():
    """A keyword added to the grammar without a Swedish phrase stays English in Swedish files:
    this test names it, so that the table gains it."""
    assert surface.missing_keywords(grammar_text()) == []


def test_no_swedish_keyword_word_is_an_english_keyword():
    """Otherwise a word could be read in either surface, and a mixed file would go unnoticed."""
    english = surface.keyword_words("en")
    swedish = {w for k in surface.KEYWORDS for w in k.swedish.split()}
    assert swedish & english == set()


def test_the_swedish_grammar_has_the_english_rules():
    """Only quoted keywords and keyword terminals differ: the rules are the same, in the same order."""
    english = grammar_text()
    swedish = surface.swedish_grammar(english)

    def shape(text: str) -> list[str]:
        out = []
        for line in text.split("\n"):
            if re.match(r"^[A-Z_]+(\.\d+)?:", line) or line.startswith("//"):
                continue  # terminal definitions: their words are the surface
            out.append(re.sub(r'"[^"]*"(\s+"[^"]*")*|SV_[A-Z_]+', "K", line).rstrip())
        return [line for line in out if line]

    assert shape(swedish) == shape(english)


def test_the_two_surfaces_of_a_keyword_differ_except_the_declaration_words():
    phrases = {k.english: k.swedish for k in surface.KEYWORDS}
    assert all(en != sv for en, sv in phrases.items())
    # `in` and `to` are both `i` in Swedish (`mottagare i {…}`, `ändring … i OSL`): the only pair
    swedish = [k.swedish for k in surface.KEYWORDS]
    assert sorted({p for p in swedish if swedish.count(p) > 1}) == ["i"]


# ---- conversion without loss -----------------------------------------------------------------

def fixture_specs() -> list[tuple[str, str]]:
    """(name, text) of every spec the tests and docs hold that parses: .lm files and the spec
    blocks of the fixture files."""
    out = []
    for path in sorted([*REPO.glob("specs/**/*.lm"), *REPO.glob("docs/**/*.lm"), *REPO.glob("tests/**/*.lm"),
                        *REPO.glob("editors/**/*.lm")]):
        if "hostile" in path.parts:
            continue
        out.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8")))
    for name in ("syntax_errors.txt", "resolve_errors.txt"):
        blocks = re.split(r"^=== ", (FIXTURES / name).read_text(encoding="utf-8"), flags=re.M)[1:]
        for block in blocks:
            title = block.split("\n", 1)[0]
            m = re.search(r"^--- spec\n(.*?)^--- expected", block, re.S | re.M)
            if m:
                out.append((f"{name}: {title}", m.group(1)))
    parsed, unconvertible = [], []
    for name, text in out:
        try:
            spec = parse_text(text, "spec.lm")
        except SpecErrors:
            continue  # a fixture of a syntax error: nothing to convert
        if surface.clashes(spec, OTHER[spec.language]):
            unconvertible.append(name)  # a name that is a keyword of the other surface
            continue
        parsed.append((name, text))
    # the one fixture that names a fact `when` on purpose, to show it is a name in Swedish
    assert unconvertible == ["editors/vscode/test/highlight.sv.test.lm"]
    return parsed


OTHER = {"en": "sv", "sv": "en"}
FIXTURE_SPECS = fixture_specs()


def assert_round_trip(text: str) -> str:
    """The properties of a conversion, for one text (of either surface); returns the text in
    the other surface."""
    language = parse_text(text, "spec.lm").language
    other = OTHER[language]
    canonical = format_text(text, "spec.lm")
    converted = format_text(text, "spec.lm", to=other)
    if currently_in_test_context():
        note(converted)
    assert converted.startswith("språk sv\n") == (other == "sv")
    assert format_text(converted, "spec.lm") == converted  # a fixed point of fmt
    assert format_text(converted, "spec.lm", to=other) == converted  # to its own surface: fmt
    back = format_text(converted, "spec.lm", to=language)
    assert back == canonical  # back: the original's fmt, byte for byte
    original, again = parse_text(text, "spec.lm"), parse_text(converted, "spec.lm")
    assert again.items == original.items and again.language == other
    assert [c for _l, c, _t in comments_of(converted)] == [c for _l, c, _t in comments_of(canonical)]
    return converted


def test_the_fixtures_are_many():
    assert len(FIXTURE_SPECS) >= 60, [name for name, _ in FIXTURE_SPECS]


@pytest.mark.parametrize("name,text", FIXTURE_SPECS, ids=[name for name, _ in FIXTURE_SPECS])
def test_every_spec_and_fixture_converts_to_swedish_and_back_without_loss(name, text):
    assert_round_trip(text)


@settings()
@given(spec_plans())
def test_generated_specs_convert_to_swedish_and_back_without_loss(plan):
    note(plan.text)
    assert_round_trip(plan.text)


@settings()
@given(with_trailing_comments())
def test_comments_at_the_ends_of_lines_survive_a_conversion_and_its_return(text):
    """Generated specs with comments after code on some lines (test_fmt's strategy): every
    comment is kept, once, through en -> sv -> en."""
    note(text)
    swedish = assert_round_trip(text)
    kept = [c for _l, c, _t in comments_of(swedish)]
    assert sorted(kept) == sorted(c for _l, c, _t in comments_of(text))


def test_comments_before_and_after_the_declaration_stay_in_order():
    text = "# rubrik\nspråk sv  # ytterst\n\n// om lagen\nlag OSL \"o\"  # slut\n"
    formatted = format_text(text, "spec.lm")
    assert formatted == "språk sv\n\n# rubrik\n# ytterst\n\n// om lagen\n# slut\nlag OSL \"o\"\n"
    assert format_text(formatted, "spec.lm") == formatted


def test_fmt_keeps_an_explicit_english_declaration_and_a_conversion_leaves_it_out():
    text = 'language en\n\nlaw OSL "o"\n'
    assert format_text(text, "spec.lm") == text
    swedish = format_text(text, "spec.lm", to="sv")
    assert swedish == 'språk sv\n\nlag OSL "o"\n'
    assert format_text(swedish, "spec.lm", to="en") == 'law OSL "o"\n'  # English is the default


def test_a_declaration_alone_is_an_empty_file_of_that_surface():
    spec = parse_text("språk sv\n# inget än\n", "spec.lm")
    assert spec.items == () and spec.language == "sv" and spec.declared
    assert format_text("språk sv\n", "spec.lm") == "språk sv\n"


def test_fmt_to_converts_a_folder_in_place_and_check_still_passes(tmp_path):
    shutil.copytree(REPO / "specs" / "tutorial", tmp_path / "tutorial")
    english = (tmp_path / "tutorial" / "tutorial.lm").read_text(encoding="utf-8")
    result = run(["fmt", "--to", "sv", "tutorial"], tmp_path)
    assert result.exit_code == 0 and "reformatted tutorial/tutorial.lm" in result.stdout
    swedish = (tmp_path / "tutorial" / "tutorial.lm").read_text(encoding="utf-8")
    assert swedish.startswith("språk sv\n") and "bestämmelse 26 kap. 1 § OSL" in swedish
    assert run(["fmt", "--check", "tutorial"], tmp_path).exit_code == 0
    assert run(["fmt", "--check", "--to", "en", "tutorial"], tmp_path).exit_code == 1
    assert run(["fmt", "--to", "en", "tutorial"], tmp_path).exit_code == 0
    assert (tmp_path / "tutorial" / "tutorial.lm").read_text(encoding="utf-8") == english


def test_fmt_to_on_standard_input_prints_the_converted_text(tmp_path):
    result = run(["fmt", "--to", "sv", "-"], tmp_path, input='law OSL "o"\naction a "a" default permitted\n')
    assert result.exit_code == 0
    assert result.stdout == 'språk sv\n\nlag OSL "o"\n\nhandling a "a" annars tillåten\n'


def test_fmt_to_refuses_a_name_that_is_a_keyword_of_the_target(tmp_path):
    """`när` may name a fact in English, but in Swedish it is the keyword `when`: the file
    cannot be converted without a rename, and is left as it is."""
    text = 'law OSL "o"\nfact när: bool "n"\naction a "a"\nprovision 26 kap. 1 § "s"\n  forbid a when när\n'
    (tmp_path / "spec.lm").write_text(text, encoding="utf-8")
    result = run(["fmt", "--to", "sv", "spec.lm"], tmp_path)
    assert result.exit_code == 2
    assert "spec.lm:2:6: error[reserved]: `när` is a keyword in Swedish" in result.stderr, result.stderr
    assert "rename `när`" in result.stderr
    assert (tmp_path / "spec.lm").read_text(encoding="utf-8") == text


def test_fmt_to_an_unknown_language_is_a_usage_error(tmp_path):
    (tmp_path / "spec.lm").write_text('law OSL "o"\n', encoding="utf-8")
    result = run(["fmt", "--to", "de", "spec.lm"], tmp_path)
    assert result.exit_code == 2 and "'de' is not one of 'sv', 'en'" in result.output


# ---- the same results in both surfaces -------------------------------------------------------

def without_places(report):
    """A JSON report without line and column numbers (the declaration adds two lines, and a
    Swedish keyword is not as long as its English one) and without the file's name."""
    if isinstance(report, dict):
        out = {k: without_places(v) for k, v in report.items()
               if k not in ("line", "column", "end_line", "end_column", "location", "locations", "path",
                            "file", "spec")}
        if "diagnostics" in out:  # a diagnostic quotes the source, keywords and all
            out["diagnostics"] = [{k: v for k, v in d.items() if k != "text"} for d in out["diagnostics"]]
        return out
    if isinstance(report, list):
        return [without_places(x) for x in report]
    return report


def check_json(folder: Path, *args: str) -> tuple[int, dict]:
    """The JSON report in English: a spec in the Swedish surface says its `prose` in Swedish
    unless asked otherwise, as its text does."""
    result = run(["check", "--format", "json", "--lang", "en", *args, folder.name], folder.parent)
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("source", ["specs/tutorial/tutorial.lm", "docs/tutorial/step6.lm",
                                    "docs/tutorial/mistake-cycle.lm", "specs/example/disclosure.lm"])
def test_a_spec_checks_the_same_in_both_surfaces(tmp_path, source):
    """The same findings, goals, examples, evidence and exit status, in JSON and in text."""
    english, swedish = tmp_path / "en" / "spec", tmp_path / "sv" / "spec"
    for folder in (english, swedish):
        folder.mkdir(parents=True)
        shutil.copy(REPO / source, folder / "spec.lm")
    assert run(["fmt", "--to", "sv", "spec"], swedish.parent).exit_code == 0
    assert (swedish / "spec.lm").read_text(encoding="utf-8").startswith("språk sv\n")
    code_en, report_en = check_json(english)
    code_sv, report_sv = check_json(swedish)
    assert code_en == code_sv
    assert report_en["status"] == report_sv["status"]
    # advice that quotes a keyword quotes it as the file writes it; nothing else differs
    assert without_places(report_en) == without_places(json.loads(english_code(json.dumps(report_sv))))
    # a file in the Swedish surface speaks Swedish (its `språk sv` is the spec's language);
    # asked for English, it reads as the English file does
    spoken = run(["check", "spec"], swedish.parent)
    if spoken.exit_code != 2:
        assert spoken.stdout.split(":")[1].strip() in ("konsekvent", "fynd", "okänt"), spoken.stdout
    text_en = run(["check", "spec", "--lang", "en"], english.parent)
    text_sv = run(["check", "spec", "--lang", "en"], swedish.parent)
    assert text_en.exit_code == text_sv.exit_code
    if text_en.exit_code == 2:
        return  # a diagnostic shows the line as written, in its own surface
    places = re.compile(r"spec\.lm:\d+:\d+")
    assert places.sub("", text_en.stdout + text_en.stderr) == \
        places.sub("", english_code(text_sv.stdout + text_sv.stderr))


def english_code(text: str) -> str:
    """The Swedish keywords quoted in a report (between backticks) put back in English, to
    compare a Swedish file's report with its English twin's."""
    phrases = sorted(((k.swedish, k.english) for k in surface.KEYWORDS if k.english not in ("language", "to")),
                     key=lambda p: -len(p[0]))
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(sv) for sv, _ in phrases) + r")(?!\w)")
    back = dict(phrases)
    return re.sub(r"`[^`]*`", lambda m: pattern.sub(lambda k: back[k.group(0)], m.group(0)), text)


def test_a_collisions_advice_names_the_keyword_of_the_files_surface(tmp_path):
    (tmp_path / "spec.lm").write_text(format_text((REPO / "docs/tutorial/step6.lm").read_text(encoding="utf-8"),
                                                  "spec.lm", to="sv"), encoding="utf-8")
    result = run(["check", "spec.lm", "--lang", "en"], tmp_path)
    assert result.exit_code == 1
    assert "add `utom 26 kap. 1 § OSL` to 10 kap. 27 § OSL" in " ".join(result.stdout.split())
    assert "`except" not in result.stdout


def test_advice_on_a_swedish_file_quotes_the_swedish_keywords():
    """Resolve errors: the help and the message quote keywords as the file writes them; a
    word the file uses as a name (here the fact `when`) stays as it is."""
    text = (SWEDISH_HEAD + 'faktum when: ja/nej "w"\n'
            'bestämmelse 26 kap. 1 § "s"\n  förbjuder a när y och when\n'
            'bestämmelse 26 kap. 2 § "t"\n  tillåter a när x\n  går före 9 kap. 1 §\n'
            'mål "g"\n  a är tillåten alltid när gäller(tillåter)\n')
    with pytest.raises(SpecErrors) as caught:
        api.loads(text, name="spec.lm")
    found = {(d.line, d.code): (d.message, d.help) for d in caught.value.diagnostics}
    assert found[(7, "unknown-name")] == ("unknown name `y`", 'declare it: `faktum y: ja/nej "what it means"`')
    assert found[(10, "selects-nothing")][1] == ('if the spec leaves it out on purpose, say so: '
                                                 '`utanför modellen 9 kap. 1 § OSL "why"`')
    assert found[(12, "applies")] == ("`gäller(tillåter)` can be asked only in a provision's condition, "
                                      "where the act is known", "name the provisions: `gäller(15 kap. 7 § SoL)`")
    when = 'språk sv\nlag OSL "o"\nhandling a "a"\nbestämmelse 1 § "s"\n  förbjuder a när when\n'
    with pytest.raises(SpecErrors) as caught:
        api.loads(when, name="spec.lm")
    (d,) = caught.value.diagnostics
    assert d.message == "unknown name `when`" and "`faktum when: ja/nej" in d.help


@pytest.mark.slow
def test_the_osl_spec_checks_the_same_in_both_surfaces(tmp_path):
    """Every file of specs/osl converted: the check on the day of the motion and today gives the
    same report, and the Swedish files convert back to the English ones byte for byte."""
    english, swedish = tmp_path / "en" / "osl", tmp_path / "sv" / "osl"
    shutil.copytree(REPO / "specs" / "osl", english)
    shutil.copytree(REPO / "specs" / "osl", swedish)
    assert run(["fmt", "--to", "sv", "osl"], swedish.parent).exit_code == 0
    for as_of in ("2016-10-05", "2025-12-01"):
        report_sv = json.dumps(check_json(swedish, "--as-of", as_of)[1])
        assert without_places(check_json(english, "--as-of", as_of)[1]) == \
            without_places(json.loads(english_code(report_sv)))
    assert run(["fmt", "--to", "en", "osl"], swedish.parent).exit_code == 0
    for path in sorted(english.glob("*.lm")):
        assert (swedish / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_api_reads_a_swedish_spec():
    text = ('språk sv\nlag OSL "o"\nfaktum samtycke: ja/nej "s"\nhandling lämna "l" annars tillåten\n'
            'bestämmelse 26 kap. 1 § "Sekretess"\n  förbjuder lämna när inte samtycke\n'
            'exempel "utan samtycke"\n  givet samtycke = falskt\n  då lämna förbjuden\n')
    law = api.loads(text)
    assert law.spec.provisions and list(law.spec.actions) == ["lämna"]
    assert law.check().exit_status == 0


# ---- errors in Swedish -----------------------------------------------------------------------

SWEDISH_HEAD = 'språk sv\nlag OSL "o"\nfaktum x: ja/nej "x"\nhandling a "a"\n'


@pytest.mark.parametrize("line,column,offending,suggestion", [
    ("bestämmelse 26 kap. 1 § \"s\"\n  förbjuda a", 6, "förbjuda", "did you mean `förbjuder`?"),
    ("bestämmelse 26 kap. 1 § \"s\"\n  tillåter a när x\n  gå före 2 §", 7, "gå före", "did you mean `går före`?"),
    ("bestämelse 26 kap. 1 § \"s\"\n  tillåter a", 5, "bestämelse", "did you mean `bestämmelse`?"),
    ("mål \"m\"\n  a är tilåten", 6, "tilåten", "did you mean `tillåten`?"),
    ("handling b \"b\" anars tillåten", 5, "anars", "did you mean `annars`?"),
])
def test_a_misspelt_swedish_keyword_gets_a_swedish_suggestion(line, column, offending, suggestion):
    (d,) = error_of(SWEDISH_HEAD + line + "\n")
    assert (d.file, d.line, d.span.text()) == ("spec.lm", column, offending)
    assert d.help == suggestion


@pytest.mark.parametrize("written, span", [("gå före 2 §", "gå före"), ("går förre 2 §", "går förre"),
                                           ("går 2 §", "går"), ("gå lämna", "gå")])
def test_a_misspelt_phrase_is_underlined_whole_so_the_suggestion_replaces_it(written, span):
    """The span reaches over the phrase's other words when they look like them, so that an
    editor's "change to `går före`" gives `går före 2 §`, never `går före före 2 §`."""
    text = SWEDISH_HEAD + 'bestämmelse 26 kap. 1 § "s"\n  förbjuder a när x\n  ' + written + "\n"
    (d,) = error_of(text)
    assert (d.line, d.column, d.span.text(), d.help) == (7, 3, span, "did you mean `går före`?")
    fixed = text[:d.span.start] + "går före" + text[d.span.end:]
    if written != "gå lämna":
        assert parse_text(fixed, "spec.lm").items


def test_an_english_keyword_in_a_swedish_file_is_named_with_the_word_to_write():
    (d,) = error_of(SWEDISH_HEAD + "bestämmelse 26 kap. 1 § \"s\"\n  förbjuder a when x\n")
    assert (d.line, d.column, d.span.text()) == (6, 15, "when")
    assert d.help == ("`when` is an English keyword, but this file is written with the Swedish ones "
                      "(`språk sv`, line 1): write `när`")


def test_the_english_type_bool_in_a_swedish_file_is_named_with_the_word_to_write():
    """`bool` parses as a name in a Swedish file, and the type it names is unknown: the help
    says to write `ja/nej`, not "did you mean `bool`?" (the word written)."""
    with pytest.raises(SpecErrors) as info:
        api.loads('språk sv\nlag OSL "o"\nfaktum x: bool "x"\n', "spec.lm").spec
    (d,) = info.value.diagnostics
    assert (d.code, d.line, d.column) == ("unknown-type", 3, 11)
    assert d.help == ("`bool` is an English keyword, but this file is written with the Swedish ones "
                      "(`språk sv`, line 1): write `ja/nej`")


def test_a_swedish_keyword_in_an_english_file_points_to_the_declaration():
    (d,) = error_of('law OSL "o"\naction a "a"\nbestämmelse 26 kap. 1 § "s"\n  förbjuder a\n')
    assert (d.line, d.column, d.span.text()) == (3, 1, "bestämmelse")
    assert "write `provision`, or declare the Swedish keywords with `språk sv`" in d.help


def test_the_expected_words_of_a_swedish_file_are_swedish(tmp_path):
    """A Swedish file's keywords in what was expected; its messages in Swedish (the file's
    `språk sv` is its language), in English when --lang asks for it."""
    (tmp_path / "spec.lm").write_text(SWEDISH_HEAD + "bestämmelse 26 kap. 1 § \"s\"\n  a\n", encoding="utf-8")
    result = run(["check", "spec.lm"], tmp_path)
    assert result.exit_code == 2
    assert "spec.lm:6:3: error[syntax]: oväntat `a`" in result.stderr
    assert "= väntade `(`, `förbjuder`, `tillåter` eller `ålägger`" in result.stderr
    assert "Traceback" not in result.stderr
    asked = run(["check", "--lang", "en", "spec.lm"], tmp_path)
    assert asked.exit_code == 2
    assert "spec.lm:6:3: error[syntax]: unexpected `a`" in asked.stderr
    assert "= expected `(`, `förbjuder`, `tillåter` or `ålägger`" in asked.stderr


def test_an_unknown_language_and_a_late_declaration_are_errors():
    (d,) = error_of('språk fi\nlag OSL "o"\n')
    assert (d.code, d.line, d.column, d.span.text()) == ("language", 1, 1, "språk fi")
    assert "`språk sv`" in d.help
    (d,) = error_of('law OSL "o"\nlanguage sv\n')
    assert (d.code, d.line, d.column) == ("language", 2, 1)
    assert "must come before every item" in d.message


def test_a_swedish_keyword_cannot_name_a_fact_in_a_swedish_file():
    with pytest.raises(SpecErrors) as caught:
        api.loads(SWEDISH_HEAD + 'faktum sant: ja/nej "s"\n')
    (d,) = caught.value.diagnostics
    assert d.code == "reserved" and d.line == 5 and "`sant`" in d.message


def test_the_english_keywords_stay_free_in_a_swedish_file_and_the_swedish_in_an_english_one():
    """A name is reserved by its own file's surface: existing English specs keep their names."""
    api.loads('law OSL "o"\nfact när: bool "n"\naction a "a" default permitted\n')
    api.loads('språk sv\nlag OSL "o"\nfaktum when: ja/nej "n"\nhandling a "a" annars tillåten\n')


# ---- the language server ---------------------------------------------------------------------

def lsp_outcome(parse, source):
    from test_lsp_index import outcome

    return outcome(parse, source)


@pytest.mark.parametrize("path", ["specs/tutorial/tutorial.lm", "specs/osl/osl.lm", "specs/osl/sfs2020_575.lm"])
def test_the_language_server_reads_a_swedish_file_as_the_parser_does(path):
    """Part by part, every part in the declared surface: the items and every span are the
    parser's, before and after a run of edits."""
    import random

    from legalmodel.lsp.incremental import IncrementalParser
    from legalmodel.syntax.parse import parse_source
    from legalmodel.syntax.source import SourceFile

    text = format_text((REPO / path).read_text(encoding="utf-8"), "t.lm", to="sv")
    parser = IncrementalParser()
    source = SourceFile("t.lm", text)
    first = lsp_outcome(parser.parse, source)
    assert first[0] == "items" and first == lsp_outcome(parse_source, source)
    rng = random.Random(7)
    snippets = ["# en kommentar\n", "\n", " ", "(", "x", 'bestämmelse 9 § UBL "ny"\n  tillåter lämna_uppgift\n',
                "och ", "provision "]
    for _ in range(25):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(snippets) + text[at:]
        source = SourceFile("t.lm", text)
        assert lsp_outcome(parser.parse, source) == lsp_outcome(parse_source, source)


SWEDISH_FILE = ('språk sv\nlag L "l"\nuppräkning Vem { polisen, domstolen }\nfaktum vem: Vem "v"\n'
                'faktum brådskande: ja/nej "b"\nhandling berätta "b"\n'
                'bestämmelse 1 § L "s"\n  förbjuder berätta när vem = polisen\n')


def swedish_snapshot():
    from legalmodel.lsp.index import Snapshot
    from legalmodel.syntax.parse import parse_source
    from legalmodel.syntax.source import SourceFile

    return Snapshot("f", {}, {}, [parse_source(SourceFile("a.lm", SWEDISH_FILE))], None, None)


def test_completion_in_a_swedish_file_offers_the_swedish_keywords():
    from legalmodel.lsp.features import completion

    labels = {i.label for i in completion(swedish_snapshot(), SWEDISH_FILE) if i.kind.name == "Keyword"}
    assert {"bestämmelse", "går före", "förbjuder", "alltid när", "ja/nej", "väntas inte uppnås"} <= labels
    assert not labels & {"provision", "overrides", "forbid", "when"}
    english = {i.label for i in completion(swedish_snapshot(), 'law L "l"\n') if i.kind.name == "Keyword"}
    assert "provision" in english and "bestämmelse" not in english


@pytest.mark.parametrize("after, first", [
    ("  då ", "action"), ("  tillåter be", "action"), ("  givet ", "fact"), ("när vem = ", "value"),
    ("när vem i {", "value"), ("  går före ", "provision"), ("  går före 1 kap. 1 §, 1 kap. ", "provision"),
    ("  tillåter berätta när gäller(", "provision"), ("  utom 2 kap", "provision"),
])
def test_completion_in_a_swedish_file_offers_first_what_the_place_asks_for(after, first):
    from legalmodel.lsp.features import completion

    kinds = {"Variable": "fact", "EnumMember": "value", "Function": "action", "Reference": "provision"}
    best = min(completion(swedish_snapshot(), SWEDISH_FILE + after), key=lambda i: i.sort_text)
    assert kinds.get(best.kind.name) == first


# ---- the documentation -----------------------------------------------------------------------

def test_the_language_reference_lists_every_keyword_as_the_table_has_it():
    """docs/language.md's table of Swedish keywords is surface.KEYWORDS, row by row."""
    text = (REPO / "docs" / "language.md").read_text(encoding="utf-8")
    text = text[text.index("## Swedish keywords"):text.index("## Reserved words")]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| (.+) \|$", text, re.M)
    assert rows == [(k.english, k.swedish, k.why) for k in surface.KEYWORDS]


def test_the_code_in_the_language_references_swedish_section_parses():
    """Each example of Swedish keywords in docs/language.md is a spec the parser reads."""
    text = (REPO / "docs" / "language.md").read_text(encoding="utf-8")
    section = text[text.index("## Swedish keywords"):text.index("## Reserved words")]
    blocks = re.findall(r"```\n(.*?)```", section, re.S)
    swedish = [b for b in blocks if re.match(r"(bestämmelse|mål) ", b)]
    assert len(swedish) == 2
    for block in swedish:
        spec = parse_text("språk sv\n" + block, "spec.lm")
        assert spec.items and spec.language == "sv"


def test_the_swedish_tutorial_quotes_its_spec_as_it_is():
    """docs/handledning.md shows the spec in pieces: each piece parses in the Swedish surface
    and each of its lines is a line of docs/handledning/handledning.lm, so the page cannot
    drift from the file its transcripts check."""
    page = (REPO / "docs" / "handledning.md").read_text(encoding="utf-8")
    spec_lines = set((REPO / "docs" / "handledning" / "handledning.lm").read_text(encoding="utf-8").split("\n"))
    starts = tuple(w + " " for w in surface.item_keywords("sv"))
    pieces = [b for b in re.findall(r"```\n(.*?)```", page, re.S) if b.startswith(starts)]
    assert len(pieces) >= 6
    for piece in pieces:
        assert parse_text("språk sv\n" + piece, "spec.lm").items
        assert [line for line in piece.split("\n") if line and line not in spec_lines] == []


def test_the_swedish_tutorial_specs_are_canonical_and_in_swedish():
    folder = REPO / "docs" / "handledning"
    for name in ("handledning.lm", "kollision.lm"):
        text = (folder / name).read_text(encoding="utf-8")
        assert text.startswith("språk sv\n") and format_text(text, name) == text, name
    assert run(["fmt", "--check", "docs/handledning/handledning.lm", "docs/handledning/kollision.lm"],
               REPO).exit_code == 0


def test_the_files_of_one_spec_may_use_different_surfaces(tmp_path):
    """Each file declares its own keywords: a folder of a Swedish and an English file is one
    spec, checked as if both were English."""
    english = tmp_path / "en" / "spec"
    mixed = tmp_path / "mixed" / "spec"
    vocabulary = 'law OSL "o"\nfact samtycke: bool "s"\naction lämna "l" default permitted\n'
    rules = 'provision 26 kap. 1 § "Sekretess"\n  forbid lämna when not samtycke\n' \
            'example "utan samtycke"\n  given samtycke = false\n  expect lämna permitted\n'
    for folder in (english, mixed):
        folder.mkdir(parents=True)
        (folder / "1.lm").write_text(vocabulary, encoding="utf-8")
    (english / "2.lm").write_text(rules, encoding="utf-8")
    (mixed / "2.lm").write_text(format_text(rules, "2.lm", to="sv"), encoding="utf-8")
    code_en, report_en = check_json(english)
    code_mixed, report_mixed = check_json(mixed)
    assert code_en == code_mixed == 1  # the example fails: the point is that both say so
    assert without_places(report_en) == without_places(report_mixed)


def test_a_conversion_that_would_change_the_file_is_refused(monkeypatch):
    """The check every fmt makes holds for --to: were the printer to drop an item or a
    comment while converting, nothing is written and error[format] says so."""
    from legalmodel.syntax import format as formatting
    from legalmodel.syntax.source import SourceFile

    text = 'law OSL "o"\n# om handlingen\naction a "a" default permitted\n'
    real = formatting.format_spec
    for lose, what in (('handling a "a" annars tillåten\n', "what it says"), ("# om handlingen\n", "its comments")):
        monkeypatch.setattr(formatting, "format_spec", lambda spec, to=None, lose=lose: real(spec, to).replace(lose, ""))
        with pytest.raises(SpecErrors) as caught:
            formatting.format_checked(SourceFile("s.lm", text), "sv")
        (d,) = caught.value.diagnostics
        assert d.code == "format" and what in d.message


def test_examples_to_paste_are_written_in_the_specs_keywords(tmp_path):
    """`check --as-examples` and `explain --as-example` print blocks a drafter pastes into the
    spec: for a Swedish spec they are Swedish, parse there, and say what the English ones say."""
    source = (REPO / "docs/tutorial/step6.lm").read_text(encoding="utf-8")
    (tmp_path / "en.lm").write_text(source, encoding="utf-8")
    (tmp_path / "sv.lm").write_text(format_text(source, "sv.lm", to="sv"), encoding="utf-8")
    for args in (["check", "--as-examples"], ["explain", "--as-example", "--given", "ålder=25", "--given", "uppenbart"]):
        english = run([*args, "en.lm"], tmp_path).stdout
        swedish = run([*args, "sv.lm"], tmp_path).stdout
        assert "exempel " in swedish and "då lämna_uppgift " in swedish
        assert not re.search(r"^\s*(example|given|expect) ", swedish, re.M)
        blocks = parse_text("språk sv\n" + swedish, "sv.lm")
        assert blocks.items == parse_text(english, "en.lm").items
        assert format_text(english, "en.lm", to="sv") == format_text("språk sv\n" + swedish, "sv.lm")


def test_cases_as_examples_are_written_in_the_specs_keywords(tmp_path):
    """`test --as-examples` of a Swedish spec: `exempel … från … till …`, `givet`, `då`."""
    for name, to in (("en", None), ("sv", "sv")):
        folder = tmp_path / name / "tutorial"
        folder.mkdir(parents=True)
        text = (REPO / "specs/tutorial/tutorial.lm").read_text(encoding="utf-8")
        (folder / "tutorial.lm").write_text(format_text(text, "t.lm", to=to), encoding="utf-8")
        shutil.copy(REPO / "docs/cases/tutorial.csv", tmp_path / name / "cases.csv")
    english = run(["test", "--as-examples", "tutorial", "cases.csv"], tmp_path / "en")
    swedish = run(["test", "--as-examples", "tutorial", "cases.csv"], tmp_path / "sv")
    assert english.exit_code == swedish.exit_code == 0
    assert re.search(r"^exempel \".*\" från \d{4}-\d\d-\d\d", swedish.stdout, re.M)
    assert parse_text("språk sv\n" + swedish.stdout, "s.lm").items == parse_text(english.stdout, "e.lm").items
