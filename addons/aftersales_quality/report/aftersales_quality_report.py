from odoo import api, fields, models
from odoo.addons.aftersales_ticket.const import CATEGORIES, REPAIR_CATEGORIES
from odoo.fields import Domain
from odoo.tools import SQL

from ..kpi import KPIS, MEASURES, kpi_state, kpi_value

COMPANY_PAID_COVERAGES = ("warranty", "extended", "contract")


def _kpi_field(code):
    label, *_rest, formula = KPIS[code]
    return fields.Float(string=label, readonly=True, aggregator="avg", help=formula)


def _measure(string, help_text=None, integer=True):
    field_type = fields.Integer if integer else fields.Float
    return field_type(string=string, readonly=True, aggregator="sum", help=help_text)


class AftersalesQualityReport(models.Model):
    """One row per ticket reported (cancelled and archived tickets aside) with
    the additive measures of the service KPIs. Grouped by period, team,
    technician, product or tier, each KPI column is recomputed from the sums
    of the group (``_read_group_select``): the definitions are in ``kpi.py``.
    Grouped by technician and month it is the technician scorecard."""

    _name = "aftersales.quality.report"
    _description = "After-sales Service KPIs"
    _auto = False
    _order = "date desc"
    _depends = {
        "aftersales.ticket": [
            "active", "is_cancelled", "company_id", "date_reported", "team_id", "technician_id", "product_id",
            "sla_tier_id", "fault_category_id", "category", "date_first_response", "date_resolved", "response_hours",
            "resolution_hours", "rework_of_id", "repeat_of_id", "is_repeat", "sla_response_state",
        ],
        "aftersales.followup": ["ticket_id", "state", "csat_score", "nps_answered", "nps_value"],
        "repair.order": [
            "aftersales_ticket_id", "state", "aftersales_coverage", "aftersales_labour_cost", "company_id",
        ],
        "stock.move": ["repair_id", "repair_line_type", "state", "product_uom_qty", "product_id"],
        "aftersales.quality.audit": ["ticket_id", "state", "score"],
    }  # fmt: skip

    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Datetime(string="Reported On", readonly=True)
    team_id = fields.Many2one("aftersales.team", string="Service Team", readonly=True)
    technician_id = fields.Many2one("aftersales.technician", string="Technician", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    tier_id = fields.Many2one("aftersales.sla.tier", string="Tier", readonly=True)
    fault_category_id = fields.Many2one("aftersales.fault.category", string="Fault Type", readonly=True)
    category = fields.Selection(CATEGORIES, readonly=True)
    # Measures
    ticket_count = _measure("Tickets")
    responded_count = _measure("Answered")
    response_hours_sum = _measure("Response Hours", integer=False)
    resolved_count = _measure("Resolved")
    resolution_hours_sum = _measure("Handling Hours", integer=False)
    fcr_count = _measure("Resolved at First Contact", KPIS["fcr"][6])
    sla_met_count = _measure("Answered in Time")
    sla_due_count = _measure("Response SLA Due")
    csat_sum = _measure("CSAT Total", integer=False)
    csat_count = _measure("CSAT Answers")
    nps_count = _measure("NPS Answers")
    promoter_count = _measure("Promoters")
    detractor_count = _measure("Detractors")
    repeat_count = _measure("Repeat Repairs")
    complaint_count = _measure("Complaints")
    repair_success_count = _measure("Successful Repairs")
    repair_resolved_count = _measure("Resolved Repairs")
    parts_cost_sum = _measure("Parts Cost", integer=False)
    warranty_cost_sum = _measure("Warranty Cost", integer=False)
    audit_score_sum = _measure("Audit Score Total", integer=False)
    audit_count = _measure("Audits")
    # KPIs (ratios of the sums above)
    first_response = _kpi_field("first_response")
    handling = _kpi_field("handling")
    fcr = _kpi_field("fcr")
    sla_compliance = _kpi_field("sla_compliance")
    csat = _kpi_field("csat")
    nps = _kpi_field("nps")
    repeat_rate = _kpi_field("repeat_rate")
    complaint_rate = _kpi_field("complaint_rate")
    repair_success = _kpi_field("repair_success")
    parts_cost = _kpi_field("parts_cost")
    warranty_cost = _kpi_field("warranty_cost")
    audit_score = fields.Float(
        string="Audit Score (%)",
        readonly=True,
        aggregator="avg",
        help="Sum of the audit scores (0-100) of the audited tickets / audited tickets.",
    )

    @property
    def _table_query(self):
        repair_categories = tuple(sorted(REPAIR_CATEGORIES))
        return SQL(
            """
            WITH followups AS (
                SELECT f.ticket_id,
                       SUM(f.csat_score) FILTER (WHERE f.csat_score != 0) AS csat_sum,
                       count(*) FILTER (WHERE f.csat_score != 0) AS csat_count,
                       count(*) FILTER (WHERE f.nps_answered) AS nps_count,
                       count(*) FILTER (WHERE f.nps_answered AND f.nps_value > 0) AS promoter_count,
                       count(*) FILTER (WHERE f.nps_answered AND f.nps_value < 0) AS detractor_count
                  FROM aftersales_followup f
                 WHERE f.state = 'answered'
                 GROUP BY f.ticket_id
            ), repairs AS (
                SELECT r.aftersales_ticket_id AS ticket_id,
                       count(DISTINCT r.id) AS repair_count,
                       COALESCE(SUM(m.product_uom_qty
                                    * COALESCE((p.standard_price->>r.company_id::text)::float8, 0)), 0) AS parts_cost,
                       COALESCE(SUM(m.product_uom_qty
                                    * COALESCE((p.standard_price->>r.company_id::text)::float8, 0))
                                FILTER (WHERE r.aftersales_coverage IN %(paid)s), 0) AS warranty_parts
                  FROM repair_order r
                  LEFT JOIN stock_move m ON m.repair_id = r.id AND m.repair_line_type = 'add' AND m.state != 'cancel'
                  LEFT JOIN product_product p ON p.id = m.product_id
                 WHERE r.aftersales_ticket_id IS NOT NULL AND r.state != 'cancel'
                 GROUP BY r.aftersales_ticket_id
            ), labour AS (
                SELECT r.aftersales_ticket_id AS ticket_id,
                       SUM(r.aftersales_labour_cost) AS warranty_labour
                  FROM repair_order r
                 WHERE r.aftersales_ticket_id IS NOT NULL AND r.state != 'cancel'
                   AND r.aftersales_coverage IN %(paid)s
                 GROUP BY r.aftersales_ticket_id
            ), audits AS (
                SELECT a.ticket_id, a.score
                  FROM aftersales_quality_audit a
                 WHERE a.state = 'done'
            ), reworked AS (
                SELECT DISTINCT w.rework_of_id AS id FROM aftersales_ticket w WHERE w.rework_of_id IS NOT NULL
            ), repeated AS (
                SELECT DISTINCT n.repeat_of_id AS id FROM aftersales_ticket n WHERE n.repeat_of_id IS NOT NULL
            ), facts AS (
                SELECT t.*,
                       t.date_resolved IS NOT NULL
                       AND t.rework_of_id IS NULL
                       AND rw.id IS NULL
                       AND rpt.id IS NULL AS kept
                  FROM aftersales_ticket t
                  LEFT JOIN reworked rw ON rw.id = t.id
                  LEFT JOIN repeated rpt ON rpt.id = t.id
                 WHERE t.active AND NOT COALESCE(t.is_cancelled, FALSE)
            )
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.company_id,
                   t.date_reported AS date,
                   t.team_id,
                   t.technician_id,
                   t.product_id,
                   t.sla_tier_id AS tier_id,
                   t.fault_category_id,
                   t.category,
                   1 AS ticket_count,
                   (t.date_first_response IS NOT NULL)::int AS responded_count,
                   CASE WHEN t.date_first_response IS NOT NULL THEN t.response_hours ELSE 0 END AS response_hours_sum,
                   (t.date_resolved IS NOT NULL)::int AS resolved_count,
                   CASE WHEN t.date_resolved IS NOT NULL THEN t.resolution_hours ELSE 0 END AS resolution_hours_sum,
                   (t.kept AND NOT COALESCE(t.is_repeat, FALSE) AND COALESCE(rp.repair_count, 0) <= 1)::int
                       AS fcr_count,
                   (t.sla_response_state = 'met')::int AS sla_met_count,
                   (t.sla_response_state IN ('met', 'met_late', 'breached'))::int AS sla_due_count,
                   COALESCE(fu.csat_sum, 0) AS csat_sum,
                   COALESCE(fu.csat_count, 0) AS csat_count,
                   COALESCE(fu.nps_count, 0) AS nps_count,
                   COALESCE(fu.promoter_count, 0) AS promoter_count,
                   COALESCE(fu.detractor_count, 0) AS detractor_count,
                   COALESCE(t.is_repeat, FALSE)::int AS repeat_count,
                   (t.category = 'complaint')::int AS complaint_count,
                   (t.kept AND t.category IN %(repairs)s)::int AS repair_success_count,
                   (t.date_resolved IS NOT NULL AND t.category IN %(repairs)s)::int AS repair_resolved_count,
                   COALESCE(rp.parts_cost, 0) AS parts_cost_sum,
                   COALESCE(rp.warranty_parts, 0) + COALESCE(lb.warranty_labour, 0) AS warranty_cost_sum,
                   COALESCE(au.score, 0) AS audit_score_sum,
                   (au.ticket_id IS NOT NULL)::int AS audit_count,
                   %(kpi_columns)s
              FROM facts t
              LEFT JOIN followups fu ON fu.ticket_id = t.id
              LEFT JOIN repairs rp ON rp.ticket_id = t.id
              LEFT JOIN labour lb ON lb.ticket_id = t.id
              LEFT JOIN audits au ON au.ticket_id = t.id
            """,
            paid=COMPANY_PAID_COVERAGES,
            repairs=repair_categories,
            kpi_columns=SQL(", ").join(
                SQL("NULL::float8 AS %s", SQL.identifier(code)) for code in (*KPIS, "audit_score")
            ),
        )

    def _read_group_select(self, aggregate_spec, query):
        fname, __, func = aggregate_spec.partition(":")
        if func != "avg" or (fname not in KPIS and fname != "audit_score"):
            return super()._read_group_select(aggregate_spec, query)
        self._check_field_access(self._fields[fname], "read")

        def column(name):
            return SQL("SUM(%s)", SQL.identifier(self._table, name))

        if fname == "audit_score":
            return SQL("%s::float8 / NULLIF(%s, 0)", column("audit_score_sum"), column("audit_count"))
        _label, numerator, denominator, factor, *_rest = KPIS[fname]
        if numerator == "nps":
            return SQL(
                "%s * (%s - %s)::float8 / NULLIF(%s, 0)",
                factor,
                column("promoter_count"),
                column("detractor_count"),
                column(denominator),
            )
        return SQL("%s * %s::float8 / NULLIF(%s, 0)", factor, column(numerator), column(denominator))

    # ------------------------------------------------------------------
    # KPIs against targets
    # ------------------------------------------------------------------

    @api.model
    def _kpi_board(self, domain=None, groupby=()):
        """[(group values, {kpi: {"value", "target", "state"}})] of the KPIs
        over ``domain`` grouped by ``groupby`` (e.g. ``["date:month",
        "team_id"]``), each against the target of its company. One query for
        the sums, one for the targets (groups spanning several companies are
        judged against the first company's target)."""
        domain = Domain(domain or Domain.TRUE)
        groupby = list(groupby)
        company_group = "company_id" not in groupby
        rows = self._read_group(
            domain, [*groupby, *(["company_id"] if company_group else [])], [f"{m}:sum" for m in MEASURES]
        )
        keys = len(groupby)
        company_index = keys if company_group else groupby.index("company_id")
        companies = self.env["res.company"].union(*(row[company_index] for row in rows))
        targets = self.env["aftersales.quality.target"]._targets_by_company(companies)
        merged = {}
        for row in rows:
            key = row[:keys]
            company = row[company_index]
            sums = dict(zip(MEASURES, row[keys + (1 if company_group else 0) :], strict=True))
            entry = merged.setdefault(key, {"company": company, "sums": dict.fromkeys(MEASURES, 0)})
            for measure, value in sums.items():
                entry["sums"][measure] += value or 0
        board = []
        for key, entry in merged.items():
            company_targets = targets.get(entry["company"].id, {})
            kpis = {}
            for code in KPIS:
                value = kpi_value(code, entry["sums"])
                target = company_targets.get(code, KPIS[code][5])
                kpis[code] = {"value": value, "target": target, "state": kpi_state(code, value, target)}
            board.append((dict(zip(groupby, key, strict=True)), kpis))
        return board
