"""Ticket numbers: drawn once from the company's sequence when the ticket is created."""

from odoo import fields, models

from ..tools import sequence_next_names


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    number = fields.Char(
        string="Ticket Number",
        compute="_compute_number",
        store=True,
        precompute=True,
        readonly=True,
        copy=False,
        index="trigram",
    )

    _number_company_uniq = models.UniqueIndex("(company_id, number) WHERE number != '/'")

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
            names = sequence_next_names(sequence, len(company_tickets), now)
            for ticket, name in zip(company_tickets, names, strict=True):
                ticket.number = name
