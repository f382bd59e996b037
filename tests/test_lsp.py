"""The language server end to end: a real LSP client (pytest-lsp) talks to `legalmodel lsp`
over stdio, as an editor does. Each test copies its specs to a temporary folder, so that
the server reads the folder's other files from there."""

from __future__ import annotations

import asyncio
import shutil

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

from legalmodel.lsp.index import parse_text
from lsp_helpers import ROOT, SERVER, apply, change, diagnostics, open_doc, position_of, start

pytestmark = pytest.mark.asyncio


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    await start(lsp_client, {"debounce": 0.05})
    yield
    await lsp_client.shutdown_session()


DRAFT = 'law X "a law"\nfact abc: bool "a fact"\naction go "to go"\nprovison 1 § "misspelt"\n  permit go when abc\n'


def errors(code=None):
    return lambda ds: any(d.severity == t.DiagnosticSeverity.Error and (code is None or d.code == code) for d in ds)


def no_errors(ds):
    return not any(d.severity == t.DiagnosticSeverity.Error for d in ds)


async def test_syntax_error_its_place_its_quick_fix_and_cleared(client: LanguageClient, tmp_path):
    path = tmp_path / "draft.lm"
    path.write_text(DRAFT, encoding="utf-8")
    u = open_doc(client, path)
    found = await diagnostics(client, u, errors("syntax"))
    d = next(d for d in found if d.code == "syntax")
    assert (d.range.start.line, d.range.start.character) == (3, 0)  # line 4, column 1
    assert "unexpected `provison`" in d.message
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(u), d.range, t.CodeActionContext([d])))
    fix = next(a for a in actions if a.title == "Change to `provision`")
    fixed = apply(DRAFT, fix.edit.changes[u])
    assert parse_text(str(path), fixed).syntax is not None
    change(client, u, fixed)
    await diagnostics(client, u, no_errors, "the error cleared")


async def test_resolution_error_quick_fix(client: LanguageClient, tmp_path):
    path = tmp_path / "draft.lm"
    text = DRAFT.replace("provison", "provision").replace("when abc", "when abd")
    path.write_text(text, encoding="utf-8")
    u = open_doc(client, path)
    found = await diagnostics(client, u, errors("unknown-name"))
    d = next(d for d in found if d.code == "unknown-name")
    assert (d.range.start.line, d.range.start.character) == (4, 17)
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(u), d.range, t.CodeActionContext([d])))
    fixed = apply(text, next(a for a in actions if a.title == "Change to `abc`").edit.changes[u])
    change(client, u, fixed)
    await diagnostics(client, u, no_errors, "the error cleared")


def _step6(tmp_path):
    path = tmp_path / "step6.lm"
    shutil.copy(ROOT / "docs/tutorial/step6.lm", path)
    return path


async def test_finding_with_witness_and_its_code_actions(client: LanguageClient, tmp_path):
    path = _step6(tmp_path)
    text = path.read_text(encoding="utf-8")
    u = open_doc(client, path)
    found = await diagnostics(client, u, lambda ds: any(d.code == "COL-6087e6b9" for d in ds), "the collision")
    d = next(d for d in found if d.code == "COL-6087e6b9")
    assert d.severity == t.DiagnosticSeverity.Warning
    assert d.range.start.line == text.split("\n").index(
        next(line for line in text.split("\n") if line.startswith("provision 10 kap. 27 §")))
    witness = d.related_information[0]
    assert witness.message.startswith("witness: where ") and "uppenbart" in witness.message
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(u), d.range, t.CodeActionContext([d])))
    titles = [a.title for a in actions]
    assert "Add the witness of COL-6087e6b9 as an example" in titles
    assert "Accept COL-6087e6b9 (write the justification)" in titles

    # the witness as an example: the text parses, and the example passes where it is added
    example = apply(text, next(a for a in actions if a.title.startswith("Add the witness")).edit.changes[u])
    assert parse_text(str(path), example).syntax is not None
    assert 'example "collision: 10 kap. 27 § OSL (COL-6087e6b9)"' in example
    change(client, u, example)
    after = await diagnostics(client, u, lambda ds: any(d.code == "COL-6087e6b9" for d in ds), "the new check")
    assert not any(d.code and d.code.startswith("FAI") for d in after)  # no failed example
    assert not any(d.severity == t.DiagnosticSeverity.Error for d in after)

    # accepted: the text parses and the finding is gone
    accepted = apply(text, next(a for a in actions if a.title.startswith("Accept")).edit.changes[u])
    assert parse_text(str(path), accepted).syntax is not None
    assert 'accept COL-6087e6b9 "TODO: say why this finding is accepted"' in accepted
    change(client, u, accepted)
    await diagnostics(client, u, lambda ds: ds == [], "the finding gone")


