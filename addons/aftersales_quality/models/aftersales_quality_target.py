from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..kpi import ABOVE, KPI_SELECTION, KPIS, kpi_state

QUALITY_MANAGER = "aftersales_quality.group_aftersales_quality_manager"
KPI_STATES = [
    ("met", "Met"),
    ("missed", "Missed"),
    ("no_data", "No data"),
    ("no_target", "No target"),
]


class AftersalesQualityTarget(models.Model):
    """The target of one KPI for one company, shown next to its figure. Every
    company gets seed 002's defaults (``kpi.py``) the first time its targets
    are read; a manager changes them here."""

    _name = "aftersales.quality.target"
    _inherit = ["aftersales.write.rules.mixin"]
    _description = "After-sales KPI Target"
    _order = "company_id, sequence, id"

    kpi = fields.Selection(KPI_SELECTION, string="KPI", required=True, readonly=True)
    sequence = fields.Integer(readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    has_target = fields.Boolean(string="Target Set", default=True)
    target = fields.Float(digits=(16, 2))
    direction = fields.Selection(
        [(ABOVE, "At least"), ("below", "At most")], compute="_compute_definition", help="How the figure is judged."
    )
    formula = fields.Text(compute="_compute_definition", help="How the figure is computed.")
    # The figure of the period given in the context (this month by default)
    value = fields.Float(string="Figure", compute="_compute_value", digits=(16, 2))
    state = fields.Selection(KPI_STATES, compute="_compute_value")

    _kpi_company_uniq = models.Constraint("UNIQUE (company_id, kpi)", "A KPI has one target per company.")

    @api.depends("kpi")
    def _compute_definition(self):
        for target in self:
            spec = KPIS.get(target.kpi)
            target.direction = spec[4] if spec else False
            target.formula = spec[6] if spec else False

    @api.depends_context("quality_date_from", "quality_date_to")
    @api.depends("kpi", "company_id", "target", "has_target")
    def _compute_value(self):
        date_from, date_to = self._quality_period()
        Report = self.env["aftersales.quality.report"]
        for company in self.company_id:
            domain = (
                Domain("company_id", "=", company.id) & Domain("date", ">=", date_from) & Domain("date", "<", date_to)
            )
            board = Report._kpi_board(domain)
            kpis = board[0][1] if board else {}
            for target in self.filtered(lambda t, c=company: t.company_id == c):
                figure = kpis.get(target.kpi, {}).get("value")
                target.value = figure or 0.0
                target.state = kpi_state(target.kpi, figure, target.target if target.has_target else None)
        for target in self.filtered(lambda t: not t.company_id):
            target.value, target.state = 0.0, "no_data"

    @api.model
    def _field_write_rules(self):
        return {
            "kpi": FACT,
            "sequence": FACT,
            "company_id": FACT,
            "has_target": (QUALITY_MANAGER, QUALITY_MANAGER),
            "target": (QUALITY_MANAGER, QUALITY_MANAGER),
        }

    @api.constrains("target")
    def _check_target(self):
        for target in self:
            if target.target < 0:
                raise ValidationError(self.env._("A KPI target cannot be negative."))

    @api.model
    def _quality_period(self):
        """[from, to) of the figures: the context's ``quality_date_from`` /
        ``quality_date_to``, else the current month."""
        today = fields.Date.context_today(self)
        date_from = self.env.context.get("quality_date_from") or today.replace(day=1)
        date_to = self.env.context.get("quality_date_to") or fields.Date.add(fields.Date.to_date(date_from), months=1)
        return fields.Datetime.to_datetime(date_from), fields.Datetime.to_datetime(date_to)

    @api.model
    def _ensure_targets(self, companies):
        """Create the missing targets of ``companies`` with seed 002's defaults."""
        existing = {(t.company_id.id, t.kpi) for t in self.sudo().search([("company_id", "in", companies.ids)])}
        self.sudo()._create_facts(
            [
                {
                    "company_id": company.id,
                    "kpi": code,
                    "sequence": sequence,
                    "has_target": spec[5] is not None,
                    "target": spec[5] or 0.0,
                }
                for company in companies
                for sequence, (code, spec) in enumerate(KPIS.items())
                if (company.id, code) not in existing
            ]
        )

    @api.model
    def _targets_by_company(self, companies):
        """{company id: {kpi: target or None}} (defaults when not stored)."""
        result = {company.id: {code: spec[5] for code, spec in KPIS.items()} for company in companies}
        for target in self.sudo().search([("company_id", "in", companies.ids)]):
            result[target.company_id.id][target.kpi] = target.target if target.has_target else None
        return result
