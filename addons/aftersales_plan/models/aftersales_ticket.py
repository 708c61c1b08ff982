"""Tickets of the plans and of the partner service centres: the visit's plan
and checklist, the centre a ticket is subcontracted to and its settlement."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT, OPEN, OPEN_FIELD, SYSTEM
from odoo.exceptions import UserError

PLAN_TICKET_WRITE_RULES = {
    "maintenance_plan_id": FACT,
    "maintenance_visit_date": FACT,
    # Lines come from the plan; their results are the technician's work.
    "maintenance_check_ids": (SYSTEM, OPEN),
    "provider_partner_id": FACT,
    "provider_parts_used": OPEN_FIELD,
    "provider_done_date": FACT,
    "provider_po_line_id": FACT,
}
# Set while the plan job creates visits: their kit repairs come afterwards.
NEW_VISITS_CONTEXT_KEY = "aftersales_plan_new_visits"
# What a service centre's portal user may change on its tickets (portal routes
# write these with sudo(), and nothing else).
PROVIDER_PORTAL_FIELDS = ("diagnosis", "provider_parts_used")


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    # Maintenance plan
    # internal: portal users cannot read plans or checklists
    maintenance_plan_id = fields.Many2one(
        "aftersales.maintenance.plan",
        string="Maintenance Plan",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups="base.group_user",
    )
    maintenance_visit_date = fields.Date(string="Planned Visit", readonly=True, copy=False)
    maintenance_check_ids = fields.One2many(
        "aftersales.ticket.check", "ticket_id", string="Visit Checklist", groups="base.group_user"
    )

    # Partner service centre
    provider_partner_id = fields.Many2one(
        "res.partner",
        string="Service Centre",
        compute="_compute_provider_partner_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The external service centre this ticket is subcontracted to: the provider of its team.",
    )
    provider_parts_used = fields.Text(string="Parts Used (Service Centre)")
    provider_done_date = fields.Datetime(string="Done by Service Centre", readonly=True, copy=False)
    provider_po_line_id = fields.Many2one(
        "purchase.order.line", string="Settlement Line", readonly=True, copy=False, index="btree_not_null"
    )

    _maintenance_visit_unique = models.UniqueIndex(
        "(maintenance_plan_id, maintenance_visit_date) WHERE maintenance_plan_id IS NOT NULL",
        "This visit of the maintenance plan already has its ticket.",
    )

    @api.depends("team_id.provider_partner_id")
    def _compute_provider_partner_id(self):
        for ticket in self:
            ticket.provider_partner_id = ticket.sudo().team_id.provider_partner_id

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), **PLAN_TICKET_WRITE_RULES}

    def write(self, vals):
        res = super().write(vals)
        if "technician_id" in vals and not self.env.context.get(NEW_VISITS_CONTEXT_KEY):
            self._plan_kit_follow_technician()
        return res

    def _plan_kit_follow_technician(self):
        """The kit repairs of visits not started yet (draft, nothing issued)
        follow the visit's technician: theirs to issue, from their van."""
        repairs = (
            self.filtered("maintenance_plan_id")
            .sudo()
            .repair_ids.filtered(lambda r: r.state == "draft" and not any(r.move_ids.mapped("picked")))
        )
        for repair in repairs:
            technician = repair.aftersales_ticket_id.technician_id
            vals = {"user_id": technician.user_id.id}
            if technician.van_location_id:
                vals["location_id"] = technician.van_location_id.id
            repair.write(vals)

    def action_subcontract(self, team):
        """Hand the tickets to a partner service centre (its team)."""
        self.check_access("write")
        if not team.provider_partner_id:
            raise UserError(self.env._("Team %(team)s is not a partner service centre.", team=team.display_name))
        self.write({"team_id": team.id, "technician_id": False})
        for ticket in self:
            ticket.message_post(
                body=self.env._("Subcontracted to service centre %(centre)s.", centre=team.provider_partner_id.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _provider_update(self, values, done=False):
        """A service centre's update from the portal: the caller checked that
        the ticket is the centre's and passes the form's values; only
        PROVIDER_PORTAL_FIELDS are written, as superuser."""
        self.ensure_one()
        vals = {fname: values[fname] for fname in PROVIDER_PORTAL_FIELDS if fname in values}
        if self.provider_done_date and (vals or done):
            raise UserError(self.env._("This ticket is already reported done: ask the service desk to reopen it."))
        if vals:
            self.sudo().write(vals)
        if done:
            stage = self.env.ref("aftersales_ticket.stage_acceptance")
            self._write_facts({"provider_done_date": fields.Datetime.now()})
            self.sudo().write({"stage_id": stage.id})
            self.sudo().message_post(
                body=Markup("<p>%s</p>")
                % self.env._("The service centre reported the work done; the customer's acceptance is next."),
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )
        return True
