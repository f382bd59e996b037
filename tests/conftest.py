"""Shared test set-up: hypothesis profiles, a private cache folder, an English locale, and the
`slow` marker."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from hypothesis import HealthCheck, settings

# Tests never touch the user's own cache: every test, and every process a test starts, gets
# this session's own folder (a test that looks at the cache points XDG_CACHE_HOME at its
# tmp_path on top of this).
_CACHE = tempfile.mkdtemp(prefix="legalmodel-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

# Tests read English unless they ask for Swedish: a drafter's own Swedish locale must not
# change what the tests see (legalmodel speaks the locale's language, i18n.choose).
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
    os.environ.pop(_variable, None)
os.environ["LC_ALL"] = "C.UTF-8"

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci", max_examples=500, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
