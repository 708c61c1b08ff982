from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import QualityCommon

WEEK_1 = date(2026, 11, 2)  # a Monday
WEEK_2 = date(2026, 11, 9)


@tagged("post_install", "-at_install")
class TestAudit(QualityCommon):
    """Issue 20, must show 4: 100 closed tickets in a week, 5 % drawn, never
    the same ticket twice across weeks, scores on the technician's scorecard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a walk-in customer without email: closing 200 tickets queues no customer notice
        cls.walk_in = cls.env["res.partner"].create({"name": "Walk-in customer"})
        cls.week_1 = cls.closed_in_week("2026-11-04 10:00:00", 100)
        cls.week_2 = cls.closed_in_week("2026-11-11 10:00:00", 100)
        cls.Audit = cls.env["aftersales.quality.audit"]
        cls.env.cr.flush()  # the internal notices of the fixture, posted once

    @classmethod
    def closed_in_week(cls, moment, count):
        with freeze_time(moment):
            tickets = cls.Ticket.create(
                [
                    {
                        "name": f"How to descale {i}",
                        "partner_id": cls.walk_in.id,
                        "team_id": cls.team_sh.id,
                        "category": "consultation",
                        "technician_id": (cls.tech_a if i % 2 else cls.tech_b).id,
                    }
                    for i in range(count)
                ]
            )
            cls.close(tickets)
        return tickets

    def test_weekly_sample(self):
        first = self.Audit._sample_week(self.company, WEEK_1)
        self.assertEqual(len(first), 5, "5 % of 100")
        self.assertLessEqual(first.ticket_id, self.week_1)
        self.assertFalse(self.Audit._sample_week(self.company, WEEK_1), "a week is drawn once")
        second = self.Audit._sample_week(self.company, WEEK_2)
        self.assertEqual(len(second), 5)
        self.assertFalse(first.ticket_id & second.ticket_id)
        self.assertEqual(second.mapped("week_start"), [WEEK_2] * 5)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.Audit._create_facts(
                [{"ticket_id": first[0].ticket_id.id, "company_id": self.company.id, "week_start": WEEK_2}]
            )

    def test_rate_is_configurable_and_never_twice(self):
        self.company.aftersales_quality_audit_rate = 100.0
        # a ticket already audited is not drawn again, even when everything is
        first = self.Audit._sample_week(self.company, WEEK_1)
        self.assertEqual(len(first), 100)
        self.company.aftersales_quality_audit_rate = 2.5
        self.assertEqual(len(self.Audit._sample_week(self.company, WEEK_2)), 3, "2.5 % of 100, rounded up")

    def test_cron_draws_last_week(self):
        with freeze_time("2026-11-16 03:00:00"):  # the Monday after week 2
            self.Audit._cron_sample_week()
        audits = self.Audit.search([("company_id", "=", self.company.id)])
        self.assertEqual(set(audits.mapped("week_start")), {WEEK_2})
        self.assertEqual(len(audits), 5)

    def test_scores_feed_the_scorecard(self):
        self.company.aftersales_quality_audit_rate = 100.0
        audits = self.Audit._sample_week(self.company, WEEK_1)
        tech_a = audits.filtered(lambda a: a.technician_id == self.tech_a)[:2]
        tech_b = audits.filtered(lambda a: a.technician_id == self.tech_b)[:1]
        scores = {"score_documentation": 5, "score_sop": 5, "score_communication": 4, "score_parts": 4}
        tech_a.with_user(self.auditor).write(scores)
        tech_b.with_user(self.auditor).write(dict.fromkeys(scores, 3))
        with self.assertRaises(UserError) as caught:
            audits[-1].with_user(self.auditor).action_done()
        self.assertIn("Score every item", str(caught.exception))
        (tech_a | tech_b).with_user(self.auditor).action_done()
        self.assertEqual(tech_a.mapped("score"), [90.0, 90.0])
        self.assertEqual(tech_a[0].auditor_id, self.auditor)
        rows = self.env["aftersales.quality.report"].formatted_read_group(
            [("ticket_id", "in", self.week_1.ids)], ["technician_id"], ["audit_score:avg"]
        )
        card = {row["technician_id"][0]: row["audit_score:avg"] for row in rows}
        self.assertAlmostEqual(card[self.tech_a.id], 90.0)
        self.assertAlmostEqual(card[self.tech_b.id], 60.0)

    def test_who_may_write_what(self):
        audit = self.Audit._sample_week(self.company, WEEK_1)[0]
        with self.assertRaises(AccessError) as caught:
            audit.with_user(self.auditor).write({"technician_id": self.tech_b.id})
        self.assertIn("set by the system", str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            audit.with_user(self.agent).write({"score_sop": 5})
        self.assertIn("not allowed", str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            audit.with_user(self.auditor).write({"score": 100})
        self.assertIn("set by the system", str(caught.exception))
