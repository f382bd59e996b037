"""The language server's reading of a spec, without a client: the incremental parser gives
what parse_source gives (items, spans and errors), and the index finds each symbol's
declaration and uses, citations in lists included."""

from __future__ import annotations

import random
import re
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from legalmodel.lsp.incremental import IncrementalParser, parts
from legalmodel.lsp.index import Lines, build_index
from legalmodel.syntax.diagnostics import SpecError
from legalmodel.syntax.parse import _chunks, parse_source
from legalmodel.syntax.source import SourceFile, Span

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted(p for d in ("specs", "docs") for p in (ROOT / d).rglob("*.lm"))


def spans(node, out=None) -> list:
    """Every span in a tree, as the place it gives and the text it covers."""
    out = [] if out is None else out
    if isinstance(node, tuple):
        for x in node:
            spans(x, out)
    elif isinstance(node, Span):
        out.append((node.start, node.end, node.line, node.column, node.end_line, node.end_column, node.text()))
    elif is_dataclass(node) and not isinstance(node, type):
        for f in fields(node):
            if f.name != "source":
                spans(getattr(node, f.name), out)
    return out


def outcome(parse, source: SourceFile):
    try:
        tree = parse(source)
    except SpecError as err:
        return "errors", [(d.code, d.message, d.span.start, d.span.end, d.line, d.column, d.help, d.expected)
                          for d in err.diagnostics]
    return "items", tree.items, spans(tree.items)


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(ROOT)))
def test_incremental_parse_is_parse_source(path):
    source = SourceFile(str(path), path.read_text(encoding="utf-8"))
    assert outcome(IncrementalParser().parse, source) == outcome(parse_source, source)


def test_the_cut_is_parse_pys():
    for path in SPECS:
        text = path.read_text(encoding="utf-8")
        assert parts(text) == _chunks(text)


def _syntax_error_specs():
    text = (ROOT / "tests" / "fixtures" / "syntax_errors.txt").read_text(encoding="utf-8")
    return re.findall(r"--- spec\n(.*?)--- expected", text, re.S)


@pytest.mark.parametrize("spec", _syntax_error_specs())
def test_incremental_errors_are_parse_sources(spec):
    source = SourceFile("spec.lm", spec)
    assert outcome(IncrementalParser().parse, source) == outcome(parse_source, source)


def test_edits_reuse_parts_and_still_match():
    """A seeded run of edits, parsed by one parser as they come: each result is what a fresh
    parse of that text gives, though most parts come from the last parse."""
    text = (ROOT / "specs" / "tutorial" / "tutorial.lm").read_text(encoding="utf-8")
    parser = IncrementalParser()
    rng = random.Random(5)
    snippets = ["# a comment\n", "\n", " ", "(", "x", 'provision 9 § UBL "new"\n  permit lämna_uppgift\n', "and "]
    for _ in range(60):
        at = rng.randrange(len(text) + 1)
        if rng.random() < 0.3:
            text = text[:at] + text[at + rng.randrange(5):]
        else:
            text = text[:at] + rng.choice(snippets) + text[at:]
        source = SourceFile("t.lm", text)
        assert outcome(parser.parse, source) == outcome(parse_source, source)


TWO = {
    "a.lm": 'law L "a law"\nenum Who { police, court }\nfact who: Who "who asks"\nfact urgent: bool "urgent"\n'
            'action tell "tell them"\n',
    "b.lm": 'provision 1 kap. 1 § "one"\n  permit tell when who = police\n'
            'provision 1 kap. 2 § "two"\n  forbid tell when urgent\n  overrides 1 kap. 1 §\n'
            'provision 2 kap. 1 § "three"\n  permit tell when applies(1 kap. 1–2 §§)\n  except 1 kap.\n',
}


def test_the_index():
    files = [parse_source(SourceFile(name, text)) for name, text in TWO.items()]
    index = build_index(files)
    kinds = lambda kind, key: sorted((o.path, o.definition) for o in index.of(kind, key))
    assert kinds("fact", "urgent") == [("a.lm", True), ("b.lm", False)]
    assert kinds("value", "police") == [("a.lm", True), ("b.lm", False)]
    assert kinds("enum", "Who") == [("a.lm", False), ("a.lm", True)]
    assert kinds("action", "tell") == [("a.lm", True)] + [("b.lm", False)] * 3
    # overrides, applies (a range) and except (a chapter) each refer to 1 kap. 1 §
    assert kinds("provision", "1 kap. 1 § L") == [("b.lm", False)] * 3 + [("b.lm", True)]
    text = TWO["b.lm"]
    at = text.index("1–2 §§")
    assert {o.key for o in index.at("b.lm", at)} == {"1 kap. 1 § L", "1 kap. 2 § L"}


def test_lines_count_utf16():
    lines = Lines("a😀b\nåc")
    assert lines.position(2) == (0, 3)  # the emoji is two UTF-16 units
    assert lines.offset(0, 3) == 2 and lines.offset(1, 1) == 5
    assert lines.offset(9, 0) == len("a😀b\nåc") and lines.position(99) == (1, 2)


def test_the_lsp_command_is_there():
    from click.testing import CliRunner

    from legalmodel.cli import main

    result = CliRunner().invoke(main, ["lsp", "--help"])
    assert result.exit_code == 0 and "language server" in result.output


@pytest.mark.parametrize("before, first", [
    ("  expect ", "action"), ("  permit te", "action"), ("  given ", "fact"), ("when who = ", "value"),
    ("when who in {", "value"), ("  overrides ", "provision"), ("  overrides 1 kap. 1 §, 1 kap. ", "provision"),
    ("  permit tell when applies(", "provision"), ("  except 2 kap", "provision"),
])
def test_completion_offers_first_what_the_place_asks_for(before, first):
    from legalmodel.lsp.features import completion
    from legalmodel.lsp.index import Snapshot

    files = [parse_source(SourceFile(name, text)) for name, text in TWO.items()]
    snapshot = Snapshot("f", {}, {}, files, None, None)
    kinds = {"Variable": "fact", "EnumMember": "value", "Function": "action", "Reference": "provision"}
    best = min(completion(snapshot, before), key=lambda i: i.sort_text)
    assert kinds.get(best.kind.name) == first
