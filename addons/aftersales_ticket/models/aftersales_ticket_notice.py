import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ConcurrencyError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)

# Notices sent through the chatter: kind -> mail template.
NOTICE_TEMPLATES = {
    "ack": "aftersales_ticket.mail_template_ticket_ack",
    "assign": "aftersales_ticket.mail_template_ticket_assigned",
    "appointment": "aftersales_ticket.mail_template_ticket_appointment",
    "acceptance": "aftersales_ticket.mail_template_ticket_acceptance",
    "closed": "aftersales_ticket.mail_template_ticket_closed",
    "visit": "aftersales_ticket.mail_template_ticket_visit",
    "visit_reminder": "aftersales_ticket.mail_template_ticket_visit_reminder",
}
# Notices to the customer, which the customer may turn off.
CUSTOMER_NOTICES = {"ack", "appointment", "acceptance", "closed", "visit", "visit_reminder"}
# Customer notices that may go by SMS instead (kind -> sms.template), to the
# customers whose preferred channel is SMS (res.partner.aftersales_notice_channel).
# A customer notice kind added by another addon gets the channel choice by adding
# its SMS template here.
NOTICE_SMS_TEMPLATES = {
    "ack": "aftersales_ticket.sms_template_ticket_ack",
    "acceptance": "aftersales_ticket.sms_template_ticket_acceptance",
    "visit_reminder": "aftersales_ticket.sms_template_ticket_reminder",
}
NOTICE_QUEUE = "aftersales.ticket.notices"


