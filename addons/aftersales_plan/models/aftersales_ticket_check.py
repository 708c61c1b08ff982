from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT, OPEN_FIELD, SYSTEM

CHECK_RESULTS = [
    ("ok", "OK"),
    ("fixed", "Fixed on site"),
    ("failed", "Needs repair"),
    ("na", "Not applicable"),
]


class AftersalesTicketCheck(models.Model):
    """One line of a maintenance visit's checklist and what the technician found."""

    _name = "aftersales.ticket.check"
    _description = "Maintenance Visit Check"
    _inherit = ["aftersales.write.rules.mixin"]
    _order = "ticket_id, sequence, id"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True, precompute=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True)
    result = fields.Selection(CHECK_RESULTS)
    note = fields.Char()
    checked_by_id = fields.Many2one("res.users", string="Checked By", readonly=True)
    date_checked = fields.Datetime(string="Checked On", readonly=True)

    @api.model
    def _field_write_rules(self):
        return {
            "ticket_id": (SYSTEM, SYSTEM),
            "company_id": FACT,
            "sequence": (SYSTEM, SYSTEM),
            "name": (SYSTEM, SYSTEM),
            "result": OPEN_FIELD,
            "note": OPEN_FIELD,
            "checked_by_id": FACT,
            "date_checked": FACT,
        }

    def write(self, vals):
        if not self._writing_facts():
            # The results are work on the ticket: whoever may write the ticket.
            self.ticket_id.check_access("write")
        res = super().write(vals)
        if "result" in vals and not self._writing_facts():
            self._write_facts({"checked_by_id": self.env.uid, "date_checked": fields.Datetime.now()})
        return res
