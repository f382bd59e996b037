"""The language server keeps a provision's impact on disk only for the text as saved: an
editor sends the text on every keystroke, and an answer kept for each unsaved version (some
85 KB for the real law) would fill the cache folder with answers never asked again."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

from lsp_helpers import ROOT, SERVER, change, diagnostics, open_doc, position_of, start

pytestmark = pytest.mark.asyncio

# this module's server keeps its answers here (inside the session's private cache folder,
# conftest.py), so that what it wrote can be counted
CACHE_HOME = Path(os.environ["XDG_CACHE_HOME"]) / "lsp-answers"
ANSWERS = CACHE_HOME / "legalmodel"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER,
                                              server_env={**os.environ, "XDG_CACHE_HOME": str(CACHE_HOME)}))
async def client(lsp_client: LanguageClient):
    await start(lsp_client, {"debounce": 0.05})
    yield
    await lsp_client.shutdown_session()


def kept_impacts() -> set[str]:
    return {p.name for p in ANSWERS.glob("answer-impact-*")} if ANSWERS.is_dir() else set()


async def hover_impact(client: LanguageClient, u: str, text: str) -> str:
    """The hover on the provision's citation, once it has the impact: a hover waits two
    seconds for it, and on a busy machine the answer may come with a later one."""
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        hover = await client.text_document_hover_async(t.HoverParams(
            t.TextDocumentIdentifier(u), position_of(text, "provision 10 kap. 27 §", shift=12)))
        value = hover.contents.value
        if "still being worked out" not in value or asyncio.get_running_loop().time() > deadline:
            return value
        await asyncio.sleep(0.2)


async def test_impact_kept_for_the_saved_text_only(client: LanguageClient, tmp_path):
    folder = tmp_path / "tutorial"
    shutil.copytree(ROOT / "specs/tutorial", folder)
    path = folder / "tutorial.lm"
    text = path.read_text(encoding="utf-8")
    before = kept_impacts()
    u = open_doc(client, path)
    await diagnostics(client, u, lambda ds: True)
    assert "*Impact as last amended:*" in await hover_impact(client, u, text)
    saved = kept_impacts() - before
    assert len(saved) == 1, "the impact of the text as saved is kept"

    # three unsaved edits (as keystrokes make them): each answered, none kept
    for n in range(3):
        edited = text + f"\n# an unsaved note {n}\n"
        change(client, u, edited)
        await diagnostics(client, u, lambda ds: True)
        assert "*Impact as last amended:*" in await hover_impact(client, u, edited)
    assert kept_impacts() - before == saved, "no answer kept for an unsaved buffer"

    # the buffer back as saved: the kept answer is read, nothing new is written
    change(client, u, text)
    await diagnostics(client, u, lambda ds: True)
    assert "*Impact as last amended:*" in await hover_impact(client, u, text)
    assert kept_impacts() - before == saved
