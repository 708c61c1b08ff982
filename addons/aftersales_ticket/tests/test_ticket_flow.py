from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, tagged

from .common import AftersalesCommon, signature_png

INCOMING_EMAIL = """Return-Path: <{email_from}>
From: Zhang San <{email_from}>
To: {to}
Subject: {subject}
Message-ID: <{msg_id}@example.com>
Date: Mon, 02 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

The laptop shuts down after five minutes.
"""


@tagged("post_install", "-at_install")
class TestTicketFlow(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create({"name": "service.example.com"})
        cls.team_sh.alias_domain_id = cls.alias_domain
        cls.team_sh.alias_create_partner = True
        cls.team_sh.alias_contact = "everyone"  # these customers write for the first time

    def _process_email(self, subject, email_from="zhang.san@customer.example"):
        raw = INCOMING_EMAIL.format(
            email_from=email_from,
            to="service-shanghai@service.example.com",
            subject=subject,
            msg_id=subject.replace(" ", ""),
        )
        self.env["mail.thread"].sudo().message_process(False, raw)
        return self.Ticket.search([("name", "=", subject)])

    def _move(self, ticket, milestone):
        ticket.with_user(self.agent).write({"stage_id": self.stage[milestone].id})

    def test_number_from_sequence(self):
        first, second = self.create_ticket(), self.create_ticket()
        self.assertRegex(first.number, r"^AS\d{4}\d{6}$")
        self.assertNotEqual(first.number, second.number)

    def test_full_lifecycle_from_email(self):
        """Email to the team alias → accept → dispatch → diagnose → repair →
        customer signs → close: every milestone stamped, durations right."""
        self.team_sh.auto_dispatch = False
        start = datetime(2026, 3, 2, 9, 0)
        with freeze_time(start):
            ticket = self._process_email("Laptop shuts down")
        self.assertEqual(len(ticket), 1, "the alias should create exactly one ticket")
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.team_id, self.team_sh)
        self.assertEqual(ticket.partner_id.email, "zhang.san@customer.example")
        self.assertIn(ticket.partner_id, ticket.message_partner_ids, "the customer follows the ticket")
        self.assertEqual(ticket.stage_id, self.stage["report"])
        self.assertEqual(ticket.date_reported, start)
        self.assertFalse(ticket.technician_id, "auto-dispatch is off for this team")

        ticket.write(
            {"product_id": self.laptop.id, "lot_id": self.lot_laptop.id, "fault_category_id": self.fault_power.id}
        )
        with freeze_time(start + timedelta(hours=1)):
            self._move(ticket, "accept")
        with freeze_time(start + timedelta(hours=1, minutes=30)):
            ticket.with_user(self.agent).action_auto_dispatch()
        self.assertEqual(ticket.technician_id, self.tech_a)
        with freeze_time(start + timedelta(hours=3)):
            self._move(ticket, "diagnose")
            ticket.with_user(self.tech_user_a).diagnosis = "<p>Faulty battery cell</p>"
        with freeze_time(start + timedelta(hours=5)):
            self._move(ticket, "repair")
        with freeze_time(start + timedelta(hours=26)):
            ticket.with_user(self.tech_user_a).write({"stage_id": self.stage["acceptance"].id})
        with freeze_time(start + timedelta(hours=27)):
            self.env["aftersales.ticket.accept"].with_user(self.tech_user_a).create(
                {"ticket_id": ticket.id, "signature": signature_png(), "signed_by": "Zhang San"}
            ).action_confirm()
        self.assertEqual(ticket.stage_id, self.stage["followup"], "acceptance moves the ticket to follow-up")
        with freeze_time(start + timedelta(hours=50)):
            self._move(ticket, "archive")

        self.assertEqual(ticket.date_taken, start + timedelta(hours=1))
        self.assertEqual(ticket.date_first_response, start + timedelta(hours=1))
        self.assertEqual(ticket.date_assigned, start + timedelta(hours=1, minutes=30))
        self.assertEqual(ticket.date_diagnosis, start + timedelta(hours=3))
        self.assertEqual(ticket.date_repair, start + timedelta(hours=5))
        self.assertEqual(ticket.date_resolved, start + timedelta(hours=26))
        self.assertEqual(ticket.acceptance_date, start + timedelta(hours=27))
        self.assertEqual(ticket.date_followup, start + timedelta(hours=27))
        self.assertEqual(ticket.date_closed, start + timedelta(hours=50))
        self.assertAlmostEqual(ticket.response_hours, 1.0)
        self.assertAlmostEqual(ticket.diagnosis_hours, 2.0)
        self.assertAlmostEqual(ticket.repair_hours, 21.0)
        self.assertAlmostEqual(ticket.resolution_hours, 26.0)
        self.assertAlmostEqual(ticket.followup_hours, 23.0)
        self.assertTrue(ticket.is_closed)
        self.assertEqual(ticket.acceptance_signed_by, "Zhang San")

    def test_first_response_is_first_reply_to_customer(self):
        start = datetime(2026, 3, 2, 9, 0)
        with freeze_time(start):
            ticket = self.create_ticket()
        with freeze_time(start + timedelta(minutes=40)):
            ticket.with_user(self.agent).message_post(
                body="We received your request.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        with freeze_time(start + timedelta(hours=2)):
            self._move(ticket, "accept")
        self.assertEqual(ticket.date_first_response, start + timedelta(minutes=40))
        self.assertAlmostEqual(ticket.response_hours, 40 / 60)

    def test_skipped_steps_are_not_stamped(self):
        """Straight from report to repair: no acceptance, assignment or
        diagnosis date (they never happened); going back stamps the diagnosis
        when it happens, and a step is stamped once."""
        self.team_sh.auto_dispatch = False
        start = datetime(2026, 3, 2, 9, 0)
        with freeze_time(start):
            ticket = self.create_ticket()
        with freeze_time(start + timedelta(hours=1)):
            self._move(ticket, "dispatch")
        self.assertFalse(ticket.technician_id)
        self.assertFalse(ticket.date_assigned, "a dispatch stage without technician assigns nobody")
        with freeze_time(start + timedelta(hours=2)):
            self._move(ticket, "repair")
        self.assertFalse(ticket.date_taken)
        self.assertFalse(ticket.date_diagnosis)
        self.assertEqual(ticket.date_first_response, start + timedelta(hours=1), "moving on is a response")
        self.assertEqual(ticket.date_repair, start + timedelta(hours=2))
        with freeze_time(start + timedelta(hours=3)):
            self._move(ticket, "diagnose")
        with freeze_time(start + timedelta(hours=4)):
            self._move(ticket, "repair")
        self.assertEqual(ticket.date_diagnosis, start + timedelta(hours=3))
        self.assertEqual(ticket.date_repair, start + timedelta(hours=2), "a milestone is stamped once")
        self.assertEqual(ticket.diagnosis_hours, 0.0, "no diagnosis time before a repair that came first")
        with freeze_time(start + timedelta(hours=6)):
            ticket.with_user(self.agent).write({"technician_id": self.tech_a.id})
        self.assertEqual(ticket.date_assigned, start + timedelta(hours=6))

    def test_time_in_each_stage(self):
        """The stage bar tells how long the ticket stayed in each stage
        (Odoo's tracking-duration mixin on the stage)."""
        start = datetime(2026, 3, 2, 9, 0)
        with freeze_time(start), patch.object(self.env.cr, "now", return_value=start):
            ticket = self.create_ticket().with_context(tracking_disable=False, mail_notrack=False)
            self.env.flush_all()
            self.env.cr.precommit.run()
        for hours, milestone in ((1, "accept"), (3, "diagnose"), (8, "repair"), (9, "diagnose")):
            moment = start + timedelta(hours=hours)
            with freeze_time(moment), patch.object(self.env.cr, "now", return_value=moment):
                self._move(ticket, milestone)
                self.env.flush_all()
                self.env.cr.precommit.run()
        end = start + timedelta(hours=10)
        with freeze_time(end), patch.object(self.env.cr, "now", return_value=end):
            ticket._compute_duration_tracking()
            durations = ticket.duration_tracking
        stage = self.stage
        self.assertEqual(durations[str(stage["accept"].id)], 2 * 3600)
        self.assertEqual(durations[str(stage["diagnose"].id)], 5 * 3600 + 3600, "two visits add up")
        self.assertEqual(durations[str(stage["repair"].id)], 3600)


@tagged("post_install", "-at_install")
class TestDispatch(AftersalesCommon):
    def test_skill_and_team_decide(self):
        ticket = self.create_ticket(fault_category_id=self.fault_power.id)
        self.assertEqual(ticket.technician_id, self.tech_a, "laptop + power skills in the ticket's own team")
        self.assertTrue(ticket.date_assigned)
        log = ticket.message_ids.filtered(lambda m: "Auto-dispatch" in (m.body or ""))
        self.assertEqual(len(log), 1, "dispatch explains its choice in the chatter")
        self.assertIn(self.tech_a.name, log.body)
        self.assertIn("Runner-up", log.body)

    def test_product_skill_decides(self):
        ticket = self.create_ticket(product_id=self.printer.id)
        self.assertEqual(ticket.technician_id, self.tech_b, "only the printer specialist has the product skill")

    def test_required_level_decides(self):
        ticket = self.create_ticket(category="special_repair")
        self.assertEqual(ticket.required_level, "advanced")
        self.assertEqual(
            ticket.technician_id, self.tech_b, "the basic and professional laptop technicians are not allowed"
        )

    def test_region_fallback_and_availability(self):
        (self.tech_a | self.tech_b).available = False
        ticket = self.create_ticket()
        self.assertEqual(ticket.technician_id, self.tech_c, "a technician of the same region takes over")
        self.tech_c.available = False
        orphan = self.create_ticket()
        self.assertFalse(orphan.technician_id)
        self.assertIn("no available technician", orphan.message_ids[:1].body)

    def test_emergency_first_and_capacity(self):
        self.tech_a.max_open_tickets = 1
        self.tech_b.available = False
        self.tech_c.available = False
        general, emergency = self.Ticket.create(
            [
                {
                    "name": "General",
                    "partner_id": self.customer.id,
                    "product_id": self.laptop.id,
                    "team_id": self.team_sh.id,
                },
                {
                    "name": "Emergency",
                    "partner_id": self.customer.id,
                    "product_id": self.laptop.id,
                    "team_id": self.team_sh.id,
                    "urgency": "emergency",
                },
            ]
        )
        self.assertEqual(emergency.technician_id, self.tech_a, "emergencies are dispatched first")
        self.assertFalse(general.technician_id, "the technician is at capacity")

    def test_manager_override(self):
        ticket = self.create_ticket()
        self.assertEqual(ticket.technician_id, self.tech_a)
        ticket.with_user(self.manager).technician_id = self.tech_c
        self.assertEqual(ticket.technician_id, self.tech_c)
        self.assertEqual(ticket.user_id, self.tech_user_c)


@tagged("post_install", "-at_install")
class TestAcceptance(AftersalesCommon):
    def _repaired_ticket(self):
        ticket = self.create_ticket()
        ticket.stage_id = self.stage["acceptance"]
        return ticket

    def test_close_requires_acceptance(self):
        ticket = self._repaired_ticket()
        with self.assertRaisesRegex(UserError, "not accepted"):
            ticket.with_user(self.agent).stage_id = self.stage["archive"]
        self.assertEqual(ticket.stage_id, self.stage["acceptance"])
        self.assertFalse(ticket.date_closed)
        # cancelling is always possible
        ticket.stage_id = self.stage["cancel"]
        self.assertTrue(ticket.is_closed)

    def test_manager_waives_acceptance(self):
        ticket = self._repaired_ticket()
        with self.assertRaises(AccessError) as caught:
            ticket.with_user(self.agent).action_waive_acceptance()
        self.assertRegex(str(caught.exception), "Only an after-sales manager can waive")
        ticket.with_user(self.manager).action_waive_acceptance()
        ticket.with_user(self.agent).stage_id = self.stage["archive"]
        self.assertEqual(ticket.acceptance_state, "waived")
        self.assertTrue(ticket.date_closed)

    def test_refusal_opens_rework(self):
        ticket = self._repaired_ticket()
        with self.assertRaises(UserError) as caught:
            ticket.action_customer_refuse("  ")
        self.assertRegex(str(caught.exception), "Give the reason why the customer refuses")
        wizard = Form(self.env["aftersales.ticket.refuse"].with_context(default_ticket_id=ticket.id))
        wizard.reason = "Still shuts down after ten minutes"
        wizard.save().action_confirm()
        self.assertEqual(ticket.acceptance_state, "refused")
        self.assertEqual(ticket.refusal_reason, "Still shuts down after ten minutes")
        rework = ticket.rework_ids
        self.assertEqual(len(rework), 1)
        self.assertEqual(rework.rework_of_id, ticket)
        self.assertEqual((rework.partner_id, rework.product_id), (ticket.partner_id, ticket.product_id))
        self.assertEqual(rework.stage_id, self.stage["report"])
        self.assertEqual(rework.acceptance_state, "pending")
        # the refused ticket hands over to its rework and may now be closed
        ticket.stage_id = self.stage["archive"]
        self.assertTrue(ticket.is_closed)

    def test_consultation_needs_no_acceptance(self):
        ticket = self.create_ticket(category="consultation")
        ticket.stage_id = self.stage["archive"]
        self.assertTrue(ticket.date_closed)


@tagged("post_install", "-at_install")
class TestRepeatAndComplaint(AftersalesCommon):
    def test_repeat_within_window(self):
        with freeze_time("2026-01-05 10:00:00"):
            first = self.create_ticket(lot_id=self.lot_laptop.id)
        with freeze_time("2026-01-10 10:00:00"):
            first.stage_id = self.stage["acceptance"]
        with freeze_time("2026-02-04 10:00:00"):
            repeat = self.create_ticket(lot_id=self.lot_laptop.id)
            other_unit = self.create_ticket(lot_id=self.lot_laptop_2.id)
        with freeze_time("2026-06-10 10:00:00"):
            late = self.create_ticket(lot_id=self.lot_laptop_2.id, date_reported="2026-06-10 10:00:00")
        self.assertTrue(repeat.is_repeat)
        self.assertEqual(repeat.repeat_of_id, first)
        self.assertFalse(first.is_repeat)
        self.assertFalse(other_unit.is_repeat, "another serial is another unit")
        self.assertEqual(late.duplicate_of_id, other_unit, "the earlier ticket is still open: a duplicate")
        self.assertFalse(late.is_repeat, "a duplicate is not a repeat")

    def test_repeat_counts_from_the_end_of_the_repair(self):
        """Seed 003 / issue 11: back 30 days after the repair ended (100 days
        after the first report) is a repeat; 120 days after the end is not."""
        with freeze_time("2026-01-01 10:00:00"):
            first = self.create_ticket(lot_id=self.lot_laptop.id)
        with freeze_time("2026-03-12 10:00:00"):  # 70 days later the repair ends
            first.stage_id = self.stage["acceptance"]
        self.assertEqual(str(first.date_resolved), "2026-03-12 10:00:00")
        with freeze_time("2026-04-11 10:00:00"):  # 30 days after the end, 100 after the report
            back = self.create_ticket(lot_id=self.lot_laptop.id)
        self.assertEqual(back.repeat_of_id, first)
        self.assertFalse(back.duplicate_of_id)
        back.stage_id = self.stage["cancel"]
        with freeze_time("2026-07-10 10:00:00"):  # 120 days after the end
            much_later = self.create_ticket(lot_id=self.lot_laptop.id)
        self.assertFalse(much_later.is_repeat)
        self.assertFalse(much_later.duplicate_of_id)

    def test_repeat_by_partner_and_product_without_serial(self):
        with freeze_time("2026-01-05 10:00:00"):
            first = self.create_ticket()
        with freeze_time("2026-01-10 10:00:00"):
            first.stage_id = self.stage["acceptance"]
        with freeze_time("2026-01-20 10:00:00"):
            again = self.create_ticket()
            other_customer = self.create_ticket(partner_id=self.other_customer.id)
        self.assertEqual(again.repeat_of_id, first)
        self.assertFalse(other_customer.is_repeat)
        self.assertFalse(other_customer.duplicate_of_id)

    def test_repeat_window_is_configurable(self):
        self.env.company.aftersales_repeat_days = 10
        with freeze_time("2026-01-05 10:00:00"):
            first = self.create_ticket(lot_id=self.lot_laptop.id)
        with freeze_time("2026-01-06 10:00:00"):
            first.stage_id = self.stage["acceptance"]
        with freeze_time("2026-01-25 10:00:00"):
            ticket = self.create_ticket(lot_id=self.lot_laptop.id)
        self.assertFalse(ticket.is_repeat)

    def test_complaint_goes_to_manager(self):
        complaint = self.create_ticket(category="complaint", name="Rude technician")
        self.assertEqual(complaint.complaint_step, "receive")
        self.assertIn(self.manager.partner_id, complaint.message_partner_ids)
        activity = complaint.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        for step in ("soothe", "verify", "resolve", "follow_up"):
            complaint.action_next_complaint_step()
            self.assertEqual(complaint.complaint_step, step)
        with self.assertRaises(UserError) as caught:
            complaint.action_next_complaint_step()
        self.assertRegex(str(caught.exception), "already at its last step")
        with self.assertRaises(UserError) as caught:
            self.create_ticket().action_next_complaint_step()
        self.assertRegex(str(caught.exception), "is not a complaint")

    def test_counts_on_partner_and_serial(self):
        self.create_ticket(lot_id=self.lot_laptop.id, partner_id=self.customer_contact.id)
        self.create_ticket(lot_id=self.lot_laptop.id)
        self.assertEqual(self.customer.aftersales_ticket_count, 2, "the contact's ticket counts for the company")
        self.assertEqual(self.lot_laptop.aftersales_ticket_count, 2)
        self.assertEqual(self.lot_laptop_2.aftersales_ticket_count, 0)


@tagged("post_install", "-at_install")
class TestDispatchReasonLanguage(AftersalesCommon):
    def test_dispatch_reasoning_reads_in_the_readers_language(self):
        """Dispatched by a Chinese-speaking agent, the reasoning still reads in
        English for an English reader, and in Chinese for a Chinese one."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["aftersales_ticket"], ["zh_CN"], overwrite=True)
        chinese_agent = self.agent.copy({"login": "as_agent_zh_dispatch", "lang": "zh_CN"})
        ticket = self.Ticket.with_user(chinese_agent).create(
            {
                "name": "无法开机",
                "partner_id": self.customer.id,
                "team_id": self.team_sh.id,
                "product_id": self.laptop.id,
                "fault_category_id": self.fault_power.id,
            }
        )
        self.assertEqual(ticket.technician_id, self.tech_a)
        english = ticket.with_user(self.agent).with_context(lang="en_US").dispatch_reason
        self.assertIn("Auto-dispatch assigned", english)
        self.assertIn(self.tech_a.name, english)
        self.assertIn("Runner-up", english)
        chinese = ticket.with_user(chinese_agent).with_context(lang="zh_CN").dispatch_reason
        self.assertNotIn("Auto-dispatch", chinese)
        self.assertIn(self.tech_a.name, chinese)
        # the portal customer never reads it
        portal = self.new_portal_user("as_portal_dispatch")
        self.assertFalse({"dispatch_reason", "dispatch_data"} & set(self.Ticket.with_user(portal).fields_get()))
