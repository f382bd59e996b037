"""Shared by the language-server tests: a client on a real `legalmodel lsp` process
(pytest-lsp), and the small steps every test takes: open, change, wait for diagnostics,
apply an edit the server proposes."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from lsprotocol import types as t

from legalmodel.lsp.index import Lines

SERVER = [sys.executable, "-m", "legalmodel.cli", "lsp"]
WAIT = 60.0  # seconds before a wait gives up: a guard against a hang, never a measure of speed
ROOT = Path(__file__).resolve().parents[1]


async def start(client, options: dict | None = None) -> None:
    await client.initialize_session(t.InitializeParams(
        capabilities=t.ClientCapabilities(), initialization_options=options or {}))


def uri(path: Path) -> str:
    return path.resolve().as_uri()


def open_doc(client, path: Path, text: str | None = None) -> str:
    text = path.read_text(encoding="utf-8") if text is None else text
    u = uri(path)
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(uri=u, language_id="legalmodel", version=1, text=text)))
    return u


_versions: dict[str, int] = {}


def change(client, u: str, text: str) -> None:
    """Replace the whole text of an open document."""
    _versions[u] = _versions.get(u, 1) + 1
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(version=_versions[u], uri=u),
        [t.TextDocumentContentChangeWholeDocument(text=text)]))


async def diagnostics(client, u: str, predicate, what: str = "diagnostics") -> list[t.Diagnostic]:
    """Wait until the diagnostics published for `u` satisfy `predicate`; fail after WAIT."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while True:
        found = client.diagnostics.get(u)
        if found is not None and predicate(list(found)):
            return list(found)
        if loop.time() > deadline:
            raise AssertionError(f"no {what} for {u}; last published: {found}")
        await asyncio.sleep(0.02)


def apply(text: str, edits: list[t.TextEdit]) -> str:
    """The text with LSP edits applied (last first, so earlier offsets hold)."""
    lines = Lines(text)
    spans = [(lines.offset(e.range.start.line, e.range.start.character),
              lines.offset(e.range.end.line, e.range.end.character), e.new_text) for e in edits]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def position_of(text: str, needle: str, nth: int = 0, shift: int = 1) -> t.Position:
    """The position `shift` characters into the `nth` occurrence of `needle`."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return t.Position(*Lines(text).position(at + shift))
