import ast

from odoo import api, fields, models

from ..write_rules import FACT, MANAGER, OPEN_FIELD, SYSTEM

# Who may set a stored field of a team through create() and write(): (on
# create, on write), in the vocabulary of aftersales.write.rules.mixin. The
# configuration is open to whoever the access rights let write teams (the
# after-sales managers); extending addons add their fields in
# _field_write_rules(), and the team's write-table test fails on a stored
# field left out.
TEAM_WRITE_RULES = {
    **dict.fromkeys(
        (
            "name",
            "active",
            "color",
            "company_id",
            "network_level",
            "parent_id",
            "child_ids",
            "manager_id",
            "member_ids",
            "technician_ids",
            "resource_calendar_id",
            "auto_dispatch",
            "alias_create_partner",
        ),
        OPEN_FIELD,
    ),
    # The alias is made with the team (mail.alias.mixin) and stays its own.
    "alias_id": (MANAGER, SYSTEM),
    # A team's tickets move on the ticket (its team is the agents' field).
    "ticket_ids": FACT,
    # Facts of the system; rating_ids is added to every mail thread by Odoo's
    # rating when it is installed (live chat).
    **dict.fromkeys(
        (
            "complete_name",
            "parent_path",
            "message_ids",
            "message_follower_ids",
            "website_message_ids",
            "rating_ids",
        ),
        FACT,
    ),
}


class AftersalesTeam(models.Model):
    _name = "aftersales.team"
    _description = "After-sales Service Team"
    _inherit = ["mail.thread", "mail.alias.mixin", "aftersales.write.rules.mixin"]
    _order = "complete_name"
    _parent_store = True
    _parent_name = "parent_id"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True, tracking=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    # Service network: HQ -> region -> city service centre
    network_level = fields.Selection(
        [("hq", "Headquarters"), ("region", "Region"), ("city", "City service centre")],
        string="Network Level",
        default="city",
        required=True,
    )
    parent_id = fields.Many2one(
        "aftersales.team", string="Parent Team", index=True, ondelete="restrict", check_company=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("aftersales.team", "parent_id", string="Sub-teams")

    # People and schedule
    manager_id = fields.Many2one(
        "res.users", string="Manager", tracking=True, domain="[('share', '=', False)]", check_company=True
    )
    member_ids = fields.Many2many("res.users", string="Members", domain="[('share', '=', False)]")
    technician_ids = fields.Many2many("aftersales.technician", string="Technicians")
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Opening Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        check_company=True,
        help="When the service centre is open, for the team and its customers to read. It drives nothing: "
        "dispatch reads each technician's own working hours and time off, and SLA deadlines (After-sales SLA) "
        "count on the calendar of the ticket's service tier.",
    )
    auto_dispatch = fields.Boolean(
        default=True, help="Assign new tickets to the best technician as soon as they are created."
    )

    # Email intake: who may write is the alias's own contact setting (alias_contact).
    alias_create_partner = fields.Boolean(
        string="Create Contacts for Unknown Senders",
        help="When an unknown address writes to the team's alias, create a contact for it. Otherwise the "
        "ticket keeps the sender's address and waits for an agent to link the customer.",
    )

    ticket_ids = fields.One2many("aftersales.ticket", "team_id", string="Tickets")
    open_ticket_count = fields.Integer(compute="_compute_open_ticket_count")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for team in self:
            if team.parent_id:
                team.complete_name = f"{team.parent_id.complete_name} / {team.name}"
            else:
                team.complete_name = team.name

    def _compute_open_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("team_id", "in", self.ids), ("is_closed", "=", False)], ["team_id"], ["__count"]
            )
        )
        for team in self:
            team.open_ticket_count = counts.get(team, 0)

    @api.model
    def _field_write_rules(self):
        """{field name: (who may set it on create, who may change it on write)};
        see TEAM_WRITE_RULES."""
        return dict(TEAM_WRITE_RULES)

    @api.model_create_multi
    def create(self, vals_list):
        # Email intake from known contacts only, unless the company opened it.
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            if "alias_contact" not in vals:
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["alias_contact"] = "everyone" if company.sudo().aftersales_alias_open else "partners"
        return super().create(vals_list)

    def write(self, vals):
        # The alias fields are written on the alias by the mixin; without this
        # an empty write of the team itself would skip its access check.
        self.check_access("write")
        return super().write(vals)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise models.ValidationError(self.env._("A team cannot be its own parent."))

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("aftersales.ticket").id
        if self.id:
            values["alias_defaults"] = defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            defaults.setdefault("channel", "email")
        return values

    def action_open_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_ticket.aftersales_ticket_action")
        action["domain"] = [("team_id", "child_of", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        return action
