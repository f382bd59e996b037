"""The report and the explorer in a real browser: Debian's Chromium, headless, driven by
Selenium through chromium-driver (`.ci/run` installs both where they are missing).

The tests follow links as a reader does, set the motion's case in the explorer's form as a
lawyer does, keep screenshots as artefacts (under pytest's temporary folder, printed at the
end of each test), and read the browser's own network log to check that no page reaches
anything beyond the site or 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from legalmodel.cli import main

from helpers import TESTS, make_runner

pytestmark = pytest.mark.slow  # a browser takes seconds to start on a loaded machine

ROOT = TESTS.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

MOTION_FACTS = {  # the motion's case: an adult at concrete risk of terrorist crime, the police ask
    "select": {"utlämnare": "socialnämnd", "riskunderlag": "särskilda", "mottagare": "polismyndigheten",
               "uppgift": "socialtjänst_personliga_förhållanden"},
    "number": {"ålder": "25"},
    "true": ["risk_rekrytering_terrorgrupp", "risk_terror"],
    # no suspected crime, and none of the other ways past the secrecy in 2016
    "false": ["misstanke_begånget_brott", "står_klart_utan_men", "samtycke", "nödvändigt_egen_verksamhet",
              "förestående_transportbrott", "omedelbart_polisingripande", "begäran_vistelseort",
              "begäran_verkställighet", "behövs_för_omprövning_eller_överprövning", "behövs_för_tillsyn",
              "behövs_för_förfarande_mot_personal", "uppgift_adress_telefon_arbetsplats_bild",
              "behövs_för_delgivning"],
}


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert Path(CHROMIUM).exists() and Path(DRIVER).exists(), \
        "the browser tests need Debian's chromium and chromium-driver: apt-get install chromium chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400",
                     f"--user-data-dir={tmp_path / 'profile'}", "--no-first-run", "--disable-sync",
                     "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                     "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    # the driver and the browser keep their files in the test's folder, never in the home folder
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    service = Service(executable_path=DRIVER, env=env, log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    driver.get("about:blank")
    requested_urls(driver)  # the browser's own start page is not ours to judge
    yield driver
    driver.quit()


def requested_urls(driver) -> list[str]:
    """Every URL the pages asked for since the last call, from the browser's network log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def shoot(driver, artefacts: Path, name: str) -> Path:
    target = artefacts / f"{name}.png"
    driver.save_screenshot(str(target))
    assert target.stat().st_size > 10_000  # a page, not a blank
    print(f"screenshot: {target}")
    return target


