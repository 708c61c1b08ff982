import pytz

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
    aftersales_portal_daily_limit = fields.Integer(
        string="Portal Tickets per Customer per Day",
        default=20,
        help="How many tickets one customer (their whole company) may submit on the portal in 24 hours.",
    )
    aftersales_alias_open = fields.Boolean(
        string="Team Aliases Open to Anyone",
        help="New service teams take tickets by email from any sender, not only from known contacts.",
    )

    _aftersales_repeat_days_positive = models.Constraint(
        "CHECK (aftersales_repeat_days > 0)", "The repeat repair window must be at least one day."
    )
    _aftersales_portal_daily_limit_positive = models.Constraint(
        "CHECK (aftersales_portal_daily_limit > 0)", "Customers must be able to submit at least one ticket a day."
    )

    def _aftersales_tz(self):
        """The company's time zone: the day its customers and agents see on the calendar."""
        self.ensure_one()
        return pytz.timezone(self.partner_id.tz or self.resource_calendar_id.tz or "UTC")

    def _aftersales_today(self, moment=None):
        """The calendar day at ``moment`` (UTC, default now) in the company's
        timezone: the day customers and agents see, on which warranty,
        contract, 三包 and review windows are judged, whoever runs the code
        (a scheduled job runs as OdooBot, whose timezone is not the company's)."""
        return pytz.utc.localize(moment or fields.Datetime.now()).astimezone(self._aftersales_tz()).date()
