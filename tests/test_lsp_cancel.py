"""A newer edit stops the solver's work on the old text (issue 21): the language server's
check runs on one worker, and a check that would run for minutes must not hold the worker,
and so the new text's findings, back. Observed through what the server logs to the client
(window/logMessage), never through timing."""

from __future__ import annotations

import asyncio

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

from lsp_helpers import SERVER, WAIT, change, diagnostics, open_doc, start

HOLES = 11


def pigeonhole_spec(holes: int = HOLES) -> str:
    """Assumptions that admit no situation (holes + 1 pigeons, one to a hole), a question
    Z3's search takes minutes over: whether they admit any is the check's first question."""
    lines = ['law L "a law"']
    lines += [f'fact p{i}_{j}: bool "pigeon {i} sits in hole {j}"' for i in range(holes + 1) for j in range(holes)]
    lines += [f'assume "pigeon {i} sits somewhere" ' + " or ".join(f"p{i}_{j}" for j in range(holes))
              for i in range(holes + 1)]
    for j in range(holes):
        pairs = " and ".join(f"not (p{a}_{j} and p{b}_{j})" for a in range(holes + 1) for b in range(a + 1, holes + 1))
        lines.append(f'assume "hole {j} holds one pigeon at most" {pairs}')
    lines += ['action go "to go" default permitted', 'provision 1 § L "one"', "  forbid go when p0_0"]
    return "\n".join(lines) + "\n"


QUICK = 'law X "a law"\nfact abc: bool "a fact"\naction go "to go"\nprovision 1 § X "one"\n  permit go when abc\n'


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    # a limit per question far beyond the test: only the edit can end the first check
    await start(lsp_client, {"debounce": 0.05, "timeout": 3600})
    yield
    await lsp_client.shutdown_session()


async def logged(client: LanguageClient, predicate, what: str) -> str:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while True:
        for m in client.log_messages:
            if predicate(m.message):
                return m.message
        if loop.time() > deadline:
            raise AssertionError(f"the server never logged {what}; it logged {[m.message for m in client.log_messages]}")
        await asyncio.sleep(0.02)


@pytest.mark.asyncio
async def test_an_edit_stops_the_check_of_the_old_text(client: LanguageClient, tmp_path):
    path = tmp_path / "draft.lm"
    path.write_text(pigeonhole_spec(), encoding="utf-8")
    u = open_doc(client, path)
    await logged(client, lambda m: m.startswith("legalmodel: checking") and "(edit 1)" in m, "the first check")
    change(client, u, QUICK)
    stopped = await logged(client, lambda m: "(edit 1) was stopped while the solver worked" in m,
                           "that the first check was stopped")
    assert str(tmp_path) in stopped
    # the new text's finding: a gap where `abc` is false, which only a check that ran can find
    found = await diagnostics(client, u, lambda ds: any(str(d.code).startswith("GAP-") for d in ds),
                              "the new text's gap")
    assert [d.range.start.line for d in found if str(d.code).startswith("GAP-")] == [2]  # `action go`
    assert sum("checking" in m.message for m in client.log_messages) == 2  # edit 1, then edit 2

@pytest.mark.asyncio
async def test_a_check_queued_behind_an_edit_is_skipped_or_stopped_never_published(client: LanguageClient, tmp_path):
    """Many edits in a row, each arriving while the last text's check may be running: every
    check but the last ends without an answer, and the last text's findings are shown."""
    path = tmp_path / "draft.lm"
    path.write_text(pigeonhole_spec(), encoding="utf-8")
    u = open_doc(client, path)
    await logged(client, lambda m: "(edit 1)" in m and m.startswith("legalmodel: checking"), "the first check")
    for n in range(3):
        change(client, u, pigeonhole_spec() + f"# {n}\n")
    change(client, u, QUICK)
    await diagnostics(client, u, lambda ds: any(str(d.code).startswith("GAP-") for d in ds), "the last text's gap")
    await logged(client, lambda m: "(edit 1) was stopped while the solver worked" in m, "the first check stopped")
    assert not any(d.code is not None and str(d.code).startswith("UNK-") for d in client.diagnostics[u])


def test_an_internal_error_reading_the_settings_is_told_to_the_client(monkeypatch):
    """The settings once imported a name the API had renamed: the ImportError was swallowed,
    and the server went on with the old date without a word. Now the client is told."""
    import legalmodel.api
    from legalmodel.lsp.server import LegalmodelServer, Settings

    server = LegalmodelServer()
    shown: list[t.ShowMessageParams] = []
    monkeypatch.setattr(server, "window_show_message", shown.append)
    monkeypatch.delattr(legalmodel.api, "check_date")
    server.apply_settings({"asOf": "2020-08-01"})
    assert server.settings == Settings()  # unchanged
    (message,) = shown
    assert message.type == t.MessageType.Error
    assert message.message.startswith("legalmodel: internal error while reading the settings: ImportError")
    assert "please report it" in message.message


def test_a_request_that_fails_inside_the_server_is_logged_to_the_client():
    from legalmodel.lsp.server import _guard

    class Client:
        logged: list = []

        def tell(self, message, kind):
            self.logged.append((kind, message))

    @_guard("default")
    def hover(ls, params):
        raise KeyError("a bug")

    ls = Client()
    assert hover(ls, None) == "default"
    assert ls.logged == [(t.MessageType.Error, "legalmodel: internal error in hover: KeyError: 'a bug'")]
