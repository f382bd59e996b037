"""The what-if explorer: `legalmodel serve SPEC`, a small web application on 127.0.0.1.

Owns reading the form (every fact may be left not stated), asking the API on the chosen date
and on every date of the picker, and the pages that show the answers. The law is loaded once
and each date's explainer kept (api.Law keeps it), so a change of one fact costs a few solver
questions. Bad input (a value out of range, an unknown fact or date) is a message on the page
with status 400, never a server error. Every page is sent with the policy
`default-src 'self'`: nothing on it may reach beyond this server.
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import api, i18n
from ..law import model as m
from ..pipeline import UsageError
from ..results import Explanation
from .render import STATIC_DIR, environment, gettext_for
from .site import default_dates
from ..frozen import frozen_dataclass

FACT_PREFIX = "fact."
MORE_DATES = 16  # dates outside the picker, asked by address, whose laws are kept
POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"


@frozen_dataclass
class FactControl:
    """One fact of the form: `kind` is bool, int or enum, with its range or values."""

    name: str
    kind: str
    description: str
    low: int | None = None
    high: int | None = None
    values: tuple[str, ...] = ()

    @property
    def field(self) -> str:
        return FACT_PREFIX + self.name

    def check(self, value: str) -> None:
        """A usage error where the form's value is not one of the fact's (said as `explain
        --given` says it), so that a bad value is reported once, before any date is asked."""
        from ..syntax.diagnostics import suggest

        if self.kind == "bool" and value not in ("true", "false"):
            raise UsageError(f"`{self.name}` is true or false, not `{value}`")
        if self.kind == "int":
            if not re.fullmatch(r"-?[0-9]+", value):
                raise UsageError(f"`{self.name}` is a number ({self.low}..{self.high}), not `{value}`")
            if not self.low <= int(value) <= self.high:
                raise UsageError(f"{int(value)} is outside `{self.name}`'s range {self.low}..{self.high}")
        if self.kind == "enum" and value not in self.values:
            hint = suggest(value, self.values)
            raise UsageError(f"`{value}` is not a value of `{self.name}` ({', '.join(self.values)})"
                             + (f"; {hint}" if hint else ""))


@frozen_dataclass
class DateAnswer:
    """The situation on one date: an explanation, or why there is none (`problem`), and the
    given facts the law of that date does not have."""

    date: str | None
    label: str
    explanation: Explanation | None
    problem: str | None = None
    not_in_law: tuple[str, ...] = ()


@frozen_dataclass
class Question:
    """What the form asks: the facts as given (text, as the form sent them), the date and the act."""

    facts: tuple[tuple[str, str], ...]
    date: str | None
    action: str

    def query(self) -> str:
        from urllib.parse import urlencode

        pairs = [("date", self.date or ""), ("action", self.action)] + [(FACT_PREFIX + k, v) for k, v in self.facts]
        return urlencode(pairs)


class Explorer:
    """A law loaded once, on every date of the picker, and the answers to the form."""

    def __init__(self, path, dates=(), lang: str | None = "en", timeout: float | None = api.DEFAULT_TIMEOUT):
        self.law = api.load(path)
        chosen = sorted({api.check_date(d) for d in dates}) if dates else default_dates(self.law)
        self.dates = chosen
        self.laws = {d: (self.law.at(d) if d is not None else self.law) for d in chosen}
        self.lang = lang or i18n.choose(None, self.law.spec.language)  # None: the spec's, else the locale's
        self.timeout = timeout
        self._lock = threading.Lock()  # Z3's objects serve one thread at a time
        latest = self.laws[chosen[-1]].spec
        facts: dict[str, m.Fact] = {}
        for law in self.laws.values():  # every fact of any date, in the latest law's order first
            for name, fact in law.spec.facts.items():
                facts.setdefault(name, fact)
        order = list(latest.facts) + [f for f in facts if f not in latest.facts]
        self.controls = tuple(_control(facts[name]) for name in order)
        self.actions = tuple(latest.actions)

    def warm(self) -> None:
        """Build each date's explainer now, so that the first question is answered as fast as
        the next ones."""
        for d in self.dates:
            self.answer_on(d, {}, self.actions[0], brief=True)

    # ---- reading the form -----------------------------------------------------------------

    def question(self, params) -> Question:
        """The question a form (query parameters) asks; a UsageError names a field the
        explorer does not know."""
        from ..syntax.diagnostics import suggest

        known = {c.name: c for c in self.controls}
        facts = []
        for key, value in params.multi_items():
            if key in ("date", "action"):
                continue
            name = key.removeprefix(FACT_PREFIX)
            if not key.startswith(FACT_PREFIX) or name not in known:
                hint = suggest(name, sorted(known))
                raise UsageError(f"unknown fact `{name}`" + (f"; {hint}" if hint else ""))
            if name in dict(facts):
                raise UsageError(f"the fact `{name}` is given twice; give each fact once")
            if value.strip():
                known[name].check(value.strip())
                facts.append((name, value.strip()))
        date = params.get("date") or self.dates[-1]
        date = api.check_date(date) if date else None
        if date not in self.laws and date is not None:
            if len(self.laws) >= len(self.dates) + MORE_DATES:  # each kept date keeps its solvers
                del self.laws[next(d for d in self.laws if d not in self.dates)]
            self.laws[date] = self.law.at(date)  # a date outside the picker, asked by address
        action = params.get("action") or self.actions[0]
        if action not in self.actions:
            raise UsageError(f"the spec has no action `{action}`; its actions: {', '.join(self.actions)}")
        return Question(tuple(facts), date, action)

    # ---- answering --------------------------------------------------------------------------

    def answer_on(self, date, facts: dict | tuple, action: str, brief: bool = False) -> DateAnswer:
        """The situation on one date: the given facts that law has, explained."""
        law = self.laws[date]
        items = [f"{k}={v}" for k, v in dict(facts).items() if k in law.spec.facts]
        missing = tuple(k for k in dict(facts) if k not in law.spec.facts)
        _ = gettext_for(self.lang)
        label = date or _("The law as last amended")
        with self._lock:
            x = law.explain_given(items, action, None, self.timeout, brief=brief, parts=False)
        return DateAnswer(date, label, x, None, missing)

    def every_date(self, q: Question) -> list[DateAnswer]:
        """The situation on every date of the picker, briefly. A date whose law decides the
        act alike with the date before (an amendment of its wording, or of other acts) is
        given that date's answer, not asked again: most of the reform dates of a real law."""
        out: list[DateAnswer] = []
        for d in self.dates:
            earlier = self._decides_alike(q.action).get(d)
            if earlier is not None:
                before = next(x for x in out if x.date == earlier)
                out.append(replace(before, date=d, label=d))  # a run has two dates: none is None
                continue
            try:
                out.append(self.answer_on(d, q.facts, q.action, brief=True))
            except UsageError as err:  # e.g. the facts contradict that date's assumptions
                out.append(DateAnswer(d, d or "", None, str(err)))
        return out

    def _decides_alike(self, action: str) -> dict:
        """For each date of the picker after the first whose law decides `action` alike with
        the date before (api.Law.decides_alike), the earliest date of that run; worked out
        once per act."""
        found = self.__dict__.setdefault("_alike", {})
        if action not in found:
            runs: dict = {}
            for before, d in zip(self.dates, self.dates[1:]):
                if self.laws[before].decides_alike(self.laws[d], action):
                    runs[d] = runs.get(before, before)
            found[action] = runs
        return found[action]

    # ---- pages ------------------------------------------------------------------------------

    def render(self, template: str, status: int = 200, **values) -> HTMLResponse:
        env = environment(self.lang, self.law.spec)
        from ..reports.examples import explained_examples

        html = env.get_template(template).render(explorer=self, style_href="/static/style.css",
                                                 example_text=explained_examples, **values)
        return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": POLICY,
                                                               "Cache-Control": "no-store"})

    def page(self, request: Request) -> Response:
        q, error, answer, dates = None, None, None, []
        try:
            q = self.question(request.query_params)
            answer = self.answer_on(q.date, q.facts, q.action)
            dates = self.every_date(q)
        except UsageError as err:
            error = str(err)
        return self.render("explorer.html", 400 if error else 200, q=q or self.blank(), error=error,
                           answer=answer, dates=dates, given=dict(q.facts) if q else {})

    def fragment(self, request: Request, which: str) -> Response:
        try:
            q = self.question(request.query_params)
            if which == "answer":
                return self.render("explorer_answer.html", q=q, answer=self.answer_on(q.date, q.facts, q.action),
                                   error=None)
            return self.render("explorer_dates.html", q=q, dates=self.every_date(q), error=None)
        except UsageError as err:
            return self.render("explorer_error.html", 400, error=str(err))

    def blank(self) -> Question:
        return Question((), self.dates[-1], self.actions[0])

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/", self.page),
            Route("/answer", lambda r: self.fragment(r, "answer")),
            Route("/dates", lambda r: self.fragment(r, "dates")),
            Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
        ], exception_handlers={404: self._not_found, 405: self._not_found, Exception: self._internal_error})

    def _not_found(self, request: Request, exc) -> Response:
        _ = gettext_for(self.lang)
        return self.render("explorer_error.html", 404, error=_("There is no page here; the explorer is at /."))


    def _internal_error(self, request: Request, exc: Exception) -> Response:
        """A bug of legalmodel's (bad input never comes here): said plainly, without a traceback."""
        _ = gettext_for(self.lang)
        message = _("Internal error of legalmodel (%(error)s); please report it.") % {
            "error": f"{type(exc).__name__}: {exc}"}
        return self.render("explorer_error.html", 500, error=message)


def _control(fact: m.Fact) -> FactControl:
    t = fact.type
    if isinstance(t, m.BoolType):
        return FactControl(fact.name, "bool", fact.description)
    if isinstance(t, m.IntType):
        return FactControl(fact.name, "int", fact.description, t.low, t.high)
    return FactControl(fact.name, "enum", fact.description, values=tuple(t.members))


def serve(path, port: int, dates=(), lang: str | None = "en", timeout: float | None = api.DEFAULT_TIMEOUT,
          ready=None) -> None:
    """Run the explorer on 127.0.0.1:`port` until interrupted; `ready(url)` is called once
    the law is loaded and the server listens."""
    import uvicorn

    explorer = Explorer(path, dates, lang, timeout)
    explorer.warm()
    config = uvicorn.Config(explorer.app(), host="127.0.0.1", port=port, log_level="warning",
                            access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    if ready is not None:
        original = server.startup

        async def startup(sockets=None):
            await original(sockets)
            if server.started:
                ready(f"http://127.0.0.1:{port}/")

        server.startup = startup
    server.run()
