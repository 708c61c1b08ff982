from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_survey_opt_out = fields.Boolean(
        string="No Follow-up Surveys", help="This customer is never asked to answer a follow-up survey 回访."
    )
    aftersales_survey_last_date = fields.Datetime(string="Last Follow-up Invitation", readonly=True, copy=False)
    aftersales_csat_score = fields.Float(string="CSAT", compute="_compute_aftersales_scores", digits=(3, 2))
    aftersales_nps = fields.Float(string="NPS", compute="_compute_aftersales_scores", digits=(5, 1))

    def _compute_aftersales_scores(self):
        scores = self.env["aftersales.followup"]._scores_by("partner_id", self.ids)
        for partner in self:
            partner.aftersales_csat_score, partner.aftersales_nps = scores.get(partner.id, (0.0, 0.0))