async def test_a_failed_goal_and_a_failed_example_on_their_lines(client: LanguageClient, tmp_path):
    path = tmp_path / "goal.lm"
    text = DRAFT.replace("provison", "provision") + (
        'goal "going is always permitted"\n  go is permitted whenever not abc\n'
        'example "without abc"\n  given abc = false\n  expect go permitted\n')
    path.write_text(text, encoding="utf-8")
    u = open_doc(client, path)
    found = await diagnostics(client, u, lambda ds: len([d for d in ds if (d.code or "").startswith("FAI")]) == 2)
    goal, example = sorted((d for d in found if d.code.startswith("FAI")), key=lambda d: d.range.start.line)
    assert goal.range.start.line == 5 and example.range.start.line == 7
    assert goal.related_information and "abc" in goal.related_information[0].message


async def test_hover_on_a_citation_a_fact_and_a_provision(client: LanguageClient, tmp_path):
    folder = tmp_path / "tutorial"
    shutil.copytree(ROOT / "specs/tutorial", folder)
    path = folder / "tutorial.lm"
    text = path.read_text(encoding="utf-8")
    u = open_doc(client, path)
    await diagnostics(client, u, lambda ds: True)
    hover = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(u), position_of(text, "overrides 26 kap. 1 §", shift=12)))
    value = hover.contents.value
    assert "26 kap. 1 § OSL" in value and "Socialtjänstsekretess" in value
    assert "SFS 2024:88" in value and "verified" in value and "forbid lämna_uppgift" in value
    hover = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(u), position_of(text, "when samtycke", shift=7)))
    assert "**fact** `samtycke`: bool" in hover.contents.value
    assert "the person consents to the disclosure" in hover.contents.value
    hover = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(u), position_of(text, "provision 10 kap. 27 §", shift=12)))
    assert "*Impact as last amended:* taking 10 kap. 27 § OSL out changes no verdict" in hover.contents.value


TWO_FILES = {
    "a.lm": 'law L "a law"\nenum Who { police, court }\nfact who: Who "who asks"\n'
            'fact urgent: bool "it is urgent"\naction tell "tell them" default forbidden\n',
    "b.lm": 'provision 1 § L "the rule"\n  permit tell when who = police and urgent\n\n'
            'provision 2 § L "the exception"\n  forbid tell when not urgent\n  overrides 1 §\n\n'
            'example "the police, urgently"\n  given who = police, urgent = true\n  expect tell permitted\n',
}


def _two_files(tmp_path):
    for name, text in TWO_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / "a.lm", tmp_path / "b.lm"


