"""`legalmodel report`: the static site a lawyer reads and prints.

Golden pages for a small spec with one amendment (docs/amendment-tutorial/law), in English
and Swedish, reviewed by `git diff`; to accept new pages after a deliberate change run

    LEGALMODEL_UPDATE_GOLDEN=1 python3 -m pytest tests/test_report.py

Every page is parsed by html5lib's strict parser, every internal link must lead to a page (and
an id) that exists, and nothing may be fetched from elsewhere.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest

from legalmodel.cli import main
from legalmodel.web import site as web_site

from helpers import TESTS, make_runner

ROOT = TESTS.parent
GOLDEN = TESTS / "golden" / "report"
UPDATE = os.environ.get("LEGALMODEL_UPDATE_GOLDEN") == "1"
SMALL = "docs/amendment-tutorial/law"


def report(out: Path, *options: str, spec: str = SMALL):
    result = make_runner().invoke(main, ["report", spec, "-o", str(out), *options])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The small spec's site in each language, written once for the module."""
    old = os.getcwd()
    os.chdir(ROOT)  # the spec's path, as the pages name it, is relative to the repository
    try:
        out = {}
        for lang in ("en", "sv"):
            folder = tmp_path_factory.mktemp(f"report-{lang}")
            result = report(folder, "--lang", lang, "-j", "1")
            assert result.exit_code == 0, result.output
            out[lang] = folder
        return out
    finally:
        os.chdir(old)


def pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_pages_are_the_golden_ones(sites, lang):
    folder = sites[lang]
    expected = GOLDEN / lang
    if UPDATE:
        expected.mkdir(parents=True, exist_ok=True)
        for old in expected.glob("*"):
            old.unlink()
        for p in sorted(folder.iterdir()):
            (expected / p.name).write_bytes(p.read_bytes())
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in expected.iterdir())
    for p in sorted(folder.iterdir()):
        assert p.read_text(encoding="utf-8") == (expected / p.name).read_text(encoding="utf-8"), p.name


def test_the_site_has_an_index_a_page_per_provision_and_per_date_pair(sites):
    names = {p.name for p in sites["en"].iterdir()}
    assert {"index.html", "style.css", "diff-2020-07-31-2020-08-01.html",
            "10-kap-18-b-OSL.html", "26-kap-1-OSL.html", "10-kap-18-a-OSL.html", "10-kap-27-OSL.html"} == names


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_page_is_valid_html(sites, lang):
    for page in pages(sites[lang]):
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        document = parser.parse(page.read_bytes(), transport_encoding="utf-8")
        assert document.find("body") is not None, page.name
        assert document.get("lang") == lang


def _links(page: Path) -> tuple[list[str], set[str]]:
    document = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False, transport_encoding="utf-8")
    targets = [e.get("href") for e in document.iter() if e.get("href") is not None]
    targets += [e.get("src") for e in document.iter() if e.get("src") is not None]
    ids = {e.get("id") for e in document.iter() if e.get("id")}
    return targets, ids


def broken_links(folder: Path) -> list[str]:
    """Every link or source of the site's pages that leaves the site, or leads to a page or
    an id that does not exist."""
    ids = {p.name: _links(p)[1] for p in pages(folder)}
    problems = []
    for page in pages(folder):
        for target in _links(page)[0]:
            parts = urlsplit(target)
            name = unquote(parts.path) or page.name
            if parts.scheme or parts.netloc:
                problems.append(f"{page.name} reaches outside the site: {target}")
            elif not (folder / name).is_file():
                problems.append(f"{page.name} links to a missing {target}")
            elif parts.fragment and parts.fragment not in ids.get(name, ()):
                problems.append(f"{page.name} links to a missing id {target}")
    return problems


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_no_internal_link_is_broken_and_nothing_is_fetched_from_elsewhere(sites, lang):
    folder = sites[lang]
    assert broken_links(folder) == []
    css = (folder / "style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_the_link_check_finds_what_it_is_for(sites, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(sites["en"], copy)
    (copy / "26-kap-1-OSL.html").unlink()
    index = copy / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace(
        'href="style.css"', 'href="https://example.org/style.css"').replace(
        'href="#main"', 'href="#nowhere"'), encoding="utf-8")
    problems = broken_links(copy)
    assert "index.html links to a missing 26-kap-1-OSL.html" in problems
    assert "index.html reaches outside the site: https://example.org/style.css" in problems
    assert "index.html links to a missing id #nowhere" in problems


