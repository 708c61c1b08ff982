from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

# The follow-up KPIs are defined in this file, once: how one answer scores
# (CSAT, NPS value), what a follow-up or a closed ticket adds to the running
# totals (python for the changes the ORM makes, SQL for a recount), the ratios
# the report reads, and the scores shown on partners, products, technicians
# and tickets. The follow-ups, the tickets and the totals call these methods.

CSAT_DIMENSIONS = ("csat_quality", "csat_attitude", "csat_speed")
# Additive measures kept per key: every KPI of the report is a ratio of two sums.
MEASURES = (
    "invitation_count",
    "answer_count",
    "csat_quality_sum",
    "csat_quality_count",
    "csat_attitude_sum",
    "csat_attitude_count",
    "csat_speed_sum",
    "csat_speed_count",
    "csat_sum",
    "csat_count",
    "nps_count",
    "promoter_count",
    "passive_count",
    "detractor_count",
    "closed_count",
    "covered_count",
)
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


def month_start(value):
    return value.date().replace(day=1) if value else None


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

    # ------------------------------------------------------------------
    # One answer
    # ------------------------------------------------------------------

    @api.model
    def _nps_value(self, score):
        """+100 for a promoter (9-10), 0 for a passive (7-8), -100 for a detractor (0-6):
        the NPS of a group is the average of these values."""
        return 100 if score >= 9 else (-100 if score <= 6 else 0)

    @api.model
    def _csat_score(self, scores):
        """The CSAT of one answer: the average of the dimensions answered (1-5), 0 when none is."""
        answered = [score for score in scores if score]
        return sum(answered) / len(answered) if answered else 0.0

    # ------------------------------------------------------------------
    # Contributions to the running totals (aftersales.followup.kpi)
    # ------------------------------------------------------------------

    @api.model
    def _kpi_source_fields(self, model):
        """Fields of ``model`` whose change moves a record's contribution to the totals."""
        return {
            "aftersales.followup": {
                "state", "date_sent", "csat_quality", "csat_attitude", "csat_speed", "csat_score", "nps_answered",
                "nps_value", "company_id", "team_id", "technician_id", "step_id", "ticket_id",
            },
            "aftersales.ticket": {"company_id", "team_id", "technician_id", "date_closed", "stage_id"},
        }[model]  # fmt: skip

    @api.model
    def _kpi_followup_key(self, followup):
        return {
            "kind": "invitation",
            "date": month_start(followup.date_sent),
            "company_id": followup.company_id.id,
            "team_id": followup.team_id.id,
            "technician_id": followup.technician_id.id,
            "step_id": followup.step_id.id,
        }

    @api.model
    def _kpi_ticket_key(self, ticket):
        return {
            "kind": "ticket",
            "date": month_start(ticket.date_closed),
            "company_id": ticket.company_id.id,
            "team_id": ticket.team_id.id,
            "technician_id": ticket.technician_id.id,
        }

    @api.model
    def _kpi_rows(self, followups=None, tickets=None):
        """[(key, measures)] these follow-ups (their sent invitations) and these
        closed tickets (cancelled ones aside; covered when a follow-up was
        answered) add to the totals."""
        rows = []
        for followup in (followups or self.env["aftersales.followup"]).sudo():
            if not followup.date_sent or followup.state == "skipped":
                continue
            measures = {"invitation_count": 1, "answer_count": int(followup.state == "answered")}
            for dimension in CSAT_DIMENSIONS:
                if followup[dimension]:
                    measures[f"{dimension}_sum"] = followup[dimension]
                    measures[f"{dimension}_count"] = 1
            if followup.csat_score:
                measures.update(csat_sum=followup.csat_score, csat_count=1)
            if followup.nps_answered:
                kind = "promoter" if followup.nps_value > 0 else ("detractor" if followup.nps_value < 0 else "passive")
                measures.update({"nps_count": 1, f"{kind}_count": 1})
            rows.append((self._kpi_followup_key(followup), measures))
        for ticket in (tickets or self.env["aftersales.ticket"]).sudo():
            if not ticket.date_closed or ticket.stage_id.is_cancelled:
                continue
            covered = any(followup.state == "answered" for followup in ticket.followup_ids)
            rows.append((self._kpi_ticket_key(ticket), {"closed_count": 1, "covered_count": int(covered)}))
        return rows

    @api.model
    def _kpi_rebuild_key_sql(self):
        """SQL of each key column over the raw data: (follow-up branch over
        ``f`` joined to its ticket ``t``, closed ticket branch over ``t``)."""
        return {
            "kind": (SQL("'invitation'"), SQL("'ticket'")),
            "date": (SQL("date_trunc('month', f.date_sent)::date"), SQL("date_trunc('month', t.date_closed)::date")),
            "company_id": (SQL("f.company_id"), SQL("t.company_id")),
            "team_id": (SQL("f.team_id"), SQL("t.team_id")),
            "technician_id": (SQL("f.technician_id"), SQL("t.technician_id")),
            "step_id": (SQL("f.step_id"), SQL("NULL::int")),
        }

    @api.model
    def _kpi_recount_query(self, key_fields):
        """One row per key counted from the raw follow-ups and tickets: the same
        measures as ``_kpi_rows``, in SQL, to rebuild or check the totals."""
        key_sql = self._kpi_rebuild_key_sql()
        invitation_keys = SQL(", ").join(SQL("%s AS %s", key_sql[c][0], SQL.identifier(c)) for c in key_fields)
        ticket_keys = SQL(", ").join(SQL("%s AS %s", key_sql[c][1], SQL.identifier(c)) for c in key_fields)
        group = SQL(", ").join(SQL(str(i + 1)) for i in range(len(key_fields)))
        return SQL(
            """
            SELECT %(invitation_keys)s,
                   count(*), count(*) FILTER (WHERE f.state = 'answered'),
                   COALESCE(SUM(f.csat_quality) FILTER (WHERE f.csat_quality != 0), 0),
                   count(*) FILTER (WHERE f.csat_quality != 0),
                   COALESCE(SUM(f.csat_attitude) FILTER (WHERE f.csat_attitude != 0), 0),
                   count(*) FILTER (WHERE f.csat_attitude != 0),
                   COALESCE(SUM(f.csat_speed) FILTER (WHERE f.csat_speed != 0), 0),
                   count(*) FILTER (WHERE f.csat_speed != 0),
                   COALESCE(SUM(f.csat_score) FILTER (WHERE f.csat_score != 0), 0),
                   count(*) FILTER (WHERE f.csat_score != 0),
                   count(*) FILTER (WHERE f.nps_answered),
                   count(*) FILTER (WHERE f.nps_answered AND f.nps_value > 0),
                   count(*) FILTER (WHERE f.nps_answered AND f.nps_value = 0),
                   count(*) FILTER (WHERE f.nps_answered AND f.nps_value < 0),
                   0, 0
              FROM aftersales_followup f
              JOIN aftersales_ticket t ON t.id = f.ticket_id
             WHERE f.date_sent IS NOT NULL AND f.state != 'skipped'
             GROUP BY %(group)s
            UNION ALL
            SELECT %(ticket_keys)s, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                   count(*),
                   count(*) FILTER (WHERE EXISTS (
                       SELECT 1 FROM aftersales_followup a WHERE a.ticket_id = t.id AND a.state = 'answered'
                   ))
              FROM aftersales_ticket t
              JOIN aftersales_stage s ON s.id = t.stage_id
             WHERE t.date_closed IS NOT NULL AND NOT COALESCE(s.is_cancelled, FALSE)
             GROUP BY %(group)s
            """,
            invitation_keys=invitation_keys,
            ticket_keys=ticket_keys,
            group=group,
        )

    # ------------------------------------------------------------------
    # Scores on the records people open (partner, product, technician, ticket)
    # ------------------------------------------------------------------

    @api.model
    def _scores_by(self, fname, ids):
        """{id: (average CSAT, NPS)} of the answered follow-ups grouped by ``fname``."""
        if not ids:
            return {}
        base = Domain(fname, "in", ids) & Domain("state", "=", "answered")
        Followup = self.env["aftersales.followup"].sudo()
        csat = {
            record.id: avg
            for record, avg in Followup._read_group(base & Domain("csat_score", ">", 0), [fname], ["csat_score:avg"])
        }
        nps = {
            record.id: avg
            for record, avg in Followup._read_group(
                base & Domain("nps_answered", "=", True), [fname], ["nps_value:avg"]
            )
        }
        return {key: (csat.get(key, 0.0), nps.get(key, 0.0)) for key in set(csat) | set(nps)}

    # ------------------------------------------------------------------
    # Reading the totals
    # ------------------------------------------------------------------

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
            SQL(", ").join(
                SQL("k.%s", SQL.identifier(c)) for c in self.env["aftersales.followup.kpi"]._kpi_key_fields()
            ),
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
