"""Every line the command line prints to people goes through the catalogue: a text with words
written as a plain literal where people read it fails here, naming file, line and text.

What is checked (by reading the code, not by running it):
- in cli.py, what `click.echo` and `sys.stderr.write` are given;
- anywhere in the package, the message of a `Diagnostic`, `error(…)`, `CitationError`,
  `UsageError`, `ValueError` (explain's `--given`), `Problem` (a case table's) and the
  `help=` of a diagnostic;
- every literal of the modules that only render text for people (the reader, explain,
  history, prose, replays, the cases' text).
A literal counts when it holds two words outside its placeholders and is not inside `_`,
`ngettext`, `sentence`, `N_` or `Words`. What stays English on purpose is listed in ENGLISH,
each with the reason."""

from __future__ import annotations

import ast
import re

from helpers import REPO

PACKAGE = REPO / "legalmodel"
MARKS = {"_", "ngettext", "sentence", "N_", "Words"}
WORDS = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")
MESSAGE_CALLS = {"Diagnostic": 1, "error": 1, "CitationError": 0, "UsageError": 0, "ValueError": 0, "Problem": 3}
PEOPLE_ONLY = ["reports/reader.py", "reports/explain.py", "reports/history.py", "reports/prose.py",
               "cases/record.py", "syntax/diagnostics.py"]
# (file, text) that stay English, and why
ENGLISH = {
    ("reports/explain.py", "its condition does not hold"): "compared with the English reason a Words carries",
    ("reports/explain.py", "its condition cannot hold"): "compared with the English reason a Words carries",
    ("cases/record.py", "decided by"): "names a changed key of the record (said as `{what}`); a key, not prose",
    ("cases/record.py", "set aside"): "a role in the record's JSON",
    ("cases/record.py", "in force since"): "names a changed key of the record",
    ("syntax/diagnostics.py", "did you mean"): "how a suggestion begins in English, to recognise it",
    ("syntax/diagnostics.py", "menade du"): "how a suggestion begins in Swedish, to recognise it",
    ("law/resolve.py", "unhandled syntax {}"): "an internal assertion, never shown for bad input",
}


def _text(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _name(call: ast.Call) -> str | None:
    return getattr(call.func, "id", getattr(call.func, "attr", None))


def _unmarked(tree: ast.AST):
    """The literals with words that no marking call holds, without docstrings."""
    parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
    for node in ast.walk(tree):
        text = _text(node)
        if text is None or isinstance(parents.get(node), ast.JoinedStr):
            continue
        if not WORDS.search(re.sub(r"\{[^}]*\}", "", text)):
            continue
        up, marked = parents.get(node), False
        while up is not None and not marked:
            if isinstance(up, ast.Call) and _name(up) in MARKS:
                marked = True
            elif (isinstance(up, ast.Expr) and up.value is node
                  and isinstance(parents.get(up), (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and parents[up].body[0] is up):
                marked = True  # a docstring
            up = parents.get(up)
        if not marked:
            yield node, text


def _messages(call: ast.Call):
    """The message arguments of a call that says something to people."""
    out = []
    index = MESSAGE_CALLS.get(_name(call))
    if index is not None and len(call.args) > index:
        out.append(call.args[index])
    if _name(call) in ("Diagnostic", "error"):
        out.extend(k.value for k in call.keywords if k.arg in ("help", "message"))
    if _name(call) == "echo" or (_name(call) == "write" and "stderr" in ast.unparse(call.func)):
        out.extend(call.args[:1])
    return out


def _problems(path, tree, everything: bool) -> list[str]:
    relative = path.relative_to(PACKAGE).as_posix()
    unmarked = list(_unmarked(tree))
    if not everything:
        said = set()
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            for arg in _messages(call):
                said |= {id(n) for n in ast.walk(arg)}
        unmarked = [(n, t) for n, t in unmarked if id(n) in said]
    return [f"{relative}:{n.lineno}: {t[:80]!r}" for n, t in unmarked if (relative, t) not in ENGLISH]


def test_every_message_for_people_is_marked_for_the_catalogue():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith(("web/", "lsp/")):  # web: the `report` domain (test_report_locale.py)
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        problems += _problems(path, tree, relative in PEOPLE_ONLY)
    assert problems == [], "not in the catalogue (wrap in _(…) or sentence(…)):\n" + "\n".join(problems)


def test_the_check_finds_an_unmarked_message(tmp_path):
    """The check can fail: a plain literal given to click.echo or a Diagnostic is found."""
    path = PACKAGE / "cli.py"
    tree = ast.parse('click.echo("legalmodel: the file is gone")\n'
                     'Diagnostic("x", f"unknown fact `{name}`", span)\n'
                     'click.echo(_("marked text here"))\n')
    found = _problems(path, tree, everything=False)
    assert [p.split(": ", 1)[1] for p in found] == ["'legalmodel: the file is gone'", "'unknown fact `{}`'"]
