"""Visits: the customer's answer to the booked time on the portal (confirm,
take an offered time, propose one), and the technician told."""

from datetime import datetime, time, timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime, format_time
from odoo.tools.image import image_data_uri

from .aftersales_ticket_visit import (
    DEFAULT_VISIT_HOURS,
    OFFER_DAYS,
    OFFER_HOURS,
    OFFERED_SLOTS,
    VISIT_NOTE_MAX_LENGTH,
    utc_naive,
)


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # ------------------------------------------------------------------
    # The customer's answer (portal)
    # ------------------------------------------------------------------

    @api.private
    def visit_photo(self):
        """The technician's photo as a data URI, or '' when they have none."""
        self.ensure_one()
        image = self.sudo().technician_id.user_id.partner_id.image_128
        uri = image_data_uri(image) if image else ""
        # The avatar Odoo draws for people without a photo is an SVG, which
        # mail and the portal do not show (it could carry scripts): no photo.
        return "" if uri.startswith("data:image/svg") else uri

    @api.private
    def visit_window(self, tz=None, start=None):
        """'date start - end' of the visit (or of the same visit moved to
        ``start``) in the time zone ``tz``, the customer's by default, else
        the company's."""
        self.ensure_one()
        start = start or self.appointment_date
        if not start:
            return ""
        tz = tz or self.partner_id.tz or self.company_id._aftersales_tz().zone
        end = start + timedelta(hours=self.estimated_hours or DEFAULT_VISIT_HOURS)
        return "%s - %s" % (
            format_datetime(self.env, start, tz=tz, dt_format="short"),
            format_time(self.env, end, tz=tz, time_format="short"),
        )

    def _visit_check_open(self):
        self.ensure_one()
        if not self.appointment_date or self.is_closed or self.appointment_date <= fields.Datetime.now():
            raise UserError(self.env._("This ticket has no upcoming visit to confirm or move."))

    @api.private
    def visit_offered_slots(self):
        """Other times the technician is free for this visit, for the customer
        to choose on the portal: [start (UTC, naive)], one a day at most, from
        tomorrow on, within the working hours, leaves and bookings."""
        self.ensure_one()
        technician = self.technician_id.sudo()
        if not technician or not self.appointment_date or self.is_closed:
            return []
        tz = technician._visit_tz()
        duration = timedelta(hours=self.estimated_hours or DEFAULT_VISIT_HOURS)
        today = datetime.now(tz).date()
        candidates = {}
        for offset in range(1, OFFER_DAYS + 1):
            day = today + timedelta(days=offset)
            for hour in OFFER_HOURS:
                start = utc_naive(tz.localize(datetime.combine(day, time(hour))))
                if start != self.appointment_date:
                    candidates[(day, start)] = (start, start + duration)
        clashes = self._visit_clashes_at(candidates, technician, ignore=self.ids)
        offered, days = [], set()
        for day, start in sorted(candidates, key=lambda k: k[1]):
            if day not in days and technician.id not in clashes.get((day, start), {}):
                offered.append(start)
                days.add(day)
                if len(offered) == OFFERED_SLOTS:
                    break
        return offered

    @api.private
    def visit_confirm(self, partner):
        """The customer ``partner`` confirms the booked time. Called by the
        portal (as superuser) once it checked the customer or their token."""
        self._visit_check_open()
        now = fields.Datetime.now()
        self._write_facts({"visit_state": "confirmed", "visit_confirmed_date": now})
        self._visit_tell_technician(
            partner,
            self.env._("I confirm the visit of %(window)s.", window=self.visit_window()),
        )

    @api.private
    def visit_move_to(self, partner, start):
        """The customer ``partner`` takes one of the offered times: the visit
        moves there (checked again against clashes) and is confirmed."""
        self._visit_check_open()
        if start not in self.visit_offered_slots():
            raise UserError(self.env._("This time is no longer offered: choose one of the times shown."))
        previous = self.visit_window()
        self.write({"appointment_date": start})
        self._write_facts({"visit_state": "confirmed", "visit_confirmed_date": fields.Datetime.now()})
        self._visit_tell_technician(
            partner,
            self.env._(
                "I moved the visit from %(previous)s to %(window)s.", previous=previous, window=self.visit_window()
            ),
        )

    @api.private
    def visit_request(self, partner, start, note):
        """The customer ``partner`` asks for another time ``start`` (UTC,
        naive, or none) with a note: the technician and the ticket's followers
        are told, and an agent books it."""
        self._visit_check_open()
        note = (note or "").strip()
        if not start and not note:
            raise UserError(self.env._("Propose a time or tell us in a note when the visit suits you."))
        if len(note) > VISIT_NOTE_MAX_LENGTH:
            raise ValidationError(
                self.env._("The note may be at most %(count)s characters long.", count=VISIT_NOTE_MAX_LENGTH)
            )
        if start and start <= fields.Datetime.now():
            raise ValidationError(self.env._("Propose a time in the future."))
        self._write_facts({"visit_state": "reschedule", "visit_requested_date": start, "visit_request_note": note})
        tz = self.partner_id.tz or self.company_id._aftersales_tz().zone
        lines = [self.env._("Please move the visit of %(window)s.", window=self.visit_window())]
        if start:
            lines.append(
                self.env._("I propose %(date)s.", date=format_datetime(self.env, start, tz=tz, dt_format="short"))
            )
        if note:
            lines.append(note)
        self._visit_tell_technician(partner, "\n".join(lines))

    def _visit_tell_technician(self, partner, text):
        """Post the customer's answer on the ticket as the customer: the
        technician is notified, and the followers of the discussion."""
        self.ensure_one()
        technician_partner = self.sudo().technician_id.user_id.partner_id
        self.sudo().message_post(
            body=Markup("<p>%s</p>") % Markup("<br/>").join(text.split("\n")),
            author_id=partner.id,
            partner_ids=technician_partner.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
