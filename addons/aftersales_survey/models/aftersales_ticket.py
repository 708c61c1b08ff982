from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT

# Marks the writes made while tickets are created (a Python object: no RPC
# caller can put it in a context).
CREATING = object()


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    followup_ids = fields.One2many("aftersales.followup", "ticket_id", string="Follow-ups", groups="base.group_user")
    followup_count = fields.Integer(string="Follow-up Count", compute="_compute_followup_summary")
    followthrough_ticket_ids = fields.Many2many(
        "aftersales.ticket",
        compute="_compute_followup_summary",
        string="Tickets Opened by Follow-ups",
        groups="base.group_user",
        help="Complaint or rework tickets opened because of a low follow-up score.",
    )
    followup_csat_score = fields.Float(string="CSAT", compute="_compute_followup_summary", digits=(3, 2))
    followup_nps = fields.Float(string="NPS", compute="_compute_followup_summary", digits=(5, 1))

    @api.model
    def _field_write_rules(self):
        # Follow-ups are planned by the job and answered by the customer.
        return {**super()._field_write_rules(), "followup_ids": FACT}

    @api.depends("followup_ids.state", "followup_ids.followthrough_ticket_id")
    def _compute_followup_summary(self):
        scores = self.env["aftersales.followup.report"]._scores_by("ticket_id", [t.id for t in self if t.id])
        for ticket in self:
            followups = ticket.followup_ids
            ticket.followup_count = len(followups)
            ticket.followthrough_ticket_ids = followups.followthrough_ticket_id
            ticket.followup_csat_score, ticket.followup_nps = scores.get(ticket.id, (0.0, 0.0))

    # ------------------------------------------------------------------
    # KPI totals: closed tickets and follow-up coverage
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # The writes made while the tickets are created (the closing date of a
        # ticket created closed, dispatch) are counted here, once, not by write().
        tickets = super(AftersalesTicket, self.with_context(aftersales_kpi_creating=CREATING)).create(vals_list)
        tickets = tickets.with_env(self.env)
        self.env["aftersales.followup.kpi"]._kpi_add(
            [], self.env["aftersales.followup.report"]._kpi_rows(tickets=tickets)
        )
        return tickets

    def write(self, vals):
        Report = self.env["aftersales.followup.report"]
        if (
            not set(vals) & Report._kpi_source_fields(self._name)
            or self.env.context.get("aftersales_kpi_creating") is CREATING
        ):
            return super().write(vals)
        # A write made inside the write of the same tickets is counted by the outer one.
        outer = set(self.env.context.get("aftersales_kpi_ticket_ids", ()))
        tracked = self.filtered(lambda t: t.id not in outer)
        if not tracked:
            return super().write(vals)
        before = Report._kpi_rows(tickets=tracked)
        inner = self.with_context(aftersales_kpi_ticket_ids=tuple(outer | set(tracked.ids)))
        res = super(AftersalesTicket, inner).write(vals)
        self.env["aftersales.followup.kpi"]._kpi_add(before, Report._kpi_rows(tickets=tracked))
        return res

    def unlink(self):
        # follow-ups go first, through the ORM, so that the KPI totals lose their answers
        self.sudo().followup_ids.unlink()
        before = self.env["aftersales.followup.report"]._kpi_rows(tickets=self)
        res = super().unlink()
        self.env["aftersales.followup.kpi"]._kpi_add(before, [])
        return res

    def _stamp_service_end(self, now, from_facts=False):
        # Follow-ups count from the end of service, whatever the settlement or archiving.
        ended = super()._stamp_service_end(now, from_facts=from_facts)
        if ended:
            self.env["aftersales.followup"]._schedule_for_tickets(ended)
        return ended

    def _followup_schedule(self):
        """Plan the follow-ups of these tickets from their end of service (the
        steps not planned yet); used by data files."""
        return self.env["aftersales.followup"]._schedule_for_tickets(self)

    def action_open_followups(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.followup",
            "view_mode": "list,form",
            "domain": [("ticket_id", "=", self.id)],
            "name": self.env._("Follow-ups"),
        }

    def _portal_pending_followups(self, partner):
        """Open invitations of this ticket addressed to ``partner``, for the
        ticket's portal page (which checked the access to the ticket)."""
        self.ensure_one()
        followups = self.sudo().followup_ids.filtered(
            lambda f: f.state == "pending" and f.channel != "phone" and f.user_input_id.partner_id == partner
        )
        return [
            {
                "url": followup.user_input_id.get_start_url(),
                "title": followup.survey_id.title,
                "expire": fields.Datetime.to_string(followup.date_expire)[:10],
            }
            for followup in followups
        ]
