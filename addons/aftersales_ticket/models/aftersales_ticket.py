import base64
import binascii
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, html2plaintext, plaintext2html
from odoo.tools.mimetypes import guess_mimetype

from ..write_rules import AGENT, AGENT_ON_WRITE, FACT, FACTS_CONTEXT_KEY, MANAGER, OPEN_FIELD, SYSTEM
from .aftersales_stage import MILESTONES
from .aftersales_technician import LEVELS

MILESTONE_RANK = {code: rank for rank, (code, _label) in enumerate(MILESTONES)}

# Most urgent first: the queue order (priority_rank) follows this list.
URGENCIES = [
    ("emergency", "Emergency"),
    ("general", "General"),
    ("non_fault", "Non-fault"),
]
URGENCY_CODES = tuple(code for code, _label in URGENCIES)
URGENCY_RANK = {code: rank for rank, code in enumerate(URGENCY_CODES)}

CATEGORIES = [
    ("regular_repair", "Regular repair"),
    ("special_repair", "Special repair"),
    ("out_of_warranty", "Out of warranty"),
    ("special_support", "Special technical support"),
    ("installation", "Installation"),
    ("maintenance", "Maintenance"),
    ("consultation", "Consultation"),
    ("complaint", "Complaint"),
]
# Categories that are repairs: only they count as repeat repairs (重复维修).
REPAIR_CATEGORIES = {"regular_repair", "special_repair", "out_of_warranty", "special_support"}
# Categories with no work for the customer to accept (验收): their tickets
# close without acceptance. Every other category needs it (requires_acceptance()).
NO_ACCEPTANCE_CATEGORIES = {"consultation", "complaint"}


def requires_acceptance(category):
    """Whether the work of a ticket of this category waits for the customer's
    acceptance (验收) before the ticket may close as repaired."""
    return category not in NO_ACCEPTANCE_CATEGORIES


CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("portal", "Web portal"),
    ("app", "Mobile app"),
    ("wechat", "WeChat"),
    ("walk_in", "Walk-in"),
    ("chat", "Live chat"),
    ("api", "API"),
]

SERVICE_MODES = [
    ("remote", "Remote guidance"),
    ("on_site", "On-site"),
    ("carry_in", "Carry-in"),
    ("pickup", "Pickup & delivery"),
]


def _unit_key(ticket):
    """The unit a ticket is about: its serial, else its customer and product."""
    if ticket.lot_id:
        return ("lot", ticket.lot_id.id)
    return ("partner_product", ticket.partner_id.id, ticket.product_id.id)


def _hours_field(help_text):
    """A stored duration between two milestones, in hours, averaged in reports."""
    return fields.Float(compute="_compute_durations", store=True, precompute=True, aggregator="avg", help=help_text)


COMPLAINT_STEPS = [
    ("receive", "Receive"),
    ("soothe", "Soothe"),
    ("verify", "Verify"),
    ("resolve", "Resolve"),
    ("follow_up", "Follow up"),
]

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

# Limits of what a user may type or sign.
NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 20000  # characters of text, markup left out
SIGNER_MAX_LENGTH = 128
SIGNATURE_MAX_BYTES = 512 * 1024
SIGNATURE_MIMETYPES = ("image/png", "image/jpeg")

