import logging
from collections import defaultdict

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL

from ..report.aftersales_followup_report import MEASURES

_logger = logging.getLogger(__name__)


class AftersalesFollowupKpi(models.Model):
    """Running totals of the follow-up KPIs per (kind, month, company, team,
    technician, step), read by the satisfaction report. Products are not a
    key (a catalogue would multiply the rows): by product, customer, ticket,
    channel, day or week, the detailed analysis counts the follow-ups.

    Writers never update a row: each change of a follow-up or of a closed
    ticket inserts its delta (new contribution minus old one) as a new row, so
    workers answering or sending at once never wait for or conflict with each
    other. The report sums the rows; the follow-up job merges the rows of each
    key from time to time (``_kpi_compact``), which keeps the table small."""

    _name = "aftersales.followup.kpi"
    _description = "After-sales Follow-up KPI Totals"
    _log_access = False
    _order = "id"

    kind = fields.Selection([("invitation", "Invitation"), ("ticket", "Closed ticket")], required=True)
    date = fields.Date(string="Month", required=True, help="First day of the month sent (closed for tickets).")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    team_id = fields.Many2one("aftersales.team", string="Service Team", ondelete="set null")
    technician_id = fields.Many2one("aftersales.technician", string="Technician", ondelete="set null")
    step_id = fields.Many2one("aftersales.followup.step", string="Step", ondelete="cascade")
    invitation_count = fields.Integer(string="Invitations")
    answer_count = fields.Integer(string="Answers")
    csat_quality_sum = fields.Integer(string="CSAT Quality Total")
    csat_quality_count = fields.Integer(string="CSAT Quality Answers")
    csat_attitude_sum = fields.Integer(string="CSAT Attitude Total")
    csat_attitude_count = fields.Integer(string="CSAT Attitude Answers")
    csat_speed_sum = fields.Integer(string="CSAT Speed Total")
    csat_speed_count = fields.Integer(string="CSAT Speed Answers")
    # numeric: deltas that cancel out leave an exact zero
    csat_sum = fields.Float(string="CSAT Total", digits=(16, 6))
    csat_count = fields.Integer(string="CSAT Answers")
    nps_count = fields.Integer(string="NPS Answers")
    promoter_count = fields.Integer(string="Promoters")
    passive_count = fields.Integer(string="Passives")
    detractor_count = fields.Integer(string="Detractors")
    closed_count = fields.Integer(string="Closed Tickets")
    covered_count = fields.Integer(string="Followed-up Tickets")

    # ------------------------------------------------------------------
    # Keys (extended by aftersales_survey_sla with the tier); the measures
    # and their formulas are the report's (aftersales.followup.report)
    # ------------------------------------------------------------------

    @api.model
    def _kpi_key_fields(self):
        return ["kind", "date", "company_id", "team_id", "technician_id", "step_id"]

    # ------------------------------------------------------------------
    # Deltas
    # ------------------------------------------------------------------

    @api.model
    def _kpi_add(self, before, after):
        """Insert the difference between two lists of contributions
        ``[(key dict, measures dict)]`` as rows, one per key that changed."""
        key_fields = self._kpi_key_fields()
        totals = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
        for sign, rows in ((-1, before), (1, after)):
            for key, measures in rows:
                total = totals[tuple(key.get(fname) or None for fname in key_fields)]
                for measure, value in measures.items():
                    total[measure] += sign * value
        values = [
            key + tuple(total[m] for m in MEASURES)
            for key, total in sorted(totals.items(), key=lambda item: repr(item[0]))
            if any(abs(v) > 1e-9 for v in total.values())
        ]
        if not values:
            return
        columns = [*key_fields, *MEASURES]
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) VALUES %s",
                SQL.identifier(self._table),
                SQL(", ").join(SQL.identifier(c) for c in columns),
                SQL(", ").join(SQL("%s", row) for row in values),
            )
        )
        self.invalidate_model()

    @api.model
    def _kpi_compact(self):
        """Merge the rows of each key into one. Rows another worker is merging
        are left alone (SKIP LOCKED); the sums are the same either way.

        One statement on this model's own insert-only table, kept in SQL on
        purpose: ``search([]).try_lock_for_update()`` would lock the same rows,
        but merging them through the ORM reads every row into Python, then
        unlinks and re-creates them (one query per key), where this moves them
        in one round trip. No other module's table is written."""
        key_fields = self._kpi_key_fields()
        keys = SQL(", ").join(SQL.identifier(c) for c in key_fields)
        measures = SQL(", ").join(SQL.identifier(c) for c in MEASURES)
        sums = SQL(", ").join(SQL("SUM(%s)", SQL.identifier(c)) for c in MEASURES)
        nonzero = SQL(" OR ").join(SQL("SUM(%s) != 0", SQL.identifier(c)) for c in MEASURES)
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """
                        WITH moved AS (
                            DELETE FROM %(table)s WHERE id IN (
                                SELECT id FROM %(table)s ORDER BY id FOR UPDATE SKIP LOCKED
                            ) RETURNING *
                        )
                        INSERT INTO %(table)s (%(keys)s, %(measures)s)
                        SELECT %(keys)s, %(sums)s FROM moved GROUP BY %(keys)s HAVING %(nonzero)s
                        """,
                        table=SQL.identifier(self._table),
                        keys=keys,
                        measures=measures,
                        sums=sums,
                        nonzero=nonzero,
                    ),
                    log_exceptions=False,
                )
        except psycopg2.errors.SerializationFailure:
            _logger.info("Follow-up KPIs: rows merged by another worker, not merging now")
            return False
        self.invalidate_model()
        return True

    @api.model
    def _kpi_recount(self):
        """{key tuple: measures tuple} counted from the raw data."""
        self.env.flush_all()
        self.env.cr.execute(self.env["aftersales.followup.report"]._kpi_recount_query(self._kpi_key_fields()))
        n = len(self._kpi_key_fields())
        return {tuple(row[:n]): tuple(row[n:]) for row in self.env.cr.fetchall()}

    @api.model
    def _kpi_totals(self):
        """{key tuple: measures tuple} summed from the running totals (keys that add up to nothing left out)."""
        key_fields = self._kpi_key_fields()
        self.env.cr.execute(
            SQL(
                "SELECT %s, %s FROM %s GROUP BY %s",
                SQL(", ").join(SQL.identifier(c) for c in key_fields),
                SQL(", ").join(SQL("SUM(%s)", SQL.identifier(c)) for c in MEASURES),
                SQL.identifier(self._table),
                SQL(", ").join(SQL.identifier(c) for c in key_fields),
            )
        )
        n = len(key_fields)
        return {tuple(row[:n]): tuple(row[n:]) for row in self.env.cr.fetchall() if any(row[n:])}

    @api.model
    def _kpi_rebuild(self):
        """Recount every total from the raw data (installation, new key column, repair)."""
        self.env.flush_all()
        key_fields = self._kpi_key_fields()
        self.env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(self._table)))
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s, %s) %s",
                SQL.identifier(self._table),
                SQL(", ").join(SQL.identifier(c) for c in key_fields),
                SQL(", ").join(SQL.identifier(c) for c in MEASURES),
                self.env["aftersales.followup.report"]._kpi_recount_query(self._kpi_key_fields()),
            )
        )
        self.invalidate_model()