def test_the_report_from_the_index_to_a_provision_and_to_a_diff(browser, artefacts, tmp_path, monkeypatch):
    from selenium.webdriver.common.by import By

    monkeypatch.chdir(ROOT)
    out = tmp_path / "site"
    result = make_runner().invoke(main, ["report", "docs/amendment-tutorial/law", "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    browser.get((out / "index.html").as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == "docs/amendment-tutorial/law"
    shoot(browser, artefacts, "report-index")

    browser.find_element(By.LINK_TEXT, "10 kap. 18 b § OSL").click()
    assert browser.current_url.endswith("/10-kap-18-b-OSL.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "10 kap. 18 b § OSL Förebygga terroristbrott"
    assert "SFS 2020:575" in browser.find_element(By.ID, "wordings").find_element(By.XPATH, "..").text
    shoot(browser, artefacts, "report-provision")

    browser.find_element(By.LINK_TEXT, "docs/amendment-tutorial/law").click()  # back through the navigation
    browser.find_element(By.LINK_TEXT, "diff from 2020-07-31").click()
    assert browser.current_url.endswith("/diff-2020-07-31-2020-08-01.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "What changes from 2020-07-31 to 2020-08-01"
    table = browser.find_element(By.CSS_SELECTOR, "table.regions")
    assert "26 kap. 1 § OSL" in table.text and "10 kap. 18 b § OSL" in table.text
    shoot(browser, artefacts, "report-diff")

    urls = requested_urls(browser)
    assert urls and all(u.startswith(out.as_uri()) for u in urls), urls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def explorer_url(tmp_path):
    """`legalmodel serve specs/osl` in a process of its own, until the test ends."""
    port = free_port()
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "legalmodel.cli", "serve", "specs/osl", "--port", str(port),
         "--as-of", "2016-10-05", "--as-of", "2020-08-01", "--as-of", "2025-12-01"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "HOME": str(tmp_path)})
    try:
        deadline = time.monotonic() + 120
        while "serving specs/osl on" not in (tmp_path / "serve.log").read_text(encoding="utf-8"):
            assert process.poll() is None, (tmp_path / "serve.log").read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the explorer did not start within 120 s"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_the_motions_case_in_the_explorer(browser, artefacts, explorer_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(explorer_url)
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    # the page's script replaces the answer while it is read: a vanished element means "not yet"
    wait = WebDriverWait(browser, 60, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))
    wait.until(lambda d: d.find_element(By.ID, "copy").is_displayed())  # the script has run
    Select(browser.find_element(By.ID, "date")).select_by_value("2016-10-05")
    for fact, value in MOTION_FACTS["select"].items():
        Select(browser.find_element(By.NAME, f"fact.{fact}")).select_by_value(value)
    for fact, value in MOTION_FACTS["number"].items():
        field = browser.find_element(By.NAME, f"fact.{fact}")
        field.clear()
        field.send_keys(value)
    for value in ("true", "false"):
        for fact in MOTION_FACTS[value]:
            radio = browser.find_element(By.CSS_SELECTOR, f'input[name="fact.{fact}"][value="{value}"]')
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
            radio.click()
    browser.find_element(By.TAG_NAME, "h1").click()  # leave the number field: its change is sent

    def answer(date: str, verdict: str):
        def shown(d):
            heading = d.find_element(By.CSS_SELECTOR, "#answer h2").text
            return heading.startswith(f"On {date}") and d.find_element(By.ID, "verdict").text == verdict \
                and "behövs_för_delgivning = false" in d.find_element(By.ID, "example").get_attribute("textContent")
        wait.until(shown)

    answer("2016-10-05", "forbidden")
    assert browser.find_element(By.ID, "deciding").text == "26 kap. 1 § OSL"
    browser.execute_script("window.scrollTo(0, 0)")
    shoot(browser, artefacts, "explorer-2016-10-05")

    Select(browser.find_element(By.ID, "date")).select_by_value("2020-08-01")
    answer("2020-08-01", "permitted")
    assert browser.find_element(By.ID, "deciding").text == "10 kap. 18 b § OSL"
    rows = {r.get_attribute("data-date"): r.text
            for r in browser.find_elements(By.CSS_SELECTOR, "#every-date tbody tr")}
    assert rows["2016-10-05"].startswith("2016-10-05 forbidden 26 kap. 1 § OSL")
    assert rows["2020-08-01"].startswith("2020-08-01 permitted 10 kap. 18 b § OSL")
    assert "?" in browser.current_url and "fact.%C3%A5lder=25" in browser.current_url  # the page can be linked
    browser.execute_script("window.scrollTo(0, 0)")
    shoot(browser, artefacts, "explorer-2020-08-01")

    browser.find_element(By.ID, "copy").click()
    wait.until(lambda d: d.find_element(By.ID, "copied").text != "")

    urls = requested_urls(browser)
    assert urls and all(u.startswith("http://127.0.0.1:") for u in urls), urls


def test_the_explorer_without_javascript_is_a_plain_form(tmp_path, artefacts, explorer_url):
    """The same answer from the form's own GET, with JavaScript switched off."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     f"--user-data-dir={tmp_path / 'profile-nojs'}", "--no-first-run"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER,
                                                               env={**os.environ, "HOME": str(tmp_path / "home")}))
    try:
        driver.get(explorer_url)
        assert not driver.find_element(By.ID, "copy").is_displayed()  # the copy button needs the script
        Select(driver.find_element(By.ID, "date")).select_by_value("2016-10-05")
        driver.find_element(By.NAME, "fact.ålder").send_keys("25")
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        # the click starts a new page's load; the old page (the last date, no facts) may still be shown
        WebDriverWait(driver, 60).until(lambda d: "fact.%C3%A5lder=25" in d.current_url)
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

        WebDriverWait(driver, 60, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "#answer h2").text == "On 2016-10-05: lämna_uppgift")
        assert driver.find_element(By.ID, "verdict").text == "not settled"
        assert "samtycke" in driver.find_element(By.ID, "depends").text
        # the browser keeps 200 out of the field (max=130); an address can still carry it
        driver.get(explorer_url + "?fact.%C3%A5lder=200")
        assert driver.find_element(By.ID, "error-message").text == "200 is outside `ålder`'s range 0..130"
        shoot(driver, artefacts, "explorer-bad-input")
    finally:
        driver.quit()
