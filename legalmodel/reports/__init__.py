"""Stage 5, results rendered for people and programs: check reports as text, JSON and
Markdown (check), SARIF (sarif), JUnit (junit), diffs (diff), explanations (explain), example
blocks (examples) and a law's history (history). Rendering only: nothing here asks a solver."""
