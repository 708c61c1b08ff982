"""Dispatch leaves out a technician whose certification for the ticket's
product line has expired on the day of the work."""

from odoo import fields, models
from odoo.addons.aftersales_ticket.tools import parent_path_ids


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    def _dispatch_busy(self, profiles):
        """Also not free for a ticket: a technician certified for its product
        line (the category or a parent of it) whose certifications are none
        valid on the day of the work (the appointment, else today). A
        technician without any certification for the line is judged on his
        skills as before. One query for the batch."""
        busy = dict(super()._dispatch_busy(profiles))
        tickets = self.filtered(lambda t: t.id and t.product_category_id)
        if not profiles or not tickets:
            return busy
        lines = {ticket: set(parent_path_ids(ticket.product_category_id.parent_path)) for ticket in tickets}
        certifications = (
            self.env["aftersales.technician.certification"]
            .sudo()
            .search_fetch(
                [
                    ("technician_id", "in", [tech["id"] for tech in profiles]),
                    ("product_category_id", "in", list(set().union(*lines.values()))),
                ],
                ["technician_id", "product_category_id", "date_issued", "date_expiry"],
            )
        )
        if not certifications:
            return busy
        today = fields.Date.context_today(self)
        for ticket, categ_ids in lines.items():
            day = fields.Date.context_today(self, ticket.appointment_date) if ticket.appointment_date else today
            held, valid = set(), set()
            for certification in certifications:
                if certification.product_category_id.id in categ_ids:
                    held.add(certification.technician_id.id)
                    if certification._valid_on(day):
                        valid.add(certification.technician_id.id)
            if held - valid:
                busy[ticket.id] = set(busy.get(ticket.id, ())) | (held - valid)
        return busy
