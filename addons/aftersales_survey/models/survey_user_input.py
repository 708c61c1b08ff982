from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACTS_CONTEXT_KEY
from odoo.exceptions import AccessError


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    aftersales_followup_id = fields.Many2one(
        "aftersales.followup", string="After-sales Follow-up", index="btree_not_null", readonly=True, copy=False
    )

    def _check_aftersales_followup_link(self, vals):
        """Only the follow-up job links an answer to a follow-up: an answer
        linked by anyone else would be recorded as the customer's."""
        if "aftersales_followup_id" in vals and not (self.env.su and self.env.context.get(FACTS_CONTEXT_KEY)):
            raise AccessError(
                self.env._("Survey answers are linked to after-sales follow-ups by the follow-up job only.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("aftersales_followup_id"):
                self._check_aftersales_followup_link(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_aftersales_followup_link(vals)
        return super().write(vals)

    def _mark_done(self):
        res = super()._mark_done()
        # the answer the job created for the follow-up, on the follow-up's own survey
        followups = (
            self.sudo()
            .filtered(lambda answer: answer == answer.aftersales_followup_id.user_input_id)
            .aftersales_followup_id.filtered(lambda f: f.state in ("pending", "scheduled"))
        )
        if followups:
            followups._record_answers()
        return res
