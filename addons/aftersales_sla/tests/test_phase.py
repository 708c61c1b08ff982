from datetime import timedelta

from odoo.tests import freeze_time, tagged

from .common import AftersalesSlaCommon, dt


@tagged("post_install", "-at_install")
class TestPhase(AftersalesSlaCommon):
    """One rule for the phase the SLA watches, in the deadline engine and in
    the monitor: a target of 0 h is no promise, so the ticket is watched on
    its resolution from the start."""

    def test_no_response_promise_watches_the_resolution(self):
        self.tier.response_general_hours = 0
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket(technician_id=self.tech_a.id)
        self.assertFalse(ticket.sla_response_deadline, "0 h: no first-response promise")
        self.assertFalse(ticket.sla_response_state)
        # 27 working hours on Mon-Fri 08-17: Wednesday 17:00; warned at 80 %.
        self.assertEqual(ticket.sla_resolution_deadline, dt(2026, 1, 14, 17, 0))
        self.assertEqual(ticket.sla_state, "on_track")
        self.assertEqual(ticket.sla_next_check, ticket.sla_resolution_warn_at, "the engine watches the resolution")
        with freeze_time(ticket.sla_resolution_warn_at):
            self.Ticket._cron_sla_monitor()
        ticket.invalidate_recordset()
        alert = self.env["aftersales.sla.alert"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(alert.mapped("phase"), ["resolution"], "the monitor watches the same phase")
        self.assertEqual(ticket.sla_resolution_state, "at_risk")
        self.assertEqual(ticket.sla_state, "at_risk")
        self.assertFalse(ticket.sla_response_state, "no response promise, no response state")
        self.assertEqual(
            ticket.sla_next_check,
            ticket.sla_resolution_deadline + timedelta(seconds=1),
            "first second past the deadline",
        )

    def test_stage_move_keeps_deadlines_and_reaches_the_response(self):
        """A stage move without pause does not re-plan: the deadlines stay
        (even after the tier's targets changed) and the response is met."""
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket()
        self.tier.resolution_general_hours = 50
        with freeze_time("2026-01-12 10:00:00"):
            ticket.stage_id = self.stage["accept"]
        self.assertEqual(ticket.sla_response_reached, dt(2026, 1, 12, 10, 0))
        self.assertEqual(ticket.sla_response_state, "met")
        self.assertEqual(ticket.sla_resolution_deadline, dt(2026, 1, 14, 17, 0), "planned at creation, kept")
        self.assertEqual(ticket.sla_next_check, ticket.sla_resolution_warn_at)
