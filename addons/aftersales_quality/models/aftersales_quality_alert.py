import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.const import REPAIR_CATEGORIES
from odoo.addons.aftersales_ticket.write_rules import FACT
from odoo.exceptions import UserError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

ALERT_STATES = [("open", "Open"), ("analysis", "In analysis"), ("closed", "Closed")]
ALERT_KINDS = [
    ("model", "Model against the other models"),
    ("lot", "Lot against the model's other lots"),
    ("trend", "Model against its own trailing rate"),
]


class AftersalesQualityAlert(models.Model):
    """A product model whose failure rate for a fault type reached the
    company's factor times the rate of the other models (seed 002: 某型号的排水泵
    故障率是其他型号的3倍). Raised by the daily job, one open alert per company,
    model and fault type; the quality manager gets an activity and opens a
    root-cause record from it. The same job flags a lot against the other lots
    of its model, and a model against its own trailing rate
    (``aftersales_quality_alert_trend.py``): those once per period."""

    _name = "aftersales.quality.alert"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.write.rules.mixin"]
    _description = "After-sales Failure Rate Alert"
    _order = "date desc, id desc"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    kind = fields.Selection(ALERT_KINDS, string="Compared", default="model", required=True, readonly=True)
    product_id = fields.Many2one("product.product", string="Model", required=True, readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot", readonly=True, index="btree_not_null")
    period_start = fields.Date(
        string="Period",
        readonly=True,
        help="Lot and trend alerts: the first day of the period they were raised for; one alert per period.",
    )
    fault_category_id = fields.Many2one("aftersales.fault.category", string="Fault Type", required=True, readonly=True)
    date = fields.Date(string="Raised On", required=True, readonly=True)
    fault_count = fields.Integer(string="Fault Tickets", readonly=True)
    unit_count = fields.Integer(string="Units Delivered", readonly=True)
    rate = fields.Float(string="Failure Rate (%)", readonly=True, digits=(16, 2))
    baseline_rate = fields.Float(
        string="Baseline Rate (%)",
        readonly=True,
        digits=(16, 2),
        help="Failure rate of the other models for the same fault type: their fault tickets / their units delivered. "
        "For a lot: the model's other lots. For a trend: the model's own rate over the trailing window, brought "
        "to the length of the recent window.",
    )
    ratio = fields.Float(string="Times the Baseline", readonly=True, digits=(16, 2))
    state = fields.Selection(ALERT_STATES, default="open", required=True, readonly=True, tracking=True)
    rootcause_id = fields.Many2one("aftersales.quality.rootcause", string="Root Cause", readonly=True, index=True)

    _open_uniq = models.UniqueIndex(
        "(company_id, product_id, fault_category_id) WHERE state != 'closed' AND kind = 'model'",
        "A model already has an open alert for this fault type.",
    )
    _period_uniq = models.UniqueIndex(
        "(company_id, kind, product_id, COALESCE(lot_id, 0), fault_category_id, period_start) WHERE kind != 'model'",
        "This lot or model already has an alert for this fault type in this period.",
    )

    @api.model
    def _field_write_rules(self):
        return dict.fromkeys(
            [
                "company_id", "kind", "product_id", "lot_id", "period_start", "fault_category_id", "date",
                "fault_count", "unit_count", "rate", "baseline_rate", "ratio", "state", "rootcause_id",
            ],
            FACT,
        )  # fmt: skip

    @api.depends("product_id", "lot_id", "fault_category_id")
    def _compute_display_name(self):
        for alert in self:
            subject = alert.product_id.display_name
            if alert.lot_id:
                subject = self.env._("%(model)s lot %(lot)s", model=subject, lot=alert.lot_id.name)
            alert.display_name = self.env._(
                "%(model)s: %(fault)s", model=subject, fault=alert.fault_category_id.display_name
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_rootcause(self):
        """Open the root-cause record of the alert, creating it the first time."""
        self.ensure_one()
        self.check_access("write")
        if not self.rootcause_id:
            if self.state == "closed":
                raise UserError(self.env._("This alert is closed."))
            rootcause = self.env["aftersales.quality.rootcause"].create(
                {
                    "name": self.env._("Failure rate: %(alert)s", alert=self.display_name),
                    "company_id": self.company_id.id,
                    "owner_id": (self.company_id.aftersales_quality_manager_id or self.env.user).id,
                    "problem": self._problem(),
                }
            )
            self._write_facts({"rootcause_id": rootcause.id, "state": "analysis"})
            self.activity_feedback(["mail.mail_activity_data_todo"])
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.quality.rootcause",
            "res_id": self.rootcause_id.id,
            "view_mode": "form",
        }

    def _problem(self):
        """What the alert found, for its root-cause record."""
        self.ensure_one()
        return self.env._(
            "%(faults)s fault tickets on %(units)s units delivered: %(rate).2f %%, "
            "%(ratio).1f times the other models (%(baseline).2f %%).",
            faults=self.fault_count,
            units=self.unit_count,
            rate=self.rate,
            ratio=self.ratio,
            baseline=self.baseline_rate,
        )

    def action_close(self):
        self.check_access("write")
        self._write_facts({"state": "closed"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    # ------------------------------------------------------------------
    # The job
    # ------------------------------------------------------------------

    @api.model
    def _cron_check_failure_rates(self, commit=False):
        """Compare each model's failure rate per fault type with the other
        models' and alert the quality manager. Per batch of companies: one
        grouped count of fault tickets, one of units delivered, one search of
        the open alerts, then the new alerts and their activities created at
        once: the queries do not grow with the tickets or the models."""
        companies = self.env["res.company"].search([])
        for start in range(0, len(companies), 50):
            batch = companies[start : start + 50]
            self._check_failure_rates(batch)
            if commit:
                self.env["ir.cron"]._commit_progress(len(batch))

    @api.private
    def _check_failure_rates(self, companies):
        today = fields.Date.context_today(self)
        Ticket = self.env["aftersales.ticket"].sudo()
        now = fields.Datetime.now()
        windows = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain("date_reported", ">=", now - timedelta(days=company.aftersales_quality_alert_days))
            for company in companies
        )
        faults = Ticket._read_group(
            windows
            & Domain("category", "in", sorted(REPAIR_CATEGORIES))
            & Domain("is_cancelled", "=", False)
            & Domain("product_id", "!=", False)
            & Domain("fault_category_id", "!=", False),
            ["company_id", "product_id", "fault_category_id"],
            ["__count"],
        )
        units = {
            (company.id, product.id): count
            for company, product, count in self.env["stock.move.line"]
            .sudo()
            ._read_group(
                Domain("company_id", "in", companies.ids)
                & Domain("state", "=", "done")
                & Domain("lot_id", "!=", False)
                & Domain("location_dest_id.usage", "=", "customer")
                & Domain("location_id.usage", "!=", "customer"),
                ["company_id", "product_id"],
                ["lot_id:count_distinct"],
            )
        }
        counts = defaultdict(dict)  # {(company, fault): {product: fault tickets}}
        for company, product, fault, count in faults:
            counts[company.id, fault.id][product.id] = count
        units_by_company = defaultdict(int)
        for (company_id, _product_id), count in units.items():
            units_by_company[company_id] += count
        open_alerts = {
            (a.company_id.id, a.product_id.id, a.fault_category_id.id)
            for a in self.sudo().search_fetch(
                Domain("company_id", "in", companies.ids) & Domain("state", "!=", "closed"),
                ["company_id", "product_id", "fault_category_id"],
            )
        }
        vals_list = []
        for (company_id, fault_id), by_product in counts.items():
            company = companies.browse(company_id)
            total_faults = sum(by_product.values())
            for product_id, fault_count in by_product.items():
                unit_count = units.get((company_id, product_id), 0)
                other_units = units_by_company[company_id] - unit_count
                other_faults = total_faults - fault_count
                if (
                    not unit_count
                    or not other_units
                    or not other_faults
                    or fault_count < company.aftersales_quality_alert_min_faults
                    or (company_id, product_id, fault_id) in open_alerts
                ):
                    continue
                rate = 100.0 * fault_count / unit_count
                baseline = 100.0 * other_faults / other_units
                if rate < company.aftersales_quality_alert_factor * baseline - 1e-9:
                    continue
                vals_list.append(
                    {
                        "company_id": company_id,
                        "product_id": product_id,
                        "fault_category_id": fault_id,
                        "date": today,
                        "fault_count": fault_count,
                        "unit_count": unit_count,
                        "rate": rate,
                        "baseline_rate": baseline,
                        "ratio": rate / baseline,
                    }
                )
        alerts = self._raise_alerts(vals_list)
        _logger.info("Failure-rate job: %s alerts raised", len(alerts))
        return alerts

    @api.private
    def _raise_alerts(self, vals_list):
        """Create the alerts and the quality manager's to-dos at once. When
        another worker raised one of them since this one looked (a unique
        index per model or lot, fault type and period), the batch is raised
        alert by alert, skipping those: never doubled, never an error."""
        if not vals_list:
            return self.browse()
        Alert = self.with_context(mail_create_nolog=True, tracking_disable=True)
        try:
            with self.env.cr.savepoint():
                alerts = Alert._create_facts(vals_list)
        except psycopg2.errors.UniqueViolation:
            _logger.info("Failure-rate job: some alerts were raised meanwhile by another worker")
            alerts = self.browse()
            for vals in vals_list:
                try:
                    with self.env.cr.savepoint():
                        alerts |= Alert._create_facts([vals])
                except psycopg2.errors.UniqueViolation:
                    continue
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": alert.id,
                    "activity_type_id": activity_type.id,
                    "user_id": (alert.company_id.aftersales_quality_manager_id or self.env.ref("base.user_admin")).id,
                    "summary": alert._activity_summary(),
                    "date_deadline": today,
                    "automated": True,
                }
                for alert in alerts
            ]
        )
        return alerts

    def _activity_summary(self):
        self.ensure_one()
        return self.env._("Failure rate %(ratio).1f times the other models", ratio=self.ratio)
