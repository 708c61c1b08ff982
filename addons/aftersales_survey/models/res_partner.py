from odoo import fields, models
from odoo.tools import hmac

# What a customer opts out of: surveys, and the service notices (a customer who
# wants no after-sales e-mail wants no survey invitation either).
SURVEY_OPT_OUT_FIELDS = ("aftersales_survey_opt_out", "aftersales_notice_opt_out")


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_survey_opt_out = fields.Boolean(
        string="No Follow-up Surveys", help="This customer is never asked to answer a follow-up survey 回访."
    )
    aftersales_survey_last_date = fields.Datetime(string="Last Follow-up Invitation", readonly=True, copy=False)
    aftersales_csat_score = fields.Float(string="CSAT", compute="_compute_aftersales_scores", digits=(3, 2))
    aftersales_nps = fields.Float(string="NPS", compute="_compute_aftersales_scores", digits=(5, 1))

    def _compute_aftersales_scores(self):
        scores = self.env["aftersales.followup.report"]._scores_by("partner_id", self.ids)
        for partner in self:
            partner.aftersales_csat_score, partner.aftersales_nps = scores.get(partner.id, (0.0, 0.0))

    def _aftersales_survey_opted_out(self):
        """The partners among these not to survey."""
        return self._aftersales_opted_out(SURVEY_OPT_OUT_FIELDS)

    def _aftersales_survey_unsubscribe_token(self):
        self.ensure_one()
        return hmac(self.env(su=True), "aftersales_survey_unsubscribe", self.id)

    def _aftersales_survey_unsubscribe_path(self):
        """The link in every invitation that stops the follow-up surveys of this contact."""
        self.ensure_one()
        return f"/aftersales/survey/unsubscribe/{self.id}?token={self._aftersales_survey_unsubscribe_token()}"
