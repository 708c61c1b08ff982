from bisect import bisect_right
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from pytz import utc

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.models.aftersales_ticket import AGENT, FACT, MANAGER, URGENCY_RANK, USER
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date, format_datetime

from .aftersales_sla_tier import URGENCY_CODES

SLA_STATES = [
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("met_late", "Met late"),
]
WARRANTY_STATES = [
    ("in_warranty", "In warranty"),
    ("under_contract", "Under contract"),
    ("out_of_warranty", "Out of warranty"),
    ("unknown", "Unknown purchase date"),
]
ENTITLEMENTS = [
    ("return", "Return"),
    ("exchange", "Exchange"),
    ("exchange_or_return", "Exchange or return"),
    ("free_repair", "Free repair"),
    ("paid_repair", "Paid repair"),
    ("none", "None"),
]

INCIDENT_LEVELS = [("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3")]

# Fields whose change re-plans the open targets (the tier follows the unit).
SLA_TRIGGERS = {
    "sla_tier_id",
    "urgency",
    "date_reported",
    "sla_incident_level",
    "partner_id",
    "product_id",
    "lot_id",
    "company_id",
}

# Columns written by the deadline engine in one UPDATE per batch.
SLA_COLUMNS = {
    "sla_response_deadline": "timestamp",
    "sla_resolution_deadline": "timestamp",
    "sla_response_warn_at": "timestamp",
    "sla_resolution_warn_at": "timestamp",
    "sla_response_reached": "timestamp",
    "sla_resolution_reached": "timestamp",
    "sla_response_state": "varchar",
    "sla_resolution_state": "varchar",
    "sla_state": "varchar",
    "sla_alert_level": "int4",
    "sla_next_check": "timestamp",
}


# Who may set the SLA fields (see TICKET_WRITE_RULES of aftersales_ticket).
SLA_WRITE_RULES = {
    "purchase_price": (USER, USER),
    "sla_tier_id": (AGENT, MANAGER),
    "sla_incident_level": (AGENT, AGENT),
    "sla_major_incident_id": (AGENT, AGENT),
    "sla_contract_id": FACT,
    "sla_tier_origin": FACT,
    "sla_rule_id": FACT,
    "warranty_end_date": FACT,
    "warranty_state": FACT,
    "entitlement": FACT,
    "entitlement_data": FACT,
    "sla_paused_since": FACT,
    "sla_pause_ids": FACT,
    **dict.fromkeys(SLA_COLUMNS, FACT),
}


def _naive_utc(dt):
    return dt.astimezone(utc).replace(tzinfo=None)


def _round_second(dt):
    """Calendars end days at 23:59:59.999999: keep deadlines on whole seconds."""
    rounded = dt.replace(microsecond=0)
    return rounded + timedelta(seconds=1) if dt.microsecond >= 500000 else rounded


