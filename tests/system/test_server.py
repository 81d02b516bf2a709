"""The test servers themselves: one whose run is killed before its teardown does not
outlive it (tests/system/server.py, ``DIE_WITH_PARENT``)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .server import DIE_WITH_PARENT, ROOT

pytestmark = pytest.mark.system

# A run that starts a server and then waits, as a test does while its load runs.
RUN = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from tests.system.server import GunicornServer
server = GunicornServer(env=json.loads(sys.argv[1]), log_path=Path(sys.argv[2]), workers=1, threads=1).start()
print(server.process.pid, server.url, flush=True)
time.sleep(600)
"""


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"  # exited; only waiting for whoever inherited it to reap it


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(f"{url}/healthz", timeout=2).close()
        return True
    except (urllib.error.URLError, OSError):
        return False


@pytest.mark.skipif(not DIE_WITH_PARENT, reason="util-linux's setpriv is not installed")
def test_a_server_goes_when_the_run_that_started_it_is_killed(deployment, tmp_path):
    with subprocess.Popen([sys.executable, "-c", RUN, json.dumps(deployment.env), str(tmp_path / "server.log"),
                           str(ROOT)], stdout=subprocess.PIPE, text=True) as run:
        try:
            pid, url = run.stdout.readline().split()
            pid = int(pid)
            assert _answers(url) and not _gone(pid)
            os.kill(run.pid, signal.SIGKILL)  # no teardown runs
            run.wait(timeout=10)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not (_gone(pid) and not _answers(url)):
                time.sleep(0.2)
            assert _gone(pid) and not _answers(url), (tmp_path / "server.log").read_text()
        finally:
            if run.poll() is None:
                run.kill()
