from odoo.tests import freeze_time, tagged

from .common import AftersalesSlaCommon, dt


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
        # savepoint, one indexed claim query, release: nothing is due;
        # then one query for alerts left to hand out
        with self.assertQueryCount(4):
            self.Ticket._cron_sla_monitor()
        self.assertTrue(all(t.sla_next_check for t in tickets[3:]))

    def _batch_queries(self, count, now):
        with freeze_time("2026-01-12 08:00:00"):
            self.Ticket.create(
                [
                    {"name": f"Storm {i}", "partner_id": self.customer.id, "team_id": self.team_sh.id}
                    for i in range(count)
                ]
            )
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        processed = self.Ticket._sla_monitor_batch(now, 1000)
        self.env.flush_all()
        return processed, self.cr.sql_log_count - start

    def test_monitor_batch_queries_do_not_grow_with_alerts(self):
        """A storm batch raises its alerts with the same queries whatever its size."""
        now = dt(2026, 1, 14, 16, 0)  # every ticket is long overdue
        self._batch_queries(2, now)  # warm-up: caches outside the record cache
        small_count, small = self._batch_queries(5, now)
        large_count, large = self._batch_queries(40, now)
        self.assertEqual((small_count, large_count), (5, 40))
        self.assertEqual(small, large, "queries must not depend on the number of due tickets")
        self.assertLessEqual(large, 12)