async def test_definition_references_and_rename_across_files(client: LanguageClient, tmp_path):
    a, b = _two_files(tmp_path)
    ub = open_doc(client, b)
    await diagnostics(client, ub, no_errors)
    text = TWO_FILES["b.lm"]
    where = await client.text_document_definition_async(t.DefinitionParams(
        t.TextDocumentIdentifier(ub), position_of(text, "urgent")))
    assert [(w.uri, w.range.start.line) for w in where] == [(a.resolve().as_uri(), 3)]
    where = await client.text_document_definition_async(t.DefinitionParams(
        t.TextDocumentIdentifier(ub), position_of(text, "overrides 1 §", shift=10)))
    assert [(w.uri, w.range.start.line) for w in where] == [(ub, 0)]
    refs = await client.text_document_references_async(t.ReferenceParams(
        context=t.ReferenceContext(include_declaration=True), text_document=t.TextDocumentIdentifier(ub),
        position=position_of(text, "police")))
    assert sorted((r.uri.rsplit("/", 1)[1], r.range.start.line) for r in refs) == [
        ("a.lm", 1), ("b.lm", 1), ("b.lm", 8)]
    edit = await client.text_document_rename_async(t.RenameParams(
        t.TextDocumentIdentifier(ub), position_of(text, "urgent"), "brådskande"))
    assert sorted(edit.changes) == sorted([a.resolve().as_uri(), ub])
    renamed_b = apply(text, edit.changes[ub])
    assert renamed_b.count("urgent") == 1 and renamed_b.count("brådskande") == 3  # the title keeps its word
    renamed_a = apply(TWO_FILES["a.lm"], edit.changes[a.resolve().as_uri()])
    assert "fact brådskande: bool" in renamed_a
    prepared = await client.text_document_prepare_rename_async(t.PrepareRenameParams(
        t.TextDocumentIdentifier(ub), position_of(text, "police")))
    assert prepared.placeholder == "police"
    assert await client.text_document_prepare_rename_async(t.PrepareRenameParams(
        t.TextDocumentIdentifier(ub), position_of(text, "tell"))) is None  # an action is not renamed
    for taken in ("who", "2x", "and"):  # a name in use, not a name, a keyword: refused with a message
        with pytest.raises(Exception, match="already a name|not a name"):
            await client.text_document_rename_async(t.RenameParams(
                t.TextDocumentIdentifier(ub), position_of(text, "urgent"), taken))


async def test_completion_outline_and_formatting(client: LanguageClient, tmp_path):
    a, b = _two_files(tmp_path)
    ub = open_doc(client, b)
    await diagnostics(client, ub, no_errors)
    items = await client.text_document_completion_async(t.CompletionParams(
        t.TextDocumentIdentifier(ub), t.Position(1, 0)))
    labels = {i.label for i in items.items}
    assert {"who", "urgent", "police", "court", "tell", "1 § L", "2 § L", "provision", "overrides"} <= labels
    ua = open_doc(client, a)
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(t.TextDocumentIdentifier(ua)))
    assert [s.name for s in symbols][:2] == ["L", "Who"]
    osl = ROOT / "specs/osl/osl.lm"
    uo = open_doc(client, osl)
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(t.TextDocumentIdentifier(uo)))
    law = next(s for s in symbols if s.name == "OSL")
    chapter = next(c for c in law.children if c.name == "26 kap.")
    assert any(p.name.startswith("1 §") for p in chapter.children)
    messy = TWO_FILES["b.lm"].replace("\n  permit", "   permit")
    change(client, ub, messy)
    edits = await client.text_document_formatting_async(t.DocumentFormattingParams(
        t.TextDocumentIdentifier(ub), t.FormattingOptions(2, True)))
    assert apply(messy, edits) == TWO_FILES["b.lm"]


async def test_as_of_setting(client: LanguageClient, tmp_path):
    folder = tmp_path / "law"
    shutil.copytree(ROOT / "docs/amendment-tutorial/law", folder)
    files = sorted(folder.glob("*.lm"))
    target = next(f for f in files if "10 kap. 18 b §" in f.read_text(encoding="utf-8"))
    text = target.read_text(encoding="utf-8")
    u = open_doc(client, target)
    await diagnostics(client, u, lambda ds: True)
    at = position_of(text, "10 kap. 18 b §", shift=3)

    async def hover_once_applied(as_of: str, shows) -> str:
        """The hover after a configuration change: the server applies it off the request
        queue, so a hover sent at once may still see the old date; ask until it shows the new
        one (bounded)."""
        client.workspace_did_change_configuration(t.DidChangeConfigurationParams({"legalmodel": {"asOf": as_of}}))
        for _ in range(100):
            hover = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(u), at))
            if shows(hover.contents.value):
                break
            await asyncio.sleep(0.1)
        return hover.contents.value

    text_2016 = await hover_once_applied("2016-10-05", lambda v: "not in force on 2016-10-05" in v)
    assert "not in force on 2016-10-05" in text_2016
    text_2020 = await hover_once_applied("2020-08-01", lambda v: "not in force" not in v)
    assert "not in force" not in text_2020 and "SFS 2020:575" in text_2020


