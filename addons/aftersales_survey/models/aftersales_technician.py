from odoo import fields, models


class AftersalesTechnician(models.Model):
    _inherit = "aftersales.technician"

    csat_score = fields.Float(string="CSAT", compute="_compute_followup_scores", digits=(3, 2))
    nps = fields.Float(string="NPS", compute="_compute_followup_scores", digits=(5, 1))

    def _compute_followup_scores(self):
        scores = self.env["aftersales.followup.report"]._scores_by("technician_id", self.ids)
        for technician in self:
            technician.csat_score, technician.nps = scores.get(technician.id, (0.0, 0.0))
