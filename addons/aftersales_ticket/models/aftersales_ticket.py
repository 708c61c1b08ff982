from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import html2plaintext

from ..const import (
    CATEGORIES,
    CHANNELS,
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    SERVICE_MODES,
    URGENCIES,
    URGENCY_RANK,
)
from ..write_rules import AGENT, AGENT_ON_WRITE, FACT, MANAGER, OPEN_FIELD, SYSTEM
from .aftersales_technician import LEVELS

# Who may set a stored field through create() and write(), the paths RPC
# callers reach: (on create, on write), in the vocabulary of
# aftersales.write.rules.mixin (write_rules.py). Facts are written by the
# suite's own code with _write_facts(). Extending addons add their fields in
# _field_write_rules(); the access test fails on a stored field left out.
TICKET_WRITE_RULES = {
    # The work on the ticket: anyone who may write it.
    **dict.fromkeys(
        (
            "name",
            "tag_ids",
            "color",
            "email_cc",
            "partner_name",
            "partner_phone",
            "partner_email",
            "partner_address",
            "product_id",
            "lot_id",
            "description",
            "fault_category_id",
            "service_mode",
            "appointment_date",
            "estimated_hours",
            "diagnosis",
            "solution",
            "stage_id",
        ),
        OPEN_FIELD,
    ),
    # Intake and dispatch are the agents' work.
    **dict.fromkeys(
        (
            "active",
            "company_id",
            "partner_id",
            "purchase_date",
            "channel",
            "urgency",
            "category",
            "required_level",
            "team_id",
            "technician_id",
        ),
        AGENT_ON_WRITE,
    ),
    "complaint_step": (SYSTEM, AGENT),
    # When the customer reported: taken at intake, corrected by a manager (tracked).
    "date_reported": (AGENT, MANAGER),
    # Facts of the system.
    **dict.fromkeys(
        (
            "number",
            "commercial_partner_id",
            "product_category_id",
            "priority_rank",
            "user_id",
            "milestone",
            "is_closed",
            "is_cancelled",
            "date_taken",
            "date_assigned",
            "date_first_response",
            "date_resolved",
            "date_closed",
            "date_service_end",
            "response_hours",
            "dispatch_data",
            "resolution_hours",
            "diagnosis_hours",
            "repair_hours",
            "followup_hours",
            "date_diagnosis",
            "date_repair",
            "date_followup",
            "acceptance_state",
            "acceptance_signature",
            "acceptance_signed_by",
            "acceptance_date",
            "refusal_reason",
            "rework_of_id",
            "rework_ids",
            "repeat_of_id",
            "duplicate_of_id",
            "is_repeat",
            "access_token",
            "message_ids",
            "message_follower_ids",
            "activity_ids",
            "website_message_ids",
            "notice_log",
        ),
        FACT,
    ),
}