async def test_a_stale_check_is_never_published(client: LanguageClient, tmp_path):
    """Edits in quick succession: the findings of a text that has since changed are thrown
    away, so the last text's diagnostics stay, whatever order the checks finish in."""
    path = _step6(tmp_path)
    text = path.read_text(encoding="utf-8")
    u = open_doc(client, path)
    await diagnostics(client, u, lambda ds: any(d.code == "COL-6087e6b9" for d in ds), "the collision")
    accepted = text + 'accept COL-6087e6b9 "left to practice"\n'
    for n in range(8):  # the finding comes and goes with every other edit
        change(client, u, accepted if n % 2 else text + f"# {n}\n")
    await diagnostics(client, u, lambda ds: ds == [], "the last text's (no) findings")
    await asyncio.sleep(1.5)  # time for any stale check to finish: it must not be published
    assert list(client.diagnostics[u]) == []


async def test_a_bad_setting_is_named_and_ignored(client: LanguageClient, tmp_path):
    path = tmp_path / "draft.lm"
    path.write_text(DRAFT.replace("provison", "provision"), encoding="utf-8")
    u = open_doc(client, path)
    await diagnostics(client, u, no_errors)
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams(
        {"legalmodel": {"asOf": "yesterday", "timeout": -1}}))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while len(client.messages) < 2 and loop.time() < deadline:
        await asyncio.sleep(0.02)
    texts = sorted(m.message for m in client.messages)
    assert texts[0].startswith("legalmodel.asOf: `yesterday` is not a date")
    assert texts[1].startswith("legalmodel.timeout: `-1` is not a number of seconds")
    assert all(m.type == t.MessageType.Warning for m in client.messages)
    await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(u), t.Position(1, 6)))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client_2016(lsp_client: LanguageClient):
    await start(lsp_client, {"asOf": "2016-10-05"})
    yield
    await lsp_client.shutdown_session()


async def test_as_of_in_the_initialization_options(client_2016: LanguageClient, tmp_path):
    folder = tmp_path / "law"
    shutil.copytree(ROOT / "docs/amendment-tutorial/law", folder)
    target = folder / "sfs2020_575.lm"
    text = target.read_text(encoding="utf-8")
    u = open_doc(client_2016, target)
    await diagnostics(client_2016, u, lambda ds: True)
    hover = await client_2016.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(u), position_of(text, "10 kap. 18 b §", shift=3)))
    assert "not in force on 2016-10-05" in hover.contents.value


async def test_the_code_actions_write_a_swedish_file_in_its_own_keywords(client: LanguageClient, tmp_path):
    """In a file that declares `språk sv`, the witness is added as an `exempel` and the
    acceptance as `godta`: an English keyword there would be a syntax error."""
    from legalmodel.syntax.format import format_text

    path = tmp_path / "steg6.lm"
    text = format_text((ROOT / "docs/tutorial/step6.lm").read_text(encoding="utf-8"), str(path), to="sv")
    path.write_text(text, encoding="utf-8")
    u = open_doc(client, path)
    found = await diagnostics(client, u, lambda ds: any(d.code == "COL-6087e6b9" for d in ds), "the collision")
    d = next(d for d in found if d.code == "COL-6087e6b9")
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(u), d.range, t.CodeActionContext([d])))
    example = apply(text, next(a for a in actions if a.title.startswith("Add the witness")).edit.changes[u])
    added = example[len(text):]
    assert added.lstrip("\n").startswith('exempel "collision: 10 kap. 27 § OSL (COL-6087e6b9)"\n  givet ')
    assert "\n  då lämna_uppgift förbjuden\n" in added and "example" not in added
    change(client, u, example)
    after = await diagnostics(client, u, lambda ds: any(d.code == "COL-6087e6b9" for d in ds), "the new check")
    assert not any(d.severity == t.DiagnosticSeverity.Error for d in after)
    assert not any(d.code and d.code.startswith("FAI") for d in after)
    accepted = apply(text, next(a for a in actions if a.title.startswith("Accept")).edit.changes[u])
    assert accepted.endswith('\ngodta COL-6087e6b9 "TODO: say why this finding is accepted"\n')
    change(client, u, accepted)
    await diagnostics(client, u, lambda ds: ds == [], "the finding gone")
