from datetime import timedelta

from odoo.tests import tagged

from .common import CLOSED_AT, AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestFollowthrough(AftersalesSurveyCommon):
    def _invited_24h(self, **vals):
        ticket = self.close_ticket(**vals)
        self.run_job(CLOSED_AT + timedelta(hours=25))
        return ticket, self.followup(ticket, self.step_24h)

    def _manager_todos(self, ticket):
        return ticket.activity_ids.filtered(lambda a: a.user_id == self.manager)

    def test_low_csat_opens_complaint_for_manager(self):
        ticket, followup = self._invited_24h()
        self.answer(
            followup,
            {
                self.q["24h_solved"]: self.a["24h_solved_yes"].id,
                self.q["24h_quality"]: 4,
                self.q["24h_attitude"]: 2,
                self.q["24h_speed"]: 4,
                self.q["24h_comment"]: "The technician was rude.",
            },
        )
        self.assertEqual(followup.state, "answered")
        self.assertEqual(followup.csat_attitude, 2)
        self.assertAlmostEqual(followup.csat_score, 10 / 3)
        self.assertEqual(followup.answer_comment, "The technician was rude.")
        complaint = followup.followthrough_ticket_id
        self.assertTrue(complaint)
        self.assertEqual(complaint.category, "complaint")
        self.assertEqual(complaint.partner_id, ticket.partner_id)
        self.assertEqual(complaint.team_id, ticket.team_id)
        self.assertIn("attitude rated 2/5", str(complaint.description))
        self.assertEqual(len(self._manager_todos(complaint)), 1, "the team manager gets a to-do")
        # the original ticket shows it, and the customer is told someone will call
        self.assertEqual(ticket.followthrough_ticket_ids, complaint)
        self.assertIn(complaint.display_name, ticket.message_ids[0].body)
        told = complaint.message_ids.filtered(lambda m: self.portal_user.partner_id in m.partner_ids)
        self.assertEqual(len(told), 1)
        self.assertIn("will call you", told.body)
        # answering again changes nothing: one ticket per follow-up
        followup._record_answers()
        self.assertEqual(self.Ticket.search_count([("category", "=", "complaint")]), 1)

    def test_not_solved_opens_rework(self):
        ticket, followup = self._invited_24h()
        self.answer(
            followup,
            {
                self.q["24h_solved"]: self.a["24h_solved_no"].id,
                self.q["24h_quality"]: 4,
                self.q["24h_attitude"]: 5,
                self.q["24h_speed"]: 4,
            },
        )
        self.assertEqual(followup.problem_solved, "no")
        rework = followup.followthrough_ticket_id
        self.assertEqual(rework.rework_of_id, ticket, "linked rework 返修 of the original ticket")
        self.assertEqual(rework.technician_id, ticket.technician_id)
        self.assertEqual(ticket.rework_ids, rework)
        todo = self._manager_todos(rework)
        self.assertEqual(len(todo), 1)
        self.assertIn("problem not solved", str(todo.note))

    def test_good_scores_open_nothing(self):
        _ticket, followup = self._invited_24h()
        self.answer(
            followup,
            {
                self.q["24h_solved"]: self.a["24h_solved_yes"].id,
                self.q["24h_quality"]: 5,
                self.q["24h_attitude"]: 3,
                self.q["24h_speed"]: 4,
            },
        )
        self.assertEqual(followup.problem_solved, "yes")
        self.assertFalse(followup.followthrough_ticket_id)

    def test_detractor_with_configured_rework(self):
        self.plan.low_score_ticket = "rework"
        ticket = self.close_ticket()
        self.run_job(CLOSED_AT + timedelta(days=30, hours=1))
        followup = self.followup(ticket, self.step_30d)
        self.answer(followup, {self.q["30d_nps"]: 6, self.q["30d_overall"]: 4})
        self.assertEqual(followup.followthrough_ticket_id.rework_of_id, ticket, "NPS 6 is a detractor")
