"""Shared test set-up: hypothesis profiles, a private cache folder, and the `slow` marker."""

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

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci", max_examples=500, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
