"""The server of the end-to-end tests, shared by every module of tests/.

setup/test sets AFTERSALES_E2E_DB (a throwaway database with demo data) and
HTTP_PORT (a free port) before running these tests.
"""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def server():
    """(url, database) of the server setup/run started (two workers, no cron)."""
    db = os.environ.get("AFTERSALES_E2E_DB")
    if not db:
        pytest.fail("AFTERSALES_E2E_DB is not set: run these tests through setup/test")
    port = os.environ["HTTP_PORT"]
    env = dict(os.environ, DB_NAME=db, HTTP_PORT=port, WORKERS="2")
    proc = subprocess.Popen(
        [str(REPO / "setup/run"), "--max-cron-threads=0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"setup/run exited with {proc.returncode}:\n{proc.stdout.read()}")
            try:
                with urllib.request.urlopen(f"{url}/web/login", timeout=10):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
        else:
            pytest.fail("the server did not answer on /web/login within 180 s")
        yield url, db
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
