from datetime import datetime

from odoo.tests import freeze_time, tagged

from .common import AftersalesCommon, working_calendar


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 07:00:00")
class TestDispatchAvailability(AftersalesCommon):
    """Dispatch reads the technician's working hours, time off and booked
    appointments at the ticket's appointment time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = working_calendar(cls.env, "Mon-Fri 08-17 UTC")
        # tech_a is the best match for a laptop power fault; tech_c (laptops, sister centre) the runner-up
        cls.resource_a = cls.env["resource.resource"].create(
            {"name": "Tech A", "user_id": cls.tech_user_a.id, "calendar_id": cls.calendar.id, "tz": "UTC"}
        )
        cls.appointment = datetime(2026, 3, 3, 10, 0)  # Tuesday 10:00

    def _dispatch(self, **vals):
        ticket = self.create_ticket(fault_category_id=self.fault_power.id, **vals)
        ticket._auto_dispatch()
        return ticket

    def test_free_technician_is_chosen(self):
        self.assertEqual(self._dispatch(appointment_date=self.appointment).technician_id, self.tech_a)

    def test_on_leave_is_not_chosen(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Annual leave",
                "resource_id": self.resource_a.id,
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 3, 0, 0),
                "date_to": datetime(2026, 3, 3, 23, 59),
            }
        )
        ticket = self._dispatch(appointment_date=self.appointment)
        self.assertEqual(ticket.technician_id, self.tech_c, "tech A is on leave on Tuesday")
        later = self._dispatch(appointment_date=datetime(2026, 3, 4, 10, 0))
        self.assertEqual(later.technician_id, self.tech_a, "back on Wednesday")

    def test_outside_working_hours_is_not_chosen(self):
        ticket = self._dispatch(appointment_date=datetime(2026, 3, 3, 19, 0))
        self.assertEqual(ticket.technician_id, self.tech_c, "tech A works until 17:00")

    def test_fully_booked_is_not_chosen(self):
        self.create_ticket(
            name="Booked visit",
            technician_id=self.tech_a.id,
            appointment_date=datetime(2026, 3, 3, 9, 30),
            estimated_hours=2.0,
        )
        ticket = self._dispatch(appointment_date=self.appointment)
        self.assertEqual(ticket.technician_id, self.tech_c, "tech A is at another customer 09:30-11:30")
        after = self._dispatch(appointment_date=datetime(2026, 3, 3, 13, 0))
        self.assertEqual(after.technician_id, self.tech_a, "free again in the afternoon")

    def test_on_leave_today_is_not_chosen_without_appointment(self):
        """A ticket with no appointment yet goes to someone at work today."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Sick leave",
                "resource_id": self.resource_a.id,
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 2, 0, 0),
                "date_to": datetime(2026, 3, 2, 23, 59),
            }
        )
        self.assertEqual(self._dispatch().technician_id, self.tech_c, "tech A is off today")
        with freeze_time("2026-03-03 07:00:00"):
            self.assertEqual(self._dispatch().technician_id, self.tech_a, "back the next day")
