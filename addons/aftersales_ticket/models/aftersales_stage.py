from odoo import fields, models

MILESTONES = [
    ("report", "Reported"),
    ("accept", "Accepted"),
    ("dispatch", "Dispatched"),
    ("diagnose", "Diagnosis"),
    ("repair", "Repair"),
    ("acceptance", "Customer acceptance"),
    ("followup", "Follow-up"),
    ("archive", "Archived"),
]


class AftersalesStage(models.Model):
    _name = "aftersales.stage"
    _description = "After-sales Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    fold = fields.Boolean(string="Folded in Kanban")
    milestone = fields.Selection(
        MILESTONES,
        help="Step of the service SOP this stage stands for: entering it time-stamps the ticket "
        "(accepted, assigned, resolved, closed).",
    )
    is_closed = fields.Boolean(string="Closed", help="Tickets in this stage are finished.")
    is_cancelled = fields.Boolean(string="Cancelled", help="Tickets in this stage were cancelled, not repaired.")
    team_ids = fields.Many2many(
        "aftersales.team",
        string="Teams",
        help="Teams using this stage; leave empty for every team.",
    )
    active = fields.Boolean(default=True)
