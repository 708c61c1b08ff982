"""Visits: no double booking, the customer told who comes and when, the
reminder the day before (once), the customer's answer on the portal, and the
technician's arrival and departure."""

import base64
from datetime import datetime, timedelta
from unittest.mock import patch

import pytz

from odoo import fields, http
from odoo.exceptions import AccessError, LockError, UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tests.common import warmup

from .common import AftersalesCommon, working_calendar
from .test_portal import AftersalesPortalCommon, _png


class VisitCommon(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = working_calendar(cls.env)
        cls.resource_a = cls.env["resource.resource"].create(
            {"name": "Tech A", "user_id": cls.tech_user_a.id, "calendar_id": cls.calendar.id, "tz": "UTC"}
        )
        (cls.team_sh | cls.team_hz).auto_dispatch = False

    def notices(self, ticket, subject):
        self.env.flush_all()
        self.env.cr.precommit.run()  # the notices go out as the transaction ends
        return ticket.message_ids.filtered(lambda m: subject in (m.subject or ""))


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 07:00:00")  # Monday
class TestVisitClash(VisitCommon):
    """A technician is never booked twice, on leave or off work: the agent is
    told what clashes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.booked = cls.create_ticket(
            name="Booked visit",
            technician_id=cls.tech_a.id,
            appointment_date=datetime(2026, 3, 3, 9, 30),  # Tuesday 09:30-11:30
            estimated_hours=2.0,
        )

    def test_manual_assignment_into_a_booked_slot_is_refused(self):
        ticket = self.create_ticket(appointment_date=datetime(2026, 3, 3, 10, 0))
        with self.assertRaises(ValidationError) as caught:
            ticket.with_user(self.agent).write({"technician_id": self.tech_a.id})
        message = str(caught.exception)
        self.assertIn("already booked", message)
        self.assertIn(self.booked.number, message, "the clashing ticket is named")
        self.assertIn("As Tech A", message)

    def test_reschedule_into_a_booked_slot_is_refused(self):
        ticket = self.create_ticket(technician_id=self.tech_a.id, appointment_date=datetime(2026, 3, 3, 13, 0))
        with self.assertRaises(ValidationError) as caught:
            ticket.with_user(self.tech_user_a).appointment_date = datetime(2026, 3, 3, 11, 0)
        self.assertIn(self.booked.number, str(caught.exception))
        # the booked visit itself cannot be stretched over another one
        with self.assertRaises(ValidationError) as caught:
            self.booked.with_user(self.agent).estimated_hours = 4.0
        self.assertIn(ticket.number, str(caught.exception))

    def test_back_to_back_visits_are_fine(self):
        """The boundary: a visit may start when the previous one ends."""
        ticket = self.create_ticket(appointment_date=datetime(2026, 3, 3, 11, 30))
        ticket.with_user(self.agent).technician_id = self.tech_a
        self.assertEqual(ticket.technician_id, self.tech_a)
        before = self.create_ticket(appointment_date=datetime(2026, 3, 3, 8, 30))
        before.with_user(self.agent).technician_id = self.tech_a
        self.assertEqual(before.technician_id, self.tech_a, "08:30-09:30 ends when the booked visit starts")

    def test_assignment_into_a_leave_is_refused(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Annual leave",
                "resource_id": self.resource_a.id,
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 4, 0, 0),
                "date_to": datetime(2026, 3, 4, 23, 59),
            }
        )
        ticket = self.create_ticket(appointment_date=datetime(2026, 3, 4, 10, 0))
        with self.assertRaises(ValidationError) as caught:
            ticket.with_user(self.agent).technician_id = self.tech_a
        self.assertIn("on leave (Annual leave", str(caught.exception), "the leave is named")
        self.assertFalse(ticket.technician_id)

    def test_public_holiday_of_the_calendar_is_a_leave(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Lantern Festival",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 5, 0, 0),
                "date_to": datetime(2026, 3, 5, 23, 59),
            }
        )
        with self.assertRaises(ValidationError) as caught:
            self.create_ticket(technician_id=self.tech_a.id, appointment_date=datetime(2026, 3, 5, 10, 0))
        self.assertIn("Lantern Festival", str(caught.exception))

    def test_outside_working_hours_is_refused(self):
        ticket = self.create_ticket(appointment_date=datetime(2026, 3, 3, 16, 30))
        with self.assertRaises(ValidationError) as caught:
            ticket.with_user(self.agent).technician_id = self.tech_a
        self.assertIn("outside the working hours", str(caught.exception))
        self.assertIn("Mon-Fri 08-17 UTC", str(caught.exception), "the calendar is named")

    def test_clash_message_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["aftersales_ticket"], ["zh_CN"], overwrite=True)
        ticket = self.create_ticket(appointment_date=datetime(2026, 3, 3, 10, 0))
        with self.assertRaises(ValidationError) as caught:
            ticket.with_user(self.agent).with_context(lang="zh_CN").technician_id = self.tech_a
        self.assertIn("已有预约", str(caught.exception))
        self.assertIn(self.booked.number, str(caught.exception))

    def test_closed_tickets_do_not_hold_the_slot(self):
        self.booked.stage_id = self.stage["cancel"]
        ticket = self.create_ticket(technician_id=self.tech_a.id, appointment_date=datetime(2026, 3, 3, 10, 0))
        self.assertEqual(ticket.technician_id, self.tech_a)

    def test_auto_dispatch_skips_a_technician_who_would_clash(self):
        (self.team_sh | self.team_hz).auto_dispatch = True
        ticket = self.create_ticket(fault_category_id=self.fault_power.id, appointment_date=datetime(2026, 3, 3, 10, 0))
        self.assertEqual(ticket.technician_id, self.tech_c, "tech A, the best match, is booked at 10:00")

    def test_one_batch_never_books_a_technician_twice_at_once(self):
        """Two visits at the same hour dispatched in one batch (a planned
        maintenance job, an import): the best technician gets the first, the
        second goes to someone else instead of failing the whole batch."""
        (self.team_sh | self.team_hz).auto_dispatch = True
        at = datetime(2026, 3, 4, 10, 0)
        first, second = self.Ticket.create(
            [
                {
                    "name": f"Visit {n}",
                    "partner_id": self.customer.id,
                    "product_id": self.laptop.id,
                    "team_id": self.team_sh.id,
                    "fault_category_id": self.fault_power.id,
                    "appointment_date": at,
                }
                for n in (1, 2)
            ]
        )
        self.assertEqual(first.technician_id, self.tech_a)
        self.assertTrue(second.technician_id, "dispatched too")
        self.assertNotEqual(second.technician_id, self.tech_a, "not the technician already at a customer's at 10:00")

    def test_a_technician_being_booked_elsewhere_is_not_double_booked(self):
        """Another agent holding the technician's row (booking them at this
        moment): the second booking is refused, not written blind."""
        ticket = self.create_ticket(appointment_date=datetime(2026, 3, 3, 13, 0))

        def locked(records, **kw):
            raise LockError("Cannot grab a lock on records")

        with patch.object(type(self.tech_a), "lock_for_update", locked), self.assertRaises(UserError) as caught:
            ticket.with_user(self.agent).technician_id = self.tech_a
        self.assertIn("is being booked by someone else", str(caught.exception))

    @warmup
    def test_clash_check_query_count(self):
        """The check of one assignment, whatever the technician's load: the
        lock and claim of the technician, their booked visits, their
        resource, leaves and working hours."""
        ticket = self.create_ticket(appointment_date=datetime(2026, 3, 3, 14, 0), estimated_hours=0.5)
        for day in range(4, 7):  # more visits booked: the same queries
            self.create_ticket(technician_id=self.tech_a.id, appointment_date=datetime(2026, 3, day, 9, 0))
        ticket.with_user(self.agent).technician_id = self.tech_a
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            ticket.with_user(self.agent)._check_visit_clash()
        self.assertEqual(ticket.technician_id, self.tech_a)


@tagged("post_install", "-at_install")
class TestVisitNotices(VisitCommon):
    @freeze_time("2026-03-02 07:00:00")
    def test_customer_told_who_comes_and_when(self):
        self.tech_user_b.partner_id.image_1920 = base64.b64encode(_png((8, 8), "blue"))
        self.customer.tz = "Asia/Shanghai"
        ticket = self.create_ticket(appointment_date=datetime(2026, 3, 3, 2, 0))  # 10:00 in Shanghai
        self.assertFalse(self.notices(ticket, "your technician's visit"), "nobody is assigned yet")
        self.assertEqual(len(self.notices(ticket, "your appointment")), 1, "the time is told as before")
        ticket.with_user(self.agent).technician_id = self.tech_b
        notice = self.notices(ticket, "your technician's visit")
        self.assertEqual(len(notice), 1)
        self.assertIn("As Tech B", notice.body)
        self.assertIn("03/03/2026 10:00 AM - 11:00 AM", notice.body, "the window, in the customer's time zone")
        self.assertIn("<img", notice.body, "with the technician's photo")
        photo = notice.attachment_ids.filtered(lambda a: a.mimetype == "image/png")
        self.assertEqual(len(photo), 1, "the photo travels with the message, for the mail clients")
        self.assertIn(f"/web/image/{photo.id}", notice.body)
        self.assertIn(self.customer, notice.notified_partner_ids)
        # moved: told again; saved again unchanged: not
        ticket.appointment_date = datetime(2026, 3, 3, 6, 0)
        ticket.appointment_date = datetime(2026, 3, 3, 6, 0)
        notices = self.notices(ticket, "your technician's visit")
        self.assertEqual(len(notices), 2)
        self.assertIn("02:00 PM - 03:00 PM", notices[0].body)
        self.assertEqual(len(self.notices(ticket, "your appointment")), 1, "no second mail about the same visit")

    @freeze_time("2026-03-02 07:00:00")
    def test_no_photo_no_image(self):
        ticket = self.create_ticket(technician_id=self.tech_b.id, appointment_date=datetime(2026, 3, 3, 10, 0))
        notice = self.notices(ticket, "your technician's visit")
        self.assertIn("As Tech B", notice.body)
        self.assertNotIn("<img", notice.body, "the drawn avatar is no photo")


@tagged("post_install", "-at_install")
class TestVisitReminder(VisitCommon):
    """The reminder goes out the day before the visit, in the company's time
    zone, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"  # UTC+8

    def _visit(self, local, technician=None):
        utc = pytz.timezone("Asia/Shanghai").localize(local).astimezone(pytz.utc).replace(tzinfo=None)
        return self.create_ticket(technician_id=(technician or self.tech_b).id, appointment_date=utc)

    def _reminders(self, ticket):
        return self.notices(ticket, "reminder of your visit tomorrow")

    @freeze_time("2026-03-02 02:00:00")  # Monday 10:00 in Shanghai
    def test_visit_tomorrow_is_reminded_once(self):
        tomorrow = self._visit(datetime(2026, 3, 3, 9, 0))
        late_tomorrow = self._visit(datetime(2026, 3, 3, 23, 0), self.tech_c)
        self.Ticket._cron_visit_reminders()
        for ticket in (tomorrow, late_tomorrow):
            self.assertEqual(len(self._reminders(ticket)), 1, "the visit of tomorrow is reminded")
            self.assertTrue(ticket.visit_reminder_date)
        self.assertIn("As Tech B", self._reminders(tomorrow).body)
        # a second run (or a second worker after this one) sends nothing again
        self.Ticket._cron_visit_reminders()
        self.assertFalse(self.env.cr.precommit.data.get("aftersales.ticket.notices"), "nothing queued")
        self.assertEqual(len(self._reminders(tomorrow)), 1)

    @freeze_time("2026-03-02 02:00:00")
    def test_visit_in_two_days_or_today_is_not_reminded_yet(self):
        in_two_days = self._visit(datetime(2026, 3, 4, 9, 0))
        # 00:30 on Wednesday in Shanghai is still Tuesday in UTC: the company's day counts
        after_midnight = self._visit(datetime(2026, 3, 4, 0, 30), self.tech_c)
        today = self._visit(datetime(2026, 3, 2, 17, 0), self.tech_a)
        self.Ticket._cron_visit_reminders()
        for ticket in (in_two_days, after_midnight, today):
            self.assertFalse(self._reminders(ticket))
            self.assertFalse(ticket.visit_reminder_date)
        with freeze_time("2026-03-03 02:00:00"):
            self.Ticket._cron_visit_reminders()
        self.assertEqual(len(self._reminders(in_two_days)), 1, "reminded the next day")
        self.assertEqual(len(self._reminders(after_midnight)), 1)

    @freeze_time("2026-03-02 02:00:00")
    def test_moved_visit_is_reminded_again(self):
        ticket = self._visit(datetime(2026, 3, 3, 9, 0))
        self.Ticket._cron_visit_reminders()
        self.assertEqual(len(self._reminders(ticket)), 1)
        ticket.appointment_date = ticket.appointment_date + timedelta(hours=2)
        self.assertFalse(ticket.visit_reminder_date, "a moved visit is a new visit")
        self.Ticket._cron_visit_reminders()
        self.assertEqual(len(self._reminders(ticket)), 2)

    @freeze_time("2026-03-02 02:00:00")
    def test_claimed_by_another_worker_is_skipped(self):
        """Rows another worker holds are not taken: that worker reminds them."""
        ticket = self._visit(datetime(2026, 3, 3, 9, 0))
        Ticket = type(self.Ticket)
        with patch.object(Ticket, "try_lock_for_update", lambda records, **kw: records.browse()):
            self.Ticket._cron_visit_reminders()
        self.assertFalse(ticket.visit_reminder_date)
        self.assertFalse(self._reminders(ticket))

    def test_cron_is_scheduled(self):
        cron = self.env.ref("aftersales_ticket.ir_cron_visit_reminders")
        self.assertTrue(cron.active)
        self.assertEqual(cron.code, "model._cron_visit_reminders()")


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 07:00:00")
class TestVisitOnSite(VisitCommon):
    """Arrival and departure: stamped by the system when the technician of the
    ticket (or a manager) records them."""

    def test_technician_records_arrival_and_departure(self):
        ticket = self.create_ticket(technician_id=self.tech_a.id, appointment_date=datetime(2026, 3, 2, 9, 0))
        as_tech = ticket.with_user(self.tech_user_a)
        with self.assertRaises(UserError) as caught:
            as_tech.action_visit_depart()
        self.assertIn("before the departure", str(caught.exception))
        with freeze_time("2026-03-02 09:05:00"):
            as_tech.action_visit_arrive()
        with freeze_time("2026-03-02 10:40:00"):
            as_tech.action_visit_depart()
        self.assertEqual(ticket.date_arrived, datetime(2026, 3, 2, 9, 5))
        self.assertEqual(ticket.date_departed, datetime(2026, 3, 2, 10, 40))
        with self.assertRaises(UserError) as caught:
            as_tech.action_visit_arrive()
        self.assertIn("already recorded", str(caught.exception))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_ticket.report_aftersales_ticket", ticket.ids)[0]
            .decode()
        )
        self.assertIn("Arrived on site", html, "the repair report shows the visit")
        self.assertIn("Left site", html)

    def test_only_the_technician_or_a_manager(self):
        ticket = self.create_ticket(technician_id=self.tech_a.id)
        with self.assertRaises(AccessError) as caught:
            ticket.with_user(self.tech_user_b).action_visit_arrive()
        self.assertIn("Only the technician of", str(caught.exception))
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).action_visit_arrive()
        ticket.with_user(self.manager).action_visit_arrive()
        self.assertTrue(ticket.date_arrived)

    def test_times_are_system_stamps(self):
        ticket = self.create_ticket(technician_id=self.tech_a.id)
        for user in (self.tech_user_a, self.manager):
            for fname in ("date_arrived", "date_departed", "visit_state", "visit_reminder_date"):
                with self.subTest(user=user.login, field=fname), self.assertRaises(AccessError) as caught:
                    ticket.with_user(user).write({fname: fields.Datetime.now() if "date" in fname else "confirmed"})
                self.assertIn("set by the system", str(caught.exception))


