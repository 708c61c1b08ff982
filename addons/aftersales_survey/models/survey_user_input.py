from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    aftersales_followup_id = fields.Many2one(
        "aftersales.followup", string="After-sales Follow-up", index="btree_not_null", readonly=True, copy=False
    )

    def _mark_done(self):
        res = super()._mark_done()
        followups = self.sudo().aftersales_followup_id.filtered(lambda f: f.state in ("pending", "scheduled"))
        if followups:
            followups._record_answers()
        return res
