from odoo import models
from odoo.exceptions import AccessError, UserError

# Question types an agent can record over the phone.
ANSWERABLE_TYPES = ("scale", "simple_choice", "text_box", "char_box")


class AftersalesFollowup(models.Model):
    """Phone follow-ups: the agent's calls, recorded through the call wizard."""

    _inherit = "aftersales.followup"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # ------------------------------------------------------------------
    # Phone follow-up
    # ------------------------------------------------------------------

    def _register_call(self, outcome, note=False):
        """Log a call; after the step's number of unanswered calls (or a wrong
        number) the survey link is emailed instead."""
        self.ensure_one()
        followup = self.sudo()
        followup.env["aftersales.followup.call"].create(
            {"followup_id": followup.id, "outcome": outcome, "note": note, "user_id": self.env.uid}
        )
        vals = {"last_call_outcome": outcome}
        if outcome == "no_answer":
            vals["no_answer_count"] = followup.no_answer_count + 1
        if outcome == "refused":
            vals.update(state="skipped", skip_reason="refused")
        followup._write_facts(vals)
        if (outcome == "no_answer" and followup.no_answer_count >= followup.step_id.max_call_attempts) or (
            outcome == "wrong_number"
        ):
            followup._write_facts({"channel": "email"})
            if followup.partner_id.email:
                followup._send_invitation_email()
            followup.ticket_id.message_post(
                body=self.env._(
                    "Follow-up %(step)s: the customer could not be reached by phone; the survey link was emailed.",
                    step=followup.step_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _check_phone_agent(self):
        """Phone answers are recorded by service agents who may read the follow-up, nobody else."""
        if not self.env.su and not self.env.user.has_group("aftersales_ticket.group_aftersales_user"):
            raise AccessError(
                self.env._('Recording phone follow-ups needs the After-sales right "User (service agent)".')
            )
        self.check_access("read")

    def _phone_questions(self):
        """The questions of this follow-up's survey an agent asks over the phone."""
        self.ensure_one()
        return self.sudo().survey_id.question_ids.filtered(lambda q: q.question_type in ANSWERABLE_TYPES)

    def action_open_call_wizard(self):
        self.ensure_one()
        self._check_phone_agent()
        if self.state != "pending" or self.channel != "phone":
            raise UserError(self.env._("Only invited phone follow-ups can be called."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.followup.call.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_followup_id": self.id},
            "name": self.env._("Phone Follow-up"),
        }
