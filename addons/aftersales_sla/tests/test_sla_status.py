from odoo.tests import freeze_time, tagged

from .common import AftersalesSlaCommon, dt


@tagged("post_install", "-at_install")
class TestSlaStatus(AftersalesSlaCommon):
    def _reply(self, ticket):
        ticket.with_user(self.agent).message_post(
            body="We are on it", message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def test_met_late_is_a_fact(self):
        with freeze_time("2026-01-09 16:00:00"):
            ticket = self.create_sla_ticket()
        with freeze_time("2026-01-12 16:00:00"):  # due Monday 15:00: one hour late
            self._reply(ticket)
        self.assertEqual(ticket.sla_response_reached, dt(2026, 1, 12, 16, 0))
        self.assertEqual(ticket.sla_response_state, "met_late")
        self.assertEqual(ticket.sla_state, "on_track", "now the resolution clock matters")

        def assert_still_late():
            ticket.invalidate_recordset()
            self.assertEqual(ticket.sla_response_state, "met_late")
            self.assertEqual(ticket.sla_response_reached, dt(2026, 1, 12, 16, 0))
            self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 12, 15, 0))

        with freeze_time("2026-01-20 10:00:00"):
            # explicit recompute
            ticket.action_sla_recompute()
            assert_still_late()
            # a change that re-plans the open targets
            ticket.urgency = "emergency"
            assert_still_late()
            # stage changes, up to closing
            ticket.stage_id = self.stage["dispatch"]
            ticket.stage_id = self.stage_waiting
            ticket.stage_id = self.stage["acceptance"]
            assert_still_late()
            self.assertTrue(ticket.sla_resolution_reached)
            # tier targets changed by a manager afterwards
            self.tier.response_general_hours = 40
            self.Ticket.search([])._sla_refresh()
            assert_still_late()
            # module upgrade: every stored computed field recomputed, then the
            # monitoring job
            for field in self.Ticket._fields.values():
                if field.store and field.compute:
                    self.env.add_to_compute(field, self.Ticket.search([]))
            self.env.flush_all()
            self.Ticket._cron_sla_monitor()
            assert_still_late()

    def test_met_in_time(self):
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket()
        with freeze_time("2026-01-12 09:00:00"):
            ticket.stage_id = self.stage["accept"]
        self.assertEqual(ticket.sla_response_state, "met")
        self.assertEqual(ticket.sla_response_reached, dt(2026, 1, 12, 9, 0))

    def test_cancelled_ticket_is_not_monitored(self):
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket()
            self.assertTrue(ticket.sla_next_check)
            ticket.stage_id = self.stage["cancel"]
        self.assertFalse(ticket.sla_next_check)
        self.assertFalse(ticket.sla_response_reached)
