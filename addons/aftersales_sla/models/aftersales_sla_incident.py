from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .aftersales_ticket import INCIDENT_LEVELS


class AftersalesSlaIncident(models.Model):
    """A major incident (重大事件): one outage reported by many customers.
    Its tickets carry its level, so their first response runs on the clock
    around the clock; resolving it resolves them and tells each customer."""

    _name = "aftersales.sla.incident"
    _description = "After-sales Major Incident"
    _inherit = ["mail.thread"]
    _order = "state desc, level, date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    level = fields.Selection(INCIDENT_LEVELS, required=True, default="1", tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")], default="open", required=True, readonly=True, tracking=True
    )
    date_start = fields.Datetime(string="Started", default=fields.Datetime.now, required=True)
    date_resolved = fields.Datetime(string="Resolved", readonly=True, copy=False)
    description = fields.Html()
    resolution = fields.Text(help="What was done: sent to every affected customer when the incident is resolved.")
    ticket_ids = fields.One2many("aftersales.ticket", "sla_major_incident_id", string="Tickets", check_company=True)
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    update_ids = fields.One2many("aftersales.sla.incident.update", "incident_id", string="Updates")

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        for incident in self:
            incident.ticket_count = len(incident.ticket_ids)

    def write(self, vals):
        res = super().write(vals)
        if "level" in vals:
            # The tickets follow the incident's level (and their deadlines with it).
            self.ticket_ids.filtered(lambda t: t.sla_incident_level != vals["level"]).write(
                {"sla_incident_level": vals["level"]}
            )
        return res

    def action_resolve(self):
        """Resolve the incident and its open tickets, and tell each customer
        through the ticket's chatter (mail template, logged)."""
        self.check_access("write")
        if any(incident.state == "resolved" for incident in self):
            raise UserError(self.env._("This incident is already resolved."))
        now = fields.Datetime.now()
        self.write({"state": "resolved"})
        self.sudo().write({"date_resolved": now})
        tickets = self.ticket_ids.filtered(lambda t: not t.is_closed and not t.date_resolved)
        stages = self.env["aftersales.stage"].search([("milestone", "in", ("acceptance", "followup"))])
        acceptance = stages.filtered(lambda s: s.milestone == "acceptance")[:1]
        followup = stages.filtered(lambda s: s.milestone == "followup")[:1]
        to_accept = tickets.filtered("requires_acceptance")
        if acceptance and to_accept:
            to_accept.sudo().write({"stage_id": acceptance.id})
        if followup and tickets - to_accept:
            (tickets - to_accept).sudo().write({"stage_id": followup.id})
        told = tickets.filtered(lambda t: t.partner_id and not t.partner_id._aftersales_opted_out())
        if told:
            told.message_post_with_source(
                "aftersales_sla.mail_template_incident_resolved", subtype_xmlid="mail.mt_comment"
            )
        for incident in self:
            incident.message_post(
                body=self.env._(
                    "Incident resolved: %(count)s tickets resolved, %(told)s customers told.",
                    count=len(tickets & incident.ticket_ids),
                    told=len(told & incident.ticket_ids),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_view_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "view_mode": "list,form",
            "domain": [("sla_major_incident_id", "=", self.id)],
            "context": {"default_sla_major_incident_id": self.id},
            "name": self.env._("Incident Tickets"),
        }


class AftersalesSlaIncidentUpdate(models.Model):
    """A progress update of a major incident: posted once, through the chatter
    of every open ticket of the incident, to each customer (opt-out
    respected), and kept as the incident's timeline."""

    _name = "aftersales.sla.incident.update"
    _description = "Major Incident Update"
    _order = "create_date desc, id desc"

    incident_id = fields.Many2one("aftersales.sla.incident", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="incident_id.company_id", store=True)
    body = fields.Text(string="Update", required=True)
    told_count = fields.Integer(string="Customers Told", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("told_count" in vals for vals in vals_list):
            raise AccessError(self.env._("The number of customers told is counted by the system."))
        updates = super().create(vals_list)
        for update in updates:
            if update.incident_id.state != "open":
                raise UserError(self.env._("Updates are for open incidents: this one is resolved."))
            update.sudo().told_count = update._tell_customers()
        return updates

    def _tell_customers(self):
        self.ensure_one()
        tickets = self.incident_id.ticket_ids.filtered(
            lambda t: not t.is_closed and t.partner_id and not t.partner_id._aftersales_opted_out()
        )
        if tickets:
            tickets.with_context(incident_update=self.body).message_post_with_source(
                "aftersales_sla.mail_template_incident_update", subtype_xmlid="mail.mt_comment"
            )
        self.incident_id.message_post(
            body=self.env._("Update sent to %(count)s customers: %(body)s", count=len(tickets), body=self.body),
            subtype_xmlid="mail.mt_note",
        )
        return len(tickets)
