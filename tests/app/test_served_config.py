"""The settings Streamlit reads from .streamlit/config.toml when the app is served from the checkout, as
Streamlit itself reads them (a misspelt key or section would be ignored silently)."""

import json
import subprocess
import sys

from tests.helpers import ROOT

READ = """
import json
from streamlit import config
config.get_config_options(force_reparse=True)
names = ["browser.gatherUsageStats", "server.address", "client.showErrorDetails", "server.fileWatcherType",
         "runner.postScriptGC"]
print(json.dumps({n: config.get_option(n) for n in names}))
"""


def test_served_app_is_private_local_and_does_not_watch_its_source():
    shown = subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert json.loads(shown.splitlines()[-1]) == {
        "browser.gatherUsageStats": False,  # no telemetry
        "server.address": "127.0.0.1",  # loopback unless the operator says otherwise
        "client.showErrorDetails": "none",  # no tracebacks or server paths in the page
        "server.fileWatcherType": "none",  # a served app neither watches nor reloads its source
        "runner.postScriptGC": False,  # no full collection after every question (see the config's note)
    }
