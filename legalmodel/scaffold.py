"""The files `legalmodel init` writes: a small spec repository that passes check and fmt,
with a CI workflow pinned to the running legalmodel's version.

legalmodel is not on PyPI, so the workflow installs what `legalmodel-requirements.txt` names:
the git URL and commit, wheel URL or package index the running legalmodel was installed from
(pip's `direct_url.json` says which), and nothing when it was installed from a local folder,
which CI cannot reach; the workflow then fails with a message saying what to add.
"""

from __future__ import annotations

EXAMPLE_SPEC = '''# An example spec: may social services tell the police about a young person at risk?
# Replace it with your own law. `legalmodel check specs/` checks every spec in specs/.

law OSL "Offentlighets- och sekretesslag (2009:400)"

fact ålder: 0..130 "the age of the person the information concerns"
fact står_klart_utan_men: bool "26:1: det står klart att uppgiften kan röjas utan att den enskilde lider men"
fact konkret_risk: bool "10:18 a: konkreta omständigheter visar en risk att den unge utövar brottslig verksamhet"
fact olämpligt: bool "10:18 a: it is olämpligt to give the information, given planned or ongoing interventions"

action lämna_uppgift "social services give information about the person to the police" default permitted

provision 26 kap. 1 § "Socialtjänstsekretess" (SFS 2009:400, verified)
  forbid lämna_uppgift when not står_klart_utan_men

provision 10 kap. 18 a § "Unga under 21" (SFS 2025:179, in force 2025-04-01, verified)
  permit lämna_uppgift when ålder < 21 and konkret_risk and not olämpligt
  overrides 26 kap. 1 §

goal "the police can be told about a young person at risk"
  lämna_uppgift is permitted whenever ålder < 21 and konkret_risk and not olämpligt

example "a 19-year-old with concrete signs of a risk of crime"
  given ålder = 19, står_klart_utan_men = false, konkret_risk = true, olämpligt = false
  expect lämna_uppgift permitted
'''

README = '''# Specs checked with legalmodel

`specs/` holds the provisions of a law written as legalmodel specs. Each folder in `specs/`
that holds `.lm` files is one spec.

    python3 -m pip install -r legalmodel-requirements.txt
    legalmodel check specs/          # contradictions, gaps, failed goals and examples
    legalmodel fmt --check specs/    # the canonical layout

`legalmodel-requirements.txt` pins the legalmodel this repository was written for
(version {version}). legalmodel is not published on PyPI, so the file names the place it was
installed from when `legalmodel init` could tell (a git URL and commit, or the package index
it came from); if the file holds no requirement, add the pip requirement for your copy of
legalmodel {version} (a git URL with a tag or commit, or a wheel's URL).

`legalmodel check` exits 0 when every spec is consistent and every goal and example holds,
1 when there are findings, 2 when a spec cannot be read, 3 when the solver could not decide a
question in time. The workflow in `.github/workflows/legalmodel.yml` runs both commands on
every change: each finding becomes an annotation on the pull request, the report goes to the
job's summary, and the findings are uploaded as SARIF for code scanning where it is on.
'''

WORKFLOW = '''name: legalmodel
on: [push, pull_request]
permissions:
  contents: read
  actions: read
  security-events: write
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v7
      - uses: actions/setup-python@v7
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: legalmodel-requirements.txt
      - run: python -m pip install -r legalmodel-requirements.txt
      # the version this repository was written for; a requirement that gives another fails here
      - run: |
          legalmodel --version | grep -qx "legalmodel, version {version}" || {{
            echo "::error file=legalmodel-requirements.txt::legalmodel {version} is not installed; put the pip requirement for it in this file"
            exit 1
          }}
      - run: legalmodel fmt --check specs/
      # one run: annotations on the pull request, the report in the job summary, and SARIF;
      # this step fails the job when there are findings
      - run: legalmodel check specs/ --format github --sarif legalmodel.sarif
      # code scanning may be off (a private repository without it): the upload then fails,
      # which must not fail the job
      - uses: github/codeql-action/upload-sarif@v4
        if: always() && hashFiles('legalmodel.sarif') != ''
        continue-on-error: true
        with:
          sarif_file: legalmodel.sarif
'''


def requirement(version: str, direct_url: dict | None) -> str | None:
    """The pip requirement that installs this legalmodel again, when it can be told honestly:
    from a git URL at the commit it was installed from, or by version from the package index it
    came from (pip records no direct URL then); None for a local folder or file, which CI
    cannot reach."""
    if direct_url is None:
        return f"legalmodel=={version}"
    vcs = direct_url.get("vcs_info")
    url = direct_url.get("url", "")
    if vcs and vcs.get("vcs") == "git" and vcs.get("commit_id") and not url.startswith("file:"):
        return f"legalmodel @ git+{url}@{vcs['commit_id']}"
    if "archive_info" in direct_url and url.startswith("https://"):
        return f"legalmodel @ {url}"
    return None


def installed_requirement(version: str) -> str | None:
    """`requirement` for the legalmodel that is running, from its install record."""
    import json
    from importlib import metadata

    try:
        text = metadata.distribution("legalmodel").read_text("direct_url.json")
    except metadata.PackageNotFoundError:  # running from a source tree, not installed
        return None
    try:
        return requirement(version, json.loads(text) if text else None)
    except (ValueError, AttributeError):
        return None


def requirements_file(version: str, line: str | None) -> str:
    head = (f"# The legalmodel this repository is checked with: version {version}, which the CI workflow\n"
            "# checks. legalmodel is not on PyPI.\n")
    if line:
        return head + line + "\n"
    return head + (f"# `legalmodel init` ran from a local copy, which CI cannot reach: add the pip\n"
                   f"# requirement for legalmodel {version} below (a git URL with a tag or commit, or a\n"
                   "# wheel's URL).\n")


def files(version: str, line: str | None) -> dict[str, str]:
    return {
        "specs/example/example.lm": EXAMPLE_SPEC,
        "README.md": README.format(version=version),
        "legalmodel-requirements.txt": requirements_file(version, line),
        ".github/workflows/legalmodel.yml": WORKFLOW.format(version=version),
    }
