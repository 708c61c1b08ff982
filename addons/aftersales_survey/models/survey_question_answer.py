from odoo import fields, models


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    aftersales_negative = fields.Boolean(
        string="Means Not Solved",
        help="For a 'problem solved' question: choosing this answer means the problem is not solved "
        "or came back, which opens a rework ticket.",
    )
