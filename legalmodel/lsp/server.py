"""The language server (`legalmodel lsp`): pygls over stdio, and the only module importing it.

Each spec folder (the folder of an open `.lm` file; its `.lm` files are one spec, as
`legalmodel check` takes a folder) is read again on every edit: the file edited is parsed
again, the spec resolved, and syntax and resolution errors are published at once. Findings
need the solver: after a short pause (`debounce`) the check runs on one worker thread, never
on the loop that reads the editor's messages. A newer edit stops a check that is still
running (solver.cancel: its next question raises, the one Z3 is working on is interrupted),
so the worker is free for the new text at once; a check that had not started yet is skipped,
and a result whose text has changed since is thrown away. Each check is logged to the client
(window/logMessage): when it starts, and when it is stopped. One worker, because Z3's
default context is shared and not thread-safe.

Settings (initializationOptions, or `legalmodel.*` in the workspace configuration):
`asOf` (YYYY-MM-DD or null), `timeout` (seconds per solver question), `debounce` (seconds).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..solver.cancel import Cancelled, cancellable, stop
from . import features as ft
from .index import SUFFIX, ParseCache, Snapshot, folder_files, read_disk, read_folder
from ..frozen import frozen_dataclass

log = logging.getLogger(__name__)

IMPACT_WAIT = 2.0  # seconds a hover waits for a provision's impact before it says "later"


@frozen_dataclass
class Settings:
    as_of: str | None = None
    timeout: float = 10.0
    debounce: float = 0.1

    @staticmethod
    def read(raw, old: "Settings") -> tuple["Settings", list[str]]:
        """Settings from a client's dict; what is wrong is named and left as it was."""
        from ..api import check_date as _date
        from ..pipeline import UsageError

        problems = []
        if not isinstance(raw, dict):
            return old, problems
        raw = raw.get("legalmodel", raw) if isinstance(raw.get("legalmodel", raw), dict) else raw
        as_of, timeout, debounce = old.as_of, old.timeout, old.debounce
        if "asOf" in raw:
            try:
                as_of = _date(raw["asOf"] or None)
            except UsageError as err:
                problems.append(f"legalmodel.asOf: {err}")
        if "timeout" in raw:
            value = raw["timeout"]
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0.001 <= value <= 86_400:
                timeout = float(value)
            else:
                problems.append(f"legalmodel.timeout: `{value}` is not a number of seconds from 0.001 to 86400")
        if "debounce" in raw:
            value = raw["debounce"]
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 60:
                debounce = float(value)
            else:
                problems.append(f"legalmodel.debounce: `{value}` is not a number of seconds from 0 to 60")
        return Settings(as_of, timeout, debounce), problems


@dataclass
class Folder:
    """One spec folder's state: the newest snapshot, its generation (one more per edit), the
    findings of the newest check that finished on it, and what was last published."""

    key: str
    generation: int = 0
    snapshot: Snapshot | None = None
    task: asyncio.Task | None = None
    findings: dict[str, ft.FindingPlace] = field(default_factory=dict)
    finding_diagnostics: dict[str, list[t.Diagnostic]] = field(default_factory=dict)
    impacts: dict[tuple[int, str], object] = field(default_factory=dict)
    running: tuple[int, threading.Event] | None = None  # the check on the worker: its generation, its stop


# what _check answers for a check a newer edit stopped, or skipped before it started
STOPPED, SKIPPED = "stopped", "skipped"


def _saved(snapshot: Snapshot) -> bool:
    """Whether every file of the snapshot was read as it is on disk (no unsaved buffer)."""
    return all(read_disk(path) == text for path, text in snapshot.texts.items())


class LegalmodelServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("legalmodel", __version__)
        self.settings = Settings()
        self.folders: dict[str, Folder] = {}
        self.cache = ParseCache()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="legalmodel-solver")
        self.reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="legalmodel-reader")
        self.published: dict[str, list[t.Diagnostic]] = {}
        self.uris: dict[str, str] = {}  # path (as the spec's spans name it) → the editor's URI

    # ---- paths and folders ----------------------------------------------------------------

    def path_of(self, uri: str) -> str:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        path = os.path.abspath(path) if path else uri
        self.uris.setdefault(path, uri)
        return path

    def to_uri(self, path: str) -> str:
        found = self.uris.get(path)
        if found is None:
            found = from_fs_path(path) if os.path.isabs(path) else path
            self.uris[path] = found
        return found

    def open_paths(self) -> dict[str, str]:
        """The open `.lm` documents: path → text."""
        out = {}
        for uri, doc in list(self.workspace.text_documents.items()):
            out[self.path_of(uri)] = doc.source
        return out

    def folder_of(self, path: str) -> str:
        return os.path.dirname(path) if os.path.isabs(path) else path

    def texts_of(self, key: str, path: str) -> dict[str, str]:
        """The text of each file of a folder: the open buffer, else the file on disk."""
        open_docs = self.open_paths()
        if os.path.isabs(path):
            # an open file of another kind (a client may send any) joins only as the file edited
            paths = set(folder_files(key)) | {p for p in open_docs if os.path.dirname(p) == key
                                              and (p.endswith(SUFFIX) or p == path)}
        else:
            paths = {path}
        texts = {}
        for p in sorted(paths):
            text = open_docs.get(p)
            if text is None:
                text = read_disk(p)
            if text is not None:
                texts[p] = text
        return texts

    def refresh(self, path: str) -> Folder:
        """After an edit: read the folder again off the loop, publish its errors, and check
        it after a pause where it resolves. Anything still running for an older text is
        cancelled, or its result thrown away."""
        key = self.folder_of(path)
        folder = self.folders.setdefault(key, Folder(key))
        folder.generation += 1
        running = folder.running
        if running is not None:  # the solver works for an older text: stop it, off the loop's time
            stop(running[1])
        if folder.task is not None:
            folder.task.cancel()
        folder.task = asyncio.ensure_future(self.update(folder, folder.generation, self.texts_of(key, path)))
        return folder

    def _read(self, folder: Folder, generation: int, texts: dict[str, str]) -> Snapshot | None:
        """On the reader thread: parse and resolve, unless a newer edit came in meanwhile.
        Parsing a large paste takes seconds; off the loop, the editor's messages are still
        read and answered from the last snapshot."""
        if generation != folder.generation or not texts:
            return None
        snapshot = read_folder(folder.key, sorted(texts), texts, self.cache, self.settings.as_of)
        snapshot.generation = generation
        return snapshot

    async def update(self, folder: Folder, generation: int, texts: dict[str, str]) -> None:
        try:
            loop = asyncio.get_running_loop()
            snapshot = await loop.run_in_executor(self.reader, self._read, folder, generation, texts)
            if snapshot is None or generation != folder.generation:
                return
            folder.snapshot = snapshot
            folder.findings = {}
            folder.finding_diagnostics = {}
            self.publish(folder)
            # the index, for the next hover or definition, made meanwhile on the reader
            loop.run_in_executor(self.reader, getattr, snapshot, "index")
            if snapshot.resolved:
                await self.check_later(folder, snapshot)
        except asyncio.CancelledError:
            pass
        except Exception as err:  # never let an edit take the server down
            log.exception("reading the spec failed")
            self.window_log_message(t.LogMessageParams(t.MessageType.Error, f"legalmodel: {err}"))

    async def ready(self, path: str) -> tuple[Folder, Snapshot, str] | None:
        """A snapshot that holds `path` as the editor has it now: the newest, or one read now
        where that is missing or behind the buffer (the parse cache makes the read that is
        already on its way cheap)."""
        key = self.folder_of(path)
        folder = self.folders.setdefault(key, Folder(key))
        current = self.open_paths().get(path)
        snapshot = folder.snapshot
        if snapshot is None or path not in snapshot.files or (current is not None and snapshot.texts.get(path) != current):
            texts = self.texts_of(key, path)
            fresh = await asyncio.get_running_loop().run_in_executor(
                self.reader, self._read, folder, folder.generation, texts)
            if fresh is not None:
                snapshot = fresh
                if folder.snapshot is None or folder.snapshot.generation < fresh.generation or \
                        path not in folder.snapshot.files:
                    folder.snapshot = fresh
        if snapshot is None or path not in snapshot.files:
            return None
        return folder, snapshot, path

    def publish(self, folder: Folder) -> None:
        snapshot = folder.snapshot
        if snapshot is None:
            return
        pos = ft.Positions(snapshot)
        for path in snapshot.files:
            diagnostics = [ft.error_diagnostic(d, pos, self.to_uri) for d in snapshot.errors.get(path, ())]
            diagnostics += folder.finding_diagnostics.get(path, [])
            uri = self.to_uri(path)
            if self.published.get(uri) == diagnostics:
                continue
            self.published[uri] = diagnostics
            self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))

    async def check_later(self, folder: Folder, snapshot: Snapshot) -> None:
        try:
            await asyncio.sleep(self.settings.debounce)
            if snapshot.generation != folder.generation:
                return
            loop = asyncio.get_running_loop()
            job = self.pool.submit(self._check, folder, snapshot, loop)
            # said from the loop even where this task was cancelled by the edit that stopped it
            job.add_done_callback(lambda done: self._threadsafe(loop, self._told_stopped, folder, snapshot, done))
            result = await asyncio.wrap_future(job)
            if result in (STOPPED, SKIPPED) or snapshot.generation != folder.generation:
                return  # the text changed while the solver worked: a newer check is on its way
            if isinstance(result, Exception):
                self.window_log_message(t.LogMessageParams(t.MessageType.Error,
                                                           f"legalmodel: the check failed: {result}"))
                return
            pos = ft.Positions(snapshot)
            by_path: dict[str, list[t.Diagnostic]] = {}
            places = {}
            for f in result.findings:
                if f.accepted is not None:
                    continue
                span = f.span
                path = span.path if getattr(span, "source", None) is not None else next(iter(snapshot.files))
                if path not in snapshot.files:
                    path = next(iter(snapshot.files))
                by_path.setdefault(path, []).append(ft.finding_diagnostic(f, pos, self.to_uri, snapshot.law.spec))
                places[f.id] = ft.FindingPlace(f, path)
            folder.findings = places
            folder.finding_diagnostics = by_path
            self.publish(folder)
        except asyncio.CancelledError:
            pass
        except Exception as err:  # never let a check take the server down
            log.exception("check failed")
            self.window_log_message(t.LogMessageParams(t.MessageType.Error, f"legalmodel: check failed: {err}"))

    def _check(self, folder: Folder, snapshot: Snapshot, loop):
        """On the worker: the check, unless the text changed while it waited its turn
        (SKIPPED) or changes while it runs (STOPPED: refresh stops it)."""
        event = threading.Event()
        folder.running = (snapshot.generation, event)
        try:
            if snapshot.generation != folder.generation:
                return SKIPPED
            # logged once `running` is set: an edit the client sends after reading it stops this check
            self._threadsafe(loop, self.tell, f"legalmodel: checking {folder.key} (edit {snapshot.generation})")
            with cancellable(event):
                result = snapshot.law.check(timeout=self.settings.timeout, jobs=1)
            # its last question may have been the one interrupted: an `unknown` of no meaning
            return STOPPED if event.is_set() else result
        except Cancelled:
            return STOPPED
        except Exception as err:  # reported from the loop: pygls sends from there only
            if event.is_set():  # whatever the interrupted work ran into, it was stopped
                return STOPPED
            log.exception("check failed")
            return err
        finally:
            folder.running = None

    @staticmethod
    def _threadsafe(loop, fn, *args) -> None:
        try:
            loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:  # the loop has closed: the server is shutting down
            pass

    def _told_stopped(self, folder: Folder, snapshot: Snapshot, done) -> None:
        """On the loop: log a check that ended without an answer because the text changed."""
        if done.cancelled():
            result = SKIPPED  # cancelled with its task before the worker took it up
        elif done.exception() is not None:
            return
        else:
            result = done.result()
        if result in (STOPPED, SKIPPED):
            self.tell(f"legalmodel: the check of {folder.key} (edit {snapshot.generation}) was "
                      + ("stopped while the solver worked" if result == STOPPED else "skipped")
                      + ": the text changed")

    def tell(self, message: str, kind: t.MessageType = t.MessageType.Log) -> None:
        """A line in the client's log of the server (window/logMessage)."""
        self.window_log_message(t.LogMessageParams(kind, message))

    def _impact(self, snapshot: Snapshot, pid: str):
        # an answer is kept on disk only for the text as saved: an unsaved buffer changes with
        # every keystroke, and each of its answers (some 85 KB) would never be asked again
        return snapshot.law.impact(pid, timeout=self.settings.timeout, jobs=1, keep=_saved(snapshot))

    async def impact_text(self, folder: Folder, snapshot: Snapshot, pid: str) -> str:
        """Where a provision still decides, computed once per snapshot and provision, waited
        for up to IMPACT_WAIT seconds (the answer is kept for the next hover)."""
        if snapshot.law is None or pid not in snapshot.law.spec.provisions:
            return ""
        key = (snapshot.generation, pid)
        found = folder.impacts.get(key)
        if found is None:
            found = folder.impacts[key] = asyncio.get_running_loop().run_in_executor(
                self.pool, self._impact, snapshot, pid)
            for old in [k for k in folder.impacts if k[0] != snapshot.generation]:
                del folder.impacts[old]
        try:
            result = await asyncio.wait_for(asyncio.shield(found), IMPACT_WAIT)
        except asyncio.TimeoutError:
            return "*Impact:* still being worked out; hover again in a moment."
        except Exception as err:
            return f"*Impact:* could not be worked out ({err})."
        return ft.impact_sentence(result, pid, snapshot.law.as_of)

    async def snapshot_for(self, uri: str) -> tuple[Folder, Snapshot, str] | None:
        return await self.ready(self.path_of(uri))

    def apply_settings(self, raw) -> None:
        try:
            settings, problems = Settings.read(raw, self.settings)
        except Exception as err:  # a bug of ours (an import that fails): said, never swallowed
            log.exception("reading the settings failed")
            self.window_show_message(t.ShowMessageParams(
                t.MessageType.Error, f"legalmodel: internal error while reading the settings: "
                                     f"{type(err).__name__}: {err}; the settings are unchanged; please report it"))
            return
        for p in problems:
            self.window_show_message(t.ShowMessageParams(t.MessageType.Warning, p))
        if settings != self.settings:
            self.settings = settings
            for folder in list(self.folders.values()):
                if folder.snapshot is not None and folder.snapshot.files:
                    self.refresh(next(iter(folder.snapshot.files)))


