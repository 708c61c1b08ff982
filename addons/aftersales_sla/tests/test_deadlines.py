from odoo.tests import freeze_time, tagged

from .common import AftersalesSlaCommon, dt


@tagged("post_install", "-at_install")
class TestDeadlines(AftersalesSlaCommon):
    @freeze_time("2026-01-09 16:00:00")
    def test_friday_afternoon_is_due_monday(self):
        """Friday 16:00 + 8 working hours on Mon-Fri 08-17 = Monday 15:00."""
        ticket = self.create_sla_ticket()
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 12, 15, 0))
        self.assertEqual(ticket.sla_response_state, "on_track")
        self.assertEqual(ticket.sla_state, "on_track")
        # 27 h resolution: Fri 1 h + Mon 9 + Tue 9 + Wed 8 -> Wednesday 16:00
        self.assertEqual(ticket.sla_resolution_deadline, dt(2026, 1, 14, 16, 0))

    @freeze_time("2026-01-09 16:00:00")
    def test_public_holiday_moves_deadline(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "date_from": dt(2026, 1, 12, 0, 0),
                "date_to": dt(2026, 1, 12, 23, 59, 59),
                "calendar_id": False,
                "resource_id": False,
            }
        )
        ticket = self.create_sla_ticket()
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 13, 15, 0), "Monday off: due Tuesday 15:00")
        with freeze_time("2026-01-11 20:00:00"):  # Sunday evening: the 24 h run through the holiday
            vip = self.create_sla_ticket(sla_tier_id=self.tier_vip.id)
        self.assertEqual(vip.sla_response_deadline, dt(2026, 1, 12, 20, 0), "24x7 VIP works through the holiday")

    @freeze_time("2026-01-09 16:00:00")
    def test_vip_runs_round_the_clock(self):
        ticket = self.create_sla_ticket(sla_tier_id=self.tier_vip.id)
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 10, 16, 0))
        self.assertEqual(ticket.sla_resolution_deadline, dt(2026, 1, 11, 16, 0))

    def test_waiting_for_customer_pauses_the_clock(self):
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket()
            self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 12, 16, 0))
        with freeze_time("2026-01-12 09:00:00"):
            ticket.stage_id = self.stage_waiting
            self.assertEqual(ticket.sla_paused_since, dt(2026, 1, 12, 9, 0))
            self.assertFalse(ticket.sla_next_check, "No alert while waiting for the customer")
        with freeze_time("2026-01-12 12:00:00"):
            ticket.stage_id = self.stage["report"]
        self.assertFalse(ticket.sla_paused_since)
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 13, 10, 0), "3 paused working hours push it")
        self.assertEqual(ticket.sla_resolution_deadline, dt(2026, 1, 15, 11, 0))
        pause = ticket.sla_pause_ids
        self.assertEqual(len(pause), 1)
        self.assertEqual((pause.date_start, pause.date_end), (dt(2026, 1, 12, 9, 0), dt(2026, 1, 12, 12, 0)))
        self.assertAlmostEqual(pause.duration_hours, 3.0)
        self.assertEqual(pause.stage_id, self.stage_waiting)

    def test_pause_outside_working_hours_does_not_push(self):
        """Waiting overnight costs no working time: the deadline stays."""
        with freeze_time("2026-01-12 16:00:00"):
            ticket = self.create_sla_ticket()
            self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 13, 15, 0))
        with freeze_time("2026-01-12 18:00:00"):
            ticket.stage_id = self.stage_waiting
        with freeze_time("2026-01-13 07:00:00"):
            ticket.stage_id = self.stage["report"]
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 13, 15, 0))

    @freeze_time("2026-01-12 08:00:00")
    def test_major_incident_level(self):
        ticket = self.create_sla_ticket(sla_incident_level="1")
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 12, 8, 30))
        ticket.sla_incident_level = "2"
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 12, 10, 0))

    def test_recompute_marks_the_ticket_modified(self):
        """Deadlines written by the batch engine update the ticket's last
        modification, as any ORM write would (sync and exports rely on it)."""
        ticket = self.create_sla_ticket()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE aftersales_ticket SET write_date = '2020-01-01', write_uid = 1 WHERE id = %s", [ticket.id]
        )
        ticket.invalidate_recordset()
        self.tier.response_general_hours = 6
        self.Ticket.browse(ticket.ids).with_user(self.manager).action_sla_recompute()
        self.assertGreater(ticket.write_date.year, 2020)
        self.assertEqual(ticket.write_uid, self.manager)
