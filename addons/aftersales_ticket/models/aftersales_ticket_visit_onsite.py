"""Visits: arrival and departure, recorded by the technician on site."""

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

from ..write_rules import MANAGER


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # ------------------------------------------------------------------
    # On site: arrival and departure, recorded by the technician
    # ------------------------------------------------------------------

    def _visit_check_technician(self):
        """Only the technician of the ticket, or a manager, records their
        presence on site."""
        self.check_access("write")
        if self.env.su or self.env.user.has_group(MANAGER):
            return
        for ticket in self:
            if ticket.sudo().user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only the technician of %(ticket)s or a manager can record the arrival and departure.",
                        ticket=ticket.display_name,
                    )
                )

    def action_visit_arrive(self):
        self._visit_check_technician()
        for ticket in self:
            if not ticket.sudo().technician_id:
                raise UserError(self.env._("Assign a technician to %(ticket)s first.", ticket=ticket.display_name))
            if ticket.date_arrived:
                raise UserError(
                    self.env._(
                        "The arrival on %(ticket)s was already recorded at %(date)s.",
                        ticket=ticket.display_name,
                        date=format_datetime(self.env, ticket.date_arrived, dt_format="short"),
                    )
                )
        self._write_facts({"date_arrived": fields.Datetime.now()})
        return True

    def action_visit_depart(self):
        self._visit_check_technician()
        for ticket in self:
            if not ticket.date_arrived:
                raise UserError(
                    self.env._("Record the arrival on %(ticket)s before the departure.", ticket=ticket.display_name)
                )
            if ticket.date_departed:
                raise UserError(
                    self.env._(
                        "The departure from %(ticket)s was already recorded at %(date)s.",
                        ticket=ticket.display_name,
                        date=format_datetime(self.env, ticket.date_departed, dt_format="short"),
                    )
                )
        self._write_facts({"date_departed": fields.Datetime.now()})
        return True
