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
}
# Notices to the customer, which the customer may turn off.
CUSTOMER_NOTICES = {"ack", "appointment", "acceptance", "closed"}
NOTICE_QUEUE = "aftersales.ticket.notices"


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
        if kind in CUSTOMER_NOTICES:
            for ticket in to_send.filtered(lambda t: not t.access_token):
                ticket._portal_ensure_token()
        subtype = "mail.mt_comment" if kind in CUSTOMER_NOTICES else "mail.mt_note"
        for ticket in to_send:
            # A notification from the company: not a person's first response.
            ticket.message_post_with_source(template, subtype_xmlid=subtype, author_id=ticket.company_id.partner_id.id)
        for ticket, key in due.items():
            ticket._write_facts({"notice_log": ",".join(filter(None, [ticket.notice_log, key]))})

    def _notice_key(self, kind):
        """The key of the notice the ticket is due now, or None when it is
        not due (any more): the customer opted out, the step was undone."""
        self.ensure_one()
        if kind in CUSTOMER_NOTICES and (
            not self.partner_id or not self.partner_id.email or self.partner_id._aftersales_opted_out()
        ):
            return None
        keys = {
            "ack": lambda: "ack",
            "assign": lambda: self.user_id and f"assign-{self.technician_id.id}",
            "appointment": lambda: (
                self.appointment_date and not self.is_closed and f"appointment-{self.appointment_date:%Y%m%d%H%M}"
            ),
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
