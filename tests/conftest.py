"""Test-wide settings.

Under CI (the CI environment variable is set, as .ci/run's runner does) the
hypothesis tests draw the same examples every run, so a red CI can always be
reproduced; on a developer's machine they keep exploring new ones.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