class AftersalesNotice(models.AbstractModel):
    """The channel of a notice to a customer: e-mail, or SMS (Odoo's ``sms``)
    for the customers who prefer it. One choice for every notice, the
    ticket's notices and the follow-up invitations alike: each notice goes out
    on one channel only."""

    _name = "aftersales.notice"
    _description = "After-sales notice channel"

    @api.model
    def _split_by_channel(self, records, sms_template=None):
        """Split ``records`` (each with a ``partner_id``) by the channel their
        notice goes out on: ``{"sms": ..., "email": ..., "fallback": ...}``.
        SMS when the customer prefers it, has a mobile number (not on the SMS
        blacklist) and the notice has an SMS template; otherwise e-mail when
        the customer has an address. ``fallback`` are those of ``email`` that
        preferred SMS but have no mobile number (said in the chatter). Records
        reachable on neither channel are in none."""
        empty = records.browse()
        result = {"sms": empty, "email": empty, "fallback": empty}
        for record in records:
            partner = record.partner_id
            prefers_sms = partner.aftersales_notice_channel == "sms" and sms_template
            if prefers_sms and partner.phone_sanitized and not partner.phone_sanitized_blacklisted:
                result["sms"] |= record
            elif partner.email:
                result["email"] |= record
                if prefers_sms:
                    result["fallback"] |= record
        return result

    @api.model
    def _send_sms(self, records, template, threads):
        """Send the SMS ``template`` rendered on ``records`` (in each
        customer's language) to their customer, posted on the chatter of the
        record's thread (``threads``: record -> ticket) as an SMS message. The
        ``sms.sms`` is queued: Odoo's SMS queue sends it once the transaction
        commits, as ``mail.mail`` is for e-mails."""
        if not records:
            return
        bodies = template._render_field("body", records.ids, compute_lang=True)
        for record in records:
            partner = record.partner_id
            threads(record).sudo()._message_sms(
                bodies[record.id],
                partner_ids=partner.ids,
                sms_pid_to_number={partner.id: partner.phone_sanitized},
                author_id=record.company_id.partner_id.id,
                put_in_queue=True,
            )

    @api.model
    def _log_fallback(self, threads, what):
        """Say in the chatter of ``threads`` that ``what`` went by e-mail
        although the customer prefers SMS (no mobile number)."""
        if not threads:
            return
        body = self.env._("%(notice)s sent by e-mail: the customer prefers SMS but has no mobile number.", notice=what)
        threads.sudo()._message_log_batch(bodies=dict.fromkeys(threads.ids, body))


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    notice_log = fields.Char(
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The notices already sent for this ticket (one key per notice), so none is sent twice.",
    )

    # ------------------------------------------------------------------
    # Triggers
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._notice_queue("ack")
        tickets.filtered("technician_id")._notice_queue("assign")
        tickets.filtered("appointment_date")._notice_queue("appointment")
        return tickets

    def write(self, vals):
        res = super().write(vals)
        if vals.get("technician_id"):
            self._notice_queue("assign")
        if vals.get("appointment_date"):
            self._notice_queue("appointment")
        return res

    def _stamp_milestones(self, now):
        res = super()._stamp_milestones(now)
        # Judged on the stages first: a batch moved to one stage is looked at once.
        stages = self.stage_id
        if any(stage.milestone == "acceptance" for stage in stages):
            self.filtered(lambda t: t.milestone == "acceptance" and t.requires_acceptance)._notice_queue("acceptance")
        if any(stage.is_closed and not stage.is_cancelled for stage in stages):
            self.filtered(lambda t: t.is_closed and not t.is_cancelled)._notice_queue("closed")
        return res

    def _auto_dispatch(self, log=True):
        before = {ticket.id: ticket.technician_id.id for ticket in self}
        res = super()._auto_dispatch(log=log)
        self.filtered(lambda t: t.technician_id and t.technician_id.id != before.get(t.id))._notice_queue("assign")
        return res

    # ------------------------------------------------------------------
    # Queue: sent in the user's own transaction
    # ------------------------------------------------------------------

    def _notice_queue(self, kind):
        """Queue a notice for these tickets. It is posted before the
        transaction commits (``cr.precommit``), in that transaction, from what
        the tickets are then; its emails go to Odoo's mail queue
        (``mail.mail``, the outbox the mail cron sends from). A transaction
        rolled back (a retried request, a serialization failure) leaves no
        notice, and its retry queues it again from scratch; a committed one
        always carries its notices. The same notice queued twice is sent
        once, and the key stored in ``notice_log`` stops it for good."""
        ids = [ticket_id for ticket_id in self.ids if ticket_id]
        if not ids:
            return
        precommit = self.env.cr.precommit
        queue = precommit.data.get(NOTICE_QUEUE)
        if queue is None:
            queue = precommit.data[NOTICE_QUEUE] = {}
            cr = self.env.cr

            @precommit.add
            def send_aftersales_notices():
                # Notices queued while these are sent go to a new queue. Sent
                # by the system, whatever the user's context switched off.
                precommit.data.pop(NOTICE_QUEUE, None)
                api.Environment(cr, SUPERUSER_ID, {})["aftersales.ticket"]._notice_send(queue)

        queue.setdefault(kind, set()).update(ids)

    @api.model
    def _notice_send(self, queue):
        """Send the queued notices {kind: ticket ids}, each at most once. A
        kind that fails (a template that cannot render, say) is logged and
        rolled back alone (a savepoint): the user's save and the other
        notices go through, and the failed ones are not marked sent, so the
        next occasion sends them. A concurrency error (serialization
        failure, lock, deadlock) is no such failure: it goes up, the whole
        transaction is rolled back and Odoo retries it, notices included
        (swallowed, it would commit the ticket without its acknowledgement,
        which has no next occasion)."""
        for kind in NOTICE_TEMPLATES:
            ids = queue.get(kind)
            if not ids:
                continue
            try:
                with self.env.cr.savepoint():
                    self._notice_send_kind(kind, ids)
            except (*PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, ConcurrencyError):
                raise
            except Exception:
                _logger.exception("After-sales notice %r could not be sent for tickets %s", kind, sorted(ids))

    @api.model
    def _notice_send_kind(self, kind, ids):
        """Send the notice ``kind`` to the tickets ``ids`` that are due it."""
        template_xmlid = NOTICE_TEMPLATES[kind]
        tickets = self.sudo().with_context(active_test=False).browse(sorted(ids)).exists()
        due = {}
        for ticket in tickets:
            key = ticket._notice_key(kind)
            if key and key not in (ticket.notice_log or "").split(","):
                due[ticket] = key
        if not due:
            return
        to_send = self.browse([ticket.id for ticket in due]).sudo()
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        sent = by_email = to_send
        if kind in CUSTOMER_NOTICES:
            for ticket in to_send.filtered(lambda t: not t.access_token):
                ticket._portal_ensure_token()
            Notice = self.env["aftersales.notice"]
            sms_xmlid = NOTICE_SMS_TEMPLATES.get(kind)
            sms_template = sms_xmlid and self.env.ref(sms_xmlid, raise_if_not_found=False)
            channels = Notice._split_by_channel(to_send, sms_template)
            Notice._send_sms(channels["sms"], sms_template, lambda ticket: ticket)
            Notice._log_fallback(channels["fallback"], template.name)
            by_email = channels["email"]
            sent = by_email | channels["sms"]
        subtype = "mail.mt_comment" if kind in CUSTOMER_NOTICES else "mail.mt_note"
        by_email._notice_post(template, subtype)
        # One write per new value (a batch's acknowledgements: one UPDATE).
        logs = {}
        for ticket, key in due.items():
            if ticket in sent:
                log = ",".join(filter(None, [ticket.notice_log, key]))
                logs.setdefault(log, []).append(ticket.id)
        for log, ticket_ids in logs.items():
            self.browse(ticket_ids)._write_facts({"notice_log": log})

    def _notice_post(self, template, subtype_xmlid):
        """Post the mail ``template`` on these tickets, as a notification from
        their company (not a person's first response): one composer per
        company renders the whole batch at once (core's per-record
        ``message_post_with_source`` makes and computes a composer for each
        ticket), then core posts each ticket's message to the template's
        recipients, whose e-mail waits in Odoo's outbox (``mail.mail``) for
        the mail queue."""
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id(subtype_xmlid)
        for company in self.company_id:
            tickets = self.filtered(lambda t, company=company: t.company_id == company)
            composer = (
                self.env["mail.compose.message"]
                .with_context(
                    default_composition_mode="comment",
                    default_model=self._name,
                    default_res_ids=tickets.ids,
                    default_template_id=template.id,
                )
                .create(
                    {
                        "message_type": "notification",
                        "subtype_id": subtype_id,
                        "author_id": company.partner_id.id,
                        "force_send": False,
                        # to its addressee (the customer, the technician) only:
                        # the followers see it in the chatter, not in their mailbox
                        "notify_skip_followers": True,
                    }
                )
            )
            composer._action_send_mail()

    def _notice_key(self, kind):
        """The key of the notice the ticket is due now, or None when it is
        not due (any more): the customer opted out, the step was undone."""
        self.ensure_one()
        partner = self.partner_id
        if kind in CUSTOMER_NOTICES and (
            not partner or not (partner.email or partner.phone_sanitized) or partner._aftersales_opted_out()
        ):
            return None
        keys = {
            "ack": lambda: "ack",
            "assign": lambda: self.user_id and f"assign-{self.technician_id.id}",
            "appointment": lambda: (
                # with a technician, the visit notice says who comes and when
                self.appointment_date
                and not self.technician_id
                and not self.is_closed
                and f"appointment-{self.appointment_date:%Y%m%d%H%M}"
            ),
            "visit": self._visit_notice_key,
            "visit_reminder": lambda: self._visit_notice_key("visit-reminder"),
            "acceptance": lambda: (
                self.milestone == "acceptance" and self.acceptance_state == "pending" and "acceptance"
            ),
            "closed": lambda: self.is_closed and not self.is_cancelled and "closed",
        }
        return keys[kind]() if kind in keys else None

    @api.private
    def notice_promise(self):
        """What the acknowledgement promises, in the reader's language;
        extended by the SLA addon with the promised response time."""
        self.ensure_one()
        return ""
