from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.aftersales_followup import CALL_OUTCOMES


class AftersalesFollowupCallWizard(models.TransientModel):
    _name = "aftersales.followup.call.wizard"
    _description = "Phone Follow-up"

    followup_id = fields.Many2one("aftersales.followup", string="Follow-up", required=True, readonly=True)
    partner_id = fields.Many2one(related="followup_id.partner_id")
    partner_phone = fields.Char(related="followup_id.partner_id.phone", string="Phone")
    ticket_id = fields.Many2one(related="followup_id.ticket_id")
    outcome = fields.Selection(CALL_OUTCOMES, required=True, default="reached")
    note = fields.Text()
    line_ids = fields.One2many("aftersales.followup.call.wizard.line", "wizard_id", string="Answers")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        followup = self.env["aftersales.followup"].browse(values.get("followup_id"))
        if followup and "line_ids" in fields_list:
            followup._check_phone_agent()
            values["line_ids"] = [(0, 0, {"question_id": question.id}) for question in followup._phone_questions()]
        return values

    def action_confirm(self):
        self.ensure_one()
        followup = self.followup_id
        followup._check_phone_agent()
        if followup.state != "pending" or followup.channel != "phone":
            raise UserError(
                self.env._("Follow-up %(followup)s is not waiting for a call.", followup=followup.display_name)
            )
        if self.outcome != "reached":
            followup._register_call(self.outcome, self.note)
            return {"type": "ir.actions.act_window_close"}
        # the answers go to this follow-up's own survey, and only to it
        answer = followup.sudo().user_input_id
        foreign = self.line_ids.question_id - followup._phone_questions()
        if foreign or answer.survey_id != followup.sudo().survey_id:
            raise UserError(
                self.env._(
                    "Follow-up %(followup)s asks the questions of its own survey only: %(questions)s.",
                    followup=followup.display_name,
                    questions=", ".join(foreign.sudo().mapped("title")) or answer.sudo().survey_id.title,
                )
            )
        missing = []
        for line in self.line_ids:
            value = line._answer_value()
            if value in (None, False, "") and line.question_id.constr_mandatory:
                missing.append(line.question_id.title)
        if missing:
            raise UserError(self.env._("Record the customer's answer to: %(questions)s", questions=", ".join(missing)))
        for line in self.line_ids:
            value = line._answer_value()
            if value in (None, False, ""):
                continue
            errors = line.question_id.sudo().validate_question(value)
            if errors:
                raise UserError("\n".join(str(message) for message in errors.values()))
            answer._save_lines(line.question_id.sudo(), value)
        followup._register_call("reached", self.note)
        answer._mark_done()
        return {"type": "ir.actions.act_window_close"}


class AftersalesFollowupCallWizardLine(models.TransientModel):
    _name = "aftersales.followup.call.wizard.line"
    _description = "Phone Follow-up Answer"

    wizard_id = fields.Many2one("aftersales.followup.call.wizard", required=True, ondelete="cascade")
    question_id = fields.Many2one("survey.question", string="Survey Question", required=True)
    question_title = fields.Char(compute="_compute_question", string="Question")
    question_type = fields.Char(compute="_compute_question")
    value_scale = fields.Integer(string="Score")
    suggested_answer_id = fields.Many2one(
        "survey.question.answer", string="Choice", domain="[('question_id', '=', question_id)]"
    )
    value_text = fields.Text(string="Text")

    @api.depends("question_id")
    def _compute_question(self):
        for line in self:
            question = line.question_id.sudo()
            line.question_title = question.title
            line.question_type = question.question_type

    def _answer_value(self):
        self.ensure_one()
        qtype = self.question_id.sudo().question_type
        if qtype == "scale":
            question = self.question_id.sudo()
            if question.scale_min <= self.value_scale <= question.scale_max:
                return str(self.value_scale)
            if self.value_scale:
                raise UserError(
                    self.env._(
                        "%(question)s: give a score from %(min)s to %(max)s.",
                        question=question.title,
                        min=question.scale_min,
                        max=question.scale_max,
                    )
                )
            return False
        if qtype == "simple_choice":
            if self.suggested_answer_id and self.suggested_answer_id.sudo().question_id != self.question_id:
                raise UserError(
                    self.env._("%(question)s: choose one of its own answers.", question=self.question_id.sudo().title)
                )
            return self.suggested_answer_id.id or False
        return (self.value_text or "").strip()
