from odoo import fields, models
from odoo.tools import SQL

# What a centre is judged on: the ticket's resolution target (the centre does
# the work; the service desk may have answered before subcontracting).
PROVIDER_COLUMNS = {
    "provider_partner_id": SQL("t.provider_partner_id"),
    "sla_met_count": SQL("(t.sla_resolution_state = 'met')::int"),
    "sla_due_count": SQL("(t.sla_resolution_state IN ('met', 'met_late', 'breached'))::int"),
}


class AftersalesQualityProviderReport(models.Model):
    """The service KPIs of the tickets subcontracted to partner service
    centres (``aftersales_plan``), by centre: the rows of the service KPIs
    (``aftersales.quality.report``, same measures, same formulas, same
    targets) of the tickets that have a centre, with the centre, and their
    SLA compliance taken on the resolution target of the ticket's tier (a
    subcontracted ticket keeps its tier and deadlines: the centre works to
    the customer's SLA). Tickets of internal teams are not in it."""

    _name = "aftersales.quality.provider.report"
    _inherit = "aftersales.quality.report"
    _description = "After-sales Service KPIs of Partner Service Centres"
    _auto = False
    _order = "date desc"
    _depends = {
        **models.Model._depends,
        "aftersales.ticket": ["provider_partner_id", "sla_resolution_state"],
    }

    provider_partner_id = fields.Many2one("res.partner", string="Service Centre", readonly=True)
    sla_met_count = fields.Integer(string="Resolved in Time", readonly=True, aggregator="sum")
    sla_due_count = fields.Integer(string="Resolution SLA Due", readonly=True, aggregator="sum")
    sla_compliance = fields.Float(
        string="Resolved in Time (%)",
        readonly=True,
        aggregator="avg",
        help="100 x subcontracted tickets whose resolution SLA (the tier of the ticket, kept when it is "
        "subcontracted) was met / those whose resolution SLA was met, met late or breached.",
    )

    @property
    def _table_query(self):
        columns = [
            SQL("%s AS %s", PROVIDER_COLUMNS.get(fname, SQL.identifier("r", fname)), SQL.identifier(fname))
            for fname, field in self._fields.items()
            if field.store and field.column_type
        ]
        return SQL(
            """
            SELECT %s
              FROM (%s) r
              JOIN aftersales_ticket t ON t.id = r.ticket_id
             WHERE t.provider_partner_id IS NOT NULL
            """,
            SQL(", ").join(columns),
            self.env["aftersales.quality.report"]._table_query,
        )
