import email
import email.policy
import re
from xmlrpc import client as xmlrpclib

from odoo import api, models
from odoo.tools import email_normalize

from .aftersales_ticket_security import SENDER_SUSPECT_CONTEXT_KEY

# Results of the receiving server's checks that say the From address was not
# the sender's own (RFC 8601 Authentication-Results).
_FAILED_AUTHENTICATION = re.compile(r"\b(dmarc|spf|dkim)\s*=\s*(fail|softfail|permerror)\b", re.IGNORECASE)
_DMARC_PASS = re.compile(r"\bdmarc\s*=\s*pass\b", re.IGNORECASE)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(  # noqa: PLR0917  # core's signature
        self, model, message, custom_values=None, save_original=False, strip_attachments=False, thread_id=None
    ):
        """Tell the records created from this email whether its sender looks
        forged (see _aftersales_sender_suspect); core's processing is
        unchanged."""
        thread = self
        if self._aftersales_sender_suspect(message):
            thread = self.with_context(**{SENDER_SUSPECT_CONTEXT_KEY: True})
        return super(MailThread, thread).message_process(
            model,
            message,
            custom_values=custom_values,
            save_original=save_original,
            strip_attachments=strip_attachments,
            thread_id=thread_id,
        )

    @api.model
    def _aftersales_sender_suspect(self, message):
        """Whether the headers of the raw ``message`` show that the From
        address may not be the sender's: the receiving server (the topmost
        Authentication-Results) reports a failed SPF, DKIM or DMARC check, or,
        without a DMARC pass, the envelope sender (Return-Path) is of another
        domain than the From address."""
        if isinstance(message, xmlrpclib.Binary):
            message = bytes(message.data)
        if isinstance(message, str):
            message = message.encode("utf-8")
        if not isinstance(message, bytes):
            return False
        headers = email.parser.BytesHeaderParser(policy=email.policy.SMTP).parsebytes(message)
        results = str(headers.get("Authentication-Results") or "")
        if _FAILED_AUTHENTICATION.search(results):
            return True
        sender = email_normalize(str(headers.get("From") or ""))
        envelope = email_normalize(str(headers.get("Return-Path") or ""))
        if not sender or not envelope or _DMARC_PASS.search(results):
            return False
        return sender.rpartition("@")[2] != envelope.rpartition("@")[2]
