from datetime import datetime

from odoo.addons.aftersales_ticket.tests.common import AftersalesCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import freeze_time

CLOSED_AT = datetime(2026, 3, 2, 10, 0, 0)


class AftersalesSurveyCommon(AftersalesCommon):
    """The shipped plan (24 h email, 7 d phone, 30 d email) and a portal customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Followup = env["aftersales.followup"]
        cls.plan = env.ref("aftersales_survey.followup_plan_default")
        cls.step_24h = env.ref("aftersales_survey.followup_step_24h")
        cls.step_7d = env.ref("aftersales_survey.followup_step_7d")
        cls.step_30d = env.ref("aftersales_survey.followup_step_30d")
        cls.survey_24h = env.ref("aftersales_survey.survey_followup_24h")
        cls.survey_7d = env.ref("aftersales_survey.survey_followup_7d")
        cls.survey_30d = env.ref("aftersales_survey.survey_followup_30d")
        cls.q = {
            name: env.ref(f"aftersales_survey.question_{name}")
            for name in (
                "24h_solved",
                "24h_quality",
                "24h_attitude",
                "24h_speed",
                "24h_comment",
                "7d_recurred",
                "30d_overall",
                "30d_nps",
                "30d_suggestions",
            )
        }
        cls.a = {
            name: env.ref(f"aftersales_survey.answer_{name}")
            for name in ("24h_solved_yes", "24h_solved_no", "7d_recurred_no", "7d_recurred_yes")
        }
        cls.company.aftersales_survey_fatigue_days = 7
        cls.team_hz.member_ids = [(4, cls.agent.id)]
        cls.portal_user = mail_new_test_user(
            env, login="as_portal", groups="base.group_portal", name="Li Wei Portal", email="li.wei@acme.example"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.portal_other = mail_new_test_user(
            env, login="as_portal_other", groups="base.group_portal", name="Globex Buyer", email="buyer@globex.example"
        )
        cls.portal_other.partner_id.parent_id = cls.other_customer

    @classmethod
    def close_ticket(cls, when=CLOSED_AT, partner=None, **vals):
        """Create a ticket and close it the normal way: an agent moves a
        consultation (no customer acceptance needed) to the archive stage."""
        vals.setdefault("category", "consultation")
        vals.setdefault("technician_id", cls.tech_a.id)
        with freeze_time(when):
            ticket = cls.create_ticket(partner_id=(partner or cls.portal_user.partner_id).id, **vals)
            ticket.with_user(cls.agent).write({"stage_id": cls.stage["archive"].id})
        return ticket

    def run_job(self, when):
        with freeze_time(when):
            self.Followup._cron_send_followups()
            self.env.flush_all()

    def followup(self, ticket, step):
        return ticket.followup_ids.filtered(lambda f: f.step_id == step)

    def answer(self, followup, answers):
        """The customer's answers saved on the survey answer of the follow-up, then submitted."""
        user_input = followup.sudo().user_input_id
        for question, value in answers.items():
            # as the survey form posts them: scale values are strings ("0" is an answer)
            user_input._save_lines(question, str(value) if question.question_type == "scale" else value)
        user_input._mark_done()
        return followup
