"""`legalmodel serve`, the what-if explorer, through Starlette's test client: the form has the
right control for every fact, the answers are the API's, bad input is a message on the page
(status 400, never 500), and every page forbids reaching beyond the server."""

from __future__ import annotations

import re
import warnings

import html5lib
import pytest

with warnings.catch_warnings():  # Starlette's client warns about httpx's future, not our use of it
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from legalmodel.web.explorer import Explorer

from helpers import TESTS

MOTION_CASE = {
    "utlämnare": "socialnämnd", "riskunderlag": "särskilda", "risk_rekrytering_terrorgrupp": "true",
    "risk_terror": "true", "mottagare": "polismyndigheten", "uppgift": "socialtjänst_personliga_förhållanden",
    "misstanke_begånget_brott": "false", "ålder": "25",
    # what the verdict depends on in 2016 besides: nothing else breaks the secrecy
    **{f: "false" for f in ("står_klart_utan_men", "samtycke", "nödvändigt_egen_verksamhet",
                            "förestående_transportbrott", "omedelbart_polisingripande", "begäran_vistelseort",
                            "begäran_verkställighet", "behövs_för_omprövning_eller_överprövning",
                            "behövs_för_tillsyn",
                            "behövs_för_förfarande_mot_personal", "uppgift_adress_telefon_arbetsplats_bild",
                            "behövs_för_delgivning")},
}


def form(facts: dict, **extra) -> dict:
    return {**{f"fact.{k}": v for k, v in facts.items()}, **extra}


@pytest.fixture(scope="module")
def osl(request):
    import os

    old = os.getcwd()
    os.chdir(TESTS.parent)
    try:
        explorer = Explorer("specs/osl", ["2016-10-05", "2020-08-01", "2025-12-01"])
    finally:
        os.chdir(old)
    return explorer, TestClient(explorer.app())


