"""Maintenance plans 预约式保养: regular visits promised by a contract.

The job ``_cron_plan_visits`` creates each visit ticket ``lead_days`` before
the visit, with its appointment and checklist, and lets the normal dispatch
book the technician. A plan runs while its contract is active and stops by
itself when the contract ends (``state`` is computed from the contract)."""

import logging
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.tools import sequence_next_names
from odoo.addons.aftersales_ticket.write_rules import AGENT, FACT, SYSTEM
from odoo.exceptions import ValidationError
from odoo.fields import Command, Domain

from .aftersales_ticket import NEW_VISITS_CONTEXT_KEY

_logger = logging.getLogger(__name__)

INTERVALS = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("half_yearly", "Half-yearly"),
    ("yearly", "Yearly"),
]
INTERVAL_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
DEFAULT_BATCH_SIZE = 200

AGENT_FIELD = (AGENT, AGENT)
PLAN_WRITE_RULES = {
    **dict.fromkeys(
        (
            "name",
            "active",
            "interval",
            "lead_days",
            "first_visit_date",
            "visit_hour",
            "duration_hours",
            "team_id",
            "product_id",
            "lot_id",
            "item_ids",
            "part_ids",
            "note",
        ),
        AGENT_FIELD,
    ),
    "contract_id": (AGENT, SYSTEM),
    **dict.fromkeys(
        (
            "company_id",
            "partner_id",
            "visits_planned",
            "next_visit_date",
            "next_create_date",
            "state",
            "visit_ids",
            "message_ids",
            "message_follower_ids",
            "activity_ids",
            "website_message_ids",
            "rating_ids",
        ),
        FACT,
    ),
}


