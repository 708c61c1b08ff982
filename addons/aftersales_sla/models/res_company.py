from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_default_tier_id = fields.Many2one("aftersales.sla.tier", string="Default Service Tier")
    # 三包 windows
    aftersales_return_days = fields.Integer(string="Return Window (days)", default=7)
    aftersales_exchange_days = fields.Integer(string="Exchange Window (days)", default=15)
    aftersales_repair_limit = fields.Integer(
        string="Repairs Before Exchange",
        default=2,
        help="After this many repairs of the same fault within warranty, the customer may exchange or return.",
    )
    # Major incidents: first-response targets in hours
    aftersales_incident_l1_hours = fields.Float(string="Level 1 Incident Response (h)", default=0.5)
    aftersales_incident_l2_hours = fields.Float(string="Level 2 Incident Response (h)", default=2.0)
    aftersales_incident_l3_hours = fields.Float(string="Level 3 Incident Response (h)", default=24.0)
    aftersales_renewal_days = fields.Integer(string="Renewal Reminder (days before expiry)", default=30)
    aftersales_sla_digest_threshold = fields.Integer(
        string="SLA Digest Threshold",
        default=20,
        help="A person who gets more SLA alerts than this in one run of the monitor gets one digest instead "
        "of one activity per ticket. 0 always sends one activity per ticket.",
    )
    aftersales_service_manager_id = fields.Many2one(
        "res.users",
        string="Service Manager",
        domain="[('share', '=', False), ('company_ids', 'in', id)]",
        help="Gets the SLA alerts of tickets that have nobody else to alert: no technician and a team without "
        "manager, or no team (tickets no routing rule routed). Left empty, an after-sales manager of the "
        "company gets them.",
    )

    _aftersales_sla_windows_positive = models.Constraint(
        "CHECK (aftersales_return_days >= 0 AND aftersales_exchange_days >= aftersales_return_days "
        "AND aftersales_repair_limit > 0 AND aftersales_renewal_days >= 0 AND aftersales_sla_digest_threshold >= 0)",
        "三包 windows: the exchange window must be at least the return window, and the repair limit positive.",
    )

    @api.constrains("aftersales_incident_l1_hours", "aftersales_incident_l2_hours", "aftersales_incident_l3_hours")
    def _check_aftersales_incident_hours(self):
        for company in self:
            hours = (
                company.aftersales_incident_l1_hours,
                company.aftersales_incident_l2_hours,
                company.aftersales_incident_l3_hours,
            )
            if any(value < 0 for value in hours):
                raise ValidationError(self.env._("Major incident response targets cannot be negative."))

    def _aftersales_incident_hours(self, level):
        """First-response target in hours of a major incident level."""
        self.ensure_one()
        return {
            "1": self.aftersales_incident_l1_hours,
            "2": self.aftersales_incident_l2_hours,
            "3": self.aftersales_incident_l3_hours,
        }[level]

    def _aftersales_alert_fallback(self):
        """Who is alerted when a ticket has nobody else: the service manager,
        else the first after-sales manager of the company."""
        self.ensure_one()
        if self.aftersales_service_manager_id.active:
            return self.aftersales_service_manager_id
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("all_group_ids", "in", self.env.ref("aftersales_ticket.group_aftersales_manager").ids),
                    ("share", "=", False),
                    ("company_ids", "in", self.ids),
                ],
                order="id",
                limit=1,
            )
        )