def _guard(default=None):
    """A handler that answers `default` rather than fail on anything unforeseen. A
    ValueError is a refusal meant for the user (a rename to a name that is taken): pygls
    sends it back as the request's error, and the editor shows its message."""
    import functools
    import inspect

    def wrap(fn):
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def run_async(ls, params):
                try:
                    return await fn(ls, params)
                except ValueError:
                    raise
                except Exception as err:
                    return failed(ls, err)
            return run_async

        @functools.wraps(fn)
        def run(ls, params):
            try:
                return fn(ls, params)
            except ValueError:
                raise
            except Exception as err:
                return failed(ls, err)

        def failed(ls, err: Exception):
            log.exception("%s failed", fn.__name__)
            try:  # in the client's log too, where the drafter can see it and report it
                ls.tell(f"legalmodel: internal error in {fn.__name__}: {type(err).__name__}: {err}",
                        t.MessageType.Error)
            except Exception:  # noqa: BLE001 - the connection itself may be what failed
                pass
            return default
        return run
    return wrap


def make_server() -> LegalmodelServer:
    server = LegalmodelServer()

    @server.feature(t.INITIALIZE)
    @_guard()
    def initialize(ls: LegalmodelServer, params: t.InitializeParams):
        ls.apply_settings(params.initialization_options or {})

    @server.feature(t.SHUTDOWN)
    @_guard()
    def shutdown(ls: LegalmodelServer, params):
        for folder in ls.folders.values():  # a check still running would keep the process alive
            running = folder.running
            if running is not None:
                stop(running[1])

    @server.feature(t.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @_guard()
    def did_change_configuration(ls: LegalmodelServer, params: t.DidChangeConfigurationParams):
        ls.apply_settings(params.settings or {})

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    @_guard()
    async def did_open(ls: LegalmodelServer, params: t.DidOpenTextDocumentParams):
        ls.refresh(ls.path_of(params.text_document.uri))

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    @_guard()
    async def did_change(ls: LegalmodelServer, params: t.DidChangeTextDocumentParams):
        ls.refresh(ls.path_of(params.text_document.uri))

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    @_guard()
    async def did_save(ls: LegalmodelServer, params: t.DidSaveTextDocumentParams):
        ls.refresh(ls.path_of(params.text_document.uri))

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    @_guard()
    async def did_close(ls: LegalmodelServer, params: t.DidCloseTextDocumentParams):
        path = ls.path_of(params.text_document.uri)
        if not os.path.isfile(path):  # an unsaved buffer leaves the spec with its errors
            uri = params.text_document.uri
            ls.cache.forget(path)
            ls.published.pop(uri, None)
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        if os.path.isabs(path) and os.path.isdir(os.path.dirname(path)):
            ls.refresh(path)

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    @_guard()
    async def hover(ls: LegalmodelServer, params: t.HoverParams):
        found = await ls.snapshot_for(params.text_document.uri)
        if found is None:
            return None
        folder, snapshot, path = found
        pos = ft.Positions(snapshot)
        occs = snapshot.index.at(path, pos.offset(path, params.position))
        impact = {}
        if len(occs) == 1 and occs[0].kind == "provision" and snapshot.law is not None:
            impact[occs[0].key] = await ls.impact_text(folder, snapshot, occs[0].key)
        return ft.hover(snapshot, path, params.position, pos, impact.get if impact else None)

    @server.feature(t.TEXT_DOCUMENT_DEFINITION)
    @_guard([])
    async def definition(ls: LegalmodelServer, params: t.DefinitionParams):
        found = await ls.snapshot_for(params.text_document.uri)
        if found is None:
            return []
        _folder, snapshot, path = found
        return ft.definition(snapshot, path, params.position, ft.Positions(snapshot), ls.to_uri)

    @server.feature(t.TEXT_DOCUMENT_REFERENCES)
    @_guard([])
    async def references(ls: LegalmodelServer, params: t.ReferenceParams):
        found = await ls.snapshot_for(params.text_document.uri)
        if found is None:
            return []
        _folder, snapshot, path = found
        return ft.references(snapshot, path, params.position, ft.Positions(snapshot), ls.to_uri,
                             params.context.include_declaration)

    @server.feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=[" ", "("]))
    @_guard(None)
    async def completion(ls: LegalmodelServer, params: t.CompletionParams):
        found = await ls.snapshot_for(params.text_document.uri)
        if found is None:
            return None
        _folder, snapshot, path = found
        text = snapshot.files[path].source.text
        before = text[:ft.Positions(snapshot).offset(path, params.position)]
        return t.CompletionList(is_incomplete=False, items=ft.completion(snapshot, before))

    @server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @_guard([])
    async def document_symbol(ls: LegalmodelServer, params: t.DocumentSymbolParams):
        found = await ls.snapshot_for(params.text_document.uri)
        if found is None:
            return []
        _folder, snapshot, path = found
        return ft.document_symbols(snapshot, path, ft.Positions(snapshot))

    @server.feature(t.TEXT_DOCUMENT_FORMATTING)
    @_guard(None)
    async def formatting(ls: LegalmodelServer, params: t.DocumentFormattingParams):
        found = await ls.snapshot_for(params.text_document.uri)
        if found is None:
            return None
        _folder, snapshot, path = found
        return ft.formatting(snapshot, path, ft.Positions(snapshot))

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION,
                    t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]))
    @_guard([])
    async def code_action(ls: LegalmodelServer, params: t.CodeActionParams):
        found = await ls.snapshot_for(params.text_document.uri)
        if found is None:
            return []
        folder, snapshot, path = found
        return ft.code_actions(snapshot, path, list(params.context.diagnostics), folder.findings,
                               ft.Positions(snapshot), ls.to_uri)

    @server.feature(t.TEXT_DOCUMENT_PREPARE_RENAME)
    @_guard(None)
    async def prepare_rename(ls: LegalmodelServer, params: t.PrepareRenameParams):
        found = await ls.snapshot_for(params.text_document.uri)
        if found is None:
            return None
        _folder, snapshot, path = found
        pos = ft.Positions(snapshot)
        occ = ft.rename_target(snapshot, path, params.position, pos)
        if occ is None:
            return None
        return t.PrepareRenamePlaceholder(pos.range(path, occ.start, occ.end), occ.key)

    @server.feature(t.TEXT_DOCUMENT_RENAME, t.RenameOptions(prepare_provider=True))
    @_guard(None)
    async def rename(ls: LegalmodelServer, params: t.RenameParams):
        found = await ls.snapshot_for(params.text_document.uri)
        if found is None:
            return None
        _folder, snapshot, path = found
        return ft.rename(snapshot, path, params.position, params.new_name, ft.Positions(snapshot), ls.to_uri)

    return server


def serve() -> None:
    """Run the server on standard input and output until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="legalmodel lsp: %(levelname)s %(message)s")
    make_server().start_io()
