import math
import random
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

AUDITOR = "aftersales_quality.group_aftersales_quality_auditor"
# The auditor's checklist (工单质量审核): each item scored 1-5.
CHECKLIST = ("score_documentation", "score_sop", "score_communication", "score_parts")
SCORE_MAX = 5


def _score_field(string, help_text):
    return fields.Integer(string=string, help=f"{help_text} 1 (poor) to 5 (exemplary).")


class AftersalesQualityAudit(models.Model):
    """One closed ticket drawn for the weekly quality audit and the
    auditor's checklist scores. A ticket is audited once, ever (unique
    ticket); the score (0-100) feeds the technician scorecard."""

    _name = "aftersales.quality.audit"
    _inherit = ["mail.thread", "aftersales.write.rules.mixin"]
    _description = "After-sales Ticket Quality Audit"
    _order = "week_start desc, id"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    technician_id = fields.Many2one("aftersales.technician", readonly=True, index="btree_not_null")
    week_start = fields.Date(string="Week of", required=True, readonly=True, help="Monday of the week audited.")
    auditor_id = fields.Many2one("res.users", string="Auditor", readonly=True)
    date_audited = fields.Datetime(readonly=True)
    state = fields.Selection([("to_audit", "To audit"), ("done", "Audited")], default="to_audit", required=True,
                             readonly=True, tracking=True)  # fmt: skip
    score_documentation = _score_field("Documentation", "Fault, diagnosis and solution written down.")
    score_sop = _score_field("SOP Followed", "Every step of the service SOP done in order.")
    score_communication = _score_field("Customer Communication", "Customer kept informed, politely and on time.")
    score_parts = _score_field("Parts Recorded", "Parts used and returned recorded on the repair.")
    note = fields.Text(string="Auditor's Note")
    score = fields.Float(
        string="Score (%)",
        compute="_compute_score",
        store=True,
        aggregator="avg",
        help="100 x the checklist scores / 5 per item.",
    )

    _ticket_uniq = models.Constraint("UNIQUE (ticket_id)", "A ticket is audited only once.")

    @api.model
    def _field_write_rules(self):
        scores = (AUDITOR, AUDITOR)
        return {
            "ticket_id": FACT,
            "company_id": FACT,
            "technician_id": FACT,
            "week_start": FACT,
            "auditor_id": FACT,
            "date_audited": FACT,
            "state": FACT,
            "score": FACT,
            **dict.fromkeys([*CHECKLIST, "note"], scores),
        }

    @api.depends(*CHECKLIST)
    def _compute_score(self):
        for audit in self:
            audit.score = 100.0 * sum(audit[fname] for fname in CHECKLIST) / (SCORE_MAX * len(CHECKLIST))

    @api.constrains(*CHECKLIST)
    def _check_scores(self):
        for audit in self:
            if any(not 0 <= audit[fname] <= SCORE_MAX for fname in CHECKLIST):
                raise ValidationError(self.env._("Checklist scores go from 1 to 5."))

    def write(self, vals):
        if (
            any(fname in vals for fname in CHECKLIST)
            and any(audit.state == "done" for audit in self)
            and not self.env.user.has_group("aftersales_quality.group_aftersales_quality_manager")
        ):
            raise UserError(self.env._("This audit is finished: only a quality manager changes its scores."))
        return super().write(vals)

    def action_done(self):
        """The auditor finishes the audit: every item scored."""
        self.check_access("write")
        if not self.env.user.has_group(AUDITOR):
            raise UserError(self.env._("Only a quality auditor finishes an audit."))
        for audit in self:
            if audit.state != "to_audit":
                raise UserError(self.env._("%(audit)s is already audited.", audit=audit.display_name))
            if any(not audit[fname] for fname in CHECKLIST):
                raise UserError(self.env._("Score every item of the checklist (1 to 5) first."))
        self._write_facts({"state": "done", "auditor_id": self.env.user.id, "date_audited": fields.Datetime.now()})
        return True

    # ------------------------------------------------------------------
    # The weekly sample
    # ------------------------------------------------------------------

    @api.model
    def _cron_sample_week(self, commit=False):
        """Draw last week's sample (Monday to Sunday) for every company,
        committing after each company when run by the job (``commit``)."""
        today = fields.Date.context_today(self)
        monday = today - timedelta(days=today.weekday() + 7)
        companies = self.env["res.company"].search([])
        for company in companies:
            self._sample_week(company, monday)
            if commit:
                self.env["ir.cron"]._commit_progress(1)

    @api.private
    def _sample_week(self, company, monday, rng=None):
        """Draw the company's sample of the tickets closed in the week starting
        ``monday``: ``aftersales_quality_audit_rate`` % of them, rounded up,
        among those never audited. Drawn once per week: a second run adds
        nothing."""
        if self.sudo().search_count(Domain("company_id", "=", company.id) & Domain("week_start", "=", monday), limit=1):
            return self.browse()
        start = datetime.combine(monday, time.min)
        closed = (
            self.env["aftersales.ticket"]
            .sudo()
            .search_fetch(
                Domain("company_id", "=", company.id)
                & Domain("date_closed", ">=", start)
                & Domain("date_closed", "<", start + timedelta(days=7))
                & Domain("is_cancelled", "=", False),
                ["technician_id"],
                order="id",
            )
        )
        if not closed:
            return self.browse()
        size = math.ceil(len(closed) * company.aftersales_quality_audit_rate / 100.0)
        audited = set(self.sudo().search([("ticket_id", "in", closed.ids)]).ticket_id.ids)
        candidates = [ticket for ticket in closed if ticket.id not in audited]
        sample = (rng or random.SystemRandom()).sample(candidates, min(size, len(candidates)))
        return self.with_context(mail_create_nolog=True)._create_facts(
            [
                {
                    "ticket_id": ticket.id,
                    "company_id": company.id,
                    "technician_id": ticket.technician_id.id,
                    "week_start": monday,
                }
                for ticket in sorted(sample, key=lambda t: t.id)
            ]
        )
