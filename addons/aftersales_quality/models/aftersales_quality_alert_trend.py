"""Failure-rate alerts by lot, and a model against its own trailing rate.

- A lot (``stock.lot`` of a lot-tracked model: many units made together) is
  flagged when its fault tickets per unit delivered, for a fault type, reach
  the company's alert factor times the rate of the model's other lots, over
  the company's alert window. Serial-tracked models have one unit per
  serial: the model alert covers them.
- A model is flagged when its rate over the recent window (30 days by
  default) reaches the company's trend factor times its own rate over the
  trailing window before it (180 days), brought to the same length. Each
  rate is per unit delivered by the end of its window.

Both are raised once per model or lot, fault type and calendar month (in the
company's time zone): a second run, or a second worker, raises nothing more
that month (a unique index stands behind the check)."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.const import REPAIR_CATEGORIES
from odoo.fields import Domain

EPSILON = 1e-9


class AftersalesQualityAlert(models.Model):
    _inherit = "aftersales.quality.alert"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    @api.private
    def _check_failure_rates(self, companies):
        alerts = super()._check_failure_rates(companies)
        periods = {company.id: company._aftersales_today().replace(day=1) for company in companies}
        raised = self._period_alert_keys(companies, periods)
        vals_list = self._lot_alert_values(companies, periods, raised)
        vals_list += self._trend_alert_values(companies, periods, raised)
        return alerts | self._raise_alerts(vals_list)

    # ------------------------------------------------------------------
    # Shared
    # ------------------------------------------------------------------

    @api.model
    def _period_alert_keys(self, companies, periods):
        """(kind, company, product, lot, fault) of the lot and trend alerts
        already raised this period, whatever their state: one query."""
        return {
            (alert.kind, alert.company_id.id, alert.product_id.id, alert.lot_id.id, alert.fault_category_id.id)
            for alert in self.sudo().search_fetch(
                Domain("company_id", "in", companies.ids)
                & Domain("kind", "in", ["lot", "trend"])
                & Domain("period_start", "in", sorted(set(periods.values()))),
                ["kind", "company_id", "product_id", "lot_id", "fault_category_id", "period_start"],
            )
            if alert.period_start == periods[alert.company_id.id]
        }

    @api.model
    def _fault_ticket_domain(self):
        return (
            Domain("category", "in", sorted(REPAIR_CATEGORIES))
            & Domain("is_cancelled", "=", False)
            & Domain("product_id", "!=", False)
            & Domain("fault_category_id", "!=", False)
        )

    @api.model
    def _delivered_domain(self, companies):
        return (
            Domain("company_id", "in", companies.ids)
            & Domain("state", "=", "done")
            & Domain("lot_id", "!=", False)
            & Domain("location_dest_id.usage", "=", "customer")
            & Domain("location_id.usage", "!=", "customer")
        )

    @api.model
    def _alert_values(self, kind, key, *, fault_count, unit_count, baseline, period):
        """Values of an alert whose rate reached its factor."""
        company_id, product_id, lot_id, fault_id = key
        rate = 100.0 * fault_count / unit_count
        return {
            "kind": kind,
            "company_id": company_id,
            "product_id": product_id,
            "lot_id": lot_id or False,
            "fault_category_id": fault_id,
            "period_start": period,
            "date": fields.Date.context_today(self),
            "fault_count": fault_count,
            "unit_count": unit_count,
            "rate": rate,
            "baseline_rate": baseline,
            "ratio": rate / baseline,
        }

    # ------------------------------------------------------------------
    # Lots
    # ------------------------------------------------------------------

    @api.model
    def _lot_alert_values(self, companies, periods, raised):
        """Two grouped queries: fault tickets per lot and fault type, units
        delivered per lot."""
        now = fields.Datetime.now()
        windows = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain("date_reported", ">=", now - timedelta(days=company.aftersales_quality_alert_days))
            for company in companies
        )
        faults = (
            self.env["aftersales.ticket"]
            .sudo()
            ._read_group(
                windows & self._fault_ticket_domain() & Domain("lot_id.product_id.tracking", "=", "lot"),
                ["company_id", "product_id", "lot_id", "fault_category_id"],
                ["__count"],
            )
        )
        units = {
            (company.id, product.id, lot.id): quantity
            for company, product, lot, quantity in self.env["stock.move.line"]
            .sudo()
            ._read_group(
                self._delivered_domain(companies) & Domain("product_id.tracking", "=", "lot"),
                ["company_id", "product_id", "lot_id"],
                ["quantity_product_uom:sum"],
            )
        }
        model_units = defaultdict(float)
        for (company_id, product_id, _lot_id), quantity in units.items():
            model_units[company_id, product_id] += quantity
        model_faults = defaultdict(int)
        for company, product, _lot, fault, count in faults:
            model_faults[company.id, product.id, fault.id] += count
        vals_list = []
        for company, product, lot, fault, fault_count in faults:
            unit_count = units.get((company.id, product.id, lot.id), 0)
            other_units = model_units[company.id, product.id] - unit_count
            other_faults = model_faults[company.id, product.id, fault.id] - fault_count
            if (
                not unit_count
                or other_units <= 0
                or not other_faults
                or fault_count < company.aftersales_quality_alert_min_faults
                or ("lot", company.id, product.id, lot.id, fault.id) in raised
            ):
                continue
            baseline = 100.0 * other_faults / other_units
            if 100.0 * fault_count / unit_count < company.aftersales_quality_alert_factor * baseline - EPSILON:
                continue
            key = (company.id, product.id, lot.id, fault.id)
            vals_list.append(
                self._alert_values(
                    "lot",
                    key,
                    fault_count=fault_count,
                    unit_count=unit_count,
                    baseline=baseline,
                    period=periods[company.id],
                )
            )
        return vals_list

    # ------------------------------------------------------------------
    # A model against its own trailing rate
    # ------------------------------------------------------------------

    @api.model
    def _trend_alert_values(self, companies, periods, raised):
        """Four grouped queries: fault tickets in the recent and the trailing
        windows, units delivered by the end of each."""
        now = fields.Datetime.now()
        recent_start = {c.id: now - timedelta(days=c.aftersales_quality_trend_recent_days) for c in companies}
        base_start = {
            c.id: recent_start[c.id] - timedelta(days=c.aftersales_quality_trend_base_days) for c in companies
        }
        Ticket = self.env["aftersales.ticket"].sudo()
        groupby = ["company_id", "product_id", "fault_category_id"]
        recent = Ticket._read_group(
            self._fault_ticket_domain()
            & Domain.OR(
                Domain("company_id", "=", c.id) & Domain("date_reported", ">=", recent_start[c.id]) for c in companies
            ),
            groupby,
            ["__count"],
        )
        before = {
            (company.id, product.id, fault.id): count
            for company, product, fault, count in Ticket._read_group(
                self._fault_ticket_domain()
                & Domain.OR(
                    Domain("company_id", "=", c.id)
                    & Domain("date_reported", ">=", base_start[c.id])
                    & Domain("date_reported", "<", recent_start[c.id])
                    for c in companies
                ),
                groupby,
                ["__count"],
            )
        }
        MoveLine = self.env["stock.move.line"].sudo()
        units_now = {
            (company.id, product.id): count
            for company, product, count in MoveLine._read_group(
                self._delivered_domain(companies), ["company_id", "product_id"], ["quantity_product_uom:sum"]
            )
        }
        units_then = {
            (company.id, product.id): count
            for company, product, count in MoveLine._read_group(
                self._delivered_domain(companies)
                & Domain.OR(
                    Domain("company_id", "=", c.id) & Domain("date", "<", recent_start[c.id]) for c in companies
                ),
                ["company_id", "product_id"],
                ["quantity_product_uom:sum"],
            )
        }
        vals_list = []
        for company, product, fault, fault_count in recent:
            unit_count = units_now.get((company.id, product.id), 0)
            base_units = units_then.get((company.id, product.id), 0)
            base_faults = before.get((company.id, product.id, fault.id), 0)
            if (
                not unit_count
                or not base_units
                or not base_faults
                or fault_count < company.aftersales_quality_alert_min_faults
                or ("trend", company.id, product.id, False, fault.id) in raised
            ):
                continue
            # the trailing rate, brought to the length of the recent window
            scale = company.aftersales_quality_trend_recent_days / company.aftersales_quality_trend_base_days
            baseline = 100.0 * base_faults / base_units * scale
            if 100.0 * fault_count / unit_count < company.aftersales_quality_trend_factor * baseline - EPSILON:
                continue
            key = (company.id, product.id, False, fault.id)
            vals_list.append(
                self._alert_values(
                    "trend",
                    key,
                    fault_count=fault_count,
                    unit_count=unit_count,
                    baseline=baseline,
                    period=periods[company.id],
                )
            )
        return vals_list

    # ------------------------------------------------------------------
    # Texts by kind
    # ------------------------------------------------------------------

    def _problem(self):
        self.ensure_one()
        if self.kind == "lot":
            return self.env._(
                "Lot %(lot)s: %(faults)s fault tickets on %(units)s units delivered: %(rate).2f %%, "
                "%(ratio).1f times the model's other lots (%(baseline).2f %%).",
                lot=self.lot_id.name,
                faults=self.fault_count,
                units=self.unit_count,
                rate=self.rate,
                ratio=self.ratio,
                baseline=self.baseline_rate,
            )
        if self.kind == "trend":
            return self.env._(
                "%(faults)s fault tickets in the last %(days)s days on %(units)s units delivered: %(rate).2f %%, "
                "%(ratio).1f times the model's own trailing rate (%(baseline).2f %%).",
                faults=self.fault_count,
                days=self.company_id.aftersales_quality_trend_recent_days,
                units=self.unit_count,
                rate=self.rate,
                ratio=self.ratio,
                baseline=self.baseline_rate,
            )
        return super()._problem()

    def _activity_summary(self):
        self.ensure_one()
        if self.kind == "lot":
            return self.env._("Lot failure rate %(ratio).1f times the model's other lots", ratio=self.ratio)
        if self.kind == "trend":
            return self.env._("Failure rate %(ratio).1f times the model's own trailing rate", ratio=self.ratio)
        return super()._activity_summary()