class AftersalesMaintenancePlan(models.Model):
    _name = "aftersales.maintenance.plan"
    _description = "After-sales Maintenance Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.write.rules.mixin"]
    _order = "next_visit_date, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    contract_id = fields.Many2one(
        "aftersales.sla.contract", string="Contract", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True, precompute=True)
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True, index=True, precompute=True)

    # What is done, how often
    interval = fields.Selection(INTERVALS, required=True, default="quarterly", tracking=True)
    lead_days = fields.Integer(
        string="Create Visits (Days Ahead)",
        default=14,
        required=True,
        help="How many days before the visit its ticket is created, dispatched and announced.",
    )
    first_visit_date = fields.Date(required=True, tracking=True)
    visit_hour = fields.Float(
        string="Visit Time", default=9.0, help="Time of day of the visit, in the time zone of the contract's tier."
    )
    duration_hours = fields.Float(string="Visit Duration (Hours)", default=2.0)
    team_id = fields.Many2one(
        "aftersales.team", string="Service Team", check_company=True, help="Empty: the routing rules choose."
    )
    product_id = fields.Many2one("product.product", string="Product", check_company=True)
    lot_id = fields.Many2one(
        "stock.lot", string="Serial Number", domain="[('product_id', '=?', product_id)]", check_company=True
    )
    item_ids = fields.One2many("aftersales.maintenance.plan.item", "plan_id", string="Checklist", copy=True)
    part_ids = fields.One2many(
        "aftersales.maintenance.plan.part",
        "plan_id",
        string="Parts Kit",
        copy=True,
        help="Parts each visit consumes: the visit's repair order carries them, and the technician issues them "
        "from the van. Under the contract they are free; otherwise the tier's prices apply.",
    )
    note = fields.Html()

    # Facts of the job
    visits_planned = fields.Integer(readonly=True, copy=False, help="Visits whose ticket was created or skipped.")
    next_visit_date = fields.Date(compute="_compute_next_visit_date", store=True, index=True)
    next_create_date = fields.Date(compute="_compute_next_visit_date", store=True)
    state = fields.Selection(
        [("waiting", "Waiting for the contract"), ("running", "Running"), ("stopped", "Stopped")],
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
    )
    visit_ids = fields.One2many("aftersales.ticket", "maintenance_plan_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_visit_count")

    _lead_days_positive = models.Constraint("CHECK (lead_days >= 0)", "The lead time cannot be negative.")
    _duration_positive = models.Constraint("CHECK (duration_hours > 0)", "A visit lasts some time.")
    _visit_hour_range = models.Constraint(
        "CHECK (visit_hour >= 0 AND visit_hour < 24)", "The visit time is an hour of the day (0 to 24)."
    )
    _due_index = models.Index("(next_create_date, id) WHERE state = 'running' AND active")

    @api.depends("first_visit_date", "interval", "visits_planned", "lead_days")
    def _compute_next_visit_date(self):
        for plan in self:
            if not plan.first_visit_date:
                plan.next_visit_date = plan.next_create_date = False
                continue
            plan.next_visit_date = plan._visit_date(plan.visits_planned)
            plan.next_create_date = plan.next_visit_date - timedelta(days=plan.lead_days)

    @api.depends("contract_id.state", "contract_id.date_end", "next_visit_date")
    def _compute_state(self):
        for plan in self:
            contract = plan.contract_id
            if contract.state == "draft":
                plan.state = "waiting"
            elif contract.state == "active" and plan.next_visit_date and plan.next_visit_date <= contract.date_end:
                plan.state = "running"
            else:
                plan.state = "stopped"

    def _compute_visit_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("maintenance_plan_id", "in", self.ids)], ["maintenance_plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.visit_count = counts.get(plan, 0)

    @api.constrains("first_visit_date", "contract_id")
    def _check_first_visit_date(self):
        for plan in self:
            contract = plan.contract_id
            if not contract.date_start <= plan.first_visit_date <= contract.date_end:
                raise ValidationError(
                    self.env._(
                        "The first visit of plan %(plan)s (%(date)s) must fall within contract %(contract)s, "
                        "from %(start)s to %(end)s.",
                        plan=plan.name,
                        date=plan.first_visit_date,
                        contract=contract.name,
                        start=contract.date_start,
                        end=contract.date_end,
                    )
                )

    @api.constrains("lot_id", "contract_id")
    def _check_lot_partner(self):
        for plan in self:
            if plan.lot_id and plan.contract_id.lot_ids and plan.lot_id not in plan.contract_id.lot_ids:
                raise ValidationError(
                    self.env._(
                        "Serial %(serial)s is not covered by contract %(contract)s.",
                        serial=plan.lot_id.name,
                        contract=plan.contract_id.name,
                    )
                )

    @api.model
    def _field_write_rules(self):
        return dict(PLAN_WRITE_RULES)

    def _visit_date(self, index):
        """Date of the visit number ``index`` (0: the first)."""
        self.ensure_one()
        return self.first_visit_date + relativedelta(months=INTERVAL_MONTHS[self.interval] * index)

    def _visit_datetime(self, day):
        """The appointment (naive UTC) of a visit on ``day`` at the plan's
        hour, in the time zone of the contract tier's working hours."""
        self.ensure_one()
        tz = pytz.timezone(self.contract_id.tier_id.resource_calendar_id.tz or self.company_id.partner_id.tz or "UTC")
        hours, minutes = divmod(round(self.visit_hour * 60), 60)
        local = tz.localize(datetime.combine(day, time(int(hours), int(minutes))))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_ticket.aftersales_ticket_action")
        action["domain"] = [("maintenance_plan_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # The job
    # ------------------------------------------------------------------

    @api.model
    def _due_domain(self, today):
        return Domain("state", "=", "running") & Domain("active", "=", True) & Domain("next_create_date", "<=", today)

    @api.model
    def _cron_plan_visits(self, batch_size=None):
        """Create the visit tickets that are due, batch by batch. Each batch
        is claimed with try_lock_for_update() (a second worker skips the
        claimed plans) and, in the scheduled job, committed with
        _commit_progress(). A visit is created once: the plan's visit counter
        moves in the same transaction as the ticket, and a unique index on
        (plan, visit date) refuses a second ticket for the same visit."""
        batch_size = batch_size or int(
            self.env["ir.config_parameter"].sudo().get_param("aftersales_plan.batch_size", DEFAULT_BATCH_SIZE)
        )
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        today = fields.Date.context_today(self)
        domain = self._due_domain(today)
        if in_cron:
            self.env["ir.cron"]._commit_progress(remaining=self.search_count(domain))
        done = self.browse()
        while True:
            plans = self.search(domain & Domain("id", "not in", done.ids), limit=batch_size).try_lock_for_update()
            if not plans:
                break
            plans._create_visits(today)
            done |= plans
            if in_cron and self.env["ir.cron"]._commit_progress(len(plans)) <= 0:
                break
        return done

    def _create_visits(self, today):
        """Create the next visit of each plan; a visit whose day has passed
        is skipped (an agent books missed visits by hand). Constant queries
        for the batch, whatever its size."""
        Ticket = self.env["aftersales.ticket"]
        self.fetch(
            [
                *("name", "first_visit_date", "interval", "visits_planned", "visit_hour", "duration_hours"),
                *("team_id", "product_id", "lot_id", "contract_id", "company_id", "partner_id", "next_visit_date"),
            ]
        )
        self.item_ids.fetch(["name", "sequence", "plan_id"])
        self.contract_id.fetch(["tier_id", "lot_ids", "product_ids", "date_end"])
        now = fields.Datetime.now()
        vals_list = []
        counters = {}
        for plan in self:
            index = plan.visits_planned
            day = plan._visit_date(index)
            while day < today:  # missed visits are not created afterwards
                index += 1
                day = plan._visit_date(index)
            if day - timedelta(days=plan.lead_days) > today:  # the next one is not due yet
                counters[plan] = index
                continue
            counters[plan] = index + 1
            if day > plan.contract_id.date_end:
                continue
            appointment = plan._visit_datetime(day)
            lot = plan.lot_id or plan.contract_id.lot_ids[:1]
            product = plan.product_id or lot.product_id or plan.contract_id.product_ids[:1]
            vals_list.append(plan._visit_ticket_values(day, appointment if appointment > now else False, product, lot))
        for plan, count in counters.items():
            plan._write_facts({"visits_planned": count})
        if not vals_list:
            return Ticket
        tickets = Ticket.with_context(
            mail_create_nosubscribe=True, tracking_disable=True, **{NEW_VISITS_CONTEXT_KEY: True}
        )._create_facts(vals_list)
        self._create_kit_repairs(tickets)
        return tickets.with_env(self.env)

    @api.model
    def _create_kit_repairs(self, visits):
        """A draft repair order for each visit whose plan has a parts kit,
        with the kit's parts to add, issued from the van of the visit's
        technician (aftersales_parts: the technician issues them like any
        part; the coverage, hence the price, comes from the ticket's contract
        and tier). Constant queries for the batch: the repairs' references
        are drawn from the operation type's sequence in one query and created
        together, instead of one by one in repair.order's create()."""
        visits = visits.filtered(lambda ticket: ticket.maintenance_plan_id.part_ids)
        Repair = self.env["repair.order"].sudo()
        if not visits:
            return Repair
        visits.maintenance_plan_id.part_ids.fetch(["plan_id", "sequence", "product_id", "product_qty"])
        now = fields.Datetime.now()
        repairs = Repair
        for company in visits.company_id:
            company_visits = visits.filtered(lambda ticket, company=company: ticket.company_id == company)
            picking_type = self.env["stock.picking.type"].browse(
                Repair.with_company(company).default_get(["picking_type_id"]).get("picking_type_id")
            )
            if not picking_type:
                _logger.warning(
                    "Maintenance visits %s: company %s has no repair operation type, their kits are left out.",
                    company_visits.ids,
                    company.name,
                )
                continue
            sequence = picking_type.sudo().sequence_id
            names = sequence_next_names(sequence, len(company_visits), now) if sequence else []
            references = self.env["stock.reference"].sudo().create([{"name": name} for name in names])
            vals_list = []
            for index, ticket in enumerate(company_visits):
                vals = {**ticket._aftersales_repair_values(), "picking_type_id": picking_type.id}
                reference = []
                if names:
                    reference = [Command.link(references[index].id)]
                    vals.update(name=names[index], reference_ids=reference)
                vals["move_ids"] = [
                    Command.create(
                        {
                            "product_id": part.product_id.id,
                            "product_uom_qty": part.product_qty,
                            "repair_line_type": "add",
                            # what repair's stock.move create() sets: given here, it costs no query per move
                            "picking_type_id": picking_type.id,
                            "reference_ids": reference,
                        }
                    )
                    for part in ticket.maintenance_plan_id.part_ids
                ]
                vals_list.append(vals)
            # Given as the default too: repair.order's create() computes its
            # default operation type for every record (a warehouse query each).
            repairs |= Repair.with_context(default_picking_type_id=picking_type.id)._create_facts(vals_list)
        return repairs

    def _visit_ticket_values(self, day, appointment, product, lot):
        self.ensure_one()
        team = self.team_id or self.env["aftersales.ticket"]._route_team(self.partner_id, product)
        return {
            "name": self.env._("Maintenance visit: %(plan)s (%(date)s)", plan=self.name, date=day),
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "product_id": product.id,
            "lot_id": lot.id,
            "category": "maintenance",
            "urgency": "non_fault",
            "channel": "api",
            "service_mode": "on_site",
            "appointment_date": appointment,
            "estimated_hours": self.duration_hours,
            "team_id": team.id,
            "maintenance_plan_id": self.id,
            "maintenance_visit_date": day,
            "maintenance_check_ids": [
                Command.create({"name": item.name, "sequence": item.sequence}) for item in self.item_ids
            ],
        }
