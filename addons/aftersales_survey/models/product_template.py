from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_csat_score = fields.Float(string="CSAT", compute="_compute_aftersales_scores", digits=(3, 2))
    aftersales_nps = fields.Float(string="NPS", compute="_compute_aftersales_scores", digits=(5, 1))

    def _compute_aftersales_scores(self):
        variants = self.with_context(active_test=False).product_variant_ids
        scores = self.env["aftersales.followup.report"]._scores_by("product_id", variants.ids)
        for template in self:
            found = [
                scores[v.id] for v in template.with_context(active_test=False).product_variant_ids if v.id in scores
            ]
            template.aftersales_csat_score = found[0][0] if len(found) == 1 else 0.0
            template.aftersales_nps = found[0][1] if len(found) == 1 else 0.0
