import logging
import threading
import time
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .test_ticket_flow import INCOMING_EMAIL


class DispatchRaceCase(TransactionCase):
    """A team whose one technician takes one ticket, committed so that two
    cursors can race for it."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            team = env["aftersales.team"].create({"name": "Concurrency centre"})
            technician = env["aftersales.technician"].create(
                {"user_id": env.ref("base.user_admin").id, "team_ids": [(4, team.id)], "max_open_tickets": 1}
            )
            partner = env["res.partner"].create({"name": "Concurrency customer", "email": "race@customer.example"})
            self.ids_ = {"team": team.id, "technician": technician.id, "partner": partner.id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["aftersales.ticket"].search([("team_id", "=", self.ids_["team"])]).unlink()
            env["aftersales.technician"].browse(self.ids_["technician"]).unlink()
            env["aftersales.team"].browse(self.ids_["team"]).unlink()
            env["res.partner"].browse(self.ids_["partner"]).unlink()

    def _create(self, env, name):
        ticket = env["aftersales.ticket"].create(
            {"name": name, "partner_id": self.ids_["partner"], "team_id": self.ids_["team"]}
        )
        env.flush_all()
        return ticket

    def _race_two_creates(self):
        """Worker 2 starts, worker 1 creates a ticket and commits; worker 2's
        create conflicts, and Odoo retries it in a new transaction, which
        commits. Returns (first, second) as the two workers created them."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SELECT 1")  # worker 2's transaction (and snapshot) has started
            first = self._create(env1, "First")
            first_technician = first.technician_id.id
            cr1.commit()  # pylint: disable=invalid-commit  # worker 1's request ends
            with self.assertRaises(errors.SerializationFailure), mute_logger("odoo.sql_db"):
                self._create(env2, "Second")
            cr2.rollback()
            # Odoo retries the request in a new transaction
            env2.invalidate_all()
            second = self._create(env2, "Second")
            second_technician = second.technician_id.id
            cr2.commit()  # pylint: disable=invalid-commit
            return (first.id, first_technician), (second.id, second_technician)


@tagged("post_install", "-at_install")
class TestDispatchConcurrency(DispatchRaceCase):
    """Two workers dispatch to the same technician at once: the second one
    conflicts instead of silently going over the technician's capacity, and
    its retry sees the first one's ticket."""

    def test_two_workers_cannot_overbook_a_technician(self):
        (_first, first_technician), (_second, second_technician) = self._race_two_creates()
        self.assertEqual(first_technician, self.ids_["technician"])
        self.assertFalse(second_technician, "the technician is at capacity with the first ticket")