def test_the_index_links_each_date_pair_and_each_provision(sites):
    index = (sites["en"] / "index.html").read_text(encoding="utf-8")
    assert 'href="diff-2020-07-31-2020-08-01.html"' in index
    for name in ("10-kap-18-b-OSL.html", "26-kap-1-OSL.html"):
        assert f'href="{name}"' in index
    assert "fails, as expected" in index and "holds" in index  # the motion's goal on each side


def test_a_provision_page_has_its_wordings_rule_impact_and_links(sites):
    page = (sites["en"] / "10-kap-18-b-OSL.html").read_text(encoding="utf-8")
    assert "SFS 2020:575" in page and "summary" in page  # the act and the certainty of its wording
    assert "not part of the law on this date" in page  # on 2020-07-31
    assert "Where it still decides" in page and "permitted → forbidden" in page  # with it, and without it
    assert "without it, decided by" in page
    assert 'href="26-kap-1-OSL.html"' in page  # what it overrides, and what decides without it


def test_the_swedish_site_is_in_swedish(sites):
    index = (sites["sv"] / "index.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in index
    assert "Lagen på varje datum" in index and "uppfylls inte, som väntat" in index
    assert "The law on each date" not in index


def test_the_same_spec_gives_the_same_bytes(tmp_path, monkeypatch, sites):
    monkeypatch.chdir(ROOT)
    assert report(tmp_path / "again", "-j", "2").exit_code == 0
    for p in sites["en"].iterdir():
        assert (tmp_path / "again" / p.name).read_bytes() == p.read_bytes(), p.name


def test_the_site_prints_without_navigation():
    css = (web_site.STATIC_DIR / "style.css").read_text(encoding="utf-8")
    assert re.search(r"@media print \{[^}]*nav", css)


def test_findings_exit_1_and_show_on_the_index(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = report(tmp_path / "step1", spec="docs/tutorial/step1.lm")
    assert result.exit_code == 1, result.output
    index = (tmp_path / "step1" / "index.html").read_text(encoding="utf-8")
    assert "GAP-def33735" in index and "error[gap]" in index


def test_a_law_without_amendments_has_one_date_and_no_diff(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = report(tmp_path / "t", "--no-impact", spec="specs/tutorial")
    assert result.exit_code == 0, result.output
    assert not list((tmp_path / "t").glob("diff-*.html"))
    page = (tmp_path / "t" / "10-kap-27-OSL.html").read_text(encoding="utf-8")
    assert "Not computed for this report" in page
    assert '<th scope="row">as last amended</th>' in page
    assert report(tmp_path / "sv", "--no-impact", "--lang", "sv", spec="specs/tutorial").exit_code == 0
    assert '<th scope="row">i senaste lydelse</th>' in (tmp_path / "sv" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("options, message", [
    (["--as-of", "2016-13-01"], "is not a date of the calendar"),
    (["--lang", "de"], "'de' is not one of"),
])
def test_bad_options_exit_2_with_a_message(tmp_path, options, message):
    result = report(tmp_path / "x", *options)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_spec_with_an_error_exits_2_with_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.lm"
    bad.write_text('law X "x"\nfact a: bool "a"\nprovison 1 § "misspelt"\n', encoding="utf-8")
    result = report(tmp_path / "out", spec=str(bad))
    assert result.exit_code == 2
    assert "bad.lm:3:1" in result.output and "provison" in result.output
    assert not (tmp_path / "out").exists()


def test_an_output_that_is_a_file_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    target = tmp_path / "file"
    target.write_text("x")
    result = report(target, "--no-impact")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_without_the_web_extra_the_commands_say_what_to_install(monkeypatch, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "starlette" else real(name, *a))
    for args in (["report", SMALL, "-o", str(tmp_path / "x")], ["serve", SMALL, "--port", "1"]):
        result = make_runner().invoke(main, args)
        assert result.exit_code == 2
        assert "pip install 'legalmodel[web]'" in result.output and "starlette" in result.output


def test_a_spec_written_in_swedish_gets_swedish_pages_unless_asked_otherwise(tmp_path):
    """Without --lang the pages speak the spec's declared language (`språk sv`), as check does;
    --lang still wins."""
    spec = "docs/handledning/handledning.lm"
    for options, lang in (((), "sv"), (("--lang", "en"), "en")):
        out = tmp_path / lang
        old = os.getcwd()
        os.chdir(ROOT)
        try:
            result = report(out, "--no-impact", "-j", "1", *options, spec=spec)
        finally:
            os.chdir(old)
        assert result.exit_code in (0, 1), result.output
        assert f'<html lang="{lang}">' in (out / "index.html").read_text(encoding="utf-8")
