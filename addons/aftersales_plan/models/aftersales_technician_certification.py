"""Technician certifications 技术认证 per product line, with their validity.

Our own model rather than hr_skills' certifications: a technician of the
suite is a user (aftersales.technician), not necessarily an employee, and the
certification is for a product line (product.category), which dispatch
matches against the ticket's product; hr_skills would add the hr stack as a
dependency and describe skills with its own types and levels."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT, MANAGER
from odoo.exceptions import ValidationError
from odoo.fields import Domain

RENEWAL_REMINDER_DAYS = 30
MANAGER_FIELD = (MANAGER, MANAGER)


class AftersalesTechnicianCertification(models.Model):
    _name = "aftersales.technician.certification"
    _description = "Technician Certification"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.write.rules.mixin"]
    _order = "date_expiry desc, id desc"
    _rec_name = "product_category_id"

    technician_id = fields.Many2one(
        "aftersales.technician", string="Technician", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="technician_id.company_id", store=True, index=True, precompute=True)
    product_category_id = fields.Many2one(
        "product.category", string="Product Line", required=True, index=True, tracking=True
    )
    reference = fields.Char(string="Certificate No.")
    date_issued = fields.Date(string="Issued On", required=True, tracking=True)
    date_expiry = fields.Date(string="Expires On", required=True, index=True, tracking=True)
    score = fields.Float(string="Exam Score", help="Score of the certification exam, out of 100.")
    renewal_reminded = fields.Boolean(readonly=True, copy=False)
    is_valid = fields.Boolean(string="Valid Today", compute="_compute_is_valid", search="_search_is_valid")

    _score_range = models.Constraint("CHECK (score >= 0 AND score <= 100)", "The exam score is between 0 and 100.")

    @api.depends_context("tz")
    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for certification in self:
            certification.is_valid = certification._valid_on(today)

    def _search_is_valid(self, operator, value):
        if operator != "in":
            return NotImplemented
        today = fields.Date.context_today(self)
        valid = Domain("date_issued", "<=", today) & Domain("date_expiry", ">=", today)
        return valid if True in value else ~valid

    @api.constrains("date_issued", "date_expiry")
    def _check_dates(self):
        for certification in self:
            if certification.date_expiry < certification.date_issued:
                raise ValidationError(
                    self.env._(
                        "The certification of %(technician)s for %(line)s expires on %(expiry)s, "
                        "before it is issued on %(issued)s.",
                        technician=certification.technician_id.name,
                        line=certification.product_category_id.display_name,
                        expiry=certification.date_expiry,
                        issued=certification.date_issued,
                    )
                )

    @api.model
    def _field_write_rules(self):
        return {
            **dict.fromkeys(
                ("technician_id", "product_category_id", "reference", "date_issued", "date_expiry", "score"),
                MANAGER_FIELD,
            ),
            **dict.fromkeys(
                (
                    "company_id",
                    "renewal_reminded",
                    "message_ids",
                    "message_follower_ids",
                    "activity_ids",
                    "website_message_ids",
                    "rating_ids",
                ),
                FACT,
            ),
        }

    def write(self, vals):
        res = super().write(vals)
        if "date_expiry" in vals:  # renewed: the next expiry is reminded again
            self._write_facts({"renewal_reminded": False})
        return res

    def _valid_on(self, day):
        """Valid from its issue day through its expiry day, both included."""
        self.ensure_one()
        return self.date_issued <= day <= self.date_expiry

    @api.model
    def _cron_renewal_reminders(self):
        """A to-do for the technician (and the certification's followers see
        it) RENEWAL_REMINDER_DAYS before expiry, once per expiry date."""
        today = fields.Date.context_today(self)
        domain = (
            Domain("renewal_reminded", "=", False)
            & Domain("date_expiry", ">=", today)
            & Domain("date_expiry", "<=", today + timedelta(days=RENEWAL_REMINDER_DAYS))
            & Domain("technician_id.active", "=", True)
        )
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        todo = self.search(domain, limit=1000).try_lock_for_update()
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": certification.id,
                    "activity_type_id": activity_type.id,
                    "user_id": certification.technician_id.user_id.id,
                    "date_deadline": certification.date_expiry,
                    "summary": self.env._(
                        "Renew certification for %(line)s", line=certification.product_category_id.display_name
                    ),
                    "note": self.env._(
                        "Your certification for %(line)s expires on %(expiry)s. Until it is renewed, no ticket "
                        "of this product line is dispatched to you after that day.",
                        line=certification.product_category_id.display_name,
                        expiry=certification.date_expiry,
                    ),
                }
                for certification in todo
            ]
        )
        todo._write_facts({"renewal_reminded": True})
        if in_cron:
            self.env["ir.cron"]._commit_progress(len(todo), remaining=self.search_count(domain))
        return todo
