"""How long the language server takes to publish diagnostics after an edit, with a warm server.

    python3 benchmarks/lsp_latency.py                 # 10 edits of each kind
    python3 benchmarks/lsp_latency.py --runs 20 --json out.json

Starts `legalmodel lsp` (needs the `lsp` extra), opens a spec, waits until its first
diagnostics and findings are in (the server is then warm: grammar loaded, caches filled),
then for each kind of edit changes the text and measures the time from sending the change
to the arrival of the diagnostics that show it:

- syntax: a keyword misspelt in the tutorial spec (`provision` → `provison`), until the
  syntax error is published; then put right, and so on;
- resolution: a fact misspelt in a condition of the tutorial spec, until the `unknown-name`
  error is published;
- the same two in the middle of a spec of 1,000 provisions (benchmarks/generate.py, seed 1);
- findings, specs/osl: a comment added to osl.lm, until the findings of the new text are
  published (the server's own pause before the solver, `debounce`, 0.1 s, included);
- findings, 1,000 provisions: the same for a spec of benchmarks/generate.py (seed 1);
- findings after stopping a check: a spec whose first question takes far longer than the
  solver's time limit (a pigeonhole: 12 pigeons, 11 holes) is being checked (the server has
  logged `checking`) when its text is replaced by the tutorial spec with a failing example,
  until that example's finding is published. The old check is stopped, not waited for: a
  server that let it run would publish only after the old question's time limit (10 s).

Both specs get an example that fails (no act is ever contradictory), so that there is a
finding to wait for: specs/osl's own findings are all accepted, the generated spec has none.

Each spec is copied to a temporary folder first. The median, min and max of the runs are
printed (milliseconds) and, with --json, written to a file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


class Client(LanguageClient):
    def __init__(self):
        super().__init__("legalmodel-benchmark", "1")
        self.published: list[tuple[float, str, list[t.Diagnostic]]] = []
        self.logged: list[tuple[float, str]] = []
        self.arrived = asyncio.Event()

        @self.feature(t.WINDOW_LOG_MESSAGE)
        def log_message(params: t.LogMessageParams):
            self.logged.append((time.perf_counter(), params.message))

        @self.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: t.PublishDiagnosticsParams):
            self.published.append((time.perf_counter(), params.uri, list(params.diagnostics)))
            self.arrived.set()

    async def wait(self, since: float, predicate, limit: float = 120.0) -> float:
        """Seconds from `since` to the first publication after it that satisfies `predicate`."""
        deadline = time.perf_counter() + limit
        seen = 0
        while True:
            for at, uri, ds in self.published[seen:]:
                if at >= since and predicate(uri, ds):
                    return at - since
            seen = len(self.published)
            if time.perf_counter() > deadline:
                raise TimeoutError("no such diagnostics")
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), max(0.01, deadline - time.perf_counter()))
            except asyncio.TimeoutError:
                pass


    async def logged_since(self, since: float, predicate, limit: float = 120.0) -> None:
        """Wait for a log message from the server after `since` that satisfies `predicate`."""
        deadline = time.perf_counter() + limit
        while not any(at >= since and predicate(message) for at, message in self.logged):
            if time.perf_counter() > deadline:
                raise TimeoutError("no such log message")
            await asyncio.sleep(0.005)


def pigeonhole(holes: int = 11) -> str:
    """A spec whose assumptions admit no situation (holes + 1 pigeons, one to a hole): the
    check's first question, whether they admit any, takes Z3 minutes."""
    lines = ['law L "a law"']
    lines += [f'fact p{i}_{j}: bool "pigeon {i} sits in hole {j}"' for i in range(holes + 1) for j in range(holes)]
    lines += [f'assume "pigeon {i} sits somewhere" ' + " or ".join(f"p{i}_{j}" for j in range(holes))
              for i in range(holes + 1)]
    for j in range(holes):
        pairs = " and ".join(f"not (p{a}_{j} and p{b}_{j})" for a in range(holes + 1) for b in range(a + 1, holes + 1))
        lines.append(f'assume "hole {j} holds one pigeon at most" {pairs}')
    lines += ['action go "to go" default permitted', 'provision 1 § L "one"', "  forbid go when p0_0"]
    return "\n".join(lines) + "\n"


class Document:
    def __init__(self, client: Client, path: Path):
        self.client, self.uri, self.text, self.version = client, path.resolve().as_uri(), path.read_text("utf-8"), 1
        client.text_document_did_open(t.DidOpenTextDocumentParams(
            t.TextDocumentItem(uri=self.uri, language_id="legalmodel", version=1, text=self.text)))

    def change(self, text: str) -> float:
        self.version += 1
        self.text = text
        started = time.perf_counter()
        self.client.text_document_did_change(t.DidChangeTextDocumentParams(
            t.VersionedTextDocumentIdentifier(version=self.version, uri=self.uri),
            [t.TextDocumentContentChangeWholeDocument(text=text)]))
        return started


def failing(action: str) -> str:
    """An example that fails in any spec with this act: a finding to wait for."""
    return f'\nexample "no act is contradictory"\n  expect {action} contradictory\n'


def has(code_prefix: str):
    return lambda uri, ds: any(isinstance(d.code, str) and d.code.startswith(code_prefix) for d in ds)


