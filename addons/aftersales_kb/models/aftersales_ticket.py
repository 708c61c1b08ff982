from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT, OPEN_FIELD
from odoo.exceptions import UserError

# Who may set the knowledge-base fields of a ticket (see TICKET_WRITE_RULES).
KB_WRITE_RULES = {
    "kb_article_id": OPEN_FIELD,
    "kb_solved_date": FACT,
    "kb_first_contact": FACT,
    "kb_created_article_id": FACT,
}
# Milestones at which the ticket is still at its first contact (not yet sent
# to a technician).
FIRST_CONTACT_MILESTONES = (False, "report", "accept")


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    kb_article_id = fields.Many2one(
        "aftersales.kb.article",
        string="Solved by Article",
        index="btree_not_null",
        tracking=True,
        domain=[("state", "=", "published")],
        help="The knowledge article that solved this ticket: counts for the article's usefulness.",
        groups="aftersales_ticket.group_aftersales_technician",
    )
    kb_solved_date = fields.Datetime(
        string="Solved by Article On", readonly=True, copy=False, groups="aftersales_ticket.group_aftersales_technician"
    )
    kb_first_contact = fields.Boolean(
        string="Solved at First Contact",
        readonly=True,
        copy=False,
        help="An article solved the ticket before it was sent to a technician.",
        groups="aftersales_ticket.group_aftersales_technician",
    )
    kb_created_article_id = fields.Many2one(
        "aftersales.kb.article",
        string="Knowledge Article Written",
        readonly=True,
        copy=False,
        groups="aftersales_ticket.group_aftersales_technician",
    )
    kb_suggested_article_ids = fields.Many2many(
        "aftersales.kb.article",
        string="Suggested Articles",
        compute="_compute_kb_suggested_article_ids",
        groups="aftersales_ticket.group_aftersales_technician",
    )

    @api.depends("name", "description", "product_id", "fault_category_id")
    def _compute_kb_suggested_article_ids(self):
        Article = self.env["aftersales.kb.article"]
        if not Article.has_access("read"):
            self.kb_suggested_article_ids = False
            return
        suggestions = Article.kb_suggest_for_tickets(self)
        for ticket in self:
            ticket.kb_suggested_article_ids = suggestions.get(ticket.id, Article)

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), **KB_WRITE_RULES}

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets.filtered("kb_article_id")._kb_stamp_solved()
        return tickets

    def write(self, vals):
        if vals.get("kb_article_id"):
            article = self.env["aftersales.kb.article"].browse(vals["kb_article_id"])
            if article.sudo().state != "published":
                raise UserError(self.env._("Only a published article can be marked as the one that solved a ticket."))
            first_contact = self.filtered(lambda t: not t.technician_id and t.milestone in FIRST_CONTACT_MILESTONES)
        res = super().write(vals)
        if "kb_article_id" in vals:
            if vals["kb_article_id"]:
                self._kb_stamp_solved(first_contact)
            else:
                self._write_facts({"kb_solved_date": False, "kb_first_contact": False})
        return res

    def _kb_stamp_solved(self, first_contact=None):
        if first_contact is None:
            first_contact = self.filtered(lambda t: not t.technician_id and t.milestone in FIRST_CONTACT_MILESTONES)
        now = fields.Datetime.now()
        if first_contact:
            first_contact._write_facts({"kb_solved_date": now, "kb_first_contact": True})
        if self - first_contact:
            (self - first_contact)._write_facts({"kb_solved_date": now, "kb_first_contact": False})

    def action_kb_create_article(self):
        """知识沉淀: turn a closed ticket into a draft article with its fault,
        diagnosis and solution; the article and the ticket link to each other."""
        self.ensure_one()
        self.check_access("write")
        if not self.is_closed or self.is_cancelled:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is not closed: write the article once the fault is solved.",
                    ticket=self.display_name,
                )
            )
        if not (self.diagnosis or self.solution):
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s has no diagnosis or solution to turn into an article.",
                    ticket=self.display_name,
                )
            )
        article = self.kb_created_article_id
        if not article:
            article = self.env["aftersales.kb.article"].create(
                {
                    "name": self.name,
                    "symptom": self.description,
                    "cause": self.diagnosis,
                    "resolution": self.solution,
                    "success_cases": Markup("<p>%s</p>")
                    % self.env._(
                        "Ticket %(ticket)s, closed on %(date)s.",
                        ticket=self.display_name,
                        date=fields.Date.to_string(self.date_closed or fields.Datetime.now()),
                    ),
                    "product_tmpl_ids": [(6, 0, self.product_id.product_tmpl_id.ids)],
                    "fault_category_ids": [(6, 0, self.fault_category_id.ids)],
                    "visibility": "internal",
                }
            )
            article._write_facts({"source_ticket_id": self.id})
            self._write_facts({"kb_created_article_id": article.id})
            self.message_post(
                body=Markup("%s") % self.env._("Draft knowledge article written: %(article)s", article=article.name)
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.kb.article",
            "res_id": article.id,
            "view_mode": "form",
        }
