from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import email_normalize, html_sanitize

from ..write_rules import AGENT, FACT, MANAGER

# Steps of the SOP during which the ticket is still being taken in: the facts
# that decide paid or free (product, serial, purchase) may be corrected by an
# agent until the technician starts the diagnosis, by a manager afterwards.
INTAKE_MILESTONES = (False, "report", "accept", "dispatch")

# Free text a customer may send through the portal.
REFUSAL_REASON_MAX_LENGTH = 2000
SERIAL_MAX_LENGTH = 100

# Context key of the mail gateway: the receiving server reported that the
# sender's address could not be authenticated (see mail_thread.py). Only ever
# makes a ticket less trusted: a caller setting it gains nothing.
SENDER_SUSPECT_CONTEXT_KEY = "aftersales_sender_suspect"


class AftersalesTicket(models.Model):
    """Who the ticket trusts: the customer's acceptance only from the
    customer, intake facts only from agents and managers, the sender of an
    email only when their address is theirs, a complaint out of reach of the
    technician it is about, and a bounded number of portal tickets a day."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # Mail and portal HTML is shown on the customer's page: no style or
    # classes that could cover it.
    description = fields.Html(strip_style=True, strip_classes=True)
    # What decides paid or free is for the service team's eyes.
    purchase_date = fields.Date(groups="base.group_user")

    acceptance_channel = fields.Selection(
        [("portal", "Customer portal"), ("device", "Signature on the technician's device")],
        readonly=True,
        copy=False,
        help="Where the customer gave their acceptance or refusal.",
    )
    sender_unverified = fields.Boolean(
        string="Unverified Sender",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The email that opened this ticket came from an address that is not the customer's own, or that "
        "the receiving server could not authenticate: check with the customer before sending anyone.",
    )
    complaint_technician_id = fields.Many2one(
        "aftersales.technician",
        string="Complaint About",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        groups="base.group_user",
        help="The technician this complaint is about: they see it, but cannot change it.",
    )
    complaint_user_id = fields.Many2one(
        "res.users",
        compute="_compute_complaint_user_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        groups="base.group_user",
    )

    @api.depends("category", "complaint_technician_id.user_id")
    def _compute_complaint_user_id(self):
        for ticket in self:
            is_complaint = ticket.category == "complaint"
            ticket.complaint_user_id = ticket.complaint_technician_id.user_id if is_complaint else False

    @api.constrains("refusal_reason")
    def _check_refusal_reason_length(self):
        for ticket in self:
            if len(ticket.refusal_reason or "") > REFUSAL_REASON_MAX_LENGTH:
                raise ValidationError(self._refusal_reason_too_long())

    # ------------------------------------------------------------------
    # Who may write what
    # ------------------------------------------------------------------

    @api.model
    def _aftersales_intake_fields(self):
        """Fields that decide paid or free, the tier and 三包: set by agents at
        intake, changed by managers afterwards."""
        return {"product_id", "lot_id", "purchase_date"}

    @api.model
    def _field_write_rules(self):
        return {
            **super()._field_write_rules(),
            **dict.fromkeys(self._aftersales_intake_fields(), (AGENT, MANAGER)),
            "complaint_technician_id": (AGENT, AGENT),
            "complaint_user_id": FACT,
            "acceptance_channel": FACT,
            "sender_unverified": FACT,
        }

    @api.model
    def _check_field_write_rules(self, fnames, creating=False):
        """Agents still correct the intake facts of tickets in intake."""
        intake = self._aftersales_intake_fields().intersection(fnames)
        if (
            intake
            and self
            and not creating
            and not self.env.su
            and self.env.user.has_group("aftersales_ticket.group_aftersales_user")
            and all(ticket.milestone in INTAKE_MILESTONES for ticket in self.sudo())
        ):
            fnames = set(fnames) - intake
        return super()._check_field_write_rules(fnames, creating=creating)

    # ------------------------------------------------------------------
    # Customer acceptance: only from the customer
    # ------------------------------------------------------------------

    def _check_customer_decision_path(self):
        """The public acceptance actions are the portal's (which checked the
        customer or their token) and the signature pad's; nobody calls them
        directly over RPC."""
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the customer can accept or refuse the work: on the customer portal, or by signing "
                    "on the technician's device (Customer Acceptance)."
                )
            )

    def action_customer_accept(self, signature=None, signed_by=None):
        self._check_customer_decision_path()
        return super().action_customer_accept(signature=signature, signed_by=signed_by)

    def action_customer_refuse(self, reason):
        self._check_customer_decision_path()
        if len((reason or "").strip()) > REFUSAL_REASON_MAX_LENGTH:
            raise ValidationError(self._refusal_reason_too_long())
        return super().action_customer_refuse(reason)

    @api.model
    def _refusal_reason_too_long(self):
        return self.env._(
            "The reason of the refusal may be at most %(count)s characters long.", count=REFUSAL_REASON_MAX_LENGTH
        )

    @api.private
    def _customer_decides_on_device(self, decide):
        """Run ``decide`` (the signature pad's confirmation, as superuser) for
        a user who may write this ticket, and record that the customer
        decided on the technician's device."""
        self.ensure_one()
        self.check_access("write")
        result = decide()
        self._write_facts({"acceptance_channel": "device"})
        return result

    # ------------------------------------------------------------------
    # Email intake: a sender is trusted only with their own address
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Clean the mail's HTML; a ticket whose sender is not verified as
        its customer is marked so and waits for an agent."""
        # In place: core posts the same dict as the ticket's first message.
        msg_dict["body"] = self._aftersales_clean_mail_html(msg_dict.get("body"))
        partner = (
            self.env["res.partner"].sudo().browse((custom_values or {}).get("partner_id") or msg_dict.get("author_id"))
        )
        unverified = bool(partner) and (
            bool(self.env.context.get(SENDER_SUSPECT_CONTEXT_KEY))
            or email_normalize(msg_dict.get("email_from") or "") != partner.email_normalized
        )
        ticket = super(AftersalesTicket, self.with_context(aftersales_hold_dispatch=unverified)).message_new(
            msg_dict, custom_values=custom_values
        )
        if unverified:
            ticket._write_facts({"sender_unverified": True})
            ticket.message_post(
                body=self.env._(
                    "The sender %(email)s could not be verified as the customer: check with the customer before "
                    "dispatching this ticket.",
                    email=msg_dict.get("email_from") or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return ticket

    def message_update(self, msg_dict, update_vals=None):
        msg_dict["body"] = self._aftersales_clean_mail_html(msg_dict.get("body"))
        return super().message_update(msg_dict, update_vals=update_vals)

    @api.model
    def _aftersales_clean_mail_html(self, body):
        """Mail HTML without style or classes: what the portal shows of it
        cannot restyle the page."""
        return html_sanitize(body, sanitize_attributes=True, strip_style=True, strip_classes=True) if body else body

    def _auto_dispatch(self, log=True):
        """Tickets of a sender who could not be verified wait for an agent."""
        if self.env.context.get("aftersales_hold_dispatch"):
            return {}
        return super()._auto_dispatch(log=log)

    # ------------------------------------------------------------------
    # Portal intake: bounded per customer
    # ------------------------------------------------------------------

    @api.model
    def _create_from_portal(self, partner, name, description, product, *, serial="", attachments=()):
        if len(serial or "") > SERIAL_MAX_LENGTH:
            raise ValidationError(
                self.env._("The serial number may be at most %(count)s characters long.", count=SERIAL_MAX_LENGTH)
            )
        self._check_portal_rate_limit(partner)
        return super()._create_from_portal(partner, name, description, product, serial=serial, attachments=attachments)

    @api.model
    def _check_portal_rate_limit(self, partner):
        """A customer (their whole company) submits at most the company's
        daily number of tickets on the portal in any 24 hours."""
        commercial = partner.sudo().commercial_partner_id
        company = (partner.sudo().company_id or self.env.company).sudo()
        limit = company.aftersales_portal_daily_limit
        since = fields.Datetime.now() - timedelta(days=1)
        count = (
            self.sudo()
            .with_context(active_test=False)
            .search_count(
                Domain("commercial_partner_id", "=", commercial.id)
                & Domain("channel", "=", "portal")
                & Domain("create_date", ">", since)
            )
        )
        if count >= limit:
            raise UserError(
                self.env._(
                    "You have already submitted %(count)s tickets in the last 24 hours, the most we accept from "
                    "one customer. Call the service desk if something more is urgent.",
                    count=count,
                )
            )
