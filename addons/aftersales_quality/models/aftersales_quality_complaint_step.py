from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.const import COMPLAINT_STEPS
from odoo.addons.aftersales_ticket.write_rules import FACT, MANAGER
from odoo.fields import Domain

# The company field holding each step's response target, in hours from the
# complaint's receipt (seed 002: 投诉快速响应机制; 紧急问题 2 小时内响应、24 小时内
# 解决; 一般问题 72 小时内解决). Receiving it is done when it is recorded.
COMPLAINT_TARGET_FIELDS = {
    "soothe": "aftersales_complaint_soothe_hours",
    "verify": "aftersales_complaint_verify_hours",
    "resolve": "aftersales_complaint_resolve_hours",
    "follow_up": "aftersales_complaint_follow_up_hours",
}
TARGET_STATES = [("waiting", "Waiting"), ("on_time", "On time"), ("late", "Late")]


class AftersalesQualityComplaintStep(models.Model):
    """One step of a complaint's handling (seed 002's 投诉处理流程: 接收投诉, 安抚情绪,
    核实情况, 解决问题, 反馈跟进) with its owner, its response target and who
    did it when. All five are opened when the complaint is received, each with
    its deadline fixed from the company's target at that moment (the promise
    made to the customer); a step is done when the complaint reaches it. Done
    after its deadline is late, done at the deadline is on time."""

    _name = "aftersales.quality.complaint.step"
    _inherit = ["aftersales.write.rules.mixin"]
    _description = "After-sales Complaint Step"
    _order = "ticket_id desc, sequence, id"

    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Complaint", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True, precompute=True)
    step = fields.Selection(COMPLAINT_STEPS, required=True, readonly=True)
    sequence = fields.Integer(readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index="btree_not_null",
        help="Who answers for this step: the team's manager when the complaint was received. "
        "A manager may hand it to someone else.",
    )
    date_start = fields.Datetime(
        string="Received On", required=True, readonly=True, help="The complaint's receipt: the targets run from it."
    )
    target_hours = fields.Float(
        string="Target (hours)",
        readonly=True,
        help="The company's response target for this step when the complaint was received, in hours from its receipt.",
    )
    date_deadline = fields.Datetime(string="Due By", required=True, readonly=True)
    date_done = fields.Datetime(string="Done On", readonly=True)
    done_by_id = fields.Many2one("res.users", string="Done By", readonly=True)
    result = fields.Selection(
        [("on_time", "On time"), ("late", "Late")],
        readonly=True,
        help="Against the target, once the step is done: late when done after its deadline.",
    )
    target_state = fields.Selection(
        TARGET_STATES,
        string="Against Target",
        compute="_compute_target_state",
        search="_search_target_state",
        help="Done steps: on time or late. Open steps: waiting until their deadline, late after it.",
    )

    _step_uniq = models.UniqueIndex("(ticket_id, step)", "A complaint has each step once.")

    @api.model
    def _field_write_rules(self):
        facts = dict.fromkeys(
            [
                "ticket_id", "company_id", "step", "sequence", "date_start", "target_hours", "date_deadline",
                "date_done", "done_by_id", "result",
            ],
            FACT,
        )  # fmt: skip
        return {**facts, "user_id": (MANAGER, MANAGER)}

    @api.depends("result", "date_deadline")
    def _compute_target_state(self):
        now = self._now()
        for step in self:
            late = step.date_deadline and now > step.date_deadline
            step.target_state = step.result or ("late" if late else "waiting")

    def _search_target_state(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        now = self._now()
        by_state = {
            "on_time": Domain("result", "=", "on_time"),
            "late": Domain("result", "=", "late") | (Domain("result", "=", False) & Domain("date_deadline", "<", now)),
            "waiting": Domain("result", "=", False) & Domain("date_deadline", ">=", now),
        }
        domain = Domain.OR(by_state[state] for state in value if state in by_state)
        return domain if operator == "in" else ~domain

    @api.model
    def _now(self):
        return fields.Datetime.now().replace(microsecond=0)

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    @api.private
    def _open_for(self, tickets):
        """The steps of complaints just received, with their deadlines from
        each company's targets now; receiving is done by the current user."""
        now = self._now()
        have_steps = set(self.sudo().search(Domain("ticket_id", "in", tickets.ids)).ticket_id.ids)
        vals_list = []
        for ticket in tickets:
            if ticket.id in have_steps:
                continue
            owner = ticket.team_id.manager_id or self.env.user
            for sequence, (step, _label) in enumerate(COMPLAINT_STEPS):
                hours = ticket.company_id[COMPLAINT_TARGET_FIELDS[step]] if step in COMPLAINT_TARGET_FIELDS else 0.0
                vals = {
                    "ticket_id": ticket.id,
                    "step": step,
                    "sequence": sequence,
                    "user_id": owner.id,
                    "date_start": now,
                    "target_hours": hours,
                    "date_deadline": now + timedelta(hours=hours),
                }
                if step == "receive":
                    vals.update(date_done=now, done_by_id=self.env.user.id, result="on_time")
                vals_list.append(vals)
        return self._create_facts(vals_list)

    @api.private
    def _stamp_reached(self, tickets):
        """Steps the complaints reached (their current step and those before
        it) and not yet stamped: done now, by the current user, on time or
        late against their deadline."""
        order = [code for code, _label in COMPLAINT_STEPS]
        reached = {ticket.id: order.index(ticket.complaint_step) for ticket in tickets if ticket.complaint_step}
        steps = (
            self.sudo()
            .search(Domain("ticket_id", "in", list(reached)) & Domain("date_done", "=", False))
            .filtered(lambda s: s.sequence <= reached[s.ticket_id.id])
        )
        if not steps:
            return steps
        now = self._now()
        on_time = steps.filtered(lambda s: now <= s.date_deadline)
        done = {"date_done": now, "done_by_id": self.env.user.id}
        on_time._write_facts({**done, "result": "on_time"})
        (steps - on_time)._write_facts({**done, "result": "late"})
        return steps
