"""The load test's roles (see README.md). Run by setup/load; by hand:

    locust -f tests/load/locustfile.py --headless -u 30 -r 5 -t 1m --host http://127.0.0.1:8369

with LOAD_FIXTURE (written by prepare.py) and LOAD_RESULT (what this run
submitted and how each request ended, read by integrity.py) in the
environment.

Each request is named by its kind ("portal submit", "kb faq", ...), which
locust reports requests/s and percentiles by. A business refusal (a
UserError, say a stage the ticket cannot move to yet, or a job already
running) is a normal answer: counted apart as "refused", not as a failure.
Any HTTP 5xx, and any JSON-RPC error that is not a business refusal, is a
server error: counted, and setup/load exits non-zero on it. A request left
without any answer (its worker was killed: --kill-worker-at) is counted as a
lost connection, a locust failure but not a server error."""

import base64
import itertools
import json
import os
import random
import re
import threading
import uuid
from collections import Counter
from datetime import datetime, timezone

from locust import HttpUser, between, events, task

FIXTURE = json.load(open(os.environ["LOAD_FIXTURE"], encoding="utf-8"))  # noqa: SIM115
RESULT_FILE = os.environ["LOAD_RESULT"]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
REFUSALS = (
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.RedirectWarning",
    "odoo.exceptions.LockError",
)
FORM_ERROR = "o_aftersales_form_error"
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')

_lock = threading.Lock()
_logins = {role: itertools.cycle(FIXTURE[role]) for role in ("portal", "agents", "technicians")}
STATS = {
    "submitted": {},
    "refused": Counter(),
    "server_errors": Counter(),
    "connection_lost": Counter(),
    "error_samples": [],
}


def next_login(role):
    with _lock:
        return next(_logins[role])


def server_error(kind, detail):
    with _lock:
        STATS["server_errors"][kind] += 1
        if len(STATS["error_samples"]) < 20:
            STATS["error_samples"].append(f"{kind}: {detail[:500]}")


@events.test_stop.add_listener
def _write_result(**_kw):
    with open(RESULT_FILE, "w", encoding="utf-8") as f:
        json.dump(STATS, f, indent=1, default=dict)


class OdooUser(HttpUser):
    abstract = True
    login = None

    def password(self):
        return self.login  # prepare.py: the password is the login

    def on_start(self):
        self.uid = self.rpc_url(
            "/web/session/authenticate",
            {"db": os.environ["LOAD_DB"], "login": self.login, "password": self.password()},
            "login",
        )["uid"]

    # -- requests ----------------------------------------------------------

    def check_http(self, response, kind, expected=(200,)):
        if response.status_code == 0:
            # no answer at all: the connection was lost (a killed worker)
            with _lock:
                STATS["connection_lost"][kind] += 1
            response.failure("connection lost")
            return False
        if response.status_code >= 500:
            server_error(kind, f"HTTP {response.status_code} {response.text[:300]}")
            response.failure(f"HTTP {response.status_code}")
            return False
        if response.status_code not in expected:
            response.failure(f"unexpected HTTP {response.status_code}")
            return False
        response.success()
        return True

    def rpc_url(self, url, params, kind):
        """JSON-RPC call; returns the result, None when refused or failed."""
        with self.client.post(
            url, json={"jsonrpc": "2.0", "method": "call", "params": params}, name=kind, catch_response=True
        ) as response:
            if not self.check_http(response, kind):
                return None
            payload = response.json()
            error = payload.get("error")
            if not error:
                return payload.get("result")
            name = (error.get("data") or {}).get("name", "")
            if name in REFUSALS:
                with _lock:
                    STATS["refused"][kind] += 1
                return None
            server_error(kind, f"{name}: {(error.get('data') or {}).get('message', error.get('message'))}")
            response.failure(name or "JSON-RPC error")
            return None

    def call(self, kind, model, method, *args, **kwargs):
        return self.rpc_url(
            f"/web/dataset/call_kw/{model}.{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            kind,
        )

    def get(self, url, kind):
        with self.client.get(url, name=kind, catch_response=True) as response:
            self.check_http(response, kind)
            return response


