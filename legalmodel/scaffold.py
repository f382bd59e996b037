"""The files `legalmodel init` writes: a small spec repository that passes check and fmt."""

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

    python3 -m pip install "legalmodel @ git+https://github.com/legalmodel/legalmodel"
    legalmodel check specs/          # contradictions, gaps, failed goals and examples
    legalmodel fmt --check specs/    # the canonical layout

legalmodel is not on PyPI: it is installed from its source repository. If you get it from
elsewhere (a fork, a tag, a wheel), install it from there, and set `LEGALMODEL_SOURCE` in
the workflow to the same place.

`legalmodel check` exits 0 when every spec is consistent and every goal and example holds,
1 when there are findings, 2 when a spec cannot be read, 3 when the solver could not decide a
question in time. The workflow in `.github/workflows/legalmodel.yml` runs both commands on
every change and uploads the findings as SARIF for code scanning; its last step, a plain
`legalmodel check specs/`, fails the job when there are findings.
'''

WORKFLOW = '''name: legalmodel
on: [push, pull_request]
permissions:
  contents: read
  security-events: write
env:
  # legalmodel is not on PyPI: where pip gets it from (a pip URL; pin a tag with @v0.1.0)
  LEGALMODEL_SOURCE: git+https://github.com/legalmodel/legalmodel
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: python -m pip install "legalmodel @ $LEGALMODEL_SOURCE"
      - run: legalmodel fmt --check specs/
      # the findings for code scanning; this step never fails the job, the last one does
      - run: legalmodel check specs/ --format sarif > legalmodel.sarif
        continue-on-error: true
      - uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: legalmodel.sarif
      - run: legalmodel check specs/
'''

FILES = {
    "specs/example/example.lm": EXAMPLE_SPEC,
    "README.md": README,
    ".github/workflows/legalmodel.yml": WORKFLOW,
}