async def errors(client: Client, doc: Document, good: str, broken: str, code: str, runs: int) -> list[float]:
    """Seconds from an edit that breaks the text to the error's publication, `runs` times
    (the text is put right between runs, and the server left to settle)."""
    times = []
    for _ in range(runs):
        started = doc.change(broken)
        times.append(await client.wait(started, lambda uri, ds: uri == doc.uri and has(code)(uri, ds)))
        started = doc.change(good)
        await client.wait(started, lambda uri, ds: uri == doc.uri and not any(
            d.severity == t.DiagnosticSeverity.Error for d in ds))
        await asyncio.sleep(0.3)
    return times


async def measure(runs: int) -> dict[str, list[float]]:
    client = Client()
    await client.start_io(sys.executable, "-m", "legalmodel.cli", "lsp")
    await client.initialize_async(t.InitializeParams(capabilities=t.ClientCapabilities(), process_id=os.getpid()))
    client.initialized(t.InitializedParams())
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="legalmodel-lsp-bench-") as tmp:
        tmp = Path(tmp)
        shutil.copytree(ROOT / "specs" / "tutorial", tmp / "tutorial")
        shutil.copytree(ROOT / "specs" / "osl", tmp / "osl")
        from generate import generate

        (tmp / "gen").mkdir()
        generated = generate(1000, seed=1)
        (tmp / "gen" / "law1000.lm").write_text(generated + failing("disclose"), encoding="utf-8")
        osl = tmp / "osl" / "osl.lm"  # its own findings are all accepted: one to wait for
        osl.write_text(osl.read_text(encoding="utf-8") + failing("lämna_uppgift"), encoding="utf-8")

        tutorial = Document(client, tmp / "tutorial" / "tutorial.lm")
        good = tutorial.text
        await client.wait(0, lambda uri, ds: uri == tutorial.uri)
        await asyncio.sleep(1.0)
        broken_syntax = good.replace("\nprovision 12 kap. 2 §", "\nprovison 12 kap. 2 §")
        broken_name = good.replace("permit lämna_uppgift when samtycke", "permit lämna_uppgift when samtyke")
        assert broken_syntax != good and broken_name != good
        for kind, broken, code in (("syntax", broken_syntax, "syntax"), ("resolution", broken_name, "unknown-name")):
            results[kind] = await errors(client, tutorial, good, broken, code, runs)

        big = Document(client, tmp / "gen" / "law1000.lm")
        await client.wait(0, lambda uri, ds: uri == big.uri and has("FAI")(uri, ds))
        await asyncio.sleep(1.0)
        good = big.text
        middle = good.index("\nprovision ", len(good) // 2)
        broken_syntax = good[:middle] + "\nprovison " + good[middle + len("\nprovision "):]
        at = good.index(" when ", middle)
        broken_name = good[:at] + " when no_such_fact and " + good[at + len(" when "):]
        for kind, broken, code in (("syntax, 1,000 provisions", broken_syntax, "syntax"),
                                   ("resolution, 1,000 provisions", broken_name, "unknown-name")):
            results[kind] = await errors(client, big, good, broken, code, runs)

        osl_doc = Document(client, tmp / "osl" / "osl.lm")
        await client.wait(0, lambda uri, ds: uri == osl_doc.uri and has("FAI")(uri, ds))
        await asyncio.sleep(1.0)
        for kind, doc in (("findings, specs/osl", osl_doc), ("findings, 1,000 provisions", big)):
            original = doc.text
            times = []
            for n in range(runs):
                started = doc.change(original + f"\n# edit {n}\n")
                times.append(await client.wait(started, lambda uri, ds: uri == doc.uri and has("FAI")(uri, ds)))
                await asyncio.sleep(0.5)
            results[kind] = times

        (tmp / "hard").mkdir()
        hard_path = tmp / "hard" / "draft.lm"
        hard_text = pigeonhole()
        hard_path.write_text(hard_text, encoding="utf-8")
        quick = (tmp / "tutorial" / "tutorial.lm").read_text(encoding="utf-8") + failing("lämna_uppgift")
        since = time.perf_counter()
        hard = Document(client, hard_path)
        times = []
        for n in range(runs):
            await client.logged_since(since, lambda m: m.startswith("legalmodel: checking") and "hard" in m)
            started = hard.change(quick + f"\n# edit {n}\n")
            times.append(await client.wait(started, lambda uri, ds: uri == hard.uri and has("FAI")(uri, ds)))
            await asyncio.sleep(0.5)
            since = hard.change(hard_text)
        results["findings after stopping a check"] = times
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    results = asyncio.run(measure(args.runs))
    print(f"{'edit':32} {'median ms':>10} {'min':>8} {'max':>8}")
    out = {}
    for kind, times in results.items():
        ms = [x * 1000 for x in times]
        out[kind] = {"median_ms": round(statistics.median(ms), 1), "min_ms": round(min(ms), 1),
                     "max_ms": round(max(ms), 1), "runs_ms": [round(x, 1) for x in ms]}
        print(f"{kind:32} {statistics.median(ms):10.1f} {min(ms):8.1f} {max(ms):8.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