class AftersalesTicket(models.Model):
    _name = "aftersales.ticket"
    _description = "After-sales Ticket"
    _inherit = [
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "mail.tracking.duration.mixin",
        "aftersales.write.rules.mixin",
    ]
    _order = "priority_rank, date_reported desc, id desc"
    _primary_email = "partner_email"
    _track_duration_field = "stage_id"
    _mail_post_access = "read"  # customers may write on the tickets they can read

    # Identification
    name = fields.Char(string="Subject", required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    tag_ids = fields.Many2many("aftersales.tag", string="Tags", groups="base.group_user")
    color = fields.Integer()

    # Customer and contact
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, tracking=True, check_company=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True, precompute=True
    )
    partner_name = fields.Char(
        string="Contact Name", compute="_compute_partner_contact", store=True, readonly=False, precompute=True
    )
    partner_phone = fields.Char(
        string="Phone", compute="_compute_partner_contact", store=True, readonly=False, precompute=True
    )
    partner_email = fields.Char(
        string="Email", compute="_compute_partner_contact", store=True, readonly=False, precompute=True
    )
    partner_address = fields.Text(
        string="Address", compute="_compute_partner_contact", store=True, readonly=False, precompute=True
    )

    # Product
    product_id = fields.Many2one("product.product", string="Product", index=True, tracking=True, check_company=True)
    product_category_id = fields.Many2one(
        related="product_id.categ_id", store=True, precompute=True, string="Product Category"
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index="btree_not_null",
        tracking=True,
        domain="[('product_id', '=?', product_id)]",
        check_company=True,
    )
    purchase_date = fields.Date(
        compute="_compute_purchase_date",
        store=True,
        readonly=False,
        precompute=True,
        help="Taken from the delivery of the serial number to the customer when it is known.",
    )

    # Fault report
    description = fields.Html(string="Fault Description")
    channel = fields.Selection(CHANNELS, default="phone", required=True)
    urgency = fields.Selection(URGENCIES, default="general", required=True, tracking=True)
    priority_rank = fields.Integer(compute="_compute_priority_rank", store=True, precompute=True)
    category = fields.Selection(CATEGORIES, default="regular_repair", required=True, tracking=True)
    fault_category_id = fields.Many2one(
        "aftersales.fault.category", string="Fault Type", tracking=True, groups="base.group_user"
    )
    service_mode = fields.Selection(SERVICE_MODES, default="carry_in", required=True)
    appointment_date = fields.Datetime(string="Appointment", tracking=True)
    estimated_hours = fields.Float()
    required_level = fields.Selection(
        LEVELS,
        compute="_compute_required_level",
        store=True,
        readonly=False,
        precompute=True,
        help="Lowest technician certification level allowed to take this ticket.",
    )

    # Work
    diagnosis = fields.Html()
    solution = fields.Html()
    team_id = fields.Many2one(
        "aftersales.team",
        string="Service Team",
        index=True,
        tracking=True,
        default=lambda self: self._default_team_id(),
        check_company=True,
        groups="base.group_user",
    )
    technician_id = fields.Many2one(
        "aftersales.technician",
        string="Technician",
        index=True,
        tracking=True,
        check_company=True,
        groups="base.group_user",
    )
    user_id = fields.Many2one(
        related="technician_id.user_id",
        store=True,
        precompute=True,
        string="Technician User",
        index=True,
        groups="base.group_user",
    )
    stage_id = fields.Many2one(
        "aftersales.stage",
        string="Stage",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage_id(),
    )
    milestone = fields.Selection(related="stage_id.milestone", store=True, precompute=True)
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, precompute=True, index=True)
    is_cancelled = fields.Boolean(related="stage_id.is_cancelled", store=True, precompute=True)

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------

    @api.model
    def _default_stage_id(self):
        return self.env["aftersales.stage"].search_fetch([], ["milestone", "is_closed", "is_cancelled"], limit=1)

    @api.model
    def _default_team_id(self):
        if self.env.context.get("default_team_id"):
            return self.env["aftersales.team"].browse(self.env.context["default_team_id"])
        if self.env.user.share:  # portal users belong to no team
            return self.env["aftersales.team"]
        team = self.env["aftersales.team"].search(
            [("member_ids", "in", self.env.uid), ("company_id", "in", self.env.companies.ids)], limit=1
        )
        return team

    @api.model
    def _route_team(self, partner, product):
        """The service team of a ticket a customer submits: the first routing
        rule of the company matching the product category and the customer's
        region, else the company's intake team, else its only team (an agent
        routes the ticket when the company has several and no intake team)."""
        company = (partner.company_id or product.company_id or self.env.company).sudo()
        rules = self.env["aftersales.routing.rule"].sudo().search([("company_id", "=", company.id)])
        rule = next((rule for rule in rules if rule._matches(partner.sudo(), product.sudo())), None)
        if rule:
            return rule.team_id
        if company.aftersales_intake_team_id:
            return company.aftersales_intake_team_id
        teams = self.env["aftersales.team"].sudo().search([("company_id", "=", company.id)], limit=2)
        return teams if len(teams) == 1 else teams.browse()

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        search_domain = Domain("team_ids", "=", False)
        if team_id:
            search_domain |= Domain("team_ids", "in", team_id)
        return stages.search(search_domain | Domain("id", "in", stages.ids))

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_partner_contact(self):
        for ticket in self:
            partner = ticket.partner_id
            if not partner:
                continue
            ticket.partner_name = partner.name
            ticket.partner_phone = partner.phone
            ticket.partner_email = partner.email
            ticket.partner_address = partner._display_address(without_company=True) if partner.street else False

    @api.depends("lot_id", "partner_id")
    def _compute_purchase_date(self):
        deliveries = self.lot_id._aftersales_customer_deliveries()
        for ticket in self:
            delivered = deliveries.get((ticket.lot_id.id, ticket.partner_id.commercial_partner_id.id))
            if delivered:
                ticket.purchase_date = delivered.date()
            elif not ticket.purchase_date:
                ticket.purchase_date = False

    @api.depends("urgency")
    def _compute_priority_rank(self):
        for ticket in self:
            ticket.priority_rank = URGENCY_RANK.get(ticket.urgency, 1)

    @api.depends("category")
    def _compute_required_level(self):
        for ticket in self:
            if ticket.category in ("special_repair", "special_support"):
                ticket.required_level = "advanced"
            elif not ticket.required_level:
                ticket.required_level = "basic"

    @api.depends("number", "name")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = f"{ticket.number} {ticket.name}" if ticket.number not in (False, "/") else ticket.name

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for ticket in self:
            if ticket.lot_id and ticket.product_id and ticket.lot_id.product_id != ticket.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial number %(lot)s belongs to %(lot_product)s, not to %(product)s.",
                        lot=ticket.lot_id.name,
                        lot_product=ticket.lot_id.product_id.display_name,
                        product=ticket.product_id.display_name,
                    )
                )

    @api.constrains("appointment_date")
    def _check_appointment_date(self):
        # A few minutes of grace for clocks and slow forms.
        limit = fields.Datetime.now() - timedelta(minutes=5)
        for ticket in self:
            if ticket.appointment_date and ticket.appointment_date < limit:
                raise ValidationError(
                    self.env._(
                        "The appointment of %(ticket)s is in the past (%(date)s). Choose a future date.",
                        ticket=ticket.display_name,
                        date=ticket.appointment_date,
                    )
                )

    @api.constrains("estimated_hours")
    def _check_estimated_hours(self):
        if any(ticket.estimated_hours < 0 for ticket in self):
            raise ValidationError(self.env._("Estimated hours cannot be negative."))

    @api.constrains("name", "description")
    def _check_text_lengths(self):
        for ticket in self:
            if len(ticket.name or "") > NAME_MAX_LENGTH:
                raise ValidationError(
                    self.env._("The subject may be at most %(count)s characters long.", count=NAME_MAX_LENGTH)
                )
            # Markup counts too, with room for formatting: a pasted page of
            # hidden markup is refused like a too long text.
            description = ticket.description or ""
            if len(description) > 4 * DESCRIPTION_MAX_LENGTH or (
                len(description) > DESCRIPTION_MAX_LENGTH and len(html2plaintext(description)) > DESCRIPTION_MAX_LENGTH
            ):
                raise ValidationError(
                    self.env._(
                        "The fault description may be at most %(count)s characters long.",
                        count=DESCRIPTION_MAX_LENGTH,
                    )
                )

    @api.constrains("purchase_date")
    def _check_purchase_date(self):
        for ticket in self:
            if ticket.purchase_date and ticket.purchase_date > fields.Date.context_today(ticket):
                raise ValidationError(
                    self.env._(
                        "The purchase date of %(ticket)s is in the future (%(date)s).",
                        ticket=ticket.display_name,
                        date=ticket.purchase_date,
                    )
                )

    @api.constrains("date_reported")
    def _check_date_reported(self):
        limit = fields.Datetime.now() + timedelta(minutes=5)
        for ticket in self:
            if ticket.date_reported > limit:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s cannot be reported in the future (%(date)s).",
                        ticket=ticket.display_name,
                        date=ticket.date_reported,
                    )
                )

    # ------------------------------------------------------------------
    # Who may write what
    # ------------------------------------------------------------------

    @api.model
    def _field_write_rules(self):
        """{field name: (who may set it on create, who may change it on write)};
        see TICKET_WRITE_RULES."""
        return dict(TICKET_WRITE_RULES)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Who may set which value: aftersales.write.rules.mixin, on the
        # caller's values (the facts of a new ticket are precomputed).
        if not self.env.su:
            self.check_access("create")
        now = fields.Datetime.now()
        vals_list = [dict(vals) for vals in vals_list]  # the caller's dicts stay untouched
        if "default_stage_id" not in self.env.context and any("stage_id" not in vals for vals in vals_list):
            default_stage = self._default_stage_id()
            for vals in vals_list:
                vals.setdefault("stage_id", default_stage.id)
        self._check_can_create_closed(vals_list)
        # One chatter note per ticket: the creation message and the dispatch
        # reasoning are logged together below.
        tickets = super(AftersalesTicket, self.with_context(mail_create_nolog=True)).create(vals_list)
        tickets = tickets.with_env(self.env)
        tickets._stamp_milestones(now)
        tickets._stamp_service_end(now, from_facts=True)
        to_dispatch = tickets.filtered(
            lambda t: not t.technician_id and not t.is_closed and t.team_id.auto_dispatch and t.partner_id
        )
        notes = to_dispatch._auto_dispatch(log=False)
        if not self.env.context.get("mail_create_nolog"):
            for ticket in tickets:
                creation = Markup("<p>%s</p>") % ticket._creation_message()
                notes[ticket.id] = creation + notes.get(ticket.id, "")
            tickets._log_creation_notes(notes)
        elif notes:
            tickets.browse(list(notes))._message_log_batch(bodies=notes)
        tickets.filtered(lambda t: t.category == "complaint")._notify_complaint()
        return tickets

    def write(self, vals):
        if "stage_id" in vals or "acceptance_state" in vals or "category" in vals:
            # Judged on the values after the write, before anything is written.
            self._check_can_close(vals)
        now = fields.Datetime.now()
        unassigned = self.filtered(lambda t: not t.date_assigned) if vals.get("technician_id") else None
        new_complaints = self.filtered(lambda t: not t.complaint_step) if vals.get("category") == "complaint" else None
        res = super().write(vals)
        if unassigned:
            unassigned._write_facts({"date_assigned": now})  # when it happened, not when next read
        if "stage_id" in vals:
            self._stamp_milestones(now)
        if "stage_id" in vals or "acceptance_state" in vals or "category" in vals:
            self._stamp_service_end(now)
        if new_complaints:
            new_complaints._notify_complaint()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if any(ticket.date_closed and not ticket.is_cancelled for ticket in self):
            raise UserError(self.env._("Closed tickets are service history: archive them instead of deleting."))

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        return [
            dict(vals, name=self.env._("%(name)s (copy)", name=ticket.name))
            for ticket, vals in zip(self, vals_list, strict=True)
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Repair Report %(number)s", number=self.number)
