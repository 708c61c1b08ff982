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
    def _get_distribution(self, vals):
        # Sale and account look a distribution up for every order line and
        # invoice line they create; with no model at all, none can apply.
        if not self._aftersales_any_model():
            return {}
        return super()._get_distribution(vals)

    @api.model
    @tools.ormcache()
    def _aftersales_any_model(self):
        """Whether any distribution model exists, in any company (cached
        until a model is created or deleted)."""
        return bool(self.sudo().search_count([], limit=1))
