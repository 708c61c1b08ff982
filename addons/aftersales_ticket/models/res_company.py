from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_repeat_days = fields.Integer(
        string="Repeat Repair Window (days)",
        default=90,
        help="A new ticket on the same unit within this many days is flagged as a repeat repair.",
    )
    aftersales_intake_team_id = fields.Many2one(
        "aftersales.team",
        string="Intake Team",
        check_company=True,
        help="Service team of the tickets customers submit on the portal, dispatched like any other ticket.",
    )

    _aftersales_repeat_days_positive = models.Constraint(
        "CHECK (aftersales_repeat_days > 0)", "The repeat repair window must be at least one day."
    )
