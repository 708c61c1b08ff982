from odoo import fields, models
from odoo.addons.aftersales_ticket.const import URGENCIES
from odoo.tools import SQL

from ..models.aftersales_ticket_deadline import SLA_STATES


class AftersalesSlaReport(models.Model):
    _name = "aftersales.sla.report"
    _description = "After-sales SLA Compliance"
    _auto = False
    _order = "date_reported desc"

    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    tier_id = fields.Many2one("aftersales.sla.tier", string="Tier", readonly=True)
    team_id = fields.Many2one("aftersales.team", string="Team", readonly=True)
    technician_id = fields.Many2one("aftersales.technician", string="Technician", readonly=True)
    user_id = fields.Many2one("res.users", string="Technician User", readonly=True)
    urgency = fields.Selection(URGENCIES, readonly=True)
    date_reported = fields.Datetime(readonly=True)
    response_state = fields.Selection(SLA_STATES, readonly=True)
    resolution_state = fields.Selection(SLA_STATES, readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True, aggregator="sum")
    response_compliance = fields.Float(
        string="Response Compliance (%)",
        readonly=True,
        aggregator="avg",
        help="Share of answered-or-due tickets answered in time.",
    )
    resolution_compliance = fields.Float(
        string="Resolution Compliance (%)",
        readonly=True,
        aggregator="avg",
        help="Share of resolved-or-due tickets resolved in time.",
    )
    response_breached = fields.Integer(string="Responses Late", readonly=True, aggregator="sum")
    resolution_breached = fields.Integer(string="Resolutions Late", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.company_id,
                   t.sla_tier_id AS tier_id,
                   t.team_id,
                   t.technician_id,
                   t.user_id,
                   t.urgency,
                   t.date_reported,
                   t.sla_response_state AS response_state,
                   t.sla_resolution_state AS resolution_state,
                   1 AS ticket_count,
                   CASE WHEN t.sla_response_state = 'met' THEN 100.0
                        WHEN t.sla_response_state IN ('met_late', 'breached') THEN 0.0
                   END AS response_compliance,
                   CASE WHEN t.sla_resolution_state = 'met' THEN 100.0
                        WHEN t.sla_resolution_state IN ('met_late', 'breached') THEN 0.0
                   END AS resolution_compliance,
                   CASE WHEN t.sla_response_state IN ('met_late', 'breached') THEN 1 ELSE 0 END AS response_breached,
                   CASE WHEN t.sla_resolution_state IN ('met_late', 'breached') THEN 1 ELSE 0 END AS resolution_breached
              FROM aftersales_ticket t
             WHERE t.sla_tier_id IS NOT NULL AND t.active
            """
        )
