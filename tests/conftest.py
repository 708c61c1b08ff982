"""The server of the end-to-end tests, shared by every module of tests/.

setup/test sets AFTERSALES_E2E_DB (a throwaway database with demo data) and
HTTP_PORT (a free port) before running these tests.

The server (setup/run, two prefork workers, no cron) starts when a test first
asks for ``server`` and runs until the end of the session; a test that needs
the database to itself stops it (``e2e_server.stop()``) and starts it again
when done (``e2e_server.start()``: same URL).

Its log goes to a file, ``<AFTERSALES_HOME>/logs/<database>-server.log``
(never to a pipe nobody reads: once the pipe's 64 KiB were full, every worker
and the master blocked on their next log line and the server stopped
answering). A test that asks for ``server_log_clean`` fails if the server logged
an ERROR or CRITICAL line meanwhile.
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("AFTERSALES_HOME", Path.home() / ".local/share/aftersales-suite"))
ERROR_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class E2EServer:
    """setup/run on the e2e database, started and stopped on demand."""

    def __init__(self, db, port):
        self.db = db
        self.url = f"http://127.0.0.1:{port}"
        self.port = port
        self.proc = None
        self.gevent_port = None
        self.log_path = HOME / "logs" / f"{db}-server.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.write_text("")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def start(self):
        """(url, database), the server answering."""
        if self.running():
            return self.url, self.db
        # Prefork spawns an evented process for websockets on gevent_port
        # (8072 unless told): on a port of its own, two servers on this
        # machine (another checkout's tests, setup/run) do not fight for it.
        self.gevent_port = free_port()
        env = dict(os.environ, DB_NAME=self.db, HTTP_PORT=str(self.port), WORKERS="2")
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen(
                [str(REPO / "setup/run"), "--max-cron-threads=0", f"--gevent-port={self.gevent_port}"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"setup/run exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/web/login", timeout=10):
                    return self.url, self.db
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
        self.stop()
        pytest.fail(f"the server did not answer on /web/login within 180 s:\n{self.log_tail()}")

    def stop(self):
        """Stop the server and wait until its database connections are gone."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        # The workers and the evented process are the master's children, in
        # its process group: make sure none outlives it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None

    def log_size(self):
        return self.log_path.stat().st_size

    def errors_since(self, offset):
        """The ERROR/CRITICAL lines the server logged after ``offset``."""
        with open(self.log_path, errors="replace") as log:
            log.seek(offset)
            return [line.rstrip() for line in log if ERROR_LINE.match(line)]

    def log_tail(self, size=4000):
        return self.log_path.read_text(errors="replace")[-size:]


@pytest.fixture(scope="session")
def e2e_server():
    db = os.environ.get("AFTERSALES_E2E_DB")
    if not db:
        pytest.fail("AFTERSALES_E2E_DB is not set: run these tests through setup/test")
    control = E2EServer(db, int(os.environ["HTTP_PORT"]))
    try:
        yield control
    finally:
        control.stop()


@pytest.fixture(scope="session")
def server(e2e_server):
    """(url, database) of the server setup/run started (two workers, no cron)."""
    return e2e_server.start()


@pytest.fixture
def server_log_clean(e2e_server):
    """The test fails if the server logged an ERROR line during it."""
    offset = e2e_server.log_size()
    yield
    errors = e2e_server.errors_since(offset)
    assert not errors, f"the server logged (see {e2e_server.log_path}):\n" + "\n".join(errors[:20])
