from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_quality_complaint_step import COMPLAINT_TARGET_FIELDS


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # Complaint response targets, in hours from the complaint's receipt (seed 002)
    aftersales_complaint_soothe_hours = fields.Float(
        string="Complaint Acknowledged Within (hours)",
        default=2.0,
        help="The customer is called back, heard and apologised to (安抚情绪) within this many hours of the "
        "complaint's receipt.",
    )
    aftersales_complaint_verify_hours = fields.Float(
        string="Complaint Verified Within (hours)",
        default=24.0,
        help="The facts are checked and the cause found (核实情况) within this many hours of the receipt.",
    )
    aftersales_complaint_resolve_hours = fields.Float(
        string="First Solution Within (hours)",
        default=24.0,
        help="A remedy is proposed to the customer (解决问题) within this many hours of the receipt.",
    )
    aftersales_complaint_follow_up_hours = fields.Float(
        string="Complaint Followed Up Within (hours)",
        default=72.0,
        help="The customer is told the outcome (反馈跟进) within this many hours of the receipt.",
    )
    # Coupon compensations
    aftersales_coupon_program_id = fields.Many2one(
        "loyalty.program",
        string="Goodwill Coupon Program",
        domain="[('program_type', '=', 'coupons'), ('company_id', 'in', [id, False])]",
        help="Coupon compensations are issued as cards of this program, valued per point. "
        "Left empty, a 'Goodwill Coupons' program worth one unit of currency per point is created "
        "at the first coupon approved.",
    )

    @api.constrains(*COMPLAINT_TARGET_FIELDS.values())
    def _check_aftersales_complaint_targets(self):
        for company in self:
            if any(company[fname] <= 0 for fname in COMPLAINT_TARGET_FIELDS.values()):
                raise ValidationError(self.env._("A complaint response target must be a positive number of hours."))

    @api.constrains("aftersales_coupon_program_id")
    def _check_aftersales_coupon_program(self):
        for company in self.filtered("aftersales_coupon_program_id"):
            if not company.aftersales_coupon_program_id._aftersales_coupon_reward():
                raise ValidationError(
                    self.env._(
                        "The goodwill coupon program must be a coupon program with a discount reward valued per point."
                    )
                )

    def _aftersales_coupon_program(self):
        """The company's goodwill coupon program, created the first time:
        coupons with a code, an order discount of one unit of currency per
        point, the card sent to the customer by loyalty's own template."""
        self.ensure_one()
        if self.aftersales_coupon_program_id:
            return self.aftersales_coupon_program_id
        Program = self.env["loyalty.program"].sudo().with_company(self)
        program = Program.create(
            {
                "name": self.env._("Goodwill Coupons"),
                "program_type": "coupons",
                "company_id": self.id,
                "reward_ids": [
                    fields.Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_point",
                            "discount": 1.0,
                            "discount_applicability": "order",
                            "required_points": 1.0,
                            "description": self.env._("Goodwill coupon"),
                        }
                    )
                ],
            }
        )
        self.sudo().aftersales_coupon_program_id = program
        return program
