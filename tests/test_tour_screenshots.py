"""End-to-end: the pictures of the README's "First tour" are taken here.

Each step of the tour is opened in headless Chromium (Debian's, driven over the
DevTools protocol with websocket-client) as its demo login, on the demo
database of setup/install, in a browser context of its own (its own cookies,
its own bus worker) that is closed when its picture is taken.

The pictures are the README's files, docs/tour-<step>.png: written there
when the tests run with AFTERSALES_UPDATE_DOCS=1 (``AFTERSALES_UPDATE_DOCS=1
setup/test``, then commit them); otherwise into
<AFTERSALES_HOME>/logs/<database>-screenshots/, so that a test run leaves a
clean checkout clean (two runs' pictures differ by a few pixels: dates, times).
Each picture carries a PNG text chunk naming its step (login and page), and the
README must show exactly the files this test writes, each made by it for that
step: a step added or changed here without its new picture in docs/ and the
README (or the reverse) fails.
"""

import base64
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path

import pytest
import websocket
from conftest import HOME, free_port
from e2elib import Browser, DeploymentProxy

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
WIDTH, HEIGHT = 1280, 800
# (file name, demo login, page, what must be on screen before the picture)
STEPS = [
    ("tour-1-report.png", "customer_person", "/my/tickets/new", "form textarea, form input[name]"),
    ("tour-2-dispatch.png", "agent", "/odoo/action-aftersales_ticket.aftersales_ticket_action", ".o_kanban_record"),
    ("tour-3-repair.png", "technician", "/odoo/action-aftersales_parts.repair_order_action_technician", ".o_data_row"),
    ("tour-4-sign.png", "customer_company", "/my/tickets", "table tbody tr"),
    ("tour-5-invoice.png", "finance", "/odoo/aftersales-fees", ".o_list_renderer, .o_view_nocontent"),
    (
        "tour-6-follow-up.png",
        "agent",
        "/odoo/action-aftersales_survey.aftersales_followup_action_calls",
        ".o_list_renderer, .o_view_nocontent",
    ),
    # The manager's KPI report: NPS and CSAT by team and month (pivot).
    ("tour-7-nps.png", "manager", "/odoo/aftersales-satisfaction", ".o_pivot table .o_pivot_cell_value"),
]


def shots_dir(db):
    if os.environ.get("AFTERSALES_UPDATE_DOCS") == "1":
        return DOCS
    return HOME / "logs" / f"{db}-screenshots"


def step_stamp(login, path):
    return f"aftersales first tour: {login} {path}"


def stamp_png(data, text):
    """The PNG with a tEXt chunk ``Comment: text`` after its header."""
    body = b"tEXt" + b"Comment\0" + text.encode("latin-1")
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    end_of_ihdr = 8 + 4 + 4 + 13 + 4
    return data[:end_of_ihdr] + chunk + data[end_of_ihdr:]


def png_comments(data):
    """The tEXt ``Comment`` values of a PNG."""
    comments, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"tEXt" and body.startswith(b"Comment\0"):
            comments.append(body.split(b"\0", 1)[1].decode("latin-1"))
        pos += 12 + length
    return comments


