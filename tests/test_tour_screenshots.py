"""End-to-end: the pictures of the README's "First tour" are taken here.

Each step of the tour is opened in headless Chromium (Debian's, driven over the
DevTools protocol with websocket-client) as its demo login, on the demo
database of setup/install, and saved as docs/tour-<step>.png. The README shows
exactly these files: a step added here without its picture in the README (or
the reverse) fails, so the pictures stay the screens of the current code.
"""

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import websocket
from e2elib import Browser

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
# (file name, demo login, page, what must be on screen before the picture)
FOLLOW_UPS = "/odoo/action-aftersales_survey.aftersales_followup_action_calls"
# (The manager's backend does not finish loading in headless Chromium yet -
# "Loading" stays - so the scores are shown as the agent sees them.)
NPS = "/odoo/action-aftersales_survey.aftersales_followup_action"
STEPS = [
    ("tour-1-report.png", "customer_person", "/my/tickets/new", "form textarea, form input[name]"),
    ("tour-2-dispatch.png", "agent", "/odoo/action-aftersales_ticket.aftersales_ticket_action", ".o_kanban_record"),
    ("tour-3-repair.png", "technician", "/odoo/action-aftersales_parts.repair_order_action_technician", ".o_data_row"),
    ("tour-4-sign.png", "customer_company", "/my/tickets", "table tbody tr"),
    ("tour-5-invoice.png", "finance", "/odoo/aftersales-fees", ".o_list_renderer, .o_view_nocontent"),
    ("tour-6-follow-up.png", "agent", FOLLOW_UPS, ".o_list_renderer, .o_view_nocontent"),
    ("tour-7-nps.png", "agent", NPS, ".o_list_renderer, .o_kanban_renderer, .o_view_nocontent"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Chromium:
    """A headless Chromium page driven over the DevTools protocol."""

    def __init__(self):
        binary = os.environ.get("ODOO_BROWSER_BIN") or shutil.which("chromium") or shutil.which("google-chrome")
        if not binary:
            pytest.fail("no Chromium binary (apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="aftersales-shots-")
        port = free_port()
        command = [
            binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--remote-debugging-port={port}", f"--user-data-dir={self.profile}",
            "--window-size=1280,800", "--lang=en-US", "about:blank",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
                    pages = [t for t in json.load(response) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("Chromium's DevTools did not answer within 30 s")
            time.sleep(0.5)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                assert "error" not in message, message["error"]
                return message.get("result", {})

    def evaluate(self, expression):
        return self.send("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def shoot(self, url, session_id, selector, path):
        """Open ``url`` with the session cookie, wait for ``selector`` and the
        network to settle, save a PNG to ``path``."""
        self.send("Network.setCookie", name="session_id", value=session_id, url=url)
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + 90
        check = (
            f"document.readyState === 'complete' && !!document.querySelector({json.dumps(selector)})"
            " && !document.querySelector('.o_loading_indicator, .o_blockUI')"
        )
        while not self.evaluate(check):
            if time.monotonic() > deadline:
                pytest.fail(f"{url}: {selector} did not appear within 90 s")
            time.sleep(0.5)
        time.sleep(1.5)  # fonts, images and the last animation
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def readme_pictures(readme):
    return re.findall(r"!\[[^\]]*\]\((docs/[^)]+\.png)\)", (REPO / readme).read_text())


def test_readme_shows_the_pictures_this_test_takes():
    expected = [f"docs/{name}" for name, *_ in STEPS]
    assert readme_pictures("README.md") == expected
    assert readme_pictures("README.zh_CN.md") == expected


def test_first_tour_screenshots(server):
    DOCS.mkdir(exist_ok=True)
    url, _db = server
    chromium = Chromium()
    try:
        for name, login, path, selector in STEPS:
            browser = Browser(server, login)
            session_id = next(c.value for c in browser.cookies if c.name == "session_id")
            target = DOCS / name
            target.unlink(missing_ok=True)
            chromium.shoot(url + path, session_id, selector, target)
            data = target.read_bytes()
            assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{name} is not a PNG"
            assert len(data) > 10_000, f"{name} looks blank ({len(data)} bytes)"
    finally:
        chromium.close()
