from odoo import models


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    def _aftersales_coupon_reward(self):
        """The reward that gives a goodwill coupon its value: a discount of
        so much currency per point, on a coupon program."""
        self.ensure_one()
        if self.program_type != "coupons":
            return self.env["loyalty.reward"]
        return self.reward_ids.filtered(
            lambda r: r.reward_type == "discount" and r.discount_mode == "per_point" and r.discount > 0
        )[:1]
