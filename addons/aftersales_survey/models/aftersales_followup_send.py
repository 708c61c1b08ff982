import logging
from datetime import timedelta

import psycopg2

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACTS_CONTEXT_KEY

from .aftersales_followup import SKIP_REASONS

_logger = logging.getLogger(__name__)

# Due follow-ups looked up per claim, in batches: enough for the batches other workers hold.
CLAIM_WINDOW = 4


class AftersalesFollowup(models.Model):
    """Planning the follow-ups of closed tickets and the job that sends them."""

    _inherit = "aftersales.followup"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # ------------------------------------------------------------------
    # Scheduling
    # ------------------------------------------------------------------

    @api.model
    def _schedule_for_tickets(self, tickets):
        """Plan the steps of the follow-up plan from each ticket's end of
        service. A ticket followed up before (reopened and ended again) has
        its plan restarted once: the steps not sent yet are skipped and a
        second round counts from the new end; later ends plan nothing more.
        A rework ticket carries the plan of the ticket it reworks: the steps
        of that ticket not sent yet are skipped."""
        tickets = tickets.sudo().filtered(lambda t: t.date_service_end and not t.is_cancelled)
        if not tickets:
            return self.browse()
        originals = tickets.rework_of_id
        planned = {}  # ticket id -> (last round, the end of service it counted from)
        existing = set()  # (ticket id, step id, round)
        scheduled = self.browse()
        for followup in self.sudo().search_fetch(
            [("ticket_id", "in", (tickets | originals).ids)],
            ["ticket_id", "step_id", "service_round", "state", "date_closed"],
        ):
            ticket_id = followup.ticket_id.id
            existing.add((ticket_id, followup.step_id.id, followup.service_round))
            last_round, last_end = planned.get(ticket_id, (-1, followup.date_closed))
            planned[ticket_id] = (max(last_round, followup.service_round), max(last_end, followup.date_closed))
            if followup.state == "scheduled":
                scheduled |= followup
        Plan = self.env["aftersales.followup.plan"].sudo()
        plans = {}
        vals_list = []
        restarted = set()
        carried = set()  # tickets reworked by a ticket whose plan replaces theirs
        for ticket in tickets:
            last_round, last_end = planned.get(ticket.id, (-1, None))
            if last_round >= 0 and ticket.date_service_end <= last_end:
                service_round = last_round  # the same end of service: only the steps not planned yet
            elif last_round >= 1:
                continue  # restarted once already
            else:
                service_round = last_round + 1
            key = (ticket.team_id.id, ticket.company_id.id)
            if key not in plans:
                plans[key] = Plan._plan_for(ticket)
            agent = ticket.team_id.member_ids[:1] or ticket.team_id.manager_id
            steps = plans[key].step_ids.filtered(
                lambda step, ticket=ticket, service_round=service_round: (
                    step._applies_to(ticket) and (ticket.id, step.id, service_round) not in existing
                )
            )
            if not steps:
                continue
            if service_round > last_round > -1:
                restarted.add(ticket.id)
            if service_round == 0:
                carried.add(ticket.rework_of_id.id)
            vals_list += [
                dict(self._prepare_followup_vals(ticket, step, agent), service_round=service_round) for step in steps
            ]
        superseded = scheduled.filtered(lambda f: f.ticket_id.id in restarted or f.ticket_id.id in carried)
        if superseded:
            superseded._write_facts({"state": "skipped", "skip_reason": "restarted"})
        return self._create_facts(vals_list)

    @api.model
    def _prepare_followup_vals(self, ticket, step, agent):
        """Values of the follow-up of ``ticket`` at ``step``: the ticket's facts at the end of service."""
        return {
            "ticket_id": ticket.id,
            "step_id": step.id,
            "survey_id": step.survey_id.id,
            "channel": step.channel,
            "company_id": ticket.company_id.id,
            "partner_id": ticket.partner_id.id,
            "team_id": ticket.team_id.id,
            "technician_id": ticket.technician_id.id,
            "product_id": ticket.product_id.id,
            "user_id": agent.id if step.channel == "phone" else False,
            "date_closed": ticket.date_service_end,
            "date_scheduled": ticket.date_service_end + timedelta(hours=step.offset_hours),
        }

    # ------------------------------------------------------------------
    # Scheduled job
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_followups(self, batch_size=500, commit=None):
        """Send the due follow-ups in batches. Each batch claims its rows with
        ``try_lock_for_update()``, so several workers never send one twice, and
        is committed when run by the scheduler (or with commit=True)."""
        if commit is None:
            commit = bool(self.env.context.get("ir_cron_progress_id"))
        while True:
            expired = self._expire_followups(fields.Datetime.now(), batch_size)
            if commit and expired:
                self.env["ir.cron"]._commit_progress(expired)
            if expired < batch_size:
                break
        while True:
            processed = self._send_batch(fields.Datetime.now(), batch_size)
            if not processed:
                break
            if commit and self.env["ir.cron"]._commit_progress(processed) <= 0:
                break
        # merge the KPI rows written since the last run, one per key
        self.env["aftersales.followup.kpi"].sudo()._kpi_compact()

    @api.model
    def _expire_followups(self, now, limit):
        """Mark up to ``limit`` invitations past their deadline as expired. Returns how many."""
        expired = self.sudo().search([("state", "=", "pending"), ("date_expire", "<=", now)], limit=limit)
        if expired:
            expired._write_facts({"state": "expired"})
        return len(expired)

    @api.model
    def _send_batch(self, now, limit):
        """Claim up to ``limit`` due follow-ups and send them. Returns the number claimed.

        The due rows are looked up in a window of ``CLAIM_WINDOW`` batches and
        the first ``limit`` of them no other worker holds are locked; a run
        that finds the whole window held by other workers stops, the next run
        takes what is left."""
        Followup = self.sudo()
        try:
            with self.env.cr.savepoint(flush=False):
                followups = Followup.search(
                    [("state", "=", "scheduled"), ("date_scheduled", "<=", now)],
                    order="date_scheduled, id",
                    limit=limit * CLAIM_WINDOW,
                ).try_lock_for_update(limit=limit)
                # One worker at a time per customer: the fatigue rule holds across workers.
                partners = followups.partner_id.sorted("id").try_lock_for_update(allow_referencing=True)
        except psycopg2.errors.SerializationFailure:
            # Another worker sent these after our snapshot (the cursor logs the refused
            # lock): stop, the next run starts afresh. The scheduler commits every
            # batch, so each claim runs on a fresh snapshot and this stays rare.
            _logger.info("Follow-ups: due follow-ups taken by another worker, stopping this run")
            return 0
        if not followups:
            return 0
        # Customers another worker is inviting right now wait for the next run.
        followups = followups.filtered(lambda f: not f.partner_id or f.partner_id in partners)
        followups._send(now)
        return len(followups)

    def _send(self, now):
        """Invite the customers: one survey answer (token) per follow-up, the
        email for the email channel, the agent's call list for the phone
        channel. Opted-out customers and customers asked about another ticket
        within the fatigue window are skipped; among the due follow-ups of one
        customer the most recently closed ticket wins."""
        skipped = {reason: self.browse() for reason, _label in SKIP_REASONS}
        # Due so long ago (the job did not run) that the invitation would already be expired.
        too_late = self.filtered(lambda f: f.date_scheduled + timedelta(days=f.step_id.validity_days) <= now)
        if too_late:
            too_late._write_facts({"state": "expired"})
        no_partner = (self - too_late).filtered(lambda f: not f.partner_id)
        skipped["no_contact"] |= no_partner
        candidates = self - too_late - no_partner
        opted_out_partners = candidates.partner_id._aftersales_survey_opted_out()
        opted_out = candidates.filtered(lambda f: f.partner_id in opted_out_partners)
        skipped["opt_out"] |= opted_out
        candidates -= opted_out
        # Recent invitations per customer, with the ticket they were about.
        recent = {}
        if candidates:
            windows = {company: company.aftersales_survey_fatigue_days for company in candidates.company_id}
            oldest = now - timedelta(days=max(windows.values()) or 0)
            for partner, ticket, last in self._read_group(
                [("partner_id", "in", candidates.partner_id.ids), ("date_sent", ">=", oldest)],
                ["partner_id", "ticket_id"],
                ["date_sent:max"],
            ):
                recent.setdefault(partner.id, []).append((ticket.id, last))
        to_send = self.browse()
        chosen = {}  # customer -> the ticket asked about in this batch
        for followup in candidates.sorted(lambda f: (f.date_closed or now, f.id), reverse=True):
            partner_id, ticket_id = followup.partner_id.id, followup.ticket_id.id
            days = followup.company_id.aftersales_survey_fatigue_days
            if days <= 0:  # no fatigue rule
                to_send |= followup
                continue
            window_start = now - timedelta(days=days)
            asked_other = any(other != ticket_id and last >= window_start for other, last in recent.get(partner_id, []))
            if asked_other or chosen.setdefault(partner_id, ticket_id) != ticket_id:
                skipped["fatigue"] |= followup
                continue
            to_send |= followup
        for reason, records in skipped.items():
            if records:
                records._write_facts({"state": "skipped", "skip_reason": reason})
        if not to_send:
            return
        # No followers nor creation log on these answers: the follow-up is the record people follow.
        answers = (
            self.env["survey.user_input"]
            .sudo()
            .with_context(tracking_disable=True, **{FACTS_CONTEXT_KEY: True})
            .create(
                [
                    {
                        "survey_id": followup.survey_id.id,
                        "partner_id": followup.partner_id.id,
                        "email": followup.partner_id.email,
                        "nickname": followup.partner_id.name,
                        "deadline": now + timedelta(days=followup.step_id.validity_days),
                        "aftersales_followup_id": followup.id,
                    }
                    for followup in to_send
                ]
            )
        )
        for followup, answer in zip(to_send, answers, strict=True):
            followup._write_facts({"user_input_id": answer.id})
        by_validity = {}
        for followup in to_send:
            by_validity.setdefault(followup.step_id.validity_days, self.browse())
            by_validity[followup.step_id.validity_days] |= followup
        for days, records in by_validity.items():
            records._write_facts({"state": "pending", "date_sent": now, "date_expire": now + timedelta(days=days)})
        to_send.partner_id.write({"aftersales_survey_last_date": now})
        to_send.filtered(lambda f: f.channel == "email")._send_invitation()

    def _send_invitation(self):
        """Invite on the customer's preferred channel, chosen as for the
        ticket's notices (``aftersales.notice``): an SMS with the survey link,
        posted on the ticket's chatter, for a customer who prefers SMS and has
        a mobile number; otherwise the e-mail (the ticket's chatter says so
        when SMS was preferred). Never both."""
        if not self:
            return
        Notice = self.env["aftersales.notice"]
        sms_template = self.env.ref("aftersales_survey.sms_template_followup_invitation", raise_if_not_found=False)
        channels = Notice._split_by_channel(self, sms_template)
        Notice._send_sms(channels["sms"], sms_template, lambda followup: followup.ticket_id)
        email_template = self.env.ref("aftersales_survey.mail_template_followup_invitation")
        Notice._log_fallback(channels["fallback"].ticket_id, email_template.name)
        (self - channels["sms"])._send_invitation_email()

    def _send_invitation_email(self):
        if not self:
            return
        template = self.env.ref("aftersales_survey.mail_template_followup_invitation")
        # Sent by the system, not by the agent whose call triggered it: the message
        # (with the customer's links) is nobody's on the staff side (see
        # _mail_get_operation_for_mail_message_operation).
        template.with_user(SUPERUSER_ID).sudo().send_mail_batch(
            self.ids, email_layout_xmlid="mail.mail_notification_light"
        )
