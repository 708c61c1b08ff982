from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT
from odoo.tools import format_date

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


class AftersalesTicket(models.Model):
    """Warranty status and the three guarantees 三包 (return, exchange, free
    repair, exchange or return after repeated repairs) of a ticket. The facts
    behind the decision are stored; the reason is written when read."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    warranty_end_date = fields.Date(compute="_compute_warranty", store=True, precompute=True)
    warranty_state = fields.Selection(WARRANTY_STATES, compute="_compute_warranty", store=True, precompute=True)
    entitlement = fields.Selection(
        ENTITLEMENTS, string="Entitlement (三包)", compute="_compute_entitlement", store=True, precompute=True
    )
    entitlement_data = fields.Json(compute="_compute_entitlement", store=True, precompute=True)
    entitlement_reason = fields.Text(string="Why", compute="_compute_entitlement_reason")

    @api.depends("purchase_date", "product_id", "date_reported", "sla_contract_id")
    def _compute_warranty(self):
        for ticket in self:
            end = self._sla_warranty_end(ticket.product_id, ticket.purchase_date)
            ticket.warranty_end_date = end
            day = ticket._sla_report_day()
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
            day = ticket._sla_report_day()
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
                window = self._sla_sanbao_window(company, days)
                if window:
                    ticket.entitlement = window
                    data = {"why": window, "days": days, "window": self._sla_sanbao_window_days(company, window)}
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

    def _sla_report_day(self, moment=None):
        """The day the fault was reported (or ``moment``), in the company's
        timezone: the day the customer and the agent see on the calendar, on
        which warranty, contract and 三包 windows are judged."""
        self.ensure_one()
        return (self.company_id or self.env.company)._aftersales_today(moment or self.date_reported)

    @api.model
    def _sla_warranty_end(self, product, purchase_date):
        """The last day of the standard warranty of ``product`` bought (or
        delivered) on ``purchase_date``; False when the date is unknown."""
        months = product.product_tmpl_id.aftersales_warranty_months
        return purchase_date and purchase_date + relativedelta(months=months, days=-1)

    @api.model
    def _sla_sanbao_window(self, company, days):
        """The 三包 window a fault ``days`` after purchase falls in: "return",
        "exchange" or False (free or paid repair, judged on the warranty)."""
        if days <= company.aftersales_return_days:
            return "return"
        if days <= company.aftersales_exchange_days:
            return "exchange"
        return False

    @api.model
    def _sla_sanbao_window_days(self, company, window):
        return company.aftersales_return_days if window == "return" else company.aftersales_exchange_days

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
                    and (not end or ticket._sla_report_day(repair.date_reported) <= end)
                ):
                    result[ticket.id] += 1
        return result

    @api.model
    def _field_write_rules(self):
        return {
            **super()._field_write_rules(),
            "warranty_end_date": FACT,
            "warranty_state": FACT,
            "entitlement": FACT,
            "entitlement_data": FACT,
        }