def text(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_form_has_the_right_control_for_every_fact(osl):
    explorer, client = osl
    page = client.get("/").text
    document = html5lib.parse(page, namespaceHTMLElements=False)
    inputs = {}
    for e in document.iter():
        if e.tag in ("input", "select") and (e.get("name") or "").startswith("fact."):
            inputs.setdefault(e.get("name")[5:], []).append(e)
    spec = explorer.laws["2025-12-01"].spec
    assert set(inputs) == set(spec.facts)
    ålder = inputs["ålder"][0]
    assert (ålder.tag, ålder.get("type"), ålder.get("min"), ålder.get("max")) == ("input", "number", "0", "130")
    assert [e.get("value") for e in inputs["samtycke"]] == ["true", "false", ""]  # yes, no, not stated
    assert all(e.get("type") == "radio" for e in inputs["samtycke"])
    mottagare = inputs["mottagare"][0]
    options = [o.get("value") for o in mottagare.iter("option")]
    assert mottagare.tag == "select" and options[0] == "" and "polismyndigheten" in options
    assert spec.facts["samtycke"].description in text(page)
    dates = [o.get("value") for o in document.find(".//select[@id='date']").iter("option")]
    assert dates == ["2016-10-05", "2020-08-01", "2025-12-01"]


def test_the_motions_case_forbidden_in_2016_permitted_from_2020_by_18_b(osl):
    _, client = osl
    before = text(client.get("/", params=form(MOTION_CASE, date="2016-10-05")).text)
    assert re.search(r"On 2016-10-05: lämna_uppgift forbidden decided by 26 kap. 1 § OSL", before)
    after = text(client.get("/", params=form(MOTION_CASE, date="2020-08-01")).text)
    assert re.search(r"On 2020-08-01: lämna_uppgift permitted decided by 10 kap. 18 b § OSL", after)
    aside = re.search(r"Set aside 26 kap. 1 § OSL \(forbidden\) by (.*?) The smallest change", after)
    assert aside and "10 kap. 18 b § OSL" in aside.group(1).split(", ")
    assert "The smallest change that gives another verdict" in after
    # every date side by side, on either page
    for page in (before, after):
        assert re.search(r"2016-10-05 forbidden 26 kap. 1 § OSL 2020-08-01 permitted 10 kap. 18 b § OSL", page)


def test_an_open_verdict_says_what_it_depends_on(osl):
    _, client = osl
    page = text(client.get("/answer", params=form({"ålder": "25"}, date="2016-10-05")).text)
    assert "not settled" in page and "it depends on" in page and "samtycke" in page


def test_the_situation_can_be_copied_as_an_example_block(osl):
    _, client = osl
    page = client.get("/answer", params=form(MOTION_CASE, date="2020-08-01")).text
    block = text(re.search(r'<pre class="example" id="example">(.*?)</pre>', page, re.S).group(1))
    assert block.startswith('example "explained: ')
    assert "expect lämna_uppgift permitted" in block and "ålder = 25" in block


@pytest.mark.parametrize("params, message", [
    (form({"ålder": "200"}), "200 is outside `ålder`'s range 0..130"),
    (form({"ålder": "tjugo"}), "`ålder` is a number (0..130), not `tjugo`"),
    (form({"mottagare": "polisen"}), "`polisen` is not a value of `mottagare`"),
    (form({"samtycke": "kanske"}), "`samtycke` is true or false, not `kanske`"),
    (form({"åldr": "20"}), "unknown fact `åldr`; did you mean `ålder`?"),
    ([("fact.ålder", "20"), ("fact.ålder", "21")], "the fact `ålder` is given twice"),
    ({"ålder": "20"}, "unknown fact `ålder`"),  # a fact without its field prefix
    ({"date": "2016-13-05"}, "`2016-13-05` is not a date of the calendar"),
    ({"action": "radera"}, "the spec has no action `radera`"),
])
@pytest.mark.parametrize("path", ["/", "/answer", "/dates"])
def test_bad_input_is_a_message_on_the_page(osl, params, message, path):
    _, client = osl
    response = client.get(path, params=params)
    assert response.status_code == 400
    assert message in text(response.text)
    assert "Traceback" not in response.text


def test_facts_that_contradict_the_assumptions_are_a_message(osl):
    explorer, client = osl
    spec = explorer.laws["2025-12-01"].spec
    assumption = spec.assumptions[0] if spec.assumptions else None
    if assumption is None:
        pytest.skip("specs/osl states no assumption")
    # the first assumption of specs/osl: a suspicion of a crime against a child is a suspicion of a crime
    response = client.get("/", params=form({"misstanke_brott_mot_barn": "true", "misstanke_begånget_brott": "false"}))
    assert response.status_code == 400
    assert "contradict the spec's assumptions" in text(response.text)


def test_unknown_pages_and_methods_are_messages(osl):
    _, client = osl
    assert client.get("/nothing").status_code == 404
    assert client.post("/").status_code == 404
    assert "the explorer is at /" in client.get("/nothing").text


def test_every_page_forbids_reaching_beyond_the_server(osl):
    _, client = osl
    for path in ("/", "/answer", "/dates", "/nothing", "/?fact.x=1"):
        response = client.get(path)
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page = client.get("/").text
    assert not re.search(r'(src|href|action)="(https?:)?//', page)
    for asset in ("/static/style.css", "/static/explorer.js"):
        body = client.get(asset).text
        assert client.get(asset).status_code == 200
        assert "http://" not in body and "https://" not in body and "url(" not in body


def test_the_pages_are_valid_html(osl):
    _, client = osl
    for params in ({}, form(MOTION_CASE, date="2020-08-01"), form({"ålder": "200"})):
        html5lib.HTMLParser(strict=True).parse(client.get("/", params=params).text)


def test_the_same_question_gives_the_same_page(osl):
    _, client = osl
    params = form({"ålder": "25", "mottagare": "polismyndigheten"}, date="2016-10-05")
    first = client.get("/", params=params).text
    client.get("/", params=form(MOTION_CASE))
    assert client.get("/", params=params).text == first


def test_a_fact_a_date_lacks_is_left_out_and_said(tmp_path):
    spec = tmp_path / "law.lm"
    spec.write_text("""law L "a law"
fact a: bool "a fact of the base law"
action act "the act" default permitted
provision 1 § L "Base" (SFS 2000:1, in force 2000-01-01, verified)
  forbid act when a

amendment "Ändring" (SFS 2020:1, in force 2020-01-01, verified) to L
  fact b: bool "a fact the amendment brings"
  insert 2 § L "New"
    permit act when b
    overrides 1 §
""", encoding="utf-8")
    client = TestClient(Explorer(str(spec)).app())
    page = text(client.get("/", params=form({"a": "true", "b": "true"}, date="2019-12-31")).text)
    assert "On 2019-12-31: act forbidden decided by 1 § L" in page
    assert "Not facts of the law on this date, and left out: b" in page
    assert "2019-12-31 forbidden 1 § L 2020-01-01 permitted 2 § L" in page


def test_the_explorer_speaks_swedish():
    import os

    old = os.getcwd()
    os.chdir(TESTS.parent)
    try:
        explorer = Explorer("docs/amendment-tutorial/law", lang="sv")
    finally:
        os.chdir(old)
    page = TestClient(explorer.app()).get("/").text
    assert '<html lang="sv">' in page and "Vad säger lagen i denna situation?" in page and "inte angivet" in page


def test_an_internal_error_is_a_plain_message_without_a_traceback(osl, monkeypatch):
    explorer, _ = osl
    client = TestClient(explorer.app(), raise_server_exceptions=False)

    def broken(*args, **kwargs):
        raise RuntimeError("the solver fell over")

    monkeypatch.setattr(explorer, "answer_on", broken)
    response = client.get("/answer", params=form({"ålder": "25"}))
    assert response.status_code == 500
    assert "Internal error of legalmodel (RuntimeError: the solver fell over); please report it." in text(response.text)
    assert "Traceback" not in response.text


def test_serve_on_a_port_in_use_exits_2_with_a_message():
    import socket

    from legalmodel.cli import main

    from helpers import make_runner

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = make_runner().invoke(main, ["serve", str(TESTS.parent / "specs" / "tutorial"), "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "choose another --port" in result.output


def test_serve_listens_on_127_0_0_1_and_answers(tmp_path):
    """The command as a user starts it: the law loaded, the page served, the process stopped."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        command = [sys.executable, "-m", "legalmodel.cli", "serve", "specs/tutorial", "--port", str(port)]
        process = subprocess.Popen(command, cwd=TESTS.parent, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "HOME": str(tmp_path)})
        try:
            deadline = time.monotonic() + 60
            while "serving specs/tutorial on" not in log.read_text(encoding="utf-8"):
                assert process.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
                time.sleep(0.05)
            assert f"http://127.0.0.1:{port}/" in log.read_text(encoding="utf-8")
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/?fact.%C3%A5lder=19&fact.konkret_risk=true") as r:
                page = r.read().decode("utf-8")
                assert r.headers["Content-Security-Policy"].startswith("default-src 'self'")
            assert "lämna_uppgift" in page and 'name="fact.ålder"' in page
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_dates_outside_the_picker_are_answered_and_few_are_kept(osl):
    from legalmodel.web import explorer as module

    explorer, client = osl
    for day in range(1, 25):
        page = text(client.get("/answer", params=form({"ålder": "25"}, date=f"2019-05-{day:02d}")).text)
        assert f"On 2019-05-{day:02d}: lämna_uppgift" in page
    assert len(explorer.laws) <= len(explorer.dates) + module.MORE_DATES
    assert all(d in explorer.laws for d in explorer.dates)


def test_every_control_has_a_label_and_every_fact_its_description(osl):
    """What a screen reader announces: each field's label, and the fact's description with it."""
    _, client = osl
    document = html5lib.parse(client.get("/").text, namespaceHTMLElements=False)
    labelled = {e.get("for") for e in document.iter("label") if e.get("for")}
    wrapped = {id(c) for label in document.iter("label") for c in label.iter() if c is not label}
    ids = {e.get("id") for e in document.iter() if e.get("id")}
    controls = [e for e in document.iter() if e.tag in ("input", "select") and e.get("type") != "hidden"]
    assert len(controls) > 60
    for control in controls:
        assert control.get("id") in labelled or id(control) in wrapped, control.attrib
        described = control.get("aria-describedby")
        if (control.get("name") or "").startswith("fact."):
            assert described in ids, control.attrib


def test_without_a_language_the_explorer_speaks_the_spec_s():
    import os

    old = os.getcwd()
    os.chdir(TESTS.parent)
    try:
        explorer = Explorer("docs/handledning/handledning.lm", lang=None)
    finally:
        os.chdir(old)
    assert explorer.lang == "sv"
    assert '<html lang="sv">' in TestClient(explorer.app()).get("/").text


@pytest.fixture(scope="module")
def osl_every_date():
    """specs/osl on every reform date: runs of dates whose law decides alike."""
    import os

    old = os.getcwd()
    os.chdir(TESTS.parent)
    try:
        return Explorer("specs/osl")
    finally:
        os.chdir(old)


@pytest.mark.parametrize("facts", [
    {}, {"ålder": "17"}, {k: MOTION_CASE[k] for k in ("mottagare", "risk_terror", "ålder")}, MOTION_CASE,
    {**MOTION_CASE, "samtycke": "true"}, {**MOTION_CASE, "riskunderlag": "konkreta"},
])
def test_a_date_answered_from_the_one_before_is_as_if_asked(osl_every_date, facts):
    from starlette.datastructures import QueryParams

    explorer = osl_every_date
    q = explorer.question(QueryParams(form(facts, date="2020-08-01")))
    shared = explorer._decides_alike(q.action)
    assert len(shared) >= 5, "specs/osl has runs of reform dates that amend only wordings"
    for row in explorer.every_date(q):
        asked = explorer.answer_on(row.date, q.facts, q.action, brief=True)
        assert (row.date, row.label, row.not_in_law) == (asked.date, asked.label, asked.not_in_law)
        assert row.explanation.actions == asked.explanation.actions, row.date


def test_laws_decide_alike_only_where_no_provision_on_the_act_differs(osl_every_date):
    laws = osl_every_date.laws
    act = osl_every_date.actions[0]
    assert laws["2020-08-01"].decides_alike(laws["2020-08-01"], act)
    assert laws["2018-01-01"].decides_alike(laws["2018-05-25"], act)  # amendments of wording only
    assert not laws["2019-04-01"].decides_alike(laws["2020-08-01"], act)  # 10 kap. 18 b § enters into force
    assert not laws["2024-04-01"].decides_alike(laws["2025-04-01"], act)
    assert not laws["2020-08-01"].decides_alike(laws["2020-08-01"], "no_such_act")
