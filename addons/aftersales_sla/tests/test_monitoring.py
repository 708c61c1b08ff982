from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, freeze_time, tagged

from .common import AftersalesSlaCommon, dt


@tagged("post_install", "-at_install")
class TestMonitoring(AftersalesSlaCommon):
    def _alerts(self, ticket):
        alert = self.env.ref("aftersales_sla.mail_activity_type_sla_alert")
        return ticket.activity_ids.filtered(lambda a: a.activity_type_id == alert)

    def test_warn_then_escalate_then_next_level(self):
        self.team_hq.manager_id = self.agent  # next level of the service network
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket(technician_id=self.tech_a.id)
        self.assertEqual(ticket.sla_response_warn_at, dt(2026, 1, 12, 14, 24), "80 % of 8 working hours")
        steps = [
            ("2026-01-12 14:00:00", 0, "on_track", None),
            ("2026-01-12 14:30:00", 1, "at_risk", self.tech_user_a),
            ("2026-01-12 16:01:00", 2, "breached", self.manager),
            ("2026-01-12 19:00:00", 2, "breached", None),
            ("2026-01-12 20:01:00", 3, "breached", self.agent),
            ("2026-01-13 09:00:00", 3, "breached", None),
        ]
        for when, count, state, user in steps:
            with freeze_time(when):
                self.Ticket._cron_sla_monitor()
                self.Ticket._cron_sla_monitor()
            ticket.invalidate_recordset()
            alerts = self._alerts(ticket)
            self.assertEqual(len(alerts), count, when)
            self.assertEqual(ticket.sla_state, state, when)
            if user:
                self.assertEqual(alerts.sorted("id")[-1].user_id, user, when)
        self.assertFalse(ticket.sla_next_check)

    def test_response_then_resolution_phase(self):
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket(technician_id=self.tech_a.id)
        with freeze_time("2026-01-12 15:00:00"):
            self.Ticket._cron_sla_monitor()
            self.assertEqual(len(self._alerts(ticket)), 1)
            ticket.stage_id = self.stage["accept"]
        self.assertEqual(ticket.sla_response_state, "met")
        self.assertEqual(ticket.sla_alert_level, 0, "the resolution phase starts afresh")
        self.assertEqual(ticket.sla_next_check, ticket.sla_resolution_warn_at)

    def test_long_overdue_ticket_gets_one_alert_at_its_level(self):
        """The job was down all afternoon: the ticket is found past its
        escalation time and gets the escalation only, not three alerts."""
        self.team_hq.manager_id = self.agent
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket(technician_id=self.tech_a.id)
        with freeze_time("2026-01-12 21:00:00"):
            self.Ticket._cron_sla_monitor()
        alerts = self._alerts(ticket)
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.user_id, self.agent, "the next level's manager")
        self.assertEqual((ticket.sla_alert_level, ticket.sla_state), (3, "breached"))
        self.assertEqual(ticket.sla_response_state, "breached")
        logged = self.env["aftersales.sla.alert"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual((logged.level, logged.phase, logged.delivery), ("3", "response", "activity"))

    def test_storm_becomes_one_digest_per_manager(self):
        """Above the company's threshold a manager gets one digest (counts,
        worst tickets, a link to the list); below it, one alert per ticket."""
        self.company.aftersales_sla_digest_threshold = 3
        with freeze_time("2026-01-12 08:00:00"):
            storm = self.Ticket.browse()
            for minute in range(5):
                with freeze_time(f"2026-01-12 08:{minute:02d}:00"):
                    storm += self.create_sla_ticket(name=f"Storm {minute}")
            assigned = self.create_sla_ticket(name="Assigned", technician_id=self.tech_a.id)
        with freeze_time("2026-01-12 16:30:00"):  # all breached (8 working hours from 08:00)
            self.Ticket._cron_sla_monitor()
        self.assertEqual(set(storm.mapped("sla_state")), {"breached"})
        self.assertFalse(self._alerts(storm), "no activity per ticket in a storm")
        digest_type = self.env.ref("aftersales_sla.mail_activity_type_sla_digest")
        digests = self.env["mail.activity"].search([("activity_type_id", "=", digest_type.id)])
        self.assertEqual(len(digests), 1)
        self.assertEqual(digests.user_id, self.manager)
        self.assertEqual((digests.res_model, digests.res_id), ("aftersales.team", self.team_sh.id))
        self.assertIn(
            "SLA digest: 6 tickets need attention",
            digests.summary,
            "five storm tickets and the assigned one, all breached",
        )
        note = str(digests.note)
        self.assertIn(storm[0].display_name, note, "the longest overdue ticket is listed")
        self.assertIn("aftersales_sla.aftersales_sla_alert_action", note, "link to the list")
        # the manager's list of alerts holds the six
        alerts = self.env["aftersales.sla.alert"].with_user(self.manager).search([("user_id", "=", self.manager.id)])
        self.assertEqual(alerts.ticket_id, storm | assigned)
        self.assertEqual(set(alerts.mapped("delivery")), {"digest"})
        # a technician's alerts stay individual activities below the threshold
        with freeze_time("2026-01-12 16:30:00"):
            self.company.aftersales_sla_digest_threshold = 0
            late = self.create_sla_ticket(name="Late", technician_id=self.tech_a.id, date_reported=dt(2026, 1, 12, 8))
            self.Ticket._cron_sla_monitor()
        self.assertEqual(len(self._alerts(late)), 1)
        self.assertEqual(len(self.env["mail.activity"].search([("activity_type_id", "=", digest_type.id)])), 1)

    def test_alert_log_is_read_only(self):
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket(technician_id=self.tech_a.id)
        with freeze_time("2026-01-12 15:00:00"):
            self.Ticket._cron_sla_monitor()
        alert = self.env["aftersales.sla.alert"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(alert.user_id, self.tech_user_a)
        self.assertEqual(alert.with_user(self.tech_user_a).level, "1", "the technician reads the alerts sent to him")
        for user in (self.tech_user_a, self.agent, self.manager):
            with self.refused(AccessError, r"not allowed to modify 'SLA Alert'"):
                alert.with_user(user).write({"level": "3"})
            with self.refused(AccessError, r"not allowed to create 'SLA Alert'"):
                self.env["aftersales.sla.alert"].with_user(user).create(
                    {"ticket_id": ticket.id, "company_id": self.company.id, "level": "1"}
                )
        self.assertFalse(self.env["aftersales.sla.alert"].with_user(self.tech_user_b).search([]))


@tagged("post_install", "-at_install")
class TestMonitoringConcurrency(TransactionCase):
    """Two workers (two cursors) run the job at once: each alert goes out once."""

    def setUp(self):
        super().setUp()
        self.now = datetime(2026, 1, 12, 12, 0, 0)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            manager = env.ref("base.user_admin")
            team = env["aftersales.team"].create(
                {"name": "SLA concurrency team", "manager_id": manager.id, "auto_dispatch": False}
            )
            tier = env["aftersales.sla.tier"].create(
                {
                    "name": "SLA concurrency tier",
                    "resource_calendar_id": env.ref("aftersales_sla.resource_calendar_24x7").id,
                    "use_public_holidays": False,
                    "response_general_hours": 10.0,
                }
            )
            partner = env["res.partner"].create({"name": "SLA concurrency customer"})
            with freeze_time(self.now):
                tickets = env["aftersales.ticket"]._create_facts(  # (the numbers are facts)
                    [
                        {
                            "name": f"Concurrent {i}",
                            "number": f"SLA-CC-{i}",
                            "partner_id": partner.id,
                            "team_id": team.id,
                            "sla_tier_id": tier.id,
                            "date_reported": self.now - timedelta(hours=9),
                        }
                        for i in range(6)
                    ]
                )
            self.ticket_ids = tickets.ids
            self.record_ids = (team.id, tier.id, partner.id)
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            team_id, tier_id, partner_id = self.record_ids
            env["mail.activity"].search(
                [("res_model", "=", "aftersales.ticket"), ("res_id", "in", self.ticket_ids)]
            ).unlink()
            env["aftersales.ticket"].browse(self.ticket_ids).unlink()
            env["aftersales.team"].browse(team_id).unlink()
            env["aftersales.sla.tier"].browse(tier_id).unlink()
            env["res.partner"].browse(partner_id).unlink()

    def _count_alerts(self, cr):
        cr.execute(
            "SELECT res_id, count(*) FROM mail_activity WHERE res_model = 'aftersales.ticket' AND res_id = ANY(%s) "
            "GROUP BY res_id",
            [self.ticket_ids],
        )
        return dict(cr.fetchall())

    def test_two_workers_send_each_alert_once(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2, freeze_time(self.now):
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            # worker 1 claims a first batch and is still working on it ...
            self.assertEqual(env1["aftersales.ticket"]._sla_monitor_batch(self.now, 2), 2)
            # ... while worker 2 runs the whole job, committing per batch: it
            # skips the rows worker 1 holds and takes the four others
            env2["aftersales.ticket"]._cron_sla_monitor(batch_size=2, commit=True)
            cr2.commit()  # pylint: disable=invalid-commit  # end of worker 2's job
            self.assertEqual(len(self._count_alerts(cr2)), 4)
            cr1.commit()  # pylint: disable=invalid-commit  # worker 1 finishes its batch
            # both workers run the job again: nothing is due any more
            for cr, env in ((cr1, env1), (cr2, env2)):
                env["aftersales.ticket"]._cron_sla_monitor(commit=True)
                cr.commit()  # pylint: disable=invalid-commit
            counts = self._count_alerts(cr1)
        self.assertEqual(counts, dict.fromkeys(self.ticket_ids, 1), "one warning per ticket")

        # two hours later the response deadline is breached: same race for the escalation
        later = self.now + timedelta(hours=2)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2, freeze_time(later):
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            self.assertEqual(env1["aftersales.ticket"]._sla_monitor_batch(later, 3), 3)
            env2["aftersales.ticket"]._cron_sla_monitor(batch_size=2, commit=True)
            cr2.commit()  # pylint: disable=invalid-commit
            cr1.commit()  # pylint: disable=invalid-commit
            for cr, env in ((cr2, env2), (cr1, env1)):
                env["aftersales.ticket"]._cron_sla_monitor(commit=True)
                cr.commit()  # pylint: disable=invalid-commit
            counts = self._count_alerts(cr1)
            cr1.execute(
                "SELECT DISTINCT sla_state, sla_alert_level FROM aftersales_ticket WHERE id = ANY(%s)",
                [self.ticket_ids],
            )
            states = cr1.fetchall()
        self.assertEqual(counts, dict.fromkeys(self.ticket_ids, 2), "one escalation per ticket")
        self.assertEqual(states, [("breached", 2)])