@tagged("post_install", "-at_install")
class TestVisitPortal(AftersalesPortalCommon):
    """The customer confirms the visit or asks for another time on the
    portal; the technician and the followers are told."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.team_sh | cls.team_hz).auto_dispatch = False
        cls.customer_contact.tz = "Asia/Shanghai"
        cls.customer.tz = "Asia/Shanghai"
        day = (datetime.now() + timedelta(days=3)).date()
        cls.start = datetime.combine(day, datetime.min.time()) + timedelta(hours=2)  # 10:00 in Shanghai
        cls.visit = cls.create_ticket(
            name="Visit to answer",
            partner_id=cls.customer_contact.id,
            technician_id=cls.tech_a.id,
            appointment_date=cls.start,
        )
        cls.visit.message_subscribe(partner_ids=cls.manager.partner_id.ids)

    def _post(self, suffix, data, ticket=None):
        ticket = ticket or self.visit
        payload = {"csrf_token": http.Request.csrf_token(self), **data}
        return self.url_open(f"/my/tickets/{ticket.id}/visit/{suffix}", data=payload, allow_redirects=False)

    def _told(self, text):
        """The message in which the customer answered, and who was notified."""
        message = self.visit.message_ids.filtered(lambda m: text in str(m.body))
        self.assertEqual(len(message), 1, f"one message with {text!r}")
        return message.notification_ids.res_partner_id

    def test_customer_confirms(self):
        self.authenticate("as_portal", "as_portal")
        page = self.url_open(f"/my/tickets/{self.visit.id}")
        self.assertIn("As Tech A", page.text)
        self.assertIn("o_aftersales_visit_confirm", page.text)
        response = self._post("confirm", {})
        self.assertIn("message=visit_confirmed", response.headers["Location"])
        self.assertEqual(self.visit.visit_state, "confirmed")
        self.assertTrue(self.visit.visit_confirmed_date)
        told = self._told("I confirm the visit")
        self.assertIn(self.tech_user_a.partner_id, told, "the technician is told")
        self.assertIn(self.manager.partner_id, told, "the followers are told")

    def test_customer_takes_an_offered_time(self):
        slots = self.visit.visit_offered_slots()
        self.assertEqual(len(slots), 3, "three other times are offered, one a day")
        self.assertEqual(len({slot.date() for slot in slots}), 3)
        self.authenticate("as_portal", "as_portal")
        page = self.url_open(f"/my/tickets/{self.visit.id}")
        self.assertIn(fields.Datetime.to_string(slots[1]), page.text)
        response = self._post("reschedule", {"slot": fields.Datetime.to_string(slots[1])})
        self.assertIn("message=visit_moved", response.headers["Location"])
        self.assertEqual(self.visit.appointment_date, slots[1])
        self.assertEqual(self.visit.visit_state, "confirmed")
        self.assertIn(self.tech_user_a.partner_id, self._told("I moved the visit"))

    def test_a_time_not_offered_is_refused(self):
        """A forged slot (here: onto another booked visit) moves nothing."""
        other = self.create_ticket(
            technician_id=self.tech_a.id, appointment_date=self.start + timedelta(days=1), name="Other visit"
        )
        self.authenticate("as_portal", "as_portal")
        response = self._post("reschedule", {"slot": fields.Datetime.to_string(other.appointment_date)})
        self.assertIn("message=visit_error", response.headers["Location"])
        self.assertIn("no+longer+offered", response.headers["Location"])
        self.assertEqual(self.visit.appointment_date, self.start)
        self.assertEqual(self.visit.visit_state, "proposed")

    def test_customer_proposes_a_time_with_a_note(self):
        self.authenticate("as_portal", "as_portal")
        proposed = (self.start + timedelta(days=2)).date()
        response = self._post(
            "reschedule", {"proposed": f"{proposed:%Y-%m-%d}T15:30", "note": "After school hours, please"}
        )
        self.assertIn("message=visit_requested", response.headers["Location"])
        self.assertEqual(self.visit.visit_state, "reschedule")
        self.assertEqual(
            self.visit.visit_requested_date,
            datetime.combine(proposed, datetime.min.time()) + timedelta(hours=7, minutes=30),
            "15:30 in the customer's time zone",
        )
        self.assertEqual(self.visit.visit_request_note, "After school hours, please")
        self.assertEqual(self.visit.appointment_date, self.start, "an agent books the new time")
        told = self._told("After school hours, please")
        self.assertIn(self.tech_user_a.partner_id, told)
        self.assertIn(self.manager.partner_id, told)

    def test_bad_requests_are_refused(self):
        self.authenticate("as_portal", "as_portal")
        for data, error in (
            ({}, "Propose+a+time"),
            ({"proposed": "tomorrow"}, "not+a+date"),
            ({"proposed": "2020-01-01T10:00"}, "in+the+future"),
            ({"note": "x" * 1001}, "at+most+1000"),
        ):
            with self.subTest(data=data):
                response = self._post("reschedule", data)
                self.assertIn(error, response.headers["Location"])
        self.assertEqual(self.visit.visit_state, "proposed")
        self.assertFalse(self.visit.visit_request_note)


@tagged("post_install", "-at_install")
class TestVisitTour(AftersalesPortalCommon):
    def test_customer_confirms_the_visit_in_the_browser(self):
        (self.team_sh | self.team_hz).auto_dispatch = False
        ticket = self.create_ticket(
            name="Tour visit",
            technician_id=self.tech_a.id,
            appointment_date=datetime.now().replace(microsecond=0) + timedelta(days=2),
        )
        self.start_tour(f"/my/tickets/{ticket.id}", "aftersales_visit_tour", login="as_portal")
        self.assertEqual(ticket.visit_state, "confirmed")
        self.assertTrue(ticket.visit_confirmed_date)
