"""The cache cannot run code planted by someone else (issue 18): entries and Lark's tables are
read only when signed with the folder's key, the folder is used only when it is the user's
own, nothing goes to the shared temporary folder, and `LEGALMODEL_CACHE=off` touches nothing.

Every test points XDG_CACHE_HOME and HOME at its own temporary folder."""

from __future__ import annotations

import os
import pickle
import stat
import tempfile

import pytest

from legalmodel.syntax import cache, parse
from legalmodel.pipeline import parse_file
from legalmodel.syntax.source import SourceFile

TEXT = '''law OSL "Offentlighets- och sekretesslag (2009:400)"
fact ålder: 0..130 "the person's age"
action lämna "disclose" default forbidden
provision 10 kap. 18 a § "Unga lagöverträdare" permit lämna when ålder < 21
'''


class Payload:
    """A pickle that, when unpickled, writes a marker file: the harmless stand-in for an attack."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').write('ran')",))


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LEGALMODEL_CACHE", raising=False)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))  # where Lark's fallback would go
    cache.folder.cache_clear()
    parse.parser.cache_clear()
    yield tmp_path
    cache.folder.cache_clear()
    parse.parser.cache_clear()


def folder(home):
    return home / "cache" / "legalmodel"


def everything_under(path):
    return sorted(str(p.relative_to(path)) for p in path.rglob("*")) if path.exists() else []


def fresh():
    cache.folder.cache_clear()
    parse.parser.cache_clear()


def test_a_planted_parsed_entry_is_not_unpickled(home):
    source = SourceFile("spec.lm", TEXT)
    expected = parse_file(source)
    (entry,) = folder(home).glob("parsed-*")
    marker = home / "ran"
    entry.write_bytes(pickle.dumps(Payload(marker)))
    fresh()
    assert parse_file(source) == expected
    assert not marker.exists()


def test_planted_grammar_tables_are_not_unpickled(home):
    parse.parser()
    planted = list(folder(home).glob("grammar-*"))
    assert planted
    marker = home / "ran"
    for path in planted:  # both Lark's own layout (a hash line, then pickles) and a bare pickle
        path.write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n" + pickle.dumps(Payload(marker)))
    fresh()
    assert parse.parse_source(SourceFile("spec.lm", TEXT)).items
    assert not marker.exists()


def test_an_entry_signed_with_another_key_is_ignored(home, tmp_path, monkeypatch):
    source = SourceFile("spec.lm", TEXT)
    parse_file(source)
    (entry,) = folder(home).glob("parsed-*")
    (folder(home) / "key").write_bytes(os.urandom(32))  # as if the entry came from another folder
    fresh()
    assert cache.load_parsed(source) is None


def test_the_tables_come_from_the_cache_when_signed(home, monkeypatch):
    parse.parser()
    fresh()

    def build(*args, **kwargs):
        raise AssertionError("the tables were built again although they are stored")

    monkeypatch.setattr(parse, "Lark", type("NoBuild", (), {"__new__": build, "load": parse.Lark.load}))
    assert parse.parser() is not None


def test_the_folder_is_made_private_with_a_private_key(home):
    parse_file(SourceFile("spec.lm", TEXT))
    assert stat.S_IMODE(folder(home).stat().st_mode) == 0o700
    assert stat.S_IMODE((folder(home) / "key").stat().st_mode) == 0o600
    for entry in folder(home).iterdir():
        assert stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0, entry


def test_a_folder_others_can_write_is_not_used(home, capsys):
    folder(home).mkdir(parents=True)
    folder(home).chmod(0o777)
    parse_file(SourceFile("spec.lm", TEXT))
    parse.parser()
    assert everything_under(folder(home)) == []
    err = capsys.readouterr().err
    assert err.count("warning: not using the cache folder") == 1 and "others can write to it" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a folder away")
def test_a_folder_of_another_user_is_not_used(home, capsys):
    folder(home).mkdir(parents=True, mode=0o700)
    os.chown(folder(home), 65534, 65534)
    parse_file(SourceFile("spec.lm", TEXT))
    assert everything_under(folder(home)) == []
    assert "belongs to another user" in capsys.readouterr().err


def test_a_symlinked_folder_is_not_used(home, capsys):
    elsewhere = home / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (home / "cache").mkdir()
    folder(home).symlink_to(elsewhere)
    parse_file(SourceFile("spec.lm", TEXT))
    assert everything_under(elsewhere) == []
    assert "symbolic link" in capsys.readouterr().err


def test_a_key_others_can_read_turns_the_cache_off(home, capsys):
    parse_file(SourceFile("spec.lm", TEXT))
    (folder(home) / "key").chmod(0o644)
    fresh()
    assert cache.load_parsed(SourceFile("spec.lm", TEXT)) is None
    assert "key" in capsys.readouterr().err


def test_no_fallback_to_the_shared_temporary_folder(home):
    (home / "cache").write_text("a file where the cache folder's parent should be")
    fresh()
    parse_file(SourceFile("spec.lm", TEXT))
    parse.parser()
    assert everything_under(home / "tmp") == []


def test_off_means_nothing_read_or_written(home, monkeypatch):
    monkeypatch.setenv("LEGALMODEL_CACHE", "off")
    fresh()
    parse_file(SourceFile("spec.lm", TEXT))
    parse.parser()
    assert everything_under(home / "cache") == []
    assert everything_under(home / "tmp") == []
