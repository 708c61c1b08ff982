from odoo import fields, models


class AftersalesKbVote(models.Model):
    """A customer's feedback on a FAQ article: helpful or not, and whether the
    article solved the problem on its own (self-service). One per customer and
    article; written by the portal routes only."""

    _name = "aftersales.kb.vote"
    _description = "Knowledge Article Feedback"
    _order = "id desc"

    article_id = fields.Many2one("aftersales.kb.article", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    helpful = fields.Selection([("yes", "Helpful"), ("no", "Not helpful")])
    solved = fields.Boolean(string="Solved Without a Ticket")
    date_solved = fields.Datetime()

    _article_partner_uniq = models.Constraint(
        "unique (article_id, partner_id)", "A customer gives one feedback per article."
    )
