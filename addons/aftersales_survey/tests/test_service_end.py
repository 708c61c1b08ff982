"""Follow-ups count from the end of service (the customer's acceptance, or
closing for a ticket without acceptance), not from archiving; a reopened or
reworked ticket restarts them once; a ticket whose service ended is no longer
the technician's open work."""

from datetime import datetime, timedelta

from odoo.addons.aftersales_ticket.tests.common import signature_png
from odoo.tests import freeze_time, tagged

from .common import AftersalesSurveyCommon

MONDAY_10 = datetime(2026, 3, 2, 10, 0, 0)  # a Monday
TUESDAY_10 = MONDAY_10 + timedelta(days=1)
SECOND = timedelta(seconds=1)


@tagged("post_install", "-at_install")
class TestFollowupFromServiceEnd(AftersalesSurveyCommon):
    def repaired_ticket(self, when=MONDAY_10 - timedelta(hours=3), **vals):
        """A repair of tech A, repaired and waiting for the customer's acceptance."""
        vals.setdefault("partner_id", self.portal_user.partner_id.id)
        with freeze_time(when):
            ticket = self.create_ticket(category="regular_repair", technician_id=self.tech_a.id, **vals)
            ticket.with_user(self.agent).stage_id = self.stage["acceptance"]
        return ticket

    def accept(self, ticket, when=MONDAY_10):
        with freeze_time(when):
            ticket.with_user(self.portal_user).sudo().action_customer_accept(signature_png(), "Li Wei")
            self.env.flush_all()

    def invitations(self, ticket):
        return self.env["mail.mail"].search(
            [("model", "=", "aftersales.followup"), ("res_id", "in", ticket.followup_ids.ids)]
        )

    def load_of_tech_a(self):
        profiles = self.env["aftersales.technician"]._dispatch_profiles(self.company.ids)
        return next(p["load"] for p in profiles if p["id"] == self.tech_a.id)

    def test_accepted_repair_is_followed_up_the_next_day_before_archiving(self):
        ticket = self.repaired_ticket()
        self.assertEqual(self.tech_a.open_ticket_count, 1)
        self.assertEqual(self.load_of_tech_a(), 1, "repaired but not accepted: still the technician's work")
        self.assertFalse(ticket.followup_ids)

        self.accept(ticket)
        self.assertEqual(ticket.milestone, "followup")
        self.assertFalse(ticket.is_closed, "accepted, not archived (the invoice may be unpaid)")
        self.assertEqual(ticket.date_service_end, MONDAY_10)
        f24 = self.followup(ticket, self.step_24h)
        self.assertEqual(f24.date_scheduled, TUESDAY_10)
        self.assertEqual(f24.date_closed, MONDAY_10)
        self.tech_a.invalidate_recordset(["open_ticket_count"])
        self.assertEqual(self.tech_a.open_ticket_count, 0, "accepted: no longer counted against the capacity")
        self.assertEqual(self.load_of_tech_a(), 0)

        # the second before Tuesday 10:00 nothing goes out; at 10:00 the invitation does, once
        self.run_job(TUESDAY_10 - SECOND)
        self.assertEqual(f24.state, "scheduled")
        self.assertFalse(self.invitations(ticket))
        self.run_job(TUESDAY_10)
        self.assertEqual(f24.state, "pending")
        self.assertEqual(f24.date_sent, TUESDAY_10)
        self.run_job(TUESDAY_10 + SECOND)
        self.assertEqual(len(self.invitations(ticket)), 1)

        # archived a week later (once paid): the plan stays, nothing is sent again
        with freeze_time(MONDAY_10 + timedelta(days=8)):
            ticket.with_user(self.agent).stage_id = self.stage["archive"]
        self.assertTrue(ticket.is_closed)
        self.assertEqual(ticket.date_service_end, MONDAY_10, "archiving does not move the end of service")
        self.assertEqual(len(ticket.followup_ids), 3)
        self.run_job(MONDAY_10 + timedelta(days=8, hours=1))
        self.assertEqual(len(self.invitations(ticket)), 1)
        self.assertEqual(self.followup(ticket, self.step_7d).state, "pending", "the 7 d call counts from Monday")

    def test_consultation_closed_directly_gets_the_same_plan(self):
        ticket = self.close_ticket(when=MONDAY_10)
        self.assertEqual(ticket.date_service_end, MONDAY_10)
        followups = ticket.followup_ids.sorted("date_scheduled")
        self.assertEqual(followups.step_id, self.step_24h | self.step_7d | self.step_30d)
        self.assertEqual(followups[0].date_scheduled, TUESDAY_10)
        self.run_job(TUESDAY_10 - SECOND)
        self.assertEqual(followups[0].state, "scheduled")
        self.run_job(TUESDAY_10)
        self.assertEqual(followups[0].state, "pending")

    def test_consultation_in_followup_stage_ends_there(self):
        with freeze_time(MONDAY_10):
            ticket = self.create_ticket(category="consultation", technician_id=self.tech_a.id)
            ticket.with_user(self.agent).stage_id = self.stage["followup"]
        self.assertEqual(ticket.date_service_end, MONDAY_10)
        self.assertEqual(self.followup(ticket, self.step_24h).date_scheduled, TUESDAY_10)

    def test_repair_moved_to_followup_without_acceptance_has_not_ended(self):
        ticket = self.repaired_ticket()
        ticket.with_user(self.agent).stage_id = self.stage["followup"]
        self.assertFalse(ticket.date_service_end, "the customer has not accepted the work")
        self.assertFalse(ticket.followup_ids)
        self.assertEqual(self.load_of_tech_a(), 1)

    def test_reopened_ticket_restarts_the_plan_once(self):
        ticket = self.repaired_ticket()
        self.accept(ticket)
        self.run_job(TUESDAY_10)
        f24 = self.followup(ticket, self.step_24h)
        self.assertEqual(f24.state, "pending")

        # Wednesday: the fault came back, the ticket is reopened
        with freeze_time(MONDAY_10 + timedelta(days=2)):
            ticket.with_user(self.agent).stage_id = self.stage["repair"]
        self.assertFalse(ticket.date_service_end)
        self.assertEqual(self.load_of_tech_a(), 1, "reopened: the technician's work again")
        # Thursday: repaired again and back to follow-up (the acceptance stands)
        thursday = MONDAY_10 + timedelta(days=3)
        with freeze_time(thursday):
            ticket.with_user(self.agent).stage_id = self.stage["followup"]
        self.assertEqual(ticket.date_service_end, thursday)
        first = ticket.followup_ids.filtered(lambda f: f.service_round == 0)
        second = ticket.followup_ids.filtered(lambda f: f.service_round == 1)
        self.assertEqual(len(first), 3)
        self.assertEqual(second.step_id, self.step_24h | self.step_7d | self.step_30d)
        self.assertEqual(
            self.followup(ticket, self.step_24h).filtered(lambda f: f.service_round == 1).date_scheduled,
            thursday + timedelta(hours=24),
        )
        self.assertEqual(f24.state, "pending", "the invitation already sent stays valid")
        self.assertEqual(
            set((first - f24).mapped("skip_reason")), {"restarted"}, "the steps not sent of the first round are dropped"
        )

        # reopened and ended once more: nothing is planned a third time
        with freeze_time(thursday + timedelta(days=1)):
            ticket.with_user(self.agent).stage_id = self.stage["repair"]
            ticket.with_user(self.agent).stage_id = self.stage["followup"]
        self.assertEqual(len(ticket.followup_ids), 6)
        self.assertEqual(set(second.mapped("state")), {"scheduled"})

    def test_rework_carries_the_plan_of_the_ticket_it_reworks(self):
        original = self.close_ticket(when=MONDAY_10)
        self.run_job(TUESDAY_10)
        with freeze_time(TUESDAY_10 + timedelta(hours=1)):
            rework = self.Ticket._create_facts(
                [
                    {
                        "name": "Rework",
                        "partner_id": original.partner_id.id,
                        "product_id": self.laptop.id,
                        "team_id": self.team_sh.id,
                        "category": "consultation",
                        "rework_of_id": original.id,
                    }
                ]
            )
        self.assertFalse(rework.followup_ids)
        self.assertEqual(set(self.followup(original, self.step_7d).mapped("state")), {"scheduled"})
        friday = MONDAY_10 + timedelta(days=4)
        with freeze_time(friday):
            rework.with_user(self.agent).stage_id = self.stage["archive"]
        self.assertEqual(self.followup(rework, self.step_24h).date_scheduled, friday + timedelta(hours=24))
        self.assertEqual(self.followup(original, self.step_24h).state, "pending")
        for step in (self.step_7d, self.step_30d):
            followup = self.followup(original, step)
            self.assertEqual((followup.state, followup.skip_reason), ("skipped", "restarted"), step.name)

    def test_refused_work_is_followed_up_on_its_rework(self):
        ticket = self.repaired_ticket()
        with freeze_time(MONDAY_10):
            rework = ticket.with_user(self.portal_user).sudo().action_customer_refuse("Still noisy")
            ticket.with_user(self.agent).stage_id = self.stage["archive"]
        self.assertTrue(ticket.is_closed)
        self.assertFalse(ticket.date_service_end, "refused: the service goes on in the rework")
        self.assertFalse(ticket.followup_ids)
        rework.with_user(self.agent).stage_id = self.stage["acceptance"]
        self.accept(rework, when=MONDAY_10 + timedelta(days=2))
        self.assertEqual(self.followup(rework, self.step_24h).date_scheduled, MONDAY_10 + timedelta(days=3))
