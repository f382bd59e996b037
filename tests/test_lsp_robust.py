"""The language server on bad input while typing: half-written provisions, unbalanced
brackets, control characters, a 1 MB paste, and a bounded fuzz of random edits. The server
answers with diagnostics and keeps answering; it never crashes."""

from __future__ import annotations

import random
import shutil

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

from legalmodel.lsp.index import Lines
from lsp_helpers import ROOT, SERVER, change, diagnostics, open_doc, start

pytestmark = pytest.mark.asyncio


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    await start(lsp_client, {"debounce": 0.05})
    yield
    await lsp_client.shutdown_session()


def has_error(ds):
    return any(d.severity == t.DiagnosticSeverity.Error for d in ds)


def clean(ds):
    return not has_error(ds)


async def answers(client: LanguageClient, u: str) -> None:
    """The server still answers requests on the document."""
    await client.text_document_document_symbol_async(t.DocumentSymbolParams(t.TextDocumentIdentifier(u)))
    await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(u), t.Position(0, 1)))
    items = await client.text_document_completion_async(t.CompletionParams(t.TextDocumentIdentifier(u),
                                                                           t.Position(0, 0)))
    assert items is not None


def _tutorial(tmp_path):
    path = tmp_path / "tutorial.lm"
    shutil.copy(ROOT / "specs/tutorial/tutorial.lm", path)
    return path, path.read_text(encoding="utf-8")


async def test_a_provision_typed_character_by_character(client: LanguageClient, tmp_path):
    path, text = _tutorial(tmp_path)
    u = open_doc(client, path)
    await diagnostics(client, u, clean)
    new = ('\nprovision 10 kap. 99 § OSL "Ny" (verified)\n  permit lämna_uppgift when samtycke and (ålder < 18\n'
           '  overrides 26 kap. 1 §\n')
    for n in range(1, len(new) + 1):
        change(client, u, text + new[:n])
    found = await diagnostics(client, u, has_error, "the unbalanced bracket's error")
    assert any(d.code == "syntax" for d in found)
    await answers(client, u)
    change(client, u, text + new.replace("(ålder < 18", "(ålder < 18)"))
    await diagnostics(client, u, clean, "the errors cleared")


@pytest.mark.parametrize("bad", [
    "provision", "provision 10 kap.", 'provision 10 kap. 99 § OSL "x"\n  permit', "((((((", "))))", "{ { {",
    "goal \"unterminated", "fact x: 5..", "provision 1 § OSL \"x\"\n  permit lämna_uppgift when " + "(" * 300,
    "\x00\x1b[31m", "§§§ kap. kap. –– ..", "accept COL-zzzz \"x\"",
])
async def test_broken_text_gets_diagnostics(client: LanguageClient, tmp_path, bad):
    path, text = _tutorial(tmp_path)
    u = open_doc(client, path, text + "\n" + bad + "\n")
    await diagnostics(client, u, has_error, f"an error for {bad!r}")
    await answers(client, u)


@pytest.mark.slow
async def test_a_1mb_paste(client: LanguageClient, tmp_path):
    path, text = _tutorial(tmp_path)
    u = open_doc(client, path)
    await diagnostics(client, u, clean)
    rng = random.Random(7)
    garbage = "".join(rng.choice('abcåäö ()§kap."\n 12permit forbid when and or not') for _ in range(1_000_000))
    change(client, u, text + garbage)
    await diagnostics(client, u, has_error, "an error for the garbage")
    await answers(client, u)
    change(client, u, text * (1_000_000 // len(text)))  # a valid spec pasted again and again: duplicates
    found = await diagnostics(client, u, lambda ds: any(d.code == "duplicate" for d in ds), "the duplicates")
    assert found
    await answers(client, u)
    change(client, u, text)
    await diagnostics(client, u, clean, "the errors cleared")


SNIPPETS = ['"', "(", ")", "{", "}", "§", " kap.", "provision ", "permit ", " when ", "and", "not ", "\n", "  ",
            "26 kap. 1 §", "overrides ", "except ", "applies(", "ålder", "< 21", "samtycke", "true", ",", "–",
            "#", "\t", "\u2028", "😀"]


@pytest.mark.slow
async def test_random_edits(client: LanguageClient, tmp_path):
    """A bounded fuzz: 300 random edits (fixed seed), sent as incremental changes without
    waiting, then the server must still answer and come back clean on the original text."""
    path, original = _tutorial(tmp_path)
    u = open_doc(client, path)
    await diagnostics(client, u, clean)
    rng = random.Random(21)
    text = original
    for version in range(2, 302):
        lines = Lines(text)
        a = rng.randrange(len(text) + 1)
        b = min(len(text), a + rng.choice([0, 0, 1, 3, 20, 200]))
        new = "".join(rng.choice(SNIPPETS) for _ in range(rng.choice([0, 1, 2, 5])))
        start_pos, end_pos = lines.position(a), lines.position(b)
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            t.VersionedTextDocumentIdentifier(version=version, uri=u),
            [t.TextDocumentContentChangePartial(range=t.Range(t.Position(*start_pos), t.Position(*end_pos)),
                                                text=new)]))
        text = text[:a] + new + text[b:]
        if version % 50 == 0:
            await answers(client, u)
    await answers(client, u)
    change(client, u, original)
    await diagnostics(client, u, clean, "the original text clean again")
    assert client.error is None
