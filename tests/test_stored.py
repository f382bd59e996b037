"""Answers kept in the cache folder (analyses/stored.py): a diff between two dates, a
provision's impact and a report's check asked again of the same law are read back, the same
as asked afresh; a changed file, another date or provision, an undecided answer or
`LEGALMODEL_CACHE=off` asks the solver again."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest

import legalmodel
from legalmodel import api
from legalmodel.analyses import diff as diff_module
from legalmodel.analyses import stored
from legalmodel.reports.diff import diff_json, render_diff_text
from legalmodel.syntax import cache

LAW = Path(__file__).resolve().parent.parent / "docs" / "amendment-tutorial" / "law"
BEFORE, AFTER = "2016-10-05", "2020-08-01"


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("LEGALMODEL_CACHE", raising=False)
    cache.folder.cache_clear()
    yield tmp_path / "cache" / "legalmodel"
    cache.folder.cache_clear()


@pytest.fixture
def law_copy(tmp_path):
    target = tmp_path / "law"
    shutil.copytree(LAW, target)
    return target


def shown(result) -> tuple[str, str]:
    """What a user reads of a diff or an impact: its JSON and its text."""
    return json.dumps(diff_json(result), ensure_ascii=False, sort_keys=True), render_diff_text(result)


def answers(folder: Path) -> list[Path]:
    return sorted(folder.glob("answer-*.pickle"))


def counting_diffs(monkeypatch) -> list:
    """Count the diffs the solver is asked for (each impact and each diff is one)."""
    asked = []
    real = diff_module.diff

    def counted(*args, **kwargs):
        asked.append(args[3] if len(args) > 3 else kwargs.get("old_label"))
        return real(*args, **kwargs)

    monkeypatch.setattr(diff_module, "diff", counted)
    return asked


def test_a_diff_asked_again_is_read_back_the_same(cache_home, law_copy, monkeypatch):
    asked = counting_diffs(monkeypatch)
    law = legalmodel.load(law_copy)
    first = api.diff(law.at(BEFORE), law.at(AFTER))
    assert len(asked) == 1 and len(answers(cache_home)) == 1
    reloaded = legalmodel.load(law_copy)  # another process would load the law afresh
    again = api.diff(reloaded.at(BEFORE), reloaded.at(AFTER))
    assert len(asked) == 1, "the solver was asked although the answer was kept"
    assert shown(again) == shown(first)


def test_the_command_line_diff_reads_the_kept_answer(cache_home, law_copy, monkeypatch):
    from click.testing import CliRunner

    from legalmodel.cli import main

    asked = counting_diffs(monkeypatch)
    args = ["diff", str(law_copy), "--from", BEFORE, "--to", AFTER, "--format", "json"]
    first = CliRunner().invoke(main, args)
    again = CliRunner().invoke(main, args)
    assert (first.exit_code, again.exit_code) == (0, 0)
    assert again.output == first.output
    assert len(asked) == 1


def test_a_changed_file_is_asked_again(cache_home, law_copy, monkeypatch):
    asked = counting_diffs(monkeypatch)
    law = legalmodel.load(law_copy)
    api.diff(law.at(BEFORE), law.at(AFTER))
    amendment = next(p for p in sorted(law_copy.glob("*.lm")) if "2020" in p.read_text(encoding="utf-8"))
    amendment.write_text(amendment.read_text(encoding="utf-8") + "\n# a comment changes the text\n",
                         encoding="utf-8")
    law = legalmodel.load(law_copy)
    api.diff(law.at(BEFORE), law.at(AFTER))
    assert len(asked) == 2 and len(answers(cache_home)) == 2


def test_other_dates_another_time_limit_and_impact_are_other_questions(cache_home, law_copy, monkeypatch):
    asked = counting_diffs(monkeypatch)
    law = legalmodel.load(law_copy)
    api.diff(law.at(BEFORE), law.at(AFTER))
    api.diff(law.at(BEFORE), law.at(AFTER), timeout=20)
    api.diff(law.at("2015-01-01"), law.at(AFTER))
    impact = law.impact("10 kap. 18 a §")
    assert len(asked) == 4 and len(answers(cache_home)) == 4
    assert shown(law.impact("10 kap. 18 a §")) == shown(impact)
    assert len(asked) == 4


def test_an_impact_read_back_is_the_impact_asked_afresh(cache_home, monkeypatch):
    law = legalmodel.load(LAW)
    kept = law.impact("10 kap. 18 a §")
    read = law.impact("10 kap. 18 a §")
    monkeypatch.setenv("LEGALMODEL_CACHE", "off")
    cache.folder.cache_clear()
    fresh = law.impact("10 kap. 18 a §")
    assert read.changes and shown(read) == shown(fresh) == shown(kept)


def test_an_impact_asked_with_keep_false_is_read_but_never_written(cache_home, law_copy, monkeypatch):
    """The language server asks so of unsaved text (Law.impact's `keep`)."""
    asked = counting_diffs(monkeypatch)
    law = legalmodel.load(law_copy)
    unsaved = law.impact("10 kap. 18 a §", keep=False)
    assert len(asked) == 1 and answers(cache_home) == []
    kept = law.impact("10 kap. 18 a §")
    assert len(asked) == 2 and len(answers(cache_home)) == 1
    assert shown(law.impact("10 kap. 18 a §", keep=False)) == shown(kept) == shown(unsaved)
    assert len(asked) == 2  # read back, not asked again


def test_an_undecided_answer_is_not_kept(cache_home, law_copy, monkeypatch):
    real = diff_module.diff
    asked = []

    def undecided(*args, **kwargs):
        result = real(*args, **kwargs)
        result.unknown.append("`disclose` permitted → forbidden: the solver ran out of time")
        asked.append(result)
        return result

    monkeypatch.setattr(diff_module, "diff", undecided)
    law = legalmodel.load(law_copy)
    api.diff(law.at(BEFORE), law.at(AFTER))
    again = api.diff(law.at(BEFORE), law.at(AFTER))
    assert len(asked) == 2 and answers(cache_home) == []
    assert again.unknown


def test_a_check_is_kept_only_when_asked_to(cache_home, law_copy, monkeypatch):
    law = legalmodel.load(law_copy, as_of=AFTER)
    plain = law.check()
    assert answers(cache_home) == []
    kept = law.check(remember=True)
    assert len(answers(cache_home)) == 1

    def refuse(*_args, **_kwargs):
        raise AssertionError("checked although the answer was kept")

    from legalmodel.analyses import analyse

    monkeypatch.setattr(analyse, "analyse", refuse)
    read = legalmodel.load(law_copy, as_of=AFTER).check(remember=True)
    assert read.to_json() == kept.to_json() == plain.to_json()
    assert read.exit_status == plain.exit_status


def test_with_the_cache_off_nothing_is_kept(cache_home, law_copy, monkeypatch):
    monkeypatch.setenv("LEGALMODEL_CACHE", "off")
    cache.folder.cache_clear()
    asked = counting_diffs(monkeypatch)
    law = legalmodel.load(law_copy)
    api.diff(law.at(BEFORE), law.at(AFTER))
    api.diff(law.at(BEFORE), law.at(AFTER))
    assert len(asked) == 2 and not cache_home.exists()


def test_a_damaged_answer_is_asked_again(cache_home, law_copy, monkeypatch):
    asked = counting_diffs(monkeypatch)
    law = legalmodel.load(law_copy)
    first = api.diff(law.at(BEFORE), law.at(AFTER))
    (entry,) = answers(cache_home)
    data = bytearray(entry.read_bytes())
    data[-5] ^= 0xFF  # the signature no longer matches: never unpickled
    entry.write_bytes(bytes(data))
    again = api.diff(law.at(BEFORE), law.at(AFTER))
    assert len(asked) == 2 and shown(again) == shown(first)


def test_the_code_is_part_of_the_key(law_copy, monkeypatch):
    versions = legalmodel.load(law_copy).versions
    name = stored.entry_name("diff", versions, BEFORE, AFTER)
    assert name == stored.entry_name("diff", legalmodel.load(law_copy).versions, BEFORE, AFTER)
    assert name != stored.entry_name("diff", versions, BEFORE, "2021-01-01")
    real = stored.code_fingerprint()
    monkeypatch.setattr(stored, "code_fingerprint", lambda: real + b"another legalmodel")
    assert stored.entry_name("diff", versions, BEFORE, AFTER) != name


def test_answers_off_asks_the_solver_and_keeps_the_parse_cache(cache_home, law_copy, monkeypatch):
    monkeypatch.setenv("LEGALMODEL_ANSWERS", "off")
    asked = counting_diffs(monkeypatch)
    law = legalmodel.load(law_copy)
    api.diff(law.at(BEFORE), law.at(AFTER))
    api.diff(law.at(BEFORE), law.at(AFTER))
    assert len(asked) == 2 and answers(cache_home) == []
    assert list(cache_home.glob("parsed-*.pickle")), "the parsed files are still kept"


def test_an_answer_names_the_law_s_files_and_specs_instead_of_holding_them(cache_home, law_copy):
    law = legalmodel.load(law_copy)
    first = api.diff(law.at(BEFORE), law.at(AFTER))
    (entry,) = answers(cache_home)
    payload = entry.read_bytes()
    base = (law_copy / "base.lm").read_text(encoding="utf-8")
    assert base[:200].encode() not in payload
    assert len(payload) < len(pickle.dumps(first)) / 2
    again = api.diff(law.at(BEFORE), law.at(AFTER))
    assert shown(again) == shown(first)
    assert {r.situation.get("ålder") for c in again.changes for r in c.regions} == \
        {r.situation.get("ålder") for c in first.changes for r in c.regions}


def test_an_answer_whose_file_the_law_lacks_is_asked_again(cache_home, law_copy, monkeypatch):
    law = legalmodel.load(law_copy)
    specs = (law.at(BEFORE).spec,)
    stored.keep("answer-test.pickle", {"where": specs[0].provisions}, specs)
    assert stored.recall("answer-test.pickle", specs) is not None
    assert stored.recall("answer-test.pickle", ()) is None  # refers to a spec not given back


def test_a_report_asked_again_reads_every_answer_and_writes_the_same_pages(cache_home, law_copy, tmp_path,
                                                                            monkeypatch):
    from legalmodel.web.site import build, write

    first = build(law_copy, jobs=1)
    kept = len(answers(cache_home))
    assert kept == len(first.dates) * 2 - 1 + sum(p.impact is not None for p in first.provisions)

    def refuse(*_args, **_kwargs):
        raise AssertionError("asked the solver although every answer was kept")

    monkeypatch.setattr(diff_module, "diff", refuse)
    from legalmodel.analyses import analyse

    monkeypatch.setattr(analyse, "analyse", refuse)
    again = build(law_copy, jobs=2)
    for lang in ("en", "sv"):
        written = write(first, tmp_path / f"first-{lang}", lang)
        rewritten = write(again, tmp_path / f"again-{lang}", lang)
        assert [p.name for p in written] == [p.name for p in rewritten]
        for a, b in zip(written, rewritten):
            assert a.read_bytes() == b.read_bytes(), a.name
    assert len(answers(cache_home)) == kept


def test_the_same_text_names_the_same_entry_whatever_was_read_between(tmp_path):
    """The language server's parse cache keeps the unchanged parts of an edited file, whose
    spans point into the text as it was read first: the text back as it was must name the
    entry it named then, not a new one per edit."""
    from legalmodel.lsp.index import ParseCache, read_disk, read_folder

    folder = tmp_path / "tutorial"
    shutil.copytree(Path(__file__).resolve().parent.parent / "specs" / "tutorial", folder)
    path = str(folder / "tutorial.lm")
    saved = {path: read_disk(path)}
    parsed = ParseCache()

    def name(texts):
        law = read_folder(str(folder), sorted(texts), texts, parsed, None).law
        return stored.entry_name("impact", law.versions, law.as_of, "10 kap. 27 § OSL", 10_000)

    first = name(saved)
    edited = name({path: saved[path] + "\n# a note\n"})
    assert edited != first
    assert name(saved) == first
