"""Shared pytest configuration: the Hypothesis profiles.

``default`` is quick, for local runs while editing. ``ci`` is selected when the
environment says ``CI=true`` (as ``.ci/run`` does): more examples, no deadline (a
slow CI machine must not turn timing noise into failures), and a reproduction
blob printed with every failure so it can be replayed locally with
``@reproduce_failure``. ``HYPOTHESIS_PROFILE=NAME`` picks a profile explicitly,
e.g. ``HYPOTHESIS_PROFILE=nightly`` for a long local soak.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "nightly",
    max_examples=20_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)

_profile = os.environ.get("HYPOTHESIS_PROFILE") or (
    "ci" if os.environ.get("CI") == "true" else "default"
)
settings.load_profile(_profile)


# Mutation testing (docs/testing.md) runs every mutant in a process forked after the
# clean run, so the parser's memo tables would still hold answers computed by the
# unmutated code and hide the mutant. IMAGEREF_COLD_CACHES=1 empties them before
# each test (every table made by imageref._memo.table).
if os.environ.get("IMAGEREF_COLD_CACHES") == "1":
    import pytest

    from imageref import _memo

    assert len(_memo._tables) + len(_memo._plain_tables) >= 6, "tables not made by _memo"

    @pytest.fixture(autouse=True)
    def _cold_caches() -> None:
        _memo.clear_all()
