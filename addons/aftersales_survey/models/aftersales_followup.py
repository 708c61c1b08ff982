from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.aftersales_ticket.write_rules import AGENT, FACT, SYSTEM

from ..report.aftersales_followup_report import CSAT_DIMENSIONS
from .aftersales_followup_step import CHANNELS

STATES = [
    ("scheduled", "Scheduled"),
    ("pending", "Invited"),
    ("answered", "Answered"),
    ("expired", "Expired"),
    ("skipped", "Skipped"),
]
SKIP_REASONS = [
    ("opt_out", "Customer opted out"),
    ("fatigue", "Customer asked recently"),
    ("no_contact", "No customer to ask"),
    ("refused", "Customer refused"),
    ("restarted", "Service reopened"),
]
CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No answer"),
    ("refused", "Refused"),
    ("wrong_number", "Wrong number"),
]
# The facts of a follow-up: planned, sent, answered and followed through by the
# suite (dates, states, scores, answers); only the agent who calls is chosen by people.
FACT_FIELDS = (
    "ticket_id", "step_id", "survey_id", "channel", "company_id", "partner_id", "team_id", "technician_id",
    "product_id", "state", "skip_reason", "date_closed", "date_scheduled", "date_sent", "date_expire",
    "date_answered", "user_input_ids", "user_input_id", "call_ids", "no_answer_count", "last_call_outcome",
    "csat_quality", "csat_attitude", "csat_speed", "csat_score", "nps_answered", "nps_score", "nps_value",
    "problem_solved", "answer_comment", "followthrough_ticket_id", "service_round",
)  # fmt: skip


