from odoo import fields, models

LEVELS = [
    ("basic", "Basic"),
    ("professional", "Professional"),
    ("advanced", "Advanced"),
    ("trainer", "Trainer"),
]
LEVEL_RANK = {code: rank for rank, (code, _label) in enumerate(LEVELS)}


class AftersalesTechnician(models.Model):
    _name = "aftersales.technician"
    _description = "After-sales Technician"
    _inherit = ["mail.thread"]
    _order = "name"

    user_id = fields.Many2one(
        "res.users", required=True, ondelete="cascade", index=True, domain="[('share', '=', False)]"
    )
    name = fields.Char(related="user_id.name", store=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    team_ids = fields.Many2many("aftersales.team", string="Teams")
    certification_level = fields.Selection(
        LEVELS, string="Certification Level", default="basic", required=True, tracking=True
    )
    product_category_ids = fields.Many2many(
        "product.category", string="Product Skills", help="Product lines this technician is qualified for."
    )
    fault_category_ids = fields.Many2many(
        "aftersales.fault.category", string="Fault Skills", help="Kinds of fault this technician can handle."
    )
    available = fields.Boolean(
        default=True, tracking=True, help="Unavailable technicians (leave, training) receive no new ticket."
    )
    max_open_tickets = fields.Integer(
        string="Capacity", default=8, help="Open tickets above which auto-dispatch skips this technician."
    )
    ticket_ids = fields.One2many("aftersales.ticket", "technician_id", string="Tickets")
    open_ticket_count = fields.Integer(compute="_compute_open_ticket_count", string="Open Tickets")

    _user_uniq = models.Constraint("unique (user_id)", "This user is already a technician.")
    _capacity_positive = models.Constraint("CHECK (max_open_tickets >= 0)", "The capacity cannot be negative.")

    def _compute_open_ticket_count(self):
        counts = self._open_ticket_counts()
        for technician in self:
            technician.open_ticket_count = counts.get(technician.id, 0)

    def _open_ticket_counts(self):
        """Open tickets per technician id, in one query: a ticket whose service
        ended (waiting only for follow-up or payment) is no longer open work."""
        groups = (
            self.env["aftersales.ticket"]
            .sudo()
            ._read_group(
                [("technician_id", "in", self.ids), ("is_closed", "=", False), ("date_service_end", "=", False)],
                ["technician_id"],
                ["__count"],
            )
        )
        return {technician.id: count for technician, count in groups}
