from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT
from odoo.exceptions import UserError

ROOTCAUSE_STATES = [
    ("analysis", "Cause analysis"),
    ("action", "Corrective action"),
    ("check", "Effectiveness check"),
    ("done", "Done"),
]
EFFECTIVENESS = [("effective", "Effective"), ("not_effective", "Not effective")]


class AftersalesQualityRootcause(models.Model):
    """A root-cause and corrective-action record (PDCA): the problem, its
    cause, the corrective action with an owner and a due date, and the check
    that it worked. Linked to what raised it: complaints, repeat repairs, SLA
    incidents and failure-rate alerts."""

    _name = "aftersales.quality.rootcause"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.write.rules.mixin"]
    _description = "After-sales Root Cause and Corrective Action"
    _order = "date_due, id desc"

    name = fields.Char(string="Title", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True, tracking=True
    )
    owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    date_due = fields.Date(string="Due Date", tracking=True)
    problem = fields.Text(help="What happened, with its figures.")
    cause = fields.Text(string="Root Cause", tracking=True)
    action = fields.Text(string="Corrective Action", tracking=True)
    effectiveness_check = fields.Text(help="How the action was checked, with the figures after it.")
    effectiveness = fields.Selection(EFFECTIVENESS, readonly=True, tracking=True, copy=False)
    state = fields.Selection(
        ROOTCAUSE_STATES, default="analysis", required=True, readonly=True, tracking=True, copy=False
    )
    date_done = fields.Date(readonly=True, copy=False)
    # What raised it
    ticket_ids = fields.Many2many(
        "aftersales.ticket",
        string="Complaints and Repeat Repairs",
        domain="['|', ('category', '=', 'complaint'), ('is_repeat', '=', True)]",
        check_company=True,
    )
    incident_ids = fields.Many2many("aftersales.sla.incident", string="Incidents", check_company=True)
    alert_ids = fields.One2many("aftersales.quality.alert", "rootcause_id", string="Failure Alerts")

    @api.model
    def _field_write_rules(self):
        # alerts are linked from the alert side (its root cause is a fact of the alert)
        return {"effectiveness": FACT, "state": FACT, "date_done": FACT, "alert_ids": FACT}

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def _check_step(self, state, required):
        for record in self:
            if record.state != state:
                raise UserError(self.env._("%(record)s is not at this step any more.", record=record.display_name))
            missing = [record._fields[fname].get_description(self.env)["string"] for fname in required
                       if not record[fname]]  # fmt: skip
            if missing:
                raise UserError(
                    self.env._(
                        "Fill in %(fields)s on %(record)s first.", fields=", ".join(missing), record=record.display_name
                    )
                )

    def action_start_action(self):
        """Cause found: the owner carries out the corrective action by its due date."""
        self.check_access("write")
        self._check_step("analysis", ["cause", "action", "owner_id", "date_due"])
        self._write_facts({"state": "action"})
        for record in self:
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=record.date_due,
                user_id=record.owner_id.id,
                summary=self.env._("Corrective action due"),
            )
        return True

    def action_check(self):
        self.check_access("write")
        self._check_step("action", [])
        self._write_facts({"state": "check"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_effective(self):
        """The check shows the action worked: done, and its alerts closed."""
        self.check_access("write")
        self._check_step("check", ["effectiveness_check"])
        self._write_facts({"state": "done", "effectiveness": "effective", "date_done": fields.Date.context_today(self)})
        self.alert_ids.filtered(lambda a: a.state != "closed").action_close()
        return True

    def action_not_effective(self):
        """The check shows the action did not work: back to the cause analysis."""
        self.check_access("write")
        self._check_step("check", ["effectiveness_check"])
        self._write_facts({"state": "analysis", "effectiveness": "not_effective"})
        return True
