from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT


class AftersalesTicket(models.Model):
    """Pauses of the SLA clock: a ticket in a stage flagged "pauses the SLA"
    (waiting for the customer) opens a pause, leaving it closes the pause. The
    deadline engine skips the paused time."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    sla_paused_since = fields.Datetime(readonly=True, copy=False)
    sla_pause_ids = fields.One2many("aftersales.sla.pause", "ticket_id", string="SLA Pauses", groups="base.group_user")

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), "sla_paused_since": FACT, "sla_pause_ids": FACT}

    def _sla_sync_pauses(self, now):
        """Open a pause when a ticket enters a waiting stage, close it when it
        leaves. Returns the tickets whose pauses changed."""
        to_pause = self.filtered(lambda t: t.stage_id.sla_pause and not t.sla_paused_since and not t.is_closed)
        to_resume = self.filtered(lambda t: t.sla_paused_since and (not t.stage_id.sla_pause or t.is_closed))
        if to_pause:
            self.env["aftersales.sla.pause"].sudo().create(
                [{"ticket_id": t.id, "stage_id": t.stage_id.id, "date_start": now} for t in to_pause]
            )
            to_pause._write_facts({"sla_paused_since": now})
        if to_resume:
            self.env["aftersales.sla.pause"].sudo().search(
                [("ticket_id", "in", to_resume.ids), ("date_end", "=", False)]
            ).write({"date_end": now})
            to_resume._write_facts({"sla_paused_since": False})
        return to_pause | to_resume

    def _sla_pause_spans(self, now):
        """{ticket id: [(start, end)]} of the pauses, an open one ending now;
        one query (ORM)."""
        spans = {}
        pauses = (
            self.env["aftersales.sla.pause"]
            .sudo()
            .search_fetch([("ticket_id", "in", self.ids)], ["ticket_id", "date_start", "date_end"], order="date_start")
        )
        for pause in pauses:
            spans.setdefault(pause.ticket_id.id, []).append((pause.date_start, pause.date_end or now))
        return spans
