from datetime import timedelta

from odoo.tests import freeze_time, tagged

from .common import CLOSED_AT, AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestPerformance(AftersalesSurveyCommon):
    def _due_batch(self, count, offset):
        partners = self.env["res.partner"].create(
            [{"name": f"Perf customer {offset + i}", "email": f"perf{offset + i}@example.com"} for i in range(count)]
        )
        with freeze_time(CLOSED_AT):
            tickets = self.Ticket.create(
                [
                    {"name": f"Perf {i}", "partner_id": p.id, "team_id": self.team_sh.id, "category": "consultation"}
                    for i, p in enumerate(partners)
                ]
            )
            tickets.with_user(self.agent).write({"stage_id": self.stage["archive"].id})
        return tickets.followup_ids.filtered(lambda f: f.step_id == self.step_24h)

    def _send_queries(self, followups):
        now = CLOSED_AT + timedelta(hours=25)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with freeze_time(now):
            self.assertEqual(self.Followup._send_batch(now, len(followups)), len(followups))
            self.env.flush_all()
        self.assertEqual(set(followups.mapped("state")), {"pending"})
        return self.env.cr.sql_log_count - before

    def test_send_batch_constant_queries(self):
        self._send_queries(self._due_batch(2, 200))  # warm-up: template, survey, plan in cache
        small = self._due_batch(3, 0)
        self.assertEqual(len(small), 3)
        small_count = self._send_queries(small)
        large = self._due_batch(12, 100)
        large_count = self._send_queries(large)
        self.assertEqual(large_count, small_count, "the same queries for 3 and for 12 follow-ups")
        self.assertLessEqual(large_count, 60, "query budget of one batch")

    def test_close_batch_schedules_in_constant_queries(self):
        partners = self.env["res.partner"].create([{"name": f"Close {i}"} for i in range(2)])

        def schedule(n):
            tickets = self.Ticket.create(
                [{"name": f"C {i}", "partner_id": partners[i % 2].id, "category": "consultation"} for i in range(n)]
            )
            tickets.with_user(self.agent).write({"stage_id": self.stage["archive"].id})
            self.assertEqual(len(tickets.followup_ids), 3 * n, "closing plans three follow-ups per ticket")
            tickets.followup_ids.unlink()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Followup._schedule_for_tickets(tickets)
            self.env.flush_all()
            self.assertEqual(len(tickets.followup_ids), 3 * n)
            return self.env.cr.sql_log_count - before

        schedule(2)  # warm-up: plan and steps in cache
        small, large = schedule(3), schedule(10)
        self.assertEqual(large, small, "planning 10 closed tickets costs what 3 do")
        self.assertLessEqual(large, 8, "query budget of planning a batch")
