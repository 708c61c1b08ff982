from odoo import api, fields, models
from odoo.tools import SQL

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
    level = fields.Selection(LEVELS, string="Certification Level", default="basic", required=True, tracking=True)
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
        """Open tickets per technician id, in one query."""
        groups = (
            self.env["aftersales.ticket"]
            .sudo()
            ._read_group([("technician_id", "in", self.ids), ("is_closed", "=", False)], ["technician_id"], ["__count"])
        )
        return {technician.id: count for technician, count in groups}

    @api.model
    def _dispatch_profiles(self, company_ids):
        """Everything auto-dispatch needs about the available technicians of
        these companies -- level, capacity, open workload, teams with their
        place in the service network, product and fault skills -- in one
        query, whatever the number of technicians or tickets."""
        Ticket = self.env["aftersales.ticket"]
        Ticket.flush_model(["technician_id", "is_closed", "active"])
        self.flush_model()
        self.env["aftersales.team"].flush_model(["parent_path"])
        teams, categs, faults = (
            self._fields[name] for name in ("team_ids", "product_category_ids", "fault_category_ids")
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT tech.id, tech.name, tech.level, tech.company_id, tech.max_open_tickets,
                       (SELECT count(*) FROM aftersales_ticket ticket
                         WHERE ticket.technician_id = tech.id AND ticket.active AND ticket.is_closed IS NOT TRUE),
                       ARRAY(SELECT team.parent_path FROM %(team_rel)s rel
                               JOIN aftersales_team team ON team.id = rel.%(team_col)s
                              WHERE rel.%(team_tech)s = tech.id),
                       ARRAY(SELECT rel.%(categ_col)s FROM %(categ_rel)s rel WHERE rel.%(categ_tech)s = tech.id),
                       ARRAY(SELECT rel.%(fault_col)s FROM %(fault_rel)s rel WHERE rel.%(fault_tech)s = tech.id)
                  FROM aftersales_technician tech
                 WHERE tech.active AND tech.available AND tech.company_id = ANY(%(companies)s)
                 ORDER BY tech.id
                """,
                team_rel=SQL.identifier(teams.relation),
                team_col=SQL.identifier(teams.column2),
                team_tech=SQL.identifier(teams.column1),
                categ_rel=SQL.identifier(categs.relation),
                categ_col=SQL.identifier(categs.column2),
                categ_tech=SQL.identifier(categs.column1),
                fault_rel=SQL.identifier(faults.relation),
                fault_col=SQL.identifier(faults.column2),
                fault_tech=SQL.identifier(faults.column1),
                companies=list(company_ids),
            )
        )
        profiles = []
        for (
            tech_id,
            name,
            level,
            company_id,
            capacity,
            load,
            team_paths,
            categ_ids,
            fault_ids,
        ) in self.env.cr.fetchall():
            paths = [[int(part) for part in path.split("/") if part] for path in team_paths if path]
            profiles.append(
                {
                    "id": tech_id,
                    "name": name,
                    "level": level,
                    "company_id": company_id,
                    "capacity": capacity,
                    "load": load,
                    "team_paths": paths,
                    "team_ids": {path[-1] for path in paths},
                    "categ_ids": set(categ_ids),
                    "fault_ids": set(fault_ids),
                }
            )
        return profiles
