from datetime import timedelta

from odoo.tests import tagged

from .common import CLOSED_AT, AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestFollowupSchedule(AftersalesSurveyCommon):
    def _mails(self, followups):
        return self.env["mail.mail"].search([("model", "=", "aftersales.followup"), ("res_id", "in", followups.ids)])

    def test_closing_schedules_three_followups_sent_once(self):
        ticket = self.close_ticket()
        self.assertEqual(ticket.date_closed, CLOSED_AT)
        followups = ticket.followup_ids.sorted("date_scheduled")
        self.assertEqual(followups.step_id, self.step_24h | self.step_7d | self.step_30d)
        self.assertEqual(
            followups.mapped("date_scheduled"),
            [CLOSED_AT + timedelta(hours=24), CLOSED_AT + timedelta(days=7), CLOSED_AT + timedelta(days=30)],
        )
        self.assertEqual(followups.mapped("channel"), ["email", "phone", "email"])
        self.assertEqual(set(followups.mapped("state")), {"scheduled"})
        f24, f7, f30 = followups

        # one minute early: nothing goes out
        self.run_job(CLOSED_AT + timedelta(hours=23, minutes=59))
        self.assertEqual(f24.state, "scheduled")
        self.assertFalse(self._mails(followups))

        # the next day: the 24 h survey is emailed with its link, once
        for _run in range(2):
            self.run_job(CLOSED_AT + timedelta(hours=24, minutes=5))
        self.assertEqual(f24.state, "pending")
        mail = self._mails(followups)
        self.assertEqual(len(mail), 1)
        self.assertIn(f24.user_input_id.access_token, mail.body_html)
        self.assertEqual(mail.recipient_ids, self.portal_user.partner_id)
        self.assertEqual(f24.user_input_id.partner_id, self.portal_user.partner_id)
        self.assertEqual(f24.user_input_id.deadline, f24.date_expire)
        self.assertEqual((f7 | f30).mapped("state"), ["scheduled", "scheduled"])

        # a week later: the phone step goes to the agent's call list, no email
        self.run_job(CLOSED_AT + timedelta(days=7, hours=1))
        self.assertEqual(f7.state, "pending")
        self.assertEqual(f7.user_id, self.agent, "the agent of the team makes the call")
        self.assertEqual(len(self._mails(followups)), 1)
        calls_today = self.Followup.with_user(self.agent).search(
            [("channel", "=", "phone"), ("state", "=", "pending"), ("user_id", "=", self.agent.id)]
        )
        self.assertEqual(calls_today, f7)

        # the 24 h link expired after its validity
        self.assertEqual(f24.date_expire, CLOSED_AT + timedelta(hours=24, minutes=5, days=7))
        self.run_job(CLOSED_AT + timedelta(days=30, hours=1))
        self.assertEqual(f24.state, "expired")
        self.assertEqual(f30.state, "pending")
        self.assertEqual(len(self._mails(followups)), 2)

    def test_fatigue_window_across_tickets(self):
        first = self.close_ticket()
        self.run_job(CLOSED_AT + timedelta(hours=25))  # asked about the first ticket
        second = self.close_ticket(when=CLOSED_AT + timedelta(hours=25))
        self.run_job(CLOSED_AT + timedelta(hours=50))
        second_24h = self.followup(second, self.step_24h)
        self.assertEqual(second_24h.state, "skipped", "asked yesterday about another ticket")
        self.assertEqual(second_24h.skip_reason, "fatigue")
        self.assertFalse(second_24h.user_input_ids)
        # the next step of the first ticket is not blocked by its own invitation
        self.run_job(CLOSED_AT + timedelta(days=7, hours=1))
        self.assertEqual(self.followup(first, self.step_7d).state, "pending")
        # the second ticket's 7 d step comes a day after that call: skipped as well
        self.run_job(CLOSED_AT + timedelta(days=8, hours=2))
        self.assertEqual(self.followup(second, self.step_7d).skip_reason, "fatigue")
        # past the window (last asked on day 7) the customer is asked again
        third = self.close_ticket(when=CLOSED_AT + timedelta(days=14))
        self.run_job(CLOSED_AT + timedelta(days=15, hours=1))
        self.assertEqual(self.followup(third, self.step_24h).state, "pending")

    def test_most_recent_ticket_wins_and_opt_out(self):
        older = self.close_ticket()
        newer = self.close_ticket(when=CLOSED_AT + timedelta(hours=2))
        self.run_job(CLOSED_AT + timedelta(hours=27))
        self.assertEqual(self.followup(newer, self.step_24h).state, "pending")
        self.assertEqual(self.followup(older, self.step_24h).skip_reason, "fatigue")

        self.other_customer.aftersales_survey_opt_out = True
        opted_out = self.close_ticket(partner=self.portal_other.partner_id)
        self.run_job(CLOSED_AT + timedelta(hours=27))
        followup = self.followup(opted_out, self.step_24h)
        self.assertEqual((followup.state, followup.skip_reason), ("skipped", "opt_out"))
        self.assertFalse(followup.user_input_ids)

    def test_no_duplicate_and_step_rules(self):
        ticket = self.close_ticket()
        self.Followup._schedule_for_tickets(ticket)
        self.assertEqual(len(ticket.followup_ids), 3, "scheduling again adds nothing")
        complaint = self.close_ticket(category="complaint")
        self.assertNotIn(self.step_7d, complaint.followup_ids.step_id, "the 7 d step skips complaints")
        cancelled = self.create_ticket(category="consultation")
        cancelled.with_user(self.agent).stage_id = self.stage["cancel"]
        self.assertFalse(cancelled.followup_ids, "a cancelled ticket is not followed up")
