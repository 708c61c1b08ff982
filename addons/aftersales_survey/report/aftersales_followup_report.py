from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.aftersales_followup_kpi import MEASURES

# KPI -> (numerator, denominator, factor): each is a ratio of two sums of the
# running totals, so it stays right whatever the grouping.
RATIOS = {
    "response_rate": ("answer_count", "invitation_count", 100.0),
    "csat_quality": ("csat_quality_sum", "csat_quality_count", 1.0),
    "csat_attitude": ("csat_attitude_sum", "csat_attitude_count", 1.0),
    "csat_speed": ("csat_speed_sum", "csat_speed_count", 1.0),
    "csat": ("csat_sum", "csat_count", 1.0),
    "coverage": ("covered_count", "closed_count", 100.0),
}
# Granularities finer than the month the totals are kept by.
FINER_THAN_MONTH = {"day", "week", "day_of_week", "day_of_month", "day_of_year", "iso_week_number", "hour"}


class AftersalesFollowupReport(models.Model):
    """Satisfaction and NPS by month, read from the running totals
    ``aftersales.followup.kpi``: a few rows per team, technician, step and
    month instead of one per invitation. The KPIs are weighted over the
    grouped rows: NPS = 100 x (promoters - detractors) / NPS answers, CSAT =
    sum of scores / answered scores, response rate = answers / invitations,
    coverage = covered closed tickets / closed tickets. Products, customers,
    tickets, channels, days and weeks are in the detailed analysis
    (``aftersales.followup.analysis``)."""

    _name = "aftersales.followup.report"
    _description = "After-sales Satisfaction and NPS"
    _auto = False
    _order = "date desc"
    _depends = {
        "aftersales.followup.kpi": ["kind", "date", "company_id", "team_id", "technician_id", "step_id", *MEASURES],
    }

    kind = fields.Selection([("invitation", "Invitation"), ("ticket", "Closed ticket")], readonly=True)
    date = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("aftersales.team", string="Service Team", readonly=True)
    technician_id = fields.Many2one("aftersales.technician", string="Technician", readonly=True)
    step_id = fields.Many2one("aftersales.followup.step", string="Step", readonly=True)
    invitation_count = fields.Integer(string="Invitations", readonly=True, aggregator="sum")
    answer_count = fields.Integer(string="Answers", readonly=True, aggregator="sum")
    response_rate = fields.Float(string="Response Rate (%)", readonly=True, aggregator="avg")
    csat_quality = fields.Float(string="CSAT Quality", readonly=True, aggregator="avg")
    csat_attitude = fields.Float(string="CSAT Attitude", readonly=True, aggregator="avg")
    csat_speed = fields.Float(string="CSAT Speed", readonly=True, aggregator="avg")
    csat = fields.Float(string="CSAT", readonly=True, aggregator="avg")
    nps = fields.Float(string="NPS", readonly=True, aggregator="avg")
    promoter_count = fields.Integer(string="Promoters", readonly=True, aggregator="sum")
    passive_count = fields.Integer(string="Passives", readonly=True, aggregator="sum")
    detractor_count = fields.Integer(string="Detractors", readonly=True, aggregator="sum")
    closed_count = fields.Integer(string="Closed Tickets", readonly=True, aggregator="sum")
    covered_count = fields.Integer(string="Followed-up Tickets", readonly=True, aggregator="sum")
    coverage = fields.Float(string="Follow-up Coverage (%)", readonly=True, aggregator="avg")

    def _report_key_columns(self):
        """Key columns of the totals the report exposes (extended with the tier)."""
        return ["kind", "date", "company_id", "team_id", "technician_id", "step_id"]

    @property
    def _table_query(self):
        # The KPI columns of a single row are its own ratios; grouped, they are
        # recomputed from the sums (_read_group_select).
        ratios = [
            SQL(
                "CASE WHEN k.%s != 0 THEN %s * k.%s::float8 / k.%s END AS %s",
                SQL.identifier(denominator),
                factor,
                SQL.identifier(numerator),
                SQL.identifier(denominator),
                SQL.identifier(fname),
            )
            for fname, (numerator, denominator, factor) in RATIOS.items()
        ]
        ratios.append(
            SQL("CASE WHEN k.nps_count != 0 THEN 100.0 * (k.promoter_count - k.detractor_count)::float8 "
                "/ k.nps_count END AS nps")
        )  # fmt: skip
        return SQL(
            "SELECT k.id, %s, %s, %s FROM aftersales_followup_kpi k",
            SQL(", ").join(SQL("k.%s", SQL.identifier(c)) for c in self._report_key_columns()),
            SQL(", ").join(SQL("k.%s", SQL.identifier(c)) for c in MEASURES),
            SQL(", ").join(ratios),
        )

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "__count":
            # what the count of a per-invitation report counts: invitations and closed tickets,
            # not the rows of totals behind them
            return SQL(
                "SUM(%s + %s)",
                SQL.identifier(self._table, "invitation_count"),
                SQL.identifier(self._table, "closed_count"),
            )
        fname, __, func = aggregate_spec.partition(":")
        if func != "avg" or (fname not in RATIOS and fname != "nps"):
            return super()._read_group_select(aggregate_spec, query)
        self._check_field_access(self._fields[fname], "read")

        def column(name):
            return SQL.identifier(self._table, name)

        if fname == "nps":
            return SQL(
                "100.0 * (SUM(%s) - SUM(%s))::float8 / NULLIF(SUM(%s), 0)",
                column("promoter_count"),
                column("detractor_count"),
                column("nps_count"),
            )
        numerator, denominator, factor = RATIOS[fname]
        return SQL("%s * SUM(%s)::float8 / NULLIF(SUM(%s), 0)", factor, column(numerator), column(denominator))

    def _read_group_groupby(self, alias, groupby_spec, query):
        fname, __, granularity = groupby_spec.partition(":")
        if fname == "date" and granularity in FINER_THAN_MONTH:
            raise UserError(
                self.env._("Satisfaction and NPS are kept by month: use Follow-up Details for days and weeks.")
            )
        return super()._read_group_groupby(alias, groupby_spec, query)