class PortalCustomer(OdooUser):
    """A customer on the portal: reports faults with a photo, follows their
    tickets, reads the FAQ, accepts finished work."""

    weight = 10
    wait_time = between(1, 3)

    def on_start(self):
        self.login = next_login("portal")
        super().on_start()

    @task(2)
    def submit(self):
        form = self.get("/my/tickets/new", "portal new form")
        match = CSRF.search(form.text or "")
        if not match:
            return
        name = f"Load fault {uuid.uuid4().hex[:12]}"
        with _lock:
            STATS["submitted"][name] = "sent"
        with self.client.post(
            "/my/tickets/new",
            data={
                "csrf_token": match.group(1),
                "name": name,
                "description": "The unit stops after a few minutes; photo attached.",
                "product_id": str(FIXTURE["product_id"]),
                "serial": "",
            },
            files={"attachments": ("fault.png", PNG, "image/png")},
            allow_redirects=False,
            name="portal submit",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and FORM_ERROR in (response.text or ""):
                # The form shown again with its error (the customer's daily
                # limit, say): a business refusal, nothing created.
                response.success()
                with _lock:
                    STATS["refused"]["portal submit"] += 1
                    STATS["submitted"][name] = "refused"
            elif self.check_http(response, "portal submit", expected=(303,)):
                created = "message=created" in response.headers.get("Location", "")
                with _lock:
                    STATS["submitted"][name] = "created" if created else "refused"

    @task(4)
    def my_tickets(self):
        self.get(random.choice(["/my/tickets", "/my/tickets?filterby=open"]), "portal list")

    @task(2)
    def one_ticket(self):
        found = self.call("portal read", "aftersales.ticket", "search_read", [], fields=["id"], limit=20)
        if found:
            self.get(f"/my/tickets/{random.choice(found)['id']}", "portal ticket")

    @task(2)
    def faq(self):
        self.get("/my/kb", "kb faq")

    @task(1)
    def faq_search(self):
        self.get(f"/my/kb?search={random.choice(FIXTURE['kb_queries'])}", "kb search")

    @task(2)
    def article(self):
        if FIXTURE["article_ids"]:
            self.get(f"/my/kb/{random.choice(FIXTURE['article_ids'])}", "kb article")

    @task(2)
    def suggest(self):
        self.rpc_url("/my/kb/suggest", {"query": random.choice(FIXTURE["kb_queries"])}, "kb suggest")

    @task(1)
    def accept(self):
        found = self.call(
            "portal read",
            "aftersales.ticket",
            "search_read",
            [("milestone", "=", "acceptance"), ("acceptance_state", "=", "pending")],
            fields=["id"],
            limit=5,
        )
        if found:
            ticket_id = random.choice(found)["id"]
            self.rpc_url(
                f"/my/tickets/{ticket_id}/accept",
                {"name": "Load customer", "signature": base64.b64encode(PNG).decode()},
                "customer accept",
            )


class Agent(OdooUser):
    """A service agent: the open tickets of the desk, dispatching, moving
    tickets through the stages, closing."""

    weight = 3
    wait_time = between(0.5, 2)

    def on_start(self):
        self.login = next_login("agents")
        super().on_start()
        self.stages = FIXTURE["stage_ids"]

    def open_tickets(self):
        return (
            self.call(
                "agent list",
                "aftersales.ticket",
                "search_read",
                [("is_closed", "=", False), ("team_id", "=", FIXTURE["team_id"])],
                fields=["id", "name", "number", "stage_id", "technician_id", "milestone", "sla_state"],
                limit=80,
                order="priority_rank, date_reported, id",
            )
            or []
        )

    @task(4)
    def list_tickets(self):
        self.open_tickets()

    @task(2)
    def dispatch(self):
        waiting = [t for t in self.open_tickets() if not t["technician_id"]]
        if waiting:
            self.call("agent dispatch", "aftersales.ticket", "action_auto_dispatch", [random.choice(waiting)["id"]])

    @task(3)
    def move(self):
        tickets = [t for t in self.open_tickets() if t["stage_id"]]
        if not tickets:
            return
        ticket = random.choice(tickets)
        stage = ticket["stage_id"][0]
        if stage in self.stages and self.stages.index(stage) + 1 < len(self.stages) - 1:
            next_stage = self.stages[self.stages.index(stage) + 1]
            self.call("agent move", "aftersales.ticket", "write", [ticket["id"]], {"stage_id": next_stage})

    @task(1)
    def close(self):
        tickets = [t for t in self.open_tickets() if t["milestone"] == "followup"]
        if tickets:
            self.call(
                "agent close",
                "aftersales.ticket",
                "write",
                [random.choice(tickets)["id"]],
                {"stage_id": self.stages[-1]},
            )


class Technician(OdooUser):
    """A field technician: issues the part of one of their repairs from the
    van, repairs, ends the repair."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.login = next_login("technicians")
        super().on_start()

    @task
    def repair(self):
        found = self.call(
            "tech list",
            "repair.order",
            "search_read",
            [("state", "=", "draft"), ("aftersales_ticket_id.technician_id.user_id", "=", self.uid)],
            fields=["id"],
            limit=10,
        )
        if not found:
            return
        repair_id = random.choice(found)["id"]
        if self.call("tech issue parts", "repair.order", "action_aftersales_issue_parts", [repair_id]) is None:
            return
        self.call("tech repair", "repair.order", "action_repair_start", [repair_id])
        self.call("tech repair", "repair.order", "action_repair_end", [repair_id])


class Finance(OdooUser):
    """Finance: invoices a few repairs' quotations at a time."""

    fixed_count = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.login = FIXTURE["finance"]
        super().on_start()

    @task
    def invoice(self):
        found = self.call(
            "finance list",
            "sale.order",
            "search_read",
            [("invoice_status", "=", "to invoice"), ("aftersales_ticket_id", "!=", False)],
            fields=["id"],
            limit=20,
        )
        if found:
            ids = [row["id"] for row in random.sample(found, min(3, len(found)))]
            self.call("finance invoice", "sale.order", "action_aftersales_invoice_batch", ids)


class Manager(OdooUser):
    """The manager's reports: tickets by stage and team, SLA states,
    follow-up KPIs, the knowledge base's figures."""

    fixed_count = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.login = FIXTURE["manager"]
        super().on_start()

    @task
    def reports(self):
        self.call(
            "manager report",
            "aftersales.ticket",
            "read_group",
            [("is_closed", "=", False)],
            ["id:count"],
            ["stage_id", "team_id"],
            lazy=False,
        )
        self.call("manager report", "aftersales.ticket", "read_group", [], ["id:count"], ["sla_state"], lazy=False)
        self.call(
            "manager report",
            "aftersales.followup.kpi",
            "read_group",
            [],
            ["invitation_count:sum", "answer_count:sum"],
            ["team_id"],
            lazy=False,
        )
        self.call("manager report", "aftersales.kb.article", "get_kb_kpis")


class CronForcer(OdooUser):
    """Makes the suite's scheduled jobs due again and again (the cron
    workers run them), and now and then runs one in an HTTP worker at the
    same time ("already executing" is a refusal, not an error)."""

    fixed_count = 1
    wait_time = between(10, 15)

    def on_start(self):
        self.login = FIXTURE["admin"]
        super().on_start()
        self.rounds = 0

    def password(self):
        return FIXTURE["admin_password"]

    @task
    def force(self):
        self.rounds += 1
        cron_ids = list(FIXTURE["cron_ids"].values())
        now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        self.call("cron force", "ir.cron", "write", cron_ids, {"nextcall": now})
        if self.rounds % 3 == 0:
            self.call("cron run", "ir.cron", "method_direct_trigger", [random.choice(cron_ids)])
