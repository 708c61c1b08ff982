from odoo import fields, models
from odoo.tools import SQL


class AftersalesFollowupAnalysis(models.Model):
    """The detailed analysis: one row per follow-up invitation (CSAT, NPS,
    response rate) and one per closed ticket (follow-up coverage), for what the
    monthly totals of ``aftersales.followup.report`` do not keep (product,
    customer, ticket, channel, day and week). Averages of the percentage columns are the
    KPIs: NPS = % promoters - % detractors is the average of +100 / 0 / -100."""

    _name = "aftersales.followup.analysis"
    _description = "After-sales Follow-up Details"
    _auto = False
    _order = "date desc"
    # flushed before every read of the report
    _depends = {
        "aftersales.followup": [
            "ticket_id", "step_id", "channel", "company_id", "partner_id", "team_id", "technician_id",
            "product_id", "state", "date_sent", "csat_quality", "csat_attitude", "csat_speed", "csat_score",
            "nps_answered", "nps_value",
        ],
        "aftersales.ticket": [
            "company_id", "team_id", "technician_id", "product_id", "partner_id", "stage_id", "date_closed",
        ],
        "aftersales.stage": ["is_cancelled"],
    }  # fmt: skip

    kind = fields.Selection([("invitation", "Invitation"), ("ticket", "Closed ticket")], readonly=True)
    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    team_id = fields.Many2one("aftersales.team", string="Service Team", readonly=True)
    technician_id = fields.Many2one("aftersales.technician", string="Technician", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    step_id = fields.Many2one("aftersales.followup.step", string="Step", readonly=True)
    channel = fields.Selection([("email", "Email"), ("portal", "Portal"), ("phone", "Phone")], readonly=True)
    invitation_count = fields.Integer(string="Invitations", readonly=True, aggregator="sum")
    answer_count = fields.Integer(string="Answers", readonly=True, aggregator="sum")
    response_rate = fields.Float(string="Response Rate (%)", readonly=True, aggregator="avg")
    csat_quality = fields.Float(string="CSAT Quality", readonly=True, aggregator="avg")
    csat_attitude = fields.Float(string="CSAT Attitude", readonly=True, aggregator="avg")
    csat_speed = fields.Float(string="CSAT Speed", readonly=True, aggregator="avg")
    csat = fields.Float(string="CSAT", readonly=True, aggregator="avg")
    nps = fields.Float(string="NPS", readonly=True, aggregator="avg")
    closed_count = fields.Integer(string="Closed Tickets", readonly=True, aggregator="sum")
    coverage = fields.Float(string="Follow-up Coverage (%)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        # Both branches give every column the same type, so that PostgreSQL
        # flattens the UNION ALL and computes only the columns a query reads.
        return SQL(
            """
            SELECT f.id * 2 AS id, 'invitation'::varchar AS kind, f.date_sent AS date, f.company_id, f.ticket_id,
                   f.team_id, f.technician_id, f.product_id, f.partner_id, f.step_id, f.channel::varchar AS channel,
                   1 AS invitation_count,
                   (f.state = 'answered')::int AS answer_count,
                   CASE WHEN f.state = 'answered' THEN 100.0::float8 ELSE 0.0::float8 END AS response_rate,
                   NULLIF(f.csat_quality, 0)::float8 AS csat_quality,
                   NULLIF(f.csat_attitude, 0)::float8 AS csat_attitude,
                   NULLIF(f.csat_speed, 0)::float8 AS csat_speed,
                   NULLIF(f.csat_score, 0)::float8 AS csat,
                   CASE WHEN f.nps_answered THEN f.nps_value::float8 END AS nps,
                   0 AS closed_count,
                   NULL::float8 AS coverage
              FROM aftersales_followup f
             WHERE f.date_sent IS NOT NULL AND f.state != 'skipped'
            UNION ALL
            SELECT t.id * 2 + 1, 'ticket'::varchar, t.date_closed, t.company_id, t.id,
                   t.team_id, t.technician_id, t.product_id, t.partner_id, NULL::int, NULL::varchar,
                   0, 0, NULL::float8, NULL::float8, NULL::float8, NULL::float8, NULL::float8, NULL::float8,
                   1,
                   CASE WHEN EXISTS (
                       SELECT 1 FROM aftersales_followup a WHERE a.ticket_id = t.id AND a.state = 'answered'
                   ) THEN 100.0::float8 ELSE 0.0::float8 END
              FROM aftersales_ticket t
              JOIN aftersales_stage s ON s.id = t.stage_id
             WHERE t.date_closed IS NOT NULL AND NOT COALESCE(s.is_cancelled, FALSE)
            """
        )
