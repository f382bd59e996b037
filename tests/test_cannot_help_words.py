""""… cannot help here: its `except` keeps … in force" is said in the language of the run
wherever a person reads it: the text report, the JSON `prose` of the failed goal, and the
pages of `legalmodel report`; the JSON `details` keep the English, as `message` does."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from legalmodel.cli import main

SPEC = '''law L "l"
fact a: bool "the person is at risk"
action x "x"
provision 1 § L "p" forbid x when a
provision 2 § L "q" permit x when a
  except 1 §
goal "x is open where there is risk"
  x is permitted whenever a
'''
WORDS = {"en": "2 § L cannot help here: its `except` keeps 1 § L in force, whatever its own condition.",
         "sv": "2 § L kan inte hjälpa här: dess `except` behåller verkan för 1 § L, vad dess eget villkor än är."}


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "law.lm"
    path.write_text(SPEC, encoding="utf-8")
    return path


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_text_and_the_json_prose_say_it_in_the_language_of_the_run(spec, language):
    text = CliRunner().invoke(main, ["--lang", language, "check", str(spec)])
    assert text.exit_code == 1
    assert WORDS[language] in " ".join(text.stdout.split())
    document = json.loads(CliRunner().invoke(main, ["--lang", language, "check", "--format", "json",
                                                    str(spec)]).stdout)
    (failed,) = [f for f in document["specs"][0]["findings"] if f["kind"] == "failed-goal"]
    assert failed["prose"].endswith(WORDS[language])
    assert failed["details"] == [WORDS["en"].rstrip(".")]  # the English, in any language


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_report_pages_say_it_in_their_language(spec, tmp_path, language):
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["report", str(spec), "-o", str(out), "--lang", language, "--no-impact"])
    assert result.exit_code == 1, result.output
    page = (out / "index.html").read_text(encoding="utf-8")
    assert WORDS[language].split("`")[0] in page  # the keyword is marked up as code there
