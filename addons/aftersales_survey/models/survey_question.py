from odoo import fields, models

METRICS = [
    ("csat_quality", "CSAT: quality"),
    ("csat_attitude", "CSAT: attitude"),
    ("csat_speed", "CSAT: speed"),
    ("nps", "NPS (0-10)"),
    ("resolution", "Problem solved"),
    ("comment", "Comment"),
]


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    aftersales_metric = fields.Selection(
        METRICS,
        string="After-sales KPI",
        help="Which follow-up score this question feeds: CSAT (a 1-5 scale), NPS (a 0-10 scale), "
        "problem solved (a choice; mark the answers that mean 'not solved') or the comment.",
    )