@tagged("post_install", "-at_install")
class TestMailDispatchConcurrency(DispatchRaceCase):
    """The mail gateway creates a ticket while another worker dispatches to
    the same technician: the email is not lost; the ticket waits for an agent."""

    def test_email_survives_a_dispatch_conflict(self):
        raw = INCOMING_EMAIL.format(
            email_from="race@customer.example",
            to="race-desk@race.example.com",
            subject="Race by mail",
            msg_id="race-by-mail",
        )
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SELECT 1")  # the mail gateway's transaction has started
            env2["aftersales.team"].browse(self.ids_["team"]).write(
                {
                    "alias_name": "race-desk",
                    "alias_domain_id": env2["mail.alias.domain"].create({"name": "race.example.com"}).id,
                }
            )
            env2.flush_all()
            first = self._create(env1, "By phone")
            self.assertEqual(first.technician_id.id, self.ids_["technician"])
            cr1.commit()  # pylint: disable=invalid-commit  # the other worker's request ends
            with mute_logger("odoo.addons.aftersales_ticket.models.aftersales_ticket"):
                thread_id = env2["mail.thread"].message_process(False, raw)
            env2.flush_all()
            tickets = env2["aftersales.ticket"].search([("name", "=", "Race by mail")])
            self.assertEqual(len(tickets), 1, "exactly one ticket: the email is not lost")
            self.assertEqual(tickets.id, thread_id)
            self.assertFalse(tickets.technician_id, "left for an agent to dispatch")
            self.assertTrue(any("another dispatch" in body for body in tickets.message_ids.mapped("body")))
            cr2.rollback()

    def test_portal_ticket_survives_a_dispatch_conflict(self):
        """The same on the portal form: the customer's ticket is created (no
        error page after Odoo's retries are spent) and waits for an agent."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SELECT 1")  # the customer's request has started
            env2["aftersales.routing.rule"].create({"sequence": 0, "team_id": self.ids_["team"]})
            env2.flush_all()
            first = self._create(env1, "By phone")
            self.assertEqual(first.technician_id.id, self.ids_["technician"])
            cr1.commit()  # pylint: disable=invalid-commit  # the other worker's request ends
            partner = env2["res.partner"].browse(self.ids_["partner"])
            with mute_logger("odoo.addons.aftersales_ticket.models.aftersales_dispatch"):
                ticket = env2["aftersales.ticket"]._create_from_portal(
                    partner, "Race on the portal", "It stopped.", env2["product.product"]
                )
            env2.flush_all()
            self.assertEqual(ticket.team_id.id, self.ids_["team"])
            self.assertFalse(ticket.technician_id, "left for an agent to dispatch")
            self.assertTrue(any("another dispatch" in body for body in ticket.message_ids.mapped("body")))
            cr2.rollback()


@tagged("post_install", "-at_install")
class TestNoticeConcurrency(DispatchRaceCase):
    """The acknowledgement of a new ticket is part of the transaction that
    creates it: an agent who writes the ticket as soon as it is committed
    cannot make it lost, and a creation retried after a conflict sends it
    once."""

    def _acks(self, env, ticket_ids):
        return env["mail.message"].search(
            [("model", "=", "aftersales.ticket"), ("res_id", "in", ticket_ids), ("subject", "like", "we received")]
        )

    def test_agent_writing_the_new_ticket_at_once_loses_no_acknowledgement(self):
        ticket_id = None
        go, agent_has_lock = threading.Event(), threading.Event()
        failures = []

        def agent():
            # Another worker: an agent picks up the new ticket the moment it
            # is committed and holds its row while their request runs.
            # (SQL: no environment can be built outside the test's thread
            # while the registry is loading; the row lock is the same.)
            go.wait(10)
            try:
                with self.registry.cursor() as cr2:
                    cr2.execute("UPDATE aftersales_ticket SET urgency = 'emergency' WHERE id = %s", [ticket_id])
                    agent_has_lock.set()
                    time.sleep(0.5)
            except Exception as e:  # reported by the test below
                failures.append(e)
            finally:
                agent_has_lock.set()

        def the_agent_picks_it_up():
            go.set()
            agent_has_lock.wait(10)

        thread = threading.Thread(target=agent)
        thread.start()
        try:
            with self.registry.cursor() as cr1:
                env1 = api.Environment(cr1, SUPERUSER_ID, {})
                # Right after the commit, before anything else that follows it.
                cr1.postcommit.add(the_agent_picks_it_up)
                ticket_id = self._create(env1, "Picked up at once").id
        finally:
            go.set()
            thread.join(10)
        self.assertFalse(failures, "the agent's write goes through")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["aftersales.ticket"].browse(ticket_id)
            self.assertEqual(ticket.urgency, "emergency")
            self.assertEqual(len(self._acks(env, [ticket_id])), 1, "the acknowledgement is there, once")
            self.assertIn("ack", ticket.notice_log.split(","))
            self.assertEqual(
                len(env["mail.mail"].search([("mail_message_id", "in", self._acks(env, [ticket_id]).ids)])),
                1,
                "its email is in the outbox",
            )

    def test_retried_creation_sends_one_acknowledgement(self):
        (first_id, _tech), (second_id, _tech) = self._race_two_creates()
        ids = [first_id, second_id]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            acks = self._acks(env, ids)
            self.assertEqual(sorted(acks.mapped("res_id")), sorted(ids), "one acknowledgement per ticket")

    def test_conflict_while_sending_the_acknowledgement_is_retried(self):
        """The acknowledgement's own writes hit another worker's commit (forced
        here: the acknowledgement locks the customer's row, which an agent
        changed after the customer's request started). The conflict is not
        swallowed as a failed notice: the request is retried as a whole, as
        Odoo retries any request, and the customer gets one acknowledgement."""
        Ticket = type(self.env["aftersales.ticket"])
        send_kind = Ticket._notice_send_kind
        partner_id = self.ids_["partner"]
        attempts = []

        def send_kind_after_the_agent(model, kind, ids):
            if kind == "ack":
                attempts.append(kind)
                model.env.cr.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", [partner_id])
            return send_kind(model, kind, ids)

        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SELECT 1")  # the customer's request has started
            cr1.execute("UPDATE res_partner SET write_date = now() AT TIME ZONE 'UTC' WHERE id = %s", [partner_id])
            cr1.commit()  # pylint: disable=invalid-commit  # the agent's request ends
            with (
                patch.object(Ticket, "_notice_send_kind", send_kind_after_the_agent),
                patch("odoo.service.model.time.sleep"),
                mute_logger("odoo.sql_db", "odoo.service.model"),
            ):
                # what the HTTP layer runs for the request: retried on a
                # concurrency error, committed (notices included) at the end
                retrying(lambda: self._create(env2, "Conflict at the acknowledgement"), env2)
        self.assertEqual(attempts, ["ack", "ack"], "the conflict happened, and the request was retried")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["aftersales.ticket"].search([("name", "=", "Conflict at the acknowledgement")])
            self.assertEqual(len(ticket), 1, "the retried request created the ticket once")
            acks = self._acks(env, ticket.ids)
            self.assertEqual(len(acks), 1, "one acknowledgement")
            self.assertIn("ack", ticket.notice_log.split(","))
            self.assertEqual(len(env["mail.mail"].search([("mail_message_id", "in", acks.ids)])), 1, "one email")


@tagged("post_install", "-at_install")
class TestRetriedConflictLog(TransactionCase):
    """A serialization failure that Odoo retries is logged at INFO, not as an
    ERROR operators would chase; any other bad query stays an ERROR."""

    def test_serialization_failure_is_info_other_errors_stay_errors(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            cr2.execute("SELECT id FROM res_users WHERE id = %s", [SUPERUSER_ID])  # cr2's snapshot
            cr1.execute("UPDATE res_users SET write_date = write_date WHERE id = %s", [SUPERUSER_ID])
            cr1.commit()  # pylint: disable=invalid-commit
            with self.assertLogs("odoo.sql_db", logging.INFO) as logs, self.assertRaises(errors.SerializationFailure):
                cr2.execute("UPDATE res_users SET write_date = write_date WHERE id = %s", [SUPERUSER_ID])
            cr2.rollback()
            self.assertEqual([(r.levelname, "bad query" in r.getMessage()) for r in logs.records], [("INFO", True)])
            with self.assertLogs("odoo.sql_db", logging.INFO) as logs, self.assertRaises(errors.UndefinedTable):
                cr2.execute("SELECT id FROM aftersales_no_such_table")
            cr2.rollback()
            self.assertEqual([r.levelname for r in logs.records], ["ERROR"])


@tagged("post_install", "-at_install")
class TestBookingConcurrency(DispatchRaceCase):
    """Two agents book the same technician at the same time: the one who
    comes second is never written blind over the first one's visit."""

    def _book(self, env, name, start):
        ticket = env["aftersales.ticket"].create(
            {
                "name": name,
                "partner_id": self.ids_["partner"],
                "team_id": self.ids_["team"],
                "technician_id": self.ids_["technician"],
                "appointment_date": start,
            }
        )
        env.flush_all()
        return ticket

    def _start(self):
        return (fields.Datetime.now() + timedelta(days=2)).replace(hour=3, minute=0, second=0, microsecond=0)

    def test_booking_in_progress_is_not_overbooked(self):
        """Agent 1 is saving a visit for the technician (row held): agent 2,
        booking the same technician, is told to try again."""
        start = self._start()
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            self._book(env1, "First", start)
            with self.assertRaises(UserError) as caught:
                self._book(env2, "Second", start)
            self.assertIn("is being booked by someone else", str(caught.exception))
            cr2.rollback()
            cr1.rollback()

    def test_booking_committed_meanwhile_is_seen_on_retry(self):
        """Agent 2's request began before agent 1's booking committed: its
        booking conflicts (Odoo retries the request), and the retry sees the
        visit and names the clash."""
        start = self._start()
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SELECT 1")  # agent 2's transaction (and snapshot) has started
            first = self._book(env1, "First", start)
            number = first.number
            cr1.commit()  # pylint: disable=invalid-commit  # agent 1's request ends
            with self.assertRaises(errors.SerializationFailure), mute_logger("odoo.sql_db"):
                self._book(env2, "Second", start)
            cr2.rollback()
            env2.invalidate_all()
            with self.assertRaises(ValidationError) as caught:
                self._book(env2, "Second", start)
            self.assertIn(number, str(caught.exception))
            cr2.rollback()
