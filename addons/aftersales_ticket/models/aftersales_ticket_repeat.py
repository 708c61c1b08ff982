"""Repeat repairs (重复维修) and duplicates: the earlier ticket on the same unit."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..const import REPAIR_CATEGORIES


def _unit_key(ticket):
    """The unit a ticket is about: its serial, else its customer and product."""
    if ticket.lot_id:
        return ("lot", ticket.lot_id.id)
    return ("partner_product", ticket.partner_id.id, ticket.product_id.id)


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

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