def _plan(intervals, ends, start, hours, pauses=()):
    """Walk the sorted working intervals [(start, end)] (naive UTC) from
    ``start`` and return the moment ``hours`` of working time are used,
    skipping the ``pauses`` [(start, end)]. None when the intervals run out."""
    remaining = hours * 3600.0
    index = bisect_right(ends, start)
    for interval_start, high in intervals[index:]:
        low = max(interval_start, start)
        if low >= high:
            continue
        segments = [(low, high)]
        for p_start, p_end in pauses:
            cut = []
            for s_low, s_high in segments:
                if p_end <= s_low or p_start >= s_high:
                    cut.append((s_low, s_high))
                    continue
                if s_low < p_start:
                    cut.append((s_low, p_start))
                if p_end < s_high:
                    cut.append((p_end, s_high))
            segments = cut
        for s_low, s_high in segments:
            seconds = (s_high - s_low).total_seconds()
            if remaining <= seconds:
                return _round_second(s_low + timedelta(seconds=remaining))
            remaining -= seconds
    return None


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    # Tier and coverage
    purchase_price = fields.Float(
        string="Price at Purchase",
        digits="Product Price",
        compute="_compute_purchase_price",
        store=True,
        readonly=False,
        precompute=True,
        help="What the customer paid for the unit; tier rules compare it with their minimum price. "
        "Proposed from the product's sales price.",
    )
    sla_tier_id = fields.Many2one(
        "aftersales.sla.tier",
        string="Service Tier",
        compute="_compute_sla_tier_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        check_company=True,
        groups="base.group_user",
    )
    sla_contract_id = fields.Many2one(
        "aftersales.sla.contract",
        string="Contract",
        compute="_compute_sla_tier_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        groups="base.group_user",
    )
    # Where the tier comes from, stored as facts; the sentence is written when
    # read, in the reader's language.
    sla_tier_origin = fields.Selection(
        [("contract", "Contract"), ("rule", "Tier rule"), ("default", "Company default"), ("manual", "Set by hand")],
        string="Tier Source",
        compute="_compute_sla_tier_id",
        store=True,
        precompute=True,
    )
    sla_rule_id = fields.Many2one(
        "aftersales.sla.rule",
        string="Tier Rule",
        compute="_compute_sla_tier_id",
        store=True,
        precompute=True,
        groups="base.group_user",
    )
    sla_tier_reason = fields.Char(string="Tier Origin", compute="_compute_sla_tier_reason")
    sla_incident_level = fields.Selection(
        INCIDENT_LEVELS,
        string="Major Incident",
        tracking=True,
        help="Major incidents must be answered within the company's level targets (30 min / 2 h / 24 h), "
        "on the clock around the clock whatever the tier's calendar.",
    )
    sla_major_incident_id = fields.Many2one(
        "aftersales.sla.incident",
        string="Incident",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        groups="base.group_user",
        help="The major incident (one outage, many customers) this ticket belongs to; it takes its level.",
    )

    # Warranty and 三包
    warranty_end_date = fields.Date(compute="_compute_warranty", store=True, precompute=True)
    warranty_state = fields.Selection(WARRANTY_STATES, compute="_compute_warranty", store=True, precompute=True)
    entitlement = fields.Selection(
        ENTITLEMENTS, string="Entitlement (三包)", compute="_compute_entitlement", store=True, precompute=True
    )
    entitlement_data = fields.Json(compute="_compute_entitlement", store=True, precompute=True)
    entitlement_reason = fields.Text(string="Why", compute="_compute_entitlement_reason")

    # Deadlines: written by the batch engine (_sla_refresh), frozen once reached
    sla_response_deadline = fields.Datetime(string="Response Deadline", readonly=True, copy=False)
    sla_resolution_deadline = fields.Datetime(string="Resolution Deadline", readonly=True, copy=False)
    sla_response_warn_at = fields.Datetime(readonly=True, copy=False)
    sla_resolution_warn_at = fields.Datetime(readonly=True, copy=False)
    sla_response_reached = fields.Datetime(string="Responded At", readonly=True, copy=False)
    sla_resolution_reached = fields.Datetime(string="Resolved At", readonly=True, copy=False)
    sla_response_state = fields.Selection(SLA_STATES, string="Response SLA", readonly=True, copy=False)
    sla_resolution_state = fields.Selection(SLA_STATES, string="Resolution SLA", readonly=True, copy=False)
    sla_state = fields.Selection(SLA_STATES, string="SLA", readonly=True, copy=False, index=True)
    sla_paused_since = fields.Datetime(readonly=True, copy=False)
    sla_pause_ids = fields.One2many("aftersales.sla.pause", "ticket_id", string="SLA Pauses", groups="base.group_user")

    # Monitoring
    sla_alert_level = fields.Integer(readonly=True, copy=False, default=0)
    sla_next_check = fields.Datetime(readonly=True, copy=False, index="btree_not_null")

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), **SLA_WRITE_RULES}

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("urgency", "sla_incident_level", "sla_tier_id.queue_priority")
    def _compute_priority_rank(self):
        """Queue order, lowest first: major incidents by level, then urgency,
        then the tier (Advanced and VIP are served first at equal urgency)."""
        for ticket in self:
            incident = int(ticket.sla_incident_level) if ticket.sla_incident_level else 4
            urgency = URGENCY_RANK.get(ticket.urgency, 1)
            tier = min(max(ticket.sudo().sla_tier_id.queue_priority, 0), 9)
            ticket.priority_rank = incident * 100 + urgency * 10 + (9 - tier)

    @api.depends("product_id")
    def _compute_purchase_price(self):
        for ticket in self:
            ticket.purchase_price = ticket.product_id.lst_price

    @api.depends("partner_id", "product_id", "lot_id", "company_id", "date_reported", "purchase_price")
    def _compute_sla_tier_id(self):
        contracts = self.env["aftersales.sla.contract"]._find_for_tickets(self)
        rules = self.env["aftersales.sla.rule"].sudo().search([("company_id", "in", [False, *self.company_id.ids])])
        fallback = self.env["aftersales.sla.tier"].sudo().search([], limit=1)
        for ticket in self:
            contract = contracts.get(ticket.id)
            if contract:
                ticket.sla_contract_id = contract
                ticket.sla_tier_id = contract.tier_id
                ticket.sla_tier_origin = "contract"
                ticket.sla_rule_id = False
                continue
            ticket.sla_contract_id = False
            rule = ticket.product_id and next(
                (r for r in rules if r._matches(ticket.product_id, ticket.company_id, ticket.purchase_price)), None
            )
            if rule:
                ticket.sla_tier_id = rule.tier_id
                ticket.sla_tier_origin = "rule"
                ticket.sla_rule_id = rule
            else:
                ticket.sla_tier_id = ticket.company_id.aftersales_default_tier_id or fallback
                ticket.sla_tier_origin = "default"
                ticket.sla_rule_id = False

    @api.depends("sla_tier_origin", "sla_contract_id", "sla_rule_id")
    @api.depends_context("lang")
    def _compute_sla_tier_reason(self):
        origins = dict(self._fields["sla_tier_origin"]._description_selection(self.env))
        for ticket in self:
            data = ticket.sudo()
            if data.sla_tier_origin == "contract" and data.sla_contract_id:
                ticket.sla_tier_reason = self.env._("Contract %(contract)s", contract=data.sla_contract_id.name)
            elif data.sla_tier_origin == "rule" and data.sla_rule_id:
                ticket.sla_tier_reason = data.sla_rule_id._reason()
            else:
                ticket.sla_tier_reason = origins.get(data.sla_tier_origin, False)

    @api.constrains("purchase_price")
    def _check_purchase_price(self):
        if any(ticket.purchase_price < 0 for ticket in self):
            raise ValidationError(self.env._("The price paid at purchase cannot be negative."))

    @api.depends("purchase_date", "product_id", "date_reported", "sla_contract_id")
    def _compute_warranty(self):
        for ticket in self:
            months = ticket.product_id.product_tmpl_id.aftersales_warranty_months
            end = ticket.purchase_date and ticket.purchase_date + relativedelta(months=months, days=-1)
            ticket.warranty_end_date = end
            day = (ticket.date_reported or fields.Datetime.now()).date()
            if ticket.sla_contract_id:
                ticket.warranty_state = "under_contract"
            elif not ticket.purchase_date:
                ticket.warranty_state = "unknown"
            elif day <= end:
                ticket.warranty_state = "in_warranty"
            else:
                ticket.warranty_state = "out_of_warranty"

    @api.depends(
        "purchase_date", "date_reported", "urgency", "fault_category_id", "lot_id", "warranty_state", "sla_tier_id"
    )
    def _compute_entitlement(self):
        """三包: return, exchange, free repair, and exchange or return after
        repeated repairs of the same fault within warranty. The facts behind
        the decision are stored in ``entitlement_data``; the reason is written
        from them when read, in the reader's language."""
        repairs = self._sla_previous_repairs()
        for ticket in self:
            company = ticket.company_id or self.env.company
            day = (ticket.date_reported or fields.Datetime.now()).date()
            contract = ticket.sla_contract_id.name
            if ticket.urgency == "non_fault":
                ticket.entitlement, data = "none", {"why": "non_fault"}
            elif not ticket.purchase_date:
                if ticket.warranty_state == "under_contract":
                    ticket.entitlement, data = "free_repair", {"why": "contract", "contract": contract}
                else:
                    ticket.entitlement, data = "none", {"why": "no_purchase_date"}
            else:
                days = (day - ticket.purchase_date).days
                repaired = repairs.get(ticket.id, 0)
                end = ticket.warranty_end_date and fields.Date.to_string(ticket.warranty_end_date)
                if days <= company.aftersales_return_days:
                    ticket.entitlement = "return"
                    data = {"why": "return", "days": days, "window": company.aftersales_return_days}
                elif days <= company.aftersales_exchange_days:
                    ticket.entitlement = "exchange"
                    data = {"why": "exchange", "days": days, "window": company.aftersales_exchange_days}
                elif ticket.warranty_state == "in_warranty" and repaired >= company.aftersales_repair_limit:
                    ticket.entitlement = "exchange_or_return"
                    data = {"why": "repeated", "count": repaired, "fault": ticket.fault_category_id.id}
                elif ticket.warranty_state == "in_warranty":
                    ticket.entitlement, data = "free_repair", {"why": "warranty", "end": end}
                elif ticket.warranty_state == "under_contract":
                    ticket.entitlement, data = "free_repair", {"why": "contract_repair", "contract": contract}
                else:
                    ticket.entitlement = "paid_repair"
                    data = {
                        "why": "paid",
                        "end": end,
                        "ratio": ticket.sla_tier_id.out_of_warranty_ratio if ticket.sla_tier_id else 100.0,
                        "tier": ticket.sla_tier_id.id,
                    }
            ticket.entitlement_data = data

    @api.depends("entitlement_data")
    @api.depends_context("lang")
    def _compute_entitlement_reason(self):
        for ticket in self:
            ticket.entitlement_reason = ticket._entitlement_sentence(ticket.entitlement_data or {})

    def _entitlement_sentence(self, data):
        """The reason of the 三包 decision, in the language of the environment."""
        sentences = {
            "non_fault": lambda: self.env._("Not a fault: installation, upgrade or maintenance."),
            "no_purchase_date": lambda: self.env._("The purchase date is unknown: enter it to check 三包."),
            "contract": lambda: self.env._("Covered by contract %(contract)s.", contract=data.get("contract")),
            "return": lambda: self.env._(
                "Fault reported %(days)s days after purchase, within the %(window)s-day return window: "
                "the customer may return the product, exchange it or have it repaired free.",
                days=data["days"],
                window=data["window"],
            ),
            "exchange": lambda: self.env._(
                "Fault reported %(days)s days after purchase, within the %(window)s-day exchange window: "
                "the customer may exchange the product or have it repaired free.",
                days=data["days"],
                window=data["window"],
            ),
            "repeated": lambda: self.env._(
                "%(count)s repairs of the same fault (%(fault)s) within warranty already failed: "
                "the customer may exchange or return the product.",
                count=data["count"],
                fault=self.env["aftersales.fault.category"].sudo().browse(data.get("fault")).exists().name or "-",
            ),
            "warranty": lambda: self.env._(
                "In warranty until %(end)s: free repair.", end=format_date(self.env, data.get("end"))
            ),
            "contract_repair": lambda: self.env._(
                "Covered by contract %(contract)s: free repair.", contract=data.get("contract")
            ),
            "paid": lambda: self.env._(
                "Out of warranty since %(end)s: repair charged at %(ratio)s %% of the list price (%(tier)s).",
                end=format_date(self.env, data.get("end")),
                ratio=data.get("ratio"),
                tier=self.env["aftersales.sla.tier"].sudo().browse(data.get("tier")).exists().name or "-",
            ),
        }
        sentence = sentences.get(data.get("why"))
        return sentence() if sentence else False

    def _sla_previous_repairs(self):
        """{ticket id: number of earlier repaired tickets of the same customer
        on the same unit with the same fault, reported within warranty}, in
        one search. Only counted: the reason is stored text that readers who
        may not open those tickets also see."""
        tickets = self.filtered(lambda t: t.fault_category_id and t.lot_id and t.purchase_date)
        if not tickets:
            return {}
        earlier = self.sudo().search_fetch(
            [
                ("lot_id", "in", tickets.lot_id.ids),
                ("commercial_partner_id", "in", tickets.commercial_partner_id.ids),
                ("fault_category_id", "in", tickets.fault_category_id.ids),
                ("date_resolved", "!=", False),
                ("is_cancelled", "=", False),
                ("id", "not in", [i for i in tickets.ids if i]),
            ],
            ["lot_id", "commercial_partner_id", "fault_category_id", "date_reported", "date_resolved"],
            order="date_reported, id",
        )
        result = defaultdict(int)
        for ticket in tickets:
            reported = ticket.date_reported or fields.Datetime.now()
            end = ticket.warranty_end_date
            for repair in earlier:
                if (
                    repair.lot_id == ticket.lot_id
                    and repair.commercial_partner_id == ticket.commercial_partner_id
                    and repair.fault_category_id == ticket.fault_category_id
                    and repair.date_resolved < reported
                    and (not end or repair.date_reported.date() <= end)
                ):
                    result[ticket.id] += 1
        return result

    # ------------------------------------------------------------------
    # CRUD hooks
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._sla_incident_level_vals(vals_list)
        tickets = super().create(vals_list)
        chosen = [ticket.id for ticket, vals in zip(tickets, vals_list, strict=True) if vals.get("sla_tier_id")]
        if chosen:
            self.browse(chosen).sudo()._sla_tier_set_by_hand()
        return tickets

    def _sla_tier_set_by_hand(self):
        """The tier was given by the caller, not chosen by contract or rule."""
        return super(AftersalesTicket, self.sudo()).write({"sla_tier_origin": "manual", "sla_rule_id": False})

    @api.model
    def _sla_incident_level_vals(self, vals_list):
        """A ticket joining a major incident takes the incident's level."""
        incident_ids = {vals["sla_major_incident_id"] for vals in vals_list if vals.get("sla_major_incident_id")}
        if not incident_ids:
            return
        levels = dict(
            self.env["aftersales.sla.incident"].sudo().browse(incident_ids).exists().mapped(lambda i: (i.id, i.level))
        )
        for vals in vals_list:
            if vals.get("sla_major_incident_id") in levels:
                vals["sla_incident_level"] = levels[vals["sla_major_incident_id"]]

    def write(self, vals):
        if vals.get("sla_major_incident_id"):
            vals = dict(vals)
            self._sla_incident_level_vals([vals])
        res = super().write(vals)
        if "sla_tier_id" in vals and "sla_tier_origin" not in vals:
            self.sudo()._sla_tier_set_by_hand()
        if SLA_TRIGGERS & set(vals):
            self._sla_refresh()
        return res

    def _stamp_milestones(self, now):
        res = super()._stamp_milestones(now)
        self._sla_sync_pauses(now)
        self._sla_refresh(now)
        return res

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if self.filtered(lambda t: t.date_first_response and not t.sla_response_reached):
            self._sla_refresh()
        return res

    # ------------------------------------------------------------------
    # Pauses
    # ------------------------------------------------------------------

    def _sla_sync_pauses(self, now):
        """Open a pause when a ticket enters a waiting stage, close it when it leaves."""
        to_pause = self.filtered(lambda t: t.stage_id.sla_pause and not t.sla_paused_since and not t.is_closed)
        to_resume = self.filtered(lambda t: t.sla_paused_since and (not t.stage_id.sla_pause or t.is_closed))
        if to_pause:
            self.env["aftersales.sla.pause"].sudo().create(
                [{"ticket_id": t.id, "stage_id": t.stage_id.id, "date_start": now} for t in to_pause]
            )
            to_pause.sudo().write({"sla_paused_since": now})
        if to_resume:
            self.env["aftersales.sla.pause"].sudo().search(
                [("ticket_id", "in", to_resume.ids), ("date_end", "=", False)]
            ).write({"date_end": now})
            to_resume.sudo().write({"sla_paused_since": False})

    # ------------------------------------------------------------------
    # Deadline engine
    # ------------------------------------------------------------------

    @api.model
    def _sla_intervals(self, calendar, use_holidays, start, end):
        """Working intervals of a calendar between two naive UTC datetimes, as
        sorted naive UTC (start, end) tuples. Two queries (attendances, leaves)."""
        start_dt, end_dt = utc.localize(start), utc.localize(end)
        if use_holidays:
            intervals = calendar._work_intervals_batch(start_dt, end_dt)[False]
        else:
            intervals = calendar._attendance_intervals_batch(start_dt, end_dt)[False]
        return [(_naive_utc(low), _naive_utc(high)) for low, high, _meta in intervals if high > low]

    def _sla_refresh(self, now=None, batch_size=1000):
        """Compute deadlines, warning times, reach times, states and the next
        monitoring check of the tickets, in batches with a constant number of
        queries per batch: tickets are grouped by calendar and each calendar's
        intervals are computed once for the batch's date range."""
        now = now or fields.Datetime.now()
        # Deadlines are facts computed for everyone, whoever triggers them
        # (a portal customer creating a ticket cannot read calendars).
        tickets = self.sudo()
        for start in range(0, len(tickets), batch_size):
            tickets[start : start + batch_size]._sla_refresh_batch(now)

    def _sla_refresh_batch(self, now):
        ids = [ticket_id for ticket_id in self.ids if ticket_id]
        if not ids:
            return
        self.browse(ids).flush_recordset()
        self.env["aftersales.sla.pause"].flush_model()
        facts = self._sla_fetch_facts(ids)
        tiers = self._sla_tier_data({fact["sla_tier_id"] for fact in facts if fact["sla_tier_id"]})
        incident_hours = self._sla_incident_hours(facts)
        pauses = self._sla_fetch_pauses(ids, now)

        # Which phases need a deadline, grouped by (calendar, holidays)
        rows = {}
        plans = defaultdict(list)  # (calendar id, holidays) -> [(fact, kind, hours, warn ratio)]
        # Major incidents run on the clock around the clock, whatever the tier's calendar.
        round_the_clock = self.env.ref("aftersales_sla.resource_calendar_24x7", raise_if_not_found=False)
        for fact in facts:
            rows[fact["id"]] = row = self._sla_reach_times(fact)
            tier = tiers.get(fact["sla_tier_id"])
            if not tier or not fact["date_reported"] or fact["is_cancelled"]:
                continue
            targets = tier["targets"][fact["urgency"] or "general"]
            response = targets[0]
            if fact["sla_incident_level"]:
                response = incident_hours[fact["company_id"]][fact["sla_incident_level"]]
            hours = {"response": response, "resolution": targets[1]}
            for kind in ("response", "resolution"):
                if fact[f"sla_{kind}_reached"]:
                    continue  # frozen: the deadline of a reached target is a fact
                clock = (tier["calendar_id"], tier["holidays"])
                if fact["sla_incident_level"] and round_the_clock:
                    clock = (round_the_clock.id, False)
                plans[clock].append((fact, kind, hours[kind], tier["warn_ratio"]))

        for (calendar_id, use_holidays), items in plans.items():
            calendar = self.env["resource.calendar"].browse(calendar_id)
            self._sla_plan_group(calendar, use_holidays, items, rows, pauses)

        values = []
        for fact in facts:
            row = rows[fact["id"]]
            for kind in ("response", "resolution"):
                if fact[f"sla_{kind}_reached"]:
                    row[f"sla_{kind}_deadline"] = fact[f"sla_{kind}_deadline"]
                    row[f"sla_{kind}_warn_at"] = fact[f"sla_{kind}_warn_at"]
                else:
                    row.setdefault(f"sla_{kind}_deadline", None)
                    row.setdefault(f"sla_{kind}_warn_at", None)
            tier = tiers.get(fact["sla_tier_id"])
            self._sla_states(fact, row, now, tier["delay"] if tier else 0.0)
            values.append((fact["id"], *(row[col] or None for col in SLA_COLUMNS)))
        self._sla_write_rows(values)

    @api.model
    def _sla_incident_hours(self, facts):
        """{company id: {level: first-response hours}} of the major incidents."""
        if not any(fact["sla_incident_level"] for fact in facts):
            return {}
        return {
            company.id: {level: company[f"aftersales_incident_l{level}_hours"] for level in ("1", "2", "3")}
            for company in self.env["res.company"].browse({fact["company_id"] for fact in facts})
        }

    @api.model
    def _sla_fetch_pauses(self, ids, now):
        """{ticket id: [(start, end)]} of the pauses, an open one ending now."""
        pauses = defaultdict(list)
        self.env.cr.execute(
            SQL(
                "SELECT ticket_id, date_start, date_end FROM aftersales_sla_pause WHERE ticket_id = ANY(%s) "
                "ORDER BY date_start",
                ids,
            )
        )
        for ticket_id, date_start, date_end in self.env.cr.fetchall():
            pauses[ticket_id].append((date_start, date_end or now))
        return pauses

    @api.model
    def _sla_fetch_facts(self, ids):
        """The stored facts the engine needs, as dicts, in one query."""
        columns = [
            "id",
            "company_id",
            "date_reported",
            "urgency",
            "sla_tier_id",
            "sla_incident_level",
            "date_first_response",
            "date_resolved",
            "date_closed",
            "is_closed",
            "is_cancelled",
            "sla_paused_since",
            "sla_alert_level",
            *SLA_COLUMNS,
        ]
        columns = list(dict.fromkeys(columns))
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM aftersales_ticket WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(col) for col in columns),
                ids,
            )
        )
        return [dict(zip(columns, row, strict=True)) for row in self.env.cr.fetchall()]

    @api.model
    def _sla_tier_data(self, tier_ids):
        tiers = {}
        for tier in self.env["aftersales.sla.tier"].sudo().with_context(active_test=False).browse(tier_ids):
            tiers[tier.id] = {
                "calendar_id": tier.resource_calendar_id.id,
                "holidays": tier.use_public_holidays,
                "warn_ratio": tier.warning_percent / 100.0,
                "delay": tier.escalation_delay_hours,
                "targets": {
                    code: (tier._target_hours("response", code), tier._target_hours("resolution", code))
                    for code in URGENCY_CODES
                },
            }
        return {tier_id: data for tier_id, data in tiers.items() if data["calendar_id"]}

    @api.model
    def _sla_reach_times(self, fact):
        """Reach times: the stored ones, else the milestones just stamped
        (first response, resolution or closing). Stored once, never moved."""
        resolved = fact["date_resolved"] or (
            fact["date_closed"] if fact["is_closed"] and not fact["is_cancelled"] else None
        )
        return {
            "sla_response_reached": fact["sla_response_reached"] or fact["date_first_response"],
            "sla_resolution_reached": fact["sla_resolution_reached"] or resolved,
        }

    def _sla_plan_group(self, calendar, use_holidays, items, rows, pauses):
        starts = [fact["date_reported"] for fact, _kind, _hours, _warn in items]
        max_hours = max(hours for _f, _k, hours, _w in items)
        weekly = sum(a.hour_to - a.hour_from for a in calendar.attendance_ids if a.day_period != "lunch")
        if calendar.two_weeks_calendar:
            weekly /= 2
        pause_hours = max(
            (sum((e - s).total_seconds() for s, e in pauses.get(f["id"], ())) / 3600 for f, *_r in items), default=0
        )
        span_days = 14 + int((max_hours + pause_hours) / max(weekly, 1.0) * 7) + int(pause_hours / 24)
        low = min(starts)
        high = max(starts) + timedelta(days=span_days)
        intervals = self._sla_intervals(calendar, use_holidays, low, high)
        ends = [end for _start, end in intervals]
        pending = items
        for _attempt in range(8):
            missing = []
            for fact, kind, hours, warn_ratio in pending:
                row = rows[fact["id"]]
                if not hours:
                    row[f"sla_{kind}_deadline"] = None
                    row[f"sla_{kind}_warn_at"] = None
                    continue
                ticket_pauses = pauses.get(fact["id"], ())
                deadline = _plan(intervals, ends, fact["date_reported"], hours, ticket_pauses)
                if deadline is None:
                    missing.append((fact, kind, hours, warn_ratio))
                    continue
                row[f"sla_{kind}_deadline"] = deadline
                row[f"sla_{kind}_warn_at"] = _plan(
                    intervals, ends, fact["date_reported"], hours * warn_ratio, ticket_pauses
                )
            if not missing:
                return
            # Long holidays or pauses: extend the horizon (rare), keep the batch.
            span_days *= 2
            new_high = high + timedelta(days=span_days)
            intervals += self._sla_intervals(calendar, use_holidays, high, new_high)
            ends = [end for _start, end in intervals]
            high = new_high
            pending = missing

    @api.model
    def _sla_states(self, fact, row, now, delay_hours):
        """Derive the states from the stored facts and schedule the next check."""
        for kind in ("response", "resolution"):
            deadline = row[f"sla_{kind}_deadline"]
            reached = row[f"sla_{kind}_reached"]
            if reached:
                state = "met" if not deadline or reached <= deadline else "met_late"
            elif not deadline:
                state = None
            elif now > deadline:
                state = "breached"
            elif row[f"sla_{kind}_warn_at"] and now >= row[f"sla_{kind}_warn_at"]:
                state = "at_risk"
            else:
                state = "on_track"
            if fact["is_cancelled"] and not reached:
                state = fact[f"sla_{kind}_state"] or None
            row[f"sla_{kind}_state"] = state
        phase = self._sla_phase(row)
        row["sla_state"] = (
            row[f"sla_{phase}_state"] if phase else row["sla_resolution_state"] or row["sla_response_state"]
        )
        level = fact["sla_alert_level"] or 0
        if phase != self._sla_phase(fact):
            level = 0
        row["sla_alert_level"] = level
        row["sla_next_check"] = (
            None
            if not phase or fact["sla_paused_since"] or fact["is_closed"]
            else self._sla_check_time(row, phase, level, delay_hours)
        )

    @api.model
    def _sla_phase(self, data):
        """'response' until the first response, then 'resolution' until resolved."""
        if data["sla_response_deadline"] and not data["sla_response_reached"]:
            return "response"
        if data["sla_resolution_deadline"] and not data["sla_resolution_reached"]:
            return "resolution"
        return None

    @api.model
    def _sla_check_time(self, data, phase, level, delay_hours):
        deadline = data[f"sla_{phase}_deadline"]
        if level == 0:
            return data[f"sla_{phase}_warn_at"] or deadline
        if level == 1:
            return deadline
        if level == 2:
            return deadline + timedelta(hours=delay_hours)
        return None

    def _sla_write_rows(self, values):
        """One UPDATE ... FROM (VALUES ...) for the whole batch: the ORM's
        flush splits the same statement every 100 rows (10 queries for a batch
        of 1,000). write_date and write_uid are set as the ORM would."""
        if not values:
            return
        columns = list(SLA_COLUMNS)
        rows = SQL(", ").join(SQL("(%s)", SQL(", ").join(SQL("%s", value) for value in row)) for row in values)
        assignments = SQL(", ").join(
            SQL("%s = v.%s::%s", SQL.identifier(col), SQL.identifier(col), SQL(SLA_COLUMNS[col])) for col in columns
        )
        self.env.cr.execute(
            SQL(
                "UPDATE aftersales_ticket t SET %s, write_date = now() AT TIME ZONE 'UTC', write_uid = %s "
                "FROM (VALUES %s) AS v(id, %s) WHERE t.id = v.id",
                assignments,
                self.env.uid,
                rows,
                SQL(", ").join(SQL.identifier(col) for col in columns),
            )
        )
        self.browse([row[0] for row in values]).invalidate_recordset([*columns, "write_date", "write_uid"])

    @api.private
    def notice_promise(self):
        """The tier and promised response of the acknowledgement, in the
        reader's language and time zone."""
        self.ensure_one()
        promise = super().notice_promise()
        ticket = self.sudo()
        if not ticket.sla_response_deadline:
            return promise
        tz = ticket.partner_id.tz or ticket.sla_tier_id.resource_calendar_id.tz or "UTC"
        text = self.env._(
            "Your service tier is %(tier)s: we will answer by %(deadline)s.",
            tier=ticket.sla_tier_id.name or "-",
            deadline=format_datetime(self.env, ticket.sla_response_deadline, tz=tz),
        )
        if ticket.sla_tier_id.onsite_hours:
            text += " " + self.env._(
                "On-site service or pickup within %(hours)s hours if needed.",
                hours=f"{ticket.sla_tier_id.onsite_hours:g}",
            )
        return " ".join(filter(None, [promise, text]))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_sla_recompute(self):
        """Recompute the deadlines of the open targets (reached ones stay)."""
        self.check_access("write")
        self._sla_refresh()
        return True

    def action_view_sla_contract(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.sla.contract",
            "view_mode": "form",
            "res_id": self.sla_contract_id.id,
        }
