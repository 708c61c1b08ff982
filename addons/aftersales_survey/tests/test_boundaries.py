from datetime import timedelta

from odoo.tests import tagged

from .common import CLOSED_AT, AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestSurveyBoundaries(AftersalesSurveyCommon):
    def test_fatigue_window_at_its_boundary(self):
        """A customer asked at T is not asked again about another ticket the
        day before the window ends, nor at its very end; a second later, yes."""
        self.company.aftersales_survey_fatigue_days = 3
        first = self.close_ticket()
        asked_at = CLOSED_AT + timedelta(hours=25)
        self.run_job(asked_at)
        self.assertEqual(self.followup(first, self.step_24h).date_sent, asked_at)

        outcomes = {}
        for run_at in (
            asked_at + timedelta(days=2),
            asked_at + timedelta(days=3),
            asked_at + timedelta(days=3, seconds=1),
        ):
            # Another ticket whose 24 h follow-up is due by then.
            other = self.close_ticket(when=run_at - timedelta(hours=25))
            self.run_job(run_at)
            outcomes[run_at - asked_at] = self.followup(other, self.step_24h).state
        self.assertEqual(
            outcomes,
            {
                timedelta(days=2): "skipped",
                timedelta(days=3): "skipped",
                timedelta(days=3, seconds=1): "pending",
            },
        )

    def test_low_scores_at_their_threshold(self):
        """A CSAT of 2 of 5 opens a follow-through ticket, 3 does not; an NPS
        of 6 (a detractor) does, 7 does not."""
        self.company.aftersales_survey_fatigue_days = 0
        solved = self.a["24h_solved_yes"].id
        outcomes = {}
        for attitude in (2, 3):
            ticket = self.close_ticket()
            self.run_job(CLOSED_AT + timedelta(hours=25))
            followup = self.answer(
                self.followup(ticket, self.step_24h),
                {
                    self.q["24h_solved"]: solved,
                    self.q["24h_quality"]: 5,
                    self.q["24h_attitude"]: attitude,
                    self.q["24h_speed"]: 5,
                },
            )
            outcomes[f"attitude {attitude}"] = bool(followup.followthrough_ticket_id)
        for nps in (6, 7):
            ticket = self.close_ticket()
            self.run_job(CLOSED_AT + timedelta(days=30, hours=1))
            followup = self.answer(
                self.followup(ticket, self.step_30d), {self.q["30d_overall"]: 5, self.q["30d_nps"]: nps}
            )
            outcomes[f"nps {nps}"] = bool(followup.followthrough_ticket_id)
        self.assertEqual(outcomes, {"attitude 2": True, "attitude 3": False, "nps 6": True, "nps 7": False})

    def test_step_offset_changed_at_runtime(self):
        """A manager moves the first follow-up from 24 h to 48 h: the next
        closed ticket is asked 48 h after closing, not a second earlier."""
        self.step_24h.with_user(self.manager).offset_hours = 48
        ticket = self.close_ticket()
        followup = self.followup(ticket, self.step_24h)
        self.assertEqual(followup.date_scheduled, CLOSED_AT + timedelta(hours=48))
        self.run_job(CLOSED_AT + timedelta(hours=47, minutes=59, seconds=59))
        self.assertEqual(followup.state, "scheduled", "not yet at the old 24 h, nor a second before 48 h")
        self.run_job(CLOSED_AT + timedelta(hours=48))
        self.assertEqual(followup.state, "pending", "sent at 48 h")