class AftersalesFollowup(models.Model):
    _name = "aftersales.followup"
    _inherit = ["aftersales.write.rules.mixin"]
    _description = "After-sales Follow-up 回访"
    _order = "date_scheduled desc, id desc"
    _rec_name = "display_name"

    # What and for whom
    ticket_id = fields.Many2one("aftersales.ticket", required=True, index=True, ondelete="cascade", readonly=True)
    step_id = fields.Many2one("aftersales.followup.step", required=True, ondelete="restrict", readonly=True)
    survey_id = fields.Many2one("survey.survey", required=True, readonly=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, readonly=True)
    team_id = fields.Many2one("aftersales.team", string="Service Team", index=True, readonly=True)
    technician_id = fields.Many2one("aftersales.technician", string="Technician", index=True, readonly=True)
    product_id = fields.Many2one("product.product", string="Product", index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Agent",
        index=True,
        domain="[('share', '=', False)]",
        help="The service agent who makes the phone follow-up.",
    )

    # Schedule
    state = fields.Selection(STATES, required=True, default="scheduled", index=True, readonly=True)
    skip_reason = fields.Selection(SKIP_REASONS, readonly=True)
    date_closed = fields.Datetime(
        string="Service Ended", readonly=True, help="The end of service the steps count from (the ticket's)."
    )
    service_round = fields.Integer(
        string="Round",
        default=0,
        readonly=True,
        help="0 for the plan of the first end of service, 1 for the plan restarted once after the ticket "
        "was reopened or reworked.",
    )
    date_scheduled = fields.Datetime(string="Due", required=True, index=True, readonly=True)
    date_sent = fields.Datetime(string="Invited", readonly=True)
    date_expire = fields.Datetime(string="Expires", readonly=True)
    date_answered = fields.Datetime(string="Answered", readonly=True)
    # The customer's answer and the links e-mailed to them answer or unsubscribe as the
    # customer: staff see that an invitation was sent and its state, never these.
    user_input_ids = fields.One2many(
        "survey.user_input", "aftersales_followup_id", string="Survey Answers", groups="survey.group_survey_user"
    )
    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Survey Answer",
        readonly=True,
        index="btree_not_null",
        groups="survey.group_survey_user",
        help="The answer the job created for the customer, on the follow-up's own survey.",
    )
    survey_url = fields.Char(compute="_compute_survey_url", string="Survey Link", groups="base.group_system")
    unsubscribe_url = fields.Char(
        compute="_compute_unsubscribe_url", string="Unsubscribe Link", groups="base.group_system"
    )

    # Phone
    call_ids = fields.One2many("aftersales.followup.call", "followup_id", string="Calls")
    no_answer_count = fields.Integer(string="Unanswered Calls", readonly=True)
    last_call_outcome = fields.Selection(CALL_OUTCOMES, readonly=True)

    # Scores taken from the survey answers
    csat_quality = fields.Integer(string="CSAT Quality", readonly=True, aggregator="avg")
    csat_attitude = fields.Integer(string="CSAT Attitude", readonly=True, aggregator="avg")
    csat_speed = fields.Integer(string="CSAT Speed", readonly=True, aggregator="avg")
    csat_score = fields.Float(
        string="CSAT", readonly=True, aggregator="avg", help="Average of the answered dimensions (1-5)."
    )
    nps_answered = fields.Boolean(string="NPS Answered", readonly=True)
    nps_score = fields.Integer(string="Likely to Recommend", readonly=True, help="0-10")
    nps_value = fields.Integer(
        string="NPS Value",
        readonly=True,
        aggregator="avg",
        help="100 for a promoter (9-10), 0 for a passive, -100 for a detractor (0-6).",
    )
    problem_solved = fields.Selection([("yes", "Solved"), ("no", "Not solved")], readonly=True)
    answer_comment = fields.Text(string="Comment", readonly=True)
    followthrough_ticket_id = fields.Many2one(
        "aftersales.ticket", string="Follow-through Ticket", readonly=True, index="btree_not_null"
    )

    _ticket_step_uniq = models.Constraint(
        "UNIQUE (ticket_id, step_id, service_round)", "A ticket is followed up only once per step and round."
    )
    _due_idx = models.Index("(date_scheduled) WHERE state = 'scheduled'")
    _partner_sent_idx = models.Index("(partner_id, date_sent) WHERE date_sent IS NOT NULL")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("user_input_id")
    def _compute_survey_url(self):
        for followup in self:
            answer = followup.sudo().user_input_id
            followup.survey_url = f"{followup.get_base_url()}{answer.get_start_url()}" if answer else False

    @api.depends("partner_id")
    def _compute_unsubscribe_url(self):
        for followup in self:
            partner = followup.sudo().partner_id
            followup.unsubscribe_url = (
                f"{followup.get_base_url()}{partner._aftersales_survey_unsubscribe_path()}" if partner else False
            )

    @api.depends("ticket_id", "step_id")
    def _compute_display_name(self):
        for followup in self:
            followup.display_name = f"{followup.ticket_id.sudo().display_name} - {followup.step_id.sudo().name}"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), **dict.fromkeys(FACT_FIELDS, FACT), "user_id": (SYSTEM, AGENT)}

    @api.model_create_multi
    def create(self, vals_list):
        followups = super().create(vals_list)
        if any(vals.get("date_sent") for vals in vals_list):
            self.env["aftersales.followup.kpi"]._kpi_add(
                [], self.env["aftersales.followup.report"]._kpi_rows(followups)
            )
        return followups

    def write(self, vals):
        Report = self.env["aftersales.followup.report"]
        if not set(vals) & Report._kpi_source_fields(self._name):
            return super().write(vals)
        # the KPI totals take the difference this write makes
        coverage = vals.get("state") == "answered" or any(f.state == "answered" for f in self.sudo())
        tickets = self.sudo().ticket_id if coverage else self.env["aftersales.ticket"]
        before = Report._kpi_rows(self, tickets)
        res = super().write(vals)
        self.env["aftersales.followup.kpi"]._kpi_add(before, Report._kpi_rows(self, tickets))
        return res

    def unlink(self):
        Report = self.env["aftersales.followup.report"]
        tickets = self.sudo().ticket_id
        before = Report._kpi_rows(self, tickets)
        res = super().unlink()
        self.env["aftersales.followup.kpi"]._kpi_add(before, Report._kpi_rows(tickets=tickets.exists()))
        return res

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------

    def _record_answers(self):
        """Read the scores of the completed survey answers into the follow-ups
        and follow low scores through."""
        now = fields.Datetime.now()
        followups = self.sudo()
        Report = self.env["aftersales.followup.report"]
        lines = (
            self.env["survey.user_input.line"]
            .sudo()
            .search_fetch(
                [("user_input_id", "in", followups.user_input_id.ids), ("skipped", "=", False)],
                [
                    "user_input_id",
                    "question_id",
                    "answer_type",
                    "value_scale",
                    "value_text_box",
                    "value_char_box",
                    "suggested_answer_id",
                ],
            )
        )
        by_input = {}
        for line in lines:
            by_input.setdefault(line.user_input_id.id, []).append(line)
        for followup in followups:
            vals = {"state": "answered", "date_answered": now}
            comments = []
            for line in by_input.get(followup.user_input_id.id, []):
                metric = line.question_id.aftersales_metric
                if metric in CSAT_DIMENSIONS:
                    vals[metric] = line.value_scale
                elif metric == "nps":
                    vals.update(nps_answered=True, nps_score=line.value_scale)
                    vals["nps_value"] = Report._nps_value(line.value_scale)
                elif metric == "resolution" and line.suggested_answer_id:
                    vals["problem_solved"] = "no" if line.suggested_answer_id.aftersales_negative else "yes"
                elif metric == "comment" and (line.value_text_box or line.value_char_box):
                    comments.append(line.value_text_box or line.value_char_box)
            vals["csat_score"] = Report._csat_score([vals.get(m) for m in CSAT_DIMENSIONS])
            if comments:
                vals["answer_comment"] = "\n".join(comments)
            followup._write_facts(vals)
        followups._follow_through()

    def _needs_followthrough(self):
        self.ensure_one()
        low_csat = any(0 < score <= 2 for score in (self.csat_quality, self.csat_attitude, self.csat_speed))
        return low_csat or (self.nps_answered and self.nps_score <= 6) or self.problem_solved == "no"

    def _follow_through(self):
        """A low score, a detractor or an unsolved problem opens a linked
        complaint or rework ticket for the team manager, with an activity, and
        the customer is told that someone will call."""
        for followup in self.with_user(SUPERUSER_ID).sudo():
            if followup.followthrough_ticket_id or not followup._needs_followthrough():
                continue
            ticket = followup.ticket_id
            plan = followup.step_id.plan_id
            kind = plan.unsolved_ticket if followup.problem_solved == "no" else plan.low_score_ticket
            reasons = followup._low_score_summary()
            vals = {
                "partner_id": ticket.partner_id.id,
                "product_id": ticket.product_id.id,
                "lot_id": ticket.lot_id.id,
                "team_id": ticket.team_id.id,
                "company_id": ticket.company_id.id,
                "description": Markup("<p>%s</p>") % reasons,
            }
            if kind == "complaint":
                vals.update(
                    name=self.env._("Complaint after follow-up: %(name)s", name=ticket.name), category="complaint"
                )
            else:
                vals.update(
                    name=self.env._("Rework after follow-up: %(name)s", name=ticket.name),
                    category=ticket.category if ticket.category != "complaint" else "regular_repair",
                    rework_of_id=ticket.id,
                    technician_id=ticket.technician_id.id,
                )
            new_ticket = self.env["aftersales.ticket"]._create_facts([vals])  # rework_of_id is a fact
            followup._write_facts({"followthrough_ticket_id": new_ticket.id})
            manager = ticket.team_id.manager_id
            if manager and kind != "complaint":  # complaints already give the manager a to-do
                new_ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=manager.id,
                    summary=self.env._("Call the customer back about the follow-up"),
                    note=reasons,
                )
            ticket.message_post(
                body=self.env._(
                    "Follow-up %(step)s: %(reasons)s. Ticket %(ticket)s was opened.",
                    step=followup.step_id.name,
                    reasons=reasons,
                    ticket=new_ticket.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            if ticket.partner_id:
                new_ticket.message_post(
                    body=self.env._(
                        "Thank you for your answers. We are sorry the service did not meet your expectations: "
                        "a service manager will call you shortly."
                    ),
                    partner_ids=ticket.partner_id.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )

    def _low_score_summary(self):
        self.ensure_one()
        parts = []
        labels = {
            "csat_quality": self.env._("quality"),
            "csat_attitude": self.env._("attitude"),
            "csat_speed": self.env._("speed"),
        }
        for fname, label in labels.items():
            if 0 < self[fname] <= 2:
                parts.append(self.env._("%(dimension)s rated %(score)s/5", dimension=label, score=self[fname]))
        if self.nps_answered and self.nps_score <= 6:
            parts.append(self.env._("likely to recommend %(score)s/10", score=self.nps_score))
        if self.problem_solved == "no":
            parts.append(self.env._("problem not solved"))
        return "; ".join(parts)

    def _mail_get_operation_for_mail_message_operation(self, message_operation):
        # The invitations e-mailed about a follow-up carry the customer's answer
        # link: nobody reads them through the follow-up (the customer has them).
        if self.env.is_superuser():
            return super()._mail_get_operation_for_mail_message_operation(message_operation)
        return dict.fromkeys(self)

    def action_open_ticket(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "view_mode": "form",
            "res_id": self.ticket_id.id,
        }
