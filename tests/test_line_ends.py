"""CR, CRLF and LF all end a line, and nothing else does (issue 18): an old-Mac file (CR only)
or a lone CR after a comment used to turn the rest of the file into that comment, so `check`
found nothing to check and `fmt` deleted every line of code. `fmt` now also refuses to write
a text that does not parse to the same syntax, with every comment kept."""

from __future__ import annotations

import pytest

from legalmodel.syntax import format as formatting
from legalmodel.syntax.diagnostics import SpecErrors
from legalmodel.syntax.parse import parse_source
from legalmodel.reports.check import render_diagnostic
from legalmodel.syntax.source import SourceFile

from hostile_run import legalmodel

LF = '''# the law
law L "l"

fact age: 0..130 "age"

action a "a" default forbidden

# the rule
provision 1 § "p"
  permit a when age < 18
'''


def with_ends(text: str, end: str) -> str:
    return text.replace("\n", end)


@pytest.mark.parametrize("end", ["\r", "\r\n"])
def test_every_line_end_reads_as_one(end):
    lf = parse_source(SourceFile("s.lm", LF))
    other = parse_source(SourceFile("s.lm", with_ends(LF, end)))
    assert other.items == lf.items and len(other.items) == 4
    assert [i.span.line for i in other.items] == [i.span.line for i in lf.items]


def test_a_lone_cr_after_a_leading_comment_ends_the_comment():
    text = LF.replace("# the law\n", "# the law\r", 1)
    assert parse_source(SourceFile("s.lm", text)).items == parse_source(SourceFile("s.lm", LF)).items


@pytest.mark.parametrize("end", ["\r", "\r\n", "mixed"])
def test_fmt_keeps_every_line(tmp_path, end):
    folder = tmp_path / "spec"
    folder.mkdir()
    text = LF.replace("\n", "\r", 3) if end == "mixed" else with_ends(LF, end)
    (folder / "s.lm").write_bytes(text.encode())
    run = legalmodel(["fmt", "spec"], tmp_path, tmp_path)
    assert run.exit_code == 0, run
    written = (folder / "s.lm").read_bytes().decode()
    assert "\r" not in written
    assert parse_source(SourceFile("s.lm", written)).items == parse_source(SourceFile("s.lm", LF)).items
    for line in ("# the law", "# the rule", 'law L "l"', "permit a when age < 18"):
        assert line in written
    check = legalmodel(["check", "spec"], tmp_path, tmp_path)
    assert check.exit_code == 0 and "nothing to check" not in check.stderr, check


def test_check_of_a_cr_file_checks_it(tmp_path):
    (tmp_path / "s.lm").write_bytes(with_ends(LF, "\r").encode())
    run = legalmodel(["check", "s.lm"], tmp_path, tmp_path)
    assert run.exit_code == 0 and "1 provision" in run.stdout, run


@pytest.mark.parametrize("before", ["\u2028", "\u2029", "\r", "\x0c"])
def test_the_excerpt_shows_the_line_the_error_is_on(before):
    text = f'# a{before}# b\nlaw L "l"\naction a "a" default permitted\nprovision 1 § "x" permit zz\n'
    from legalmodel.pipeline import load_text

    with pytest.raises(SpecErrors) as info:
        load_text(text, "s.lm")
    shown = render_diagnostic(info.value.diagnostics[0])
    line = 5 if before == "\r" else 4
    assert f"{line} | provision 1 § \"x\" permit zz" in shown, shown
    assert shown.startswith(f"s.lm:{line}:26:")


def test_fmt_refuses_a_text_that_would_lose_an_item(tmp_path, monkeypatch):
    source = SourceFile("s.lm", LF)
    real = formatting.format_spec
    monkeypatch.setattr(formatting, "format_spec", lambda spec, to=None: real(spec, to).replace('law L "l"\n', ""))
    with pytest.raises(SpecErrors) as info:
        formatting.format_checked(source)
    assert info.value.diagnostics[0].code == "format" and "what it says" in info.value.diagnostics[0].message


def test_fmt_refuses_a_text_that_would_lose_a_comment(monkeypatch):
    source = SourceFile("s.lm", LF)
    real = formatting.format_spec
    monkeypatch.setattr(formatting, "format_spec", lambda spec, to=None: real(spec, to).replace("# the rule\n", ""))
    with pytest.raises(SpecErrors) as info:
        formatting.format_checked(source)
    assert "its comments" in info.value.diagnostics[0].message


def test_the_command_leaves_the_file_alone_when_formatting_would_lose_content(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from legalmodel.cli import main

    target = tmp_path / "s.lm"
    target.write_text(LF.replace("law L", "law   L"), encoding="utf-8")
    real = formatting.format_spec
    monkeypatch.setattr(formatting, "format_spec", lambda spec, to=None: real(spec, to).replace("# the rule\n", ""))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    result = CliRunner().invoke(main, ["fmt", str(target)])
    assert result.exit_code == 2 and "error[format]" in result.output
    assert target.read_text(encoding="utf-8") == LF.replace("law L", "law   L")
