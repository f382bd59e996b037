"""Stage 4, the questions asked of a law: the analyses of `check` (analyse), the semantic diff
and impact (diff), one case explained (explain), amendment contracts (contracts) and accepted
findings (baseline). Each hands out the typed results of results.py."""