def png_size(data):
    """(width, height) of a PNG, from its IHDR chunk."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


class Chromium:
    """Headless Chromium driven over the DevTools protocol (browser target,
    flattened sessions): one browser context per page."""

    def __init__(self):
        binary = os.environ.get("ODOO_BROWSER_BIN") or shutil.which("chromium") or shutil.which("google-chrome")
        if not binary:
            pytest.fail("no Chromium binary (apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="aftersales-shots-")
        port = free_port()
        command = [
            binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--remote-debugging-port={port}", f"--user-data-dir={self.profile}",
            f"--window-size={WIDTH},{HEIGHT}", "--lang=en-US", "about:blank",
        ]  # fmt: skip
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ws = None
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=5) as response:
                    endpoint = json.load(response)["webSocketDebuggerUrl"]
                break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.close()
                pytest.fail("Chromium's DevTools did not answer within 30 s")
            time.sleep(0.5)
        self.ws = websocket.create_connection(endpoint, timeout=60)
        self.next_id = 0

    def send(self, method, session=None, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            answer = json.loads(self.ws.recv())
            if answer.get("id") == self.next_id:
                assert "error" not in answer, f"{method}: {answer['error']}"
                return answer.get("result", {})

    def evaluate(self, session, expression):
        result = self.send("Runtime.evaluate", session, expression=expression, returnByValue=True)
        return result["result"].get("value")

    def shoot(self, url, session_id, selector):
        """Open ``url`` with the session cookie in a new browser context,
        wait for ``selector`` and the web client's loading to end, return the
        PNG; the context (page, cookies, workers) is closed afterwards."""
        context = self.send("Target.createBrowserContext", disposeOnDetach=True)["browserContextId"]
        try:
            target = self.send("Target.createTarget", url="about:blank", browserContextId=context)["targetId"]
            page = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            self.send("Page.enable", page)
            self.send(
                "Emulation.setDeviceMetricsOverride",
                page,
                width=WIDTH,
                height=HEIGHT,
                deviceScaleFactor=1,
                mobile=False,
            )
            self.send("Network.setCookie", page, name="session_id", value=session_id, url=url)
            self.send("Page.navigate", page, url=url)
            ready = (
                f"document.readyState === 'complete' && !!document.querySelector({json.dumps(selector)})"
                " && !document.querySelector('.o_loading_indicator, .o_blockUI')"
            )
            deadline = time.monotonic() + 90
            while not self.evaluate(page, ready):
                if time.monotonic() > deadline:
                    shown = self.evaluate(page, "document.body ? document.body.innerText.slice(0, 500) : ''")
                    pytest.fail(f"{url}: {selector} did not appear within 90 s; the page shows: {shown!r}")
                time.sleep(0.5)
            error = self.evaluate(
                page, "(document.querySelector('.o_error_dialog, .o_notification.border-danger') || {}).innerText"
            )
            assert not error, f"{url} shows an error: {error}"
            time.sleep(1.5)  # fonts, images and the last animation
            data = base64.b64decode(self.send("Page.captureScreenshot", page, format="png")["data"])
            self.send("Target.closeTarget", targetId=target)
            return data
        finally:
            self.send("Target.disposeBrowserContext", browserContextId=context)

    def close(self):
        if self.ws:
            self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def readme_pictures(readme):
    return re.findall(r"!\[[^\]]*\]\((docs/[^)]+\.png)\)", (REPO / readme).read_text())


def test_readme_shows_the_pictures_this_test_takes():
    """The READMEs link exactly the files the tour test writes, and each is
    the picture the test took of that step (its stamp: login and page)."""
    expected = [f"docs/{name}" for name, *_ in STEPS]
    assert readme_pictures("README.md") == expected
    assert readme_pictures("README.zh_CN.md") == expected
    for name, login, path, _selector in STEPS:
        data = (DOCS / name).read_bytes()
        assert png_size(data) == (WIDTH, HEIGHT), f"docs/{name} is not a picture of this test"
        assert png_comments(data) == [step_stamp(login, path)], (
            f"docs/{name} is not this test's picture of {login} on {path}: AFTERSALES_UPDATE_DOCS=1 setup/test"
        )


def test_first_tour_screenshots(server, e2e_server, server_log_clean):
    """Chromium opens the pages through what a deployment puts in front of
    the workers (the bus's websocket to the evented port): no page holds a
    worker, and the server logs no error for a websocket it cannot serve."""
    _url, db = server
    target_dir = shots_dir(db)
    target_dir.mkdir(parents=True, exist_ok=True)
    chromium = Chromium()
    try:
        with DeploymentProxy(e2e_server.port, e2e_server.gevent_port) as url:
            for name, login, path, selector in STEPS:
                browser = Browser(server, login)
                session_id = next(c.value for c in browser.cookies if c.name == "session_id")
                data = chromium.shoot(url + path, session_id, selector)
                assert png_size(data) == (WIDTH, HEIGHT), f"{name}: {png_size(data)}"
                assert len(data) > 10_000, f"{name} looks blank ({len(data)} bytes)"
                data = stamp_png(data, step_stamp(login, path))
                assert png_comments(data) == [step_stamp(login, path)]
                (target_dir / name).write_bytes(data)
    finally:
        chromium.close()
