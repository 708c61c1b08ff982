from odoo.tests import freeze_time, tagged

from .common import AftersalesSlaCommon


@tagged("post_install", "-at_install")
class TestPerformance(AftersalesSlaCommon):
    """Deadlines for a batch cost a constant number of queries."""

    def _tickets(self, count):
        urgencies = ["emergency", "general", "non_fault"]
        tickets = self.Ticket.create(
            [
                {
                    "name": f"Batch {i}",
                    "partner_id": self.customer.id,
                    "team_id": self.team_sh.id,
                    "urgency": urgencies[i % 3],
                    "sla_tier_id": (self.tier_vip if i % 4 == 0 else self.tier).id,
                }
                for i in range(count)
            ]
        )
        tickets[:3].stage_id = self.stage_waiting  # some tickets have a pause log
        return tickets

    def _refresh_queries(self, tickets):
        self.env.invalidate_all()
        tickets = self.Ticket.browse(tickets.ids)
        start = self.cr.sql_log_count
        tickets._sla_refresh()
        return self.cr.sql_log_count - start

    @freeze_time("2026-01-12 10:00:00")
    def test_deadline_queries_do_not_grow(self):
        small = self._refresh_queries(self._tickets(10))
        large = self._refresh_queries(self._tickets(50))
        self.assertEqual(small, large, "queries must not depend on the number of tickets")
        self.assertLessEqual(large, 14)
        self.env.invalidate_all()
        tickets = self._tickets(50)
        self.env.invalidate_all()
        with self.assertQueryCount(large):
            self.Ticket.browse(tickets.ids)._sla_refresh()

    @freeze_time("2026-01-12 10:00:00")
    def test_monitor_batch_queries_do_not_grow_without_alerts(self):
        tickets = self._tickets(30)
        self.env.invalidate_all()
        # savepoint, one indexed claim query, release: nothing is due
        with self.assertQueryCount(3):
            self.Ticket._cron_sla_monitor()
        self.assertTrue(all(t.sla_next_check for t in tickets[3:]))