# Milestone reached -> the timestamp field it sets (once).
# Steps of the SOP stamped when the ticket enters a stage of that milestone,
# never when a later step is reached first (a skipped step has no date).
MILESTONE_DATES = {
    "accept": "date_taken",
    "diagnose": "date_diagnosis",
    "repair": "date_repair",
    "followup": "date_followup",
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
    number = fields.Char(
        string="Ticket Number",
        compute="_compute_number",
        store=True,
        precompute=True,
        readonly=True,
        copy=False,
        index="trigram",
    )
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

    # Milestones: stored facts, set once, only for steps the ticket went through
    date_reported = fields.Datetime(default=fields.Datetime.now, required=True, index=True, copy=False, tracking=True)
    date_taken = fields.Datetime(
        string="Taken On",
        readonly=True,
        copy=False,
        help="When the service desk took the ticket in (受理). The customer's acceptance of the work is "
        "Acceptance Date.",
    )
    date_assigned = fields.Datetime(
        compute="_compute_date_assigned",
        store=True,
        precompute=True,
        readonly=True,
        copy=False,
        help="When a technician first got the ticket.",
    )
    date_first_response = fields.Datetime(readonly=True, copy=False)
    date_diagnosis = fields.Datetime(string="Diagnosis Started", readonly=True, copy=False)
    date_repair = fields.Datetime(string="Repair Started", readonly=True, copy=False)
    date_resolved = fields.Datetime(readonly=True, copy=False)
    date_followup = fields.Datetime(string="Follow-up Started", readonly=True, copy=False)
    date_closed = fields.Datetime(readonly=True, copy=False, index="btree_not_null")
    diagnosis_hours = _hours_field("Hours from the start of diagnosis to the start of the repair (or its resolution).")
    repair_hours = _hours_field("Hours from the start of the repair to its resolution.")
    followup_hours = _hours_field("Hours from the start of the follow-up to closing.")
    response_hours = _hours_field("Hours from report to first response.")
    resolution_hours = _hours_field("Hours from report to resolution.")

    # Customer acceptance 验收
    requires_acceptance = fields.Boolean(compute="_compute_requires_acceptance")
    can_waive_acceptance = fields.Boolean(
        compute="_compute_acceptance_actions", help="The acceptance is pending and a manager may still waive it."
    )
    can_customer_decide = fields.Boolean(
        compute="_compute_acceptance_actions",
        help="The work waits for the customer's acceptance and they have not accepted or refused it yet.",
    )
    acceptance_state = fields.Selection(
        [
            ("pending", "Pending"),
            ("accepted", "Accepted by customer"),
            ("refused", "Refused"),
            ("waived", "Waived by manager"),
        ],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    acceptance_signature = fields.Binary(copy=False, attachment=True, readonly=True)
    acceptance_signed_by = fields.Char(copy=False, readonly=True)
    acceptance_date = fields.Datetime(copy=False, readonly=True)
    refusal_reason = fields.Text(copy=False, readonly=True)
    # Links between tickets are for the service team: another customer's
    # ticket may be on the other side.
    rework_of_id = fields.Many2one(
        "aftersales.ticket",
        string="Rework of",
        index="btree_not_null",
        copy=False,
        readonly=True,
        groups="base.group_user",
    )
    rework_ids = fields.One2many("aftersales.ticket", "rework_of_id", string="Rework Tickets", groups="base.group_user")

    # Repeat repairs 重复维修
    repeat_of_id = fields.Many2one(
        "aftersales.ticket",
        string="Repeat of",
        compute="_compute_repeat_of_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        groups="base.group_user",
        help="Earlier repair on the same unit that ended (was resolved) within the repeat window before this report.",
    )
    duplicate_of_id = fields.Many2one(
        "aftersales.ticket",
        string="Duplicate of",
        compute="_compute_repeat_of_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        groups="base.group_user",
        help="Earlier ticket on the same unit still open: merge them instead of repairing twice.",
    )
    is_repeat = fields.Boolean(compute="_compute_is_repeat", store=True, precompute=True, string="Repeat Repair")

    # Complaints 投诉
    complaint_step = fields.Selection(
        COMPLAINT_STEPS,
        compute="_compute_complaint_step",
        store=True,
        precompute=True,
        copy=False,
        tracking=True,
        readonly=True,
    )

    _number_company_uniq = models.UniqueIndex("(company_id, number) WHERE number != '/'")

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

    def _compute_number(self):
        """Give every new ticket its number from the company's sequence, once,
        when it is created (precomputed: the number is a fact, not a value of
        the caller's); the numbers of a batch are drawn from PostgreSQL in one
        query."""
        now = fields.Datetime.now()
        by_company = {}
        for ticket in self:
            if not ticket.number or ticket.number == "/":
                ticket.number = "/"
                by_company.setdefault(ticket.company_id.id or self.env.company.id, []).append(ticket)
        for company_id, company_tickets in by_company.items():
            sequence = (
                self.env["ir.sequence"]
                .sudo()
                .search_fetch(
                    [("code", "=", "aftersales.ticket"), ("company_id", "in", [company_id, False])],
                    ["implementation", "use_date_range", "prefix", "suffix", "padding"],
                    order="company_id",
                    limit=1,
                )
            )
            if not sequence:
                continue
            sequence = sequence.with_context(ir_sequence_date=now.date())
            if sequence.implementation == "standard" and not sequence.use_date_range:
                self.env.cr.execute(
                    SQL(
                        "SELECT nextval(%s) FROM generate_series(1, %s)",
                        f"ir_sequence_{sequence.id:03d}",
                        len(company_tickets),
                    )
                )
                numbers = sorted(row[0] for row in self.env.cr.fetchall())
                names = [sequence.get_next_char(number) for number in numbers]
            else:
                names = [sequence._next(sequence_date=now) for _ticket in company_tickets]
            for ticket, name in zip(company_tickets, names, strict=True):
                ticket.number = name

    @api.depends("technician_id")
    def _compute_date_assigned(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.date_assigned = ticket.date_assigned or (now if ticket.technician_id else False)

    @api.depends("category")
    def _compute_complaint_step(self):
        for ticket in self:
            ticket.complaint_step = ticket.complaint_step or ("receive" if ticket.category == "complaint" else False)

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

    @api.depends(
        "date_reported",
        "date_first_response",
        "date_diagnosis",
        "date_repair",
        "date_resolved",
        "date_followup",
        "date_closed",
    )
    def _compute_durations(self):
        def hours(start, end):
            return (end - start).total_seconds() / 3600 if start and end and end >= start else 0.0

        for ticket in self:
            ticket.response_hours = hours(ticket.date_reported, ticket.date_first_response)
            ticket.resolution_hours = hours(ticket.date_reported, ticket.date_resolved)
            ticket.diagnosis_hours = hours(ticket.date_diagnosis, ticket.date_repair or ticket.date_resolved)
            ticket.repair_hours = hours(ticket.date_repair, ticket.date_resolved)
            ticket.followup_hours = hours(ticket.date_followup, ticket.date_closed)

    @api.depends("category")
    def _compute_requires_acceptance(self):
        for ticket in self:
            ticket.requires_acceptance = requires_acceptance(ticket.category)

    @api.depends("requires_acceptance", "is_closed", "acceptance_state", "milestone")
    def _compute_acceptance_actions(self):
        """The one rule for what may still happen to the customer's acceptance,
        for the form's buttons, the portal and the actions alike."""
        for ticket in self:
            pending = ticket.requires_acceptance and not ticket.is_closed and ticket.acceptance_state == "pending"
            ticket.can_waive_acceptance = pending
            ticket.can_customer_decide = pending and ticket.milestone == "acceptance"

    @api.depends("lot_id", "partner_id", "product_id", "date_reported", "company_id", "category")
    def _compute_repeat_of_id(self):
        """Link a repair ticket to the earlier repair on the same unit (the
        serial, else the customer + product):

        - an earlier ticket still open and unresolved is a duplicate to merge
          (``duplicate_of_id``), not a repeat;
        - else the latest earlier repair whose resolution (the end of the
          repair) lies within the company's repeat window before this report
          makes it a repeat repair (``repeat_of_id``).

        One search for the whole batch."""
        candidates = self.filtered(
            lambda t: (
                t.category in REPAIR_CATEGORIES and t.date_reported and (t.lot_id or (t.partner_id and t.product_id))
            )
        )
        others = self - candidates
        others.repeat_of_id = False
        others.duplicate_of_id = False
        if not candidates:
            return
        window = max(candidates.company_id.mapped("aftersales_repeat_days") or [90])
        oldest = min(candidates.mapped("date_reported")) - timedelta(days=window)
        unit_domain = Domain.OR(
            [
                Domain("lot_id", "in", candidates.lot_id.ids),
                Domain("lot_id", "=", False)
                & Domain("partner_id", "in", candidates.partner_id.ids)
                & Domain("product_id", "in", candidates.product_id.ids),
            ]
        )
        previous = self.sudo().search_fetch(
            unit_domain
            & (
                Domain("date_resolved", ">=", oldest)
                | (Domain("date_resolved", "=", False) & Domain("is_closed", "=", False))
            )
            & Domain("date_reported", "<", max(candidates.mapped("date_reported")))
            & Domain("id", "not in", [i for i in candidates.ids if i])
            & Domain("is_cancelled", "=", False)
            & Domain("category", "in", list(REPAIR_CATEGORIES)),
            ["lot_id", "partner_id", "product_id", "date_reported", "date_resolved", "is_closed", "company_id"],
            order="date_reported desc, id desc",
        )
        by_unit = defaultdict(list)  # unit -> earlier tickets, latest first
        for earlier in previous:
            by_unit[_unit_key(earlier)].append(earlier)
        for ticket in candidates:
            start = ticket.date_reported - timedelta(days=ticket.company_id.aftersales_repeat_days or 90)
            earlier = [
                e
                for e in by_unit[_unit_key(ticket)]
                if e.company_id == ticket.company_id and e.date_reported < ticket.date_reported
            ]
            duplicate = next((e for e in earlier if not e.date_resolved and not e.is_closed), None)
            ticket.duplicate_of_id = duplicate.id if duplicate else False
            ticket.repeat_of_id = (
                False
                if duplicate
                else next(
                    (e.id for e in earlier if e.date_resolved and start <= e.date_resolved <= ticket.date_reported),
                    False,
                )
            )

    @api.depends("repeat_of_id")
    def _compute_is_repeat(self):
        for ticket in self:
            ticket.is_repeat = bool(ticket.repeat_of_id)

    def _compute_access_url(self):
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

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

    @api.model
    def _check_signature(self, signature):
        """A signature must be a PNG or JPEG image of reasonable size."""
        if not signature:
            raise ValidationError(self.env._("The customer's signature is missing."))
        try:
            data = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError, TypeError) as e:
            raise ValidationError(self.env._("The signature is not a valid image.")) from e
        if len(data) > SIGNATURE_MAX_BYTES:
            raise ValidationError(
                self.env._("The signature image is too large (at most %(size)s KB).", size=SIGNATURE_MAX_BYTES // 1024)
            )
        if guess_mimetype(data) not in SIGNATURE_MIMETYPES:
            raise ValidationError(self.env._("The signature is not a valid image."))

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

    def _stamp_milestones(self, now):  # pylint: disable=missing-return
        """Stamp the step of the stage each ticket entered, if not stamped yet.
        A step the ticket skipped stays empty; first response and resolution
        are facts reached by any later step (not on cancellation). Tickets are
        grouped by the fields to write: one UPDATE per group, not per ticket.
        The stamped dates are not tracked: the write skips preparing the
        tracking (reading every tracked field of every ticket again)."""
        groups = {}
        for ticket in self:
            stage = ticket.stage_id
            rank = MILESTONE_RANK.get(stage.milestone, -1)
            vals = {}
            if not stage.is_cancelled:
                field = MILESTONE_DATES.get(stage.milestone)
                if field and not ticket[field]:
                    vals[field] = now
                if rank >= MILESTONE_RANK["accept"] and not ticket.date_first_response:
                    vals["date_first_response"] = now
                if rank >= MILESTONE_RANK["acceptance"] and not ticket.date_resolved:
                    vals["date_resolved"] = now
            if stage.is_closed and not ticket.date_closed:
                vals["date_closed"] = now
            if vals:
                groups.setdefault(tuple(sorted(vals)), []).append(ticket.id)
        untracked = self.with_context(mail_notrack=True)
        for fnames, ids in groups.items():
            untracked.browse(ids)._write_facts(dict.fromkeys(fnames, now))

    def _check_can_close(self, vals=None):
        """Refuse tickets that are, or would be after writing ``vals``, in a
        closed stage (not cancelled) without the customer's acceptance, a
        manager's waiver, or a refusal that opened rework."""
        vals = vals or {}
        stage = self.env["aftersales.stage"].browse(vals["stage_id"]) if vals.get("stage_id") else None
        if stage is not None and (not stage.is_closed or stage.is_cancelled):
            return  # moved to a stage that does not close as repaired: nothing to check per ticket
        blocked = self.browse()
        for ticket in self:
            closing = stage or ticket.stage_id
            category = vals.get("category", ticket.category)
            acceptance = vals.get("acceptance_state", ticket.acceptance_state)
            if (
                closing.is_closed
                and not closing.is_cancelled
                and requires_acceptance(category)
                and acceptance not in ("accepted", "waived")
                and not (acceptance == "refused" and ticket.rework_ids)
            ):
                blocked |= ticket
        if blocked:
            raise UserError(
                self.env._(
                    "These tickets cannot be closed as repaired: the customer has not accepted the work "
                    "and no manager waived the acceptance: %(tickets)s",
                    tickets=", ".join(blocked.mapped("display_name")),
                )
            )

    @api.model
    def _check_can_create_closed(self, vals_list):
        """The same rule for new tickets, on the values given."""
        default_stage_id = self.env.context.get("default_stage_id")
        stage_ids = [vals.get("stage_id", default_stage_id) for vals in vals_list]
        stages = self.env["aftersales.stage"].browse({stage_id for stage_id in stage_ids if stage_id})
        closed_ids = set(stages.filtered(lambda s: s.is_closed and not s.is_cancelled).ids)
        for vals, stage_id in zip(vals_list, stage_ids, strict=True):
            if (
                stage_id in closed_ids
                and requires_acceptance(vals.get("category", "regular_repair"))
                and vals.get("acceptance_state", "pending") not in ("accepted", "waived")
            ):
                raise UserError(
                    self.env._(
                        "Ticket %(name)s cannot be created closed: the customer has not accepted the work "
                        "and no manager waived the acceptance.",
                        name=vals.get("name") or "",
                    )
                )

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    def _portal_ensure_token(self):
        # The access token is a fact: portal.mixin writes it itself, as the system.
        return super(AftersalesTicket, self.with_context(**{FACTS_CONTEXT_KEY: True}))._portal_ensure_token()

    @api.model
    def _create_from_portal(self, partner, name, description, product, *, serial="", attachments=()):
        """The ticket a customer submits on the portal form, from the fields
        the form offers and nothing else: team, dispatch, tier and deadlines
        come from the same rules as for an agent's ticket. Created as
        superuser, since customers have no create access on tickets: the
        caller gives the portal user's own partner and checked values.

        The serial is linked only when it exists for the chosen product and
        belongs to the customer (delivered to their company, or never
        delivered); otherwise it stays in the description for an agent to
        check. ``attachments`` ([(file name, content)]) are posted as the
        customer's message."""
        lot = self.env["stock.lot"]
        if serial and product:
            lot = (
                lot.sudo()
                .search([("name", "=", serial), ("product_id", "=", product.id)], limit=1)
                ._aftersales_portal_match(partner)
            )
        if serial and not lot:
            serial_line = self.env._("Serial number: %(serial)s", serial=serial)
            description = f"{description}\n\n{serial_line}"
        ticket = self.sudo().create(
            {
                "name": name,
                "description": plaintext2html(description),
                "channel": "portal",
                "partner_id": partner.id,
                "product_id": product.id,
                "lot_id": lot.id,
                "team_id": self._route_team(partner, product).id,
            }
        )
        if attachments:
            ticket.message_post(
                body=self.env._("Photos and documents of the fault."),
                attachments=list(attachments),
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return ticket

    # ------------------------------------------------------------------
    # Mail
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A ticket from an email to a team alias. Who may write is the alias's
        own contact setting (checked by the mail gateway before this); an
        unknown sender becomes a contact only when the team says so, and a
        ticket without a known customer waits for an agent instead of being
        dispatched. Dispatch never makes the email fail (see _auto_dispatch)."""
        custom_values = dict(custom_values or {})
        team = self.env["aftersales.team"].sudo().browse(custom_values.get("team_id")).exists()
        if not msg_dict.get("author_id") and msg_dict.get("email_from"):
            author = self.env["mail.thread"]._partner_find_from_emails_single(
                [msg_dict["email_from"]], no_create=not team.alias_create_partner
            )
            msg_dict["author_id"] = author.id
        if not msg_dict.get("author_id"):
            custom_values.setdefault("partner_email", msg_dict.get("email_from"))
        defaults = {
            "name": msg_dict.get("subject") or self.env._("No Subject"),
            "description": msg_dict.get("body"),
            "partner_id": msg_dict.get("author_id"),
            "channel": "email",
        }
        defaults.update(custom_values)
        if not defaults.get("team_id") and defaults.get("partner_id"):
            # A catch-all address: the routing rules pick the team.
            partner = self.env["res.partner"].sudo().browse(defaults["partner_id"])
            defaults["team_id"] = self._route_team(partner, self.env["product.product"]).id or False
        ticket = super(AftersalesTicket, self.with_context(aftersales_dispatch_soft=True)).message_new(
            msg_dict, custom_values=defaults
        )
        ticket = ticket.with_env(self.env)
        if ticket.partner_id:
            ticket.message_subscribe(partner_ids=ticket.partner_id.ids)
        return ticket

    def _message_post_after_hook(self, message, msg_vals):
        """The first message an employee sends to the customer is the first response."""
        if (
            message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            pending = self.filtered(lambda t: not t.date_first_response)
            if pending:
                pending._write_facts({"date_first_response": message.date or fields.Datetime.now()})
        return super()._message_post_after_hook(message, msg_vals)

    def _creation_message(self):
        return self.env._("Ticket created")

    @api.model
    def _stage_subtype_id(self):
        return self.env["ir.model.data"]._xmlid_to_res_id("aftersales_ticket.mt_ticket_stage")

    def _creation_subtype(self):
        """Core posts the creation with this subtype: the followers of the
        team subscribed to its "Ticket Created" hear of the new ticket."""
        return self.env.ref("aftersales_ticket.mt_ticket_new", raise_if_not_found=False) or super()._creation_subtype()

    def _log_creation_notes(self, bodies):
        """Log the creation notes {ticket id: body} (with the dispatch note of
        each ticket), as core's create logs its creation message: posted with
        the creation subtype on the tickets that have a follower (other than
        the author) subscribed to it, who is notified; logged in one batch
        (``_message_log_batch``) on the others, where nobody would be."""
        subtype = self._creation_subtype()
        author = self.env.user.partner_id
        followed = self.browse()
        if subtype:
            followers = (
                self.env["mail.followers"]
                .sudo()
                .search_fetch(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "in", self.ids),
                        ("partner_id", "!=", author.id),
                        ("subtype_ids", "in", subtype.ids),
                    ],
                    ["res_id"],
                )
            )
            followed = self.browse(sorted(set(followers.mapped("res_id"))))
        for ticket in followed:
            ticket.sudo().message_post(body=bodies[ticket.id], subtype_id=subtype.id, author_id=author.id)
        quiet = self - followed
        if quiet:
            quiet._message_log_batch(bodies={ticket.id: bodies[ticket.id] for ticket in quiet})

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env["mail.message.subtype"].browse(self._stage_subtype_id())
        return super()._track_subtype(init_values)

    def _notify_complaint(self):
        """Complaints go to the team manager: subscribed and given a to-do."""
        for ticket in self:
            manager = ticket.team_id.manager_id
            if not manager:
                continue
            ticket.message_subscribe(partner_ids=manager.partner_id.ids)
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._("Complaint to handle: soothe the customer"),
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_customer_can_decide(self):
        for ticket in self:
            if not ticket.can_customer_decide:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is not waiting for the customer's acceptance.", ticket=ticket.display_name
                    )
                )

    def action_open_accept_wizard(self):
        self.ensure_one()
        self._check_customer_can_decide()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket.accept",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id, "default_signed_by": self.partner_id.name},
            "name": self.env._("Customer Acceptance"),
        }

    def action_customer_accept(self, signature=None, signed_by=None):
        """The customer accepts the repair (验收) with their name and signature,
        on the portal, by the token link, or on the technician's device; the
        ticket moves on to follow-up."""
        if not self.env.su:
            self.check_access("write")
        self._check_customer_can_decide()
        signed_by = (signed_by or "").strip()
        if not signed_by:
            raise ValidationError(self.env._("The name of the person who signs is missing."))
        if len(signed_by) > SIGNER_MAX_LENGTH:
            raise ValidationError(
                self.env._("The signer's name may be at most %(count)s characters long.", count=SIGNER_MAX_LENGTH)
            )
        self._check_signature(signature)
        followup = self.env["aftersales.stage"].search([("milestone", "=", "followup")], limit=1)
        vals = {
            "acceptance_state": "accepted",
            "acceptance_date": fields.Datetime.now(),
            "acceptance_signed_by": signed_by,
            "acceptance_signature": signature,
        }
        if followup:
            vals["stage_id"] = followup.id
        self._write_facts(vals)
        for ticket in self:
            ticket.message_post(
                body=self.env._("The customer accepted the work (signed by %(name)s).", name=signed_by),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_customer_refuse(self, reason):
        """The customer refuses the repair: keep the reason and open a rework
        ticket (返修) linked to this one. Once per acceptance round."""
        if not self.env.su:
            self.check_access("write")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason why the customer refuses the work."))
        self._check_customer_can_decide()
        reworks = self.browse()
        for ticket in self.sudo():
            ticket._write_facts({"acceptance_state": "refused", "refusal_reason": reason})
            # The rework ticket is the system's: its link to this one is a fact.
            rework = ticket.with_context(**{FACTS_CONTEXT_KEY: True}).copy(
                {
                    "name": self.env._("Rework: %(name)s", name=ticket.name),
                    "rework_of_id": ticket.id,
                    "technician_id": ticket.technician_id.id,
                    "date_reported": fields.Datetime.now(),
                    "description": ticket.description,
                }
            )
            ticket.message_post(
                body=self.env._(
                    "The customer refused the work: %(reason)s. Rework ticket %(rework)s was opened.",
                    reason=reason,
                    rework=rework.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            reworks |= rework
        return reworks.with_env(self.env)

    def action_waive_acceptance(self):
        if not self.env.user.has_group("aftersales_ticket.group_aftersales_manager"):
            raise AccessError(self.env._("Only an after-sales manager can waive the customer's acceptance."))
        self.check_access("write")
        for ticket in self:
            if not ticket.can_waive_acceptance:
                raise UserError(
                    self.env._(
                        "The acceptance of %(ticket)s is not pending: there is nothing to waive.",
                        ticket=ticket.display_name,
                    )
                )
        self._write_facts({"acceptance_state": "waived"})
        for ticket in self:
            ticket.message_post(
                body=self.env._("%(user)s waived the customer acceptance.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_next_complaint_step(self):
        steps = [code for code, _label in COMPLAINT_STEPS]
        for ticket in self:
            if ticket.category != "complaint":
                raise UserError(self.env._("%(ticket)s is not a complaint.", ticket=ticket.display_name))
            index = steps.index(ticket.complaint_step or "receive")
            if index == len(steps) - 1:
                raise UserError(self.env._("This complaint is already at its last step."))
            ticket.complaint_step = steps[index + 1]
        return True

    def action_open_refuse_wizard(self):
        self.ensure_one()
        self._check_customer_can_decide()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket.refuse",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
            "name": self.env._("Refuse the work"),
        }

    def action_open_rework(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "view_mode": "list,form",
            "domain": [
                ("id", "in", (self.rework_ids | self.rework_of_id | self.repeat_of_id | self.duplicate_of_id).ids)
            ],
            "name": self.env._("Related Tickets"),
        }

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Repair Report %(number)s", number=self.number)
