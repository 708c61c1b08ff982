from odoo import api, models, tools


class AccountAnalyticDistributionModel(models.Model):
    _inherit = "account.analytic.distribution.model"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()  # _aftersales_any_model
        return records

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _aftersales_any_model
        return res

    @api.model
    @tools.ormcache()
    def _aftersales_any_model(self):
        """Whether any distribution model exists, in any company (cached
        until a model is created or deleted). Without one, the distribution
        that sale and account look up for each order and invoice line is
        always empty."""
        return bool(self.sudo().search_count([], limit=1))
