import importlib.util
from datetime import timedelta
from pathlib import Path

from odoo.tests import tagged

from .common import CLOSED_AT, AftersalesSurveyCommon

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def load_script(version, name):
    spec = importlib.util.spec_from_file_location(f"aftersales_survey_{name}", MIGRATIONS / version / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigration(AftersalesSurveyCommon):
    def test_19_0_1_1_0_keeps_each_followups_answer(self):
        """Before 19.0.1.1.0 the follow-up's answer was found back among its
        answers; the upgrade stores it, and the invitation template is
        updated (noupdate lifted, then set again)."""
        ticket = self.close_ticket()
        self.run_job(CLOSED_AT + timedelta(hours=25))
        followup = self.followup(ticket, self.step_24h)
        answer = followup.sudo().user_input_id
        self.assertTrue(answer)
        self.env.flush_all()
        self.env.cr.execute("UPDATE aftersales_followup SET user_input_id = NULL WHERE id = %s", [followup.id])
        self.env.invalidate_all()
        self.assertFalse(followup.sudo().user_input_id)
        data = self.env["ir.model.data"].search(
            [("module", "=", "aftersales_survey"), ("name", "=", "mail_template_followup_invitation")]
        )
        load_script("19.0.1.1.0", "pre-migrate").migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertFalse(data.noupdate, "the update rewrites the template with its unsubscribe link")
        load_script("19.0.1.1.0", "post-migrate").migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(followup.sudo().user_input_id, answer)
        self.assertEqual(followup.sudo().survey_url.split("answer_token=")[1], answer.access_token)
        self.assertTrue(data.noupdate)
