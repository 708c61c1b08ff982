"""Visits: the reminder the day before (cron, once per visit)."""

import logging
from datetime import datetime, time, timedelta

import psycopg2.errors
import pytz

from odoo import api, fields, models
from odoo.tools import mute_logger

from .aftersales_ticket_visit import (
    utc_naive,
)

_logger = logging.getLogger(__name__)


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # ------------------------------------------------------------------
    # Reminder the day before
    # ------------------------------------------------------------------

    @api.model
    def _cron_visit_reminders(self, batch_size=200, commit=None):
        """Remind the customers of tomorrow's visits (tomorrow in each
        company's time zone), once: each ticket is claimed with
        try_lock_for_update() and stamped with the time of its reminder, so a
        second run or a second worker skips it. Batches are committed when run
        by the scheduler (or with commit=True)."""
        if commit is None:
            commit = bool(self.env.context.get("ir_cron_progress_id"))
        for company in self.env["res.company"].sudo().search([]):
            while True:
                processed = self._visit_remind_batch(company, batch_size)
                if not processed:
                    break
                if commit and self.env["ir.cron"]._commit_progress(processed) <= 0:
                    return

    @api.model
    def _visit_reminder_window(self, company, now=None):
        """[start, end) of tomorrow in the company's time zone, in UTC (naive)."""
        tz = company._aftersales_tz()
        today = pytz.utc.localize(now or fields.Datetime.now()).astimezone(tz).date()
        tomorrow = datetime.combine(today + timedelta(days=1), time())
        return utc_naive(tz.localize(tomorrow)), utc_naive(tz.localize(tomorrow + timedelta(days=1)))

    @api.model
    def _visit_remind_batch(self, company, limit):
        """Claim up to ``limit`` visits of tomorrow not reminded yet, stamp
        and remind them. Returns the number claimed."""
        start, end = self._visit_reminder_window(company)
        domain = [
            ("company_id", "=", company.id),
            ("appointment_date", ">=", start),
            ("appointment_date", "<", end),
            ("visit_reminder_date", "=", False),
            ("is_closed", "=", False),
        ]
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                due = self.sudo().search(domain, order="appointment_date, id", limit=limit)
                claimed = due.try_lock_for_update()
        except psycopg2.errors.SerializationFailure:
            # Another worker stamped these rows after our snapshot: it sent them.
            _logger.info("Visit reminders: due tickets taken by another worker, stopping this run")
            return 0
        if not claimed:
            return 0
        claimed._write_facts({"visit_reminder_date": fields.Datetime.now()})
        claimed._notice_queue("visit_reminder")
        return len(claimed)
