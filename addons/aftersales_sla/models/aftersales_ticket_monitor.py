import logging
from collections import defaultdict

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import mute_logger

from .aftersales_ticket_deadline import check_time

_logger = logging.getLogger(__name__)

# Alert levels of the current phase: 0 nothing sent, 1 technician warned,
# 2 escalated to the team manager at breach, 3 escalated to the next level.
ALERT_DONE = 3


class AftersalesTicket(models.Model):
    """The SLA monitor: warnings before a breach and escalations after it.

    The deadline engine (aftersales_ticket_deadline.py) schedules ``sla_next_check``;
    this job claims the tickets whose check time has come, raises their alerts
    (``aftersales.sla.alert``) and schedules the next check."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    @api.model
    def _cron_sla_monitor(self, batch_size=500, commit=None):
        """Due tickets are found with one indexed search per batch and claimed
        with try_lock_for_update() (rows another worker holds are skipped), so
        two workers never raise the same alert.
        Each batch is committed when run by the scheduler (or with commit=True);
        the alerts of the run are then handed out, as digests for people who
        get more than the company's threshold."""
        if commit is None:
            commit = bool(self.env.context.get("ir_cron_progress_id"))
        while True:
            now = fields.Datetime.now()
            processed = self._sla_monitor_batch(now, batch_size)
            if not processed:
                break
            if commit and self.env["ir.cron"]._commit_progress(processed) <= 0:
                break
        self.env["aftersales.sla.alert"].sudo()._dispatch_pending(fields.Datetime.now())

    @api.model
    def _sla_monitor_batch(self, now, limit):
        """Claim up to ``limit`` due tickets (rows locked by another worker are
        skipped) and raise their alerts. Returns the number claimed."""
        try:
            # The expected conflict is not an error (core does the same for
            # presences, mail_presence.py): muted, handled below.
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                tickets = self._sla_claim_due(now, limit)
        except psycopg2.errors.SerializationFailure:
            # Another worker changed these rows after our snapshot: it raised
            # their alerts. Stop here; the next run starts a fresh snapshot.
            _logger.info("SLA monitoring: due tickets taken by another worker, stopping this run")
            return 0
        if tickets:
            tickets._sla_raise_alerts(now)
        return len(tickets)

    @api.model
    def _sla_claim_due(self, now, limit):
        """Lock up to ``limit`` due tickets, soonest check first, skipping the
        rows another worker holds: the due tickets are read a window at a
        time (one indexed search) and locked with try_lock_for_update(); a
        window held by another worker moves on to the next one."""
        Ticket = self.sudo()
        claimed, offset = Ticket.browse(), 0
        while len(claimed) < limit:
            due = Ticket.search([("sla_next_check", "<=", now)], order="sla_next_check, id", limit=limit, offset=offset)
            if not due:
                break
            claimed |= due.try_lock_for_update(limit=limit - len(claimed))
            offset += len(due)
        return claimed

    def _sla_raise_alerts(self, now):
        """Record the alert each ticket has reached and schedule its next
        check. A ticket found long overdue (the job was down, a storm) gets one
        alert at the level it has reached, not one per level it skipped."""
        alerts, tickets, vals_list = [], self.browse(), []
        for ticket in self:
            phase = ticket._sla_phase()
            level = ticket.sla_alert_level or 0
            check = None
            state = ticket.sla_state
            if phase and level < ALERT_DONE:
                deadline, warn_at = ticket._sla_phase_times(phase)
                delay = ticket.sla_tier_id.escalation_delay_hours
                check = check_time(deadline, warn_at, level, delay)
                if check and check <= now:
                    while level < ALERT_DONE and check and check <= now:
                        level += 1
                        check = check_time(deadline, warn_at, level, delay)
                    state = "at_risk" if level == 1 else "breached"
                    alerts.append(ticket._sla_alert_vals(phase, level, now))
            vals = {"sla_alert_level": level, "sla_next_check": check, "sla_state": state}
            if phase == "response":
                vals["sla_response_state"] = state
            elif phase == "resolution":
                vals["sla_resolution_state"] = state
            tickets += ticket
            vals_list.append(vals)
        self.env["aftersales.sla.alert"].create(alerts)
        # Facts of the monitor, one write per set of values (most tickets of a
        # storm share them); the ORM's flush writes the rows together.
        by_values = defaultdict(list)
        for ticket, vals in zip(tickets, vals_list, strict=True):
            by_values[tuple(sorted(vals.items()))].append(ticket.id)
        untracked = self.with_context(mail_notrack=True)
        for vals, ids in by_values.items():
            untracked.browse(ids)._write_facts(dict(vals))

    def _sla_alert_vals(self, phase, level, now):
        self.ensure_one()
        if level == 1:
            user = self.user_id or self.team_id.manager_id
        elif level == 2:
            user = self.team_id.manager_id or self.user_id
        else:
            user = self._sla_next_level_manager()
        if not user:
            # a ticket of no team (no routing rule matched), or of a team without manager
            user = self.company_id._aftersales_alert_fallback()
        return {
            "ticket_id": self.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "user_id": user.id,
            "phase": phase,
            "level": str(level),
            "deadline": self._sla_phase_times(phase)[0],
            "date": now,
        }

    def _sla_next_level_manager(self):
        """Manager of the nearest parent team with a different manager."""
        self.ensure_one()
        team = self.team_id
        current = team.manager_id
        parent = team.parent_id
        while parent:
            if parent.manager_id and parent.manager_id != current:
                return parent.manager_id
            parent = parent.parent_id
        return current
