"""The cache of parsed files: a hit gives the same syntax as parsing, any change misses, a
damaged entry is ignored, and `LEGALMODEL_CACHE=off` writes nothing."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from legalmodel.syntax import cache, parse
from legalmodel.pipeline import parse_file
from legalmodel.syntax.source import SourceFile

TEXT = '''law OSL "Offentlighets- och sekretesslag (2009:400)"
fact ålder: 0..130 "the person's age"
action lämna "disclose" default forbidden
provision 10 kap. 18 a § "Unga lagöverträdare" permit lämna when ålder < 21
'''


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("LEGALMODEL_CACHE", raising=False)
    cache.folder.cache_clear()
    yield tmp_path / "legalmodel"
    cache.folder.cache_clear()


def entries(folder):
    return sorted(folder.glob("parsed-*.pickle"))


def refuse_to_parse(monkeypatch):
    def fail(_source):
        raise AssertionError("parsed although the cache holds this file")

    monkeypatch.setattr(parse, "parse_source", fail)


def test_a_file_parsed_before_comes_from_the_cache(cache_home, monkeypatch):
    source = SourceFile("spec.lm", TEXT)
    first = parse_file(source)
    assert len(entries(cache_home)) == 1
    refuse_to_parse(monkeypatch)
    again = parse_file(SourceFile("spec.lm", TEXT))
    assert again == first and again.source == source
    assert [i.span.location() for i in again.items] == [i.span.location() for i in first.items]


@pytest.mark.parametrize("other", [SourceFile("spec.lm", TEXT.replace("21", "18")), SourceFile("other.lm", TEXT)])
def test_a_changed_text_or_name_is_parsed_again(cache_home, other):
    parse_file(SourceFile("spec.lm", TEXT))
    parsed = parse_file(other)
    assert parsed.source == other
    assert len(entries(cache_home)) == 2


def test_a_damaged_entry_is_ignored_and_replaced(cache_home):
    source = SourceFile("spec.lm", TEXT)
    expected = parse_file(source)
    (entry,) = entries(cache_home)
    entry.write_bytes(b"not a pickle")
    assert parse_file(source) == expected
    assert cache.load_parsed(source) == expected


def test_files_with_errors_are_not_stored(cache_home):
    from legalmodel.syntax.diagnostics import SpecErrors

    with pytest.raises(SpecErrors):
        parse_file(SourceFile("bad.lm", "provision 10 kap. 18 a § permit\n"))
    assert entries(cache_home) == []


def test_the_cache_can_be_turned_off(cache_home, monkeypatch):
    monkeypatch.setenv("LEGALMODEL_CACHE", "off")
    parse_file(SourceFile("spec.lm", TEXT))
    assert entries(cache_home) == []


def test_the_fingerprint_covers_the_code_that_reads_files():
    """An entry written by another version of the parser is never read: the key includes the
    source of every module that shapes the syntax tree, and the grammar."""
    from pathlib import Path

    package = Path(cache.__file__).resolve().parent
    for name in cache._READERS:
        assert any((folder / name).is_file() for folder in (package, package.parent, package.parent.parent)), name
    assert {"parse.py", "tree.py", "grammar/legalmodel.lark"} <= set(cache._READERS)


def _fields_everywhere(node):
    """Every field of a tree, spans included (equality leaves spans out), as nested tuples."""
    if dataclasses.is_dataclass(node):
        return (type(node).__name__, tuple((f.name, _fields_everywhere(getattr(node, f.name)))
                                           for f in dataclasses.fields(node)))
    if isinstance(node, tuple):
        return tuple(_fields_everywhere(x) for x in node)
    return node


def test_a_stored_tree_keeps_every_field_and_span_of_every_spec_we_ship():
    # the cache pickles each node as its class and field values (source.pickle_by_fields): a
    # field read back into the wrong place would show here, spans included
    root = Path(__file__).resolve().parent.parent
    files = sorted([*root.glob("specs/**/*.lm"), *root.glob("docs/**/*.lm")])
    assert len(files) > 20
    kinds = set()
    for path in files:
        tree = parse.parse_source(SourceFile(str(path), path.read_text(encoding="utf-8")))
        again = pickle.loads(pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL))
        assert _fields_everywhere(again) == _fields_everywhere(tree), path
        kinds |= {type(item).__name__ for item in tree.items}
    assert {"ProvisionDecl", "AmendmentDecl", "GoalDecl", "ExampleDecl", "ContractDecl"} <= kinds


def test_a_check_on_a_warm_cache_never_imports_the_parser(tmp_path):
    """What the cache is for: a spec read before is checked without loading Lark at all (its
    import costs more than the rest of a small check's start)."""
    import os
    import subprocess
    import sys

    spec = tmp_path / "spec.lm"
    spec.write_text(TEXT, encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("LEGALMODEL_CACHE", None)
    probe = ("import sys; from legalmodel.cli import main\n"
             "try: main(['check', sys.argv[1]])\n"
             "except SystemExit: pass\n"
             "print('lark' in sys.modules, file=sys.stderr)")
    runs = [subprocess.run([sys.executable, "-c", probe, str(spec)], env=env, capture_output=True, text=True)
            for _ in range(2)]
    assert runs[0].stderr.strip().endswith("True"), runs[0].stderr  # the first run parses
    assert runs[1].stderr.strip().endswith("False"), runs[1].stderr


def test_commands_that_ask_no_question_never_load_the_solver(tmp_path):
    """`fmt` and `--help` load neither Z3 nor the analyses, whose imports cost more than the
    rest of such a command; a check does."""
    import os
    import subprocess
    import sys

    spec = tmp_path / "spec.lm"
    spec.write_text(TEXT, encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    probe = ("import sys; from legalmodel.cli import main\n"
             "try: main(sys.argv[1:])\n"
             "except SystemExit: pass\n"
             "print(sorted(m for m in ('z3', 'legalmodel.analyses.analyse') if m in sys.modules), file=sys.stderr)")
    for args in (["fmt", str(spec)], ["--help"], ["check", "--help"]):
        run = subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True)
        assert run.stderr.strip().endswith("[]"), (args, run.stderr)
    run = subprocess.run([sys.executable, "-c", probe, "check", str(spec)], env=env, capture_output=True, text=True)
    assert "'z3'" in run.stderr.splitlines()[-1], run.stderr  # the probe sees a check load it


def test_past_its_limit_a_kind_of_entry_loses_its_oldest_half_and_no_other(cache_home):
    import os

    where = cache.folder()
    root = cache_home
    for k in range(6):
        for name in (f"answer-{k}.pickle", f"parsed-{k}.pickle"):
            (root / name).write_bytes(b"x")
            os.utime(root / name, (1_000_000 + k, 1_000_000 + k))
    assert where is not None
    cache.prune("answer-", ".pickle", 6)  # at the limit: nothing goes
    assert len(list(root.glob("answer-*"))) == 6
    cache.prune("answer-", ".pickle", 4)
    assert sorted(p.name for p in root.glob("answer-*")) == ["answer-3.pickle", "answer-4.pickle", "answer-5.pickle"]
    assert len(list(root.glob("parsed-*"))) == 6  # another kind is not touched
