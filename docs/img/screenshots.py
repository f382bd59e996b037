"""Take the README's screenshots of `legalmodel report` and `legalmodel serve` with headless
Chromium (Debian's chromium and chromium-driver, as the browser tests use them).

    python3 docs/img/screenshots.py          # writes docs/img/report.png and docs/img/explorer.png

The report is of specs/osl on the motion's date and the 2020 reform (without impact, to be
quick); the explorer shows the motion's case on 2020-08-01.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
MOTION_CASE = {
    "utlämnare": "socialnämnd", "mottagare": "polismyndigheten", "uppgift": "socialtjänst_personliga_förhållanden",
    "ålder": "25", "riskunderlag": "särskilda", "risk_terror": "true", "risk_rekrytering_terrorgrupp": "true",
    "misstanke_begånget_brott": "false", "står_klart_utan_men": "false", "samtycke": "false",
    "nödvändigt_egen_verksamhet": "false", "förestående_transportbrott": "false",
    "omedelbart_polisingripande": "false", "begäran_vistelseort": "false", "begäran_verkställighet": "false",
    "behövs_för_omprövning_eller_överprövning": "false", "behövs_för_tillsyn": "false",
    "behövs_för_förfarande_mot_personal": "false", "uppgift_adress_telefon_arbetsplats_bild": "false",
    "behövs_för_delgivning": "false",
}


def browser(folder: Path, width: int, height: int) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                     f"--user-data-dir={folder / 'profile'}", "--no-first-run", "--hide-scrollbars"):
        options.add_argument(argument)
    service = Service(executable_path="/usr/bin/chromedriver", env={**os.environ, "HOME": str(folder)})
    return webdriver.Chrome(options=options, service=service)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        site = folder / "site"
        subprocess.run([sys.executable, "-m", "legalmodel.cli", "report", "specs/osl", "-o", str(site),
                        "--as-of", "2016-10-05", "--as-of", "2020-08-01", "--no-impact"], cwd=ROOT, check=False)
        driver = browser(folder, 1200, 900)
        try:
            driver.get((site / "diff-2016-10-05-2020-08-01.html").as_uri())
            driver.save_screenshot(str(ROOT / "docs" / "img" / "report.png"))
        finally:
            driver.quit()

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "legalmodel.cli", "serve", "specs/osl", "--port", str(port),
                                   "--as-of", "2016-10-05", "--as-of", "2020-08-01", "--as-of", "2025-12-01"],
                                  cwd=ROOT, stderr=subprocess.PIPE, text=True)
        try:
            server.stderr.readline()  # "serving … on http://127.0.0.1:…/"
            driver = browser(folder, 1200, 900)
            try:
                query = urlencode({"date": "2020-08-01", **{f"fact.{k}": v for k, v in MOTION_CASE.items()}})
                driver.get(f"http://127.0.0.1:{port}/?{query}")
                time.sleep(0.5)
                driver.save_screenshot(str(ROOT / "docs" / "img" / "explorer.png"))
            finally:
                driver.quit()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
