"""The customer's acceptance of the work (验收): signature, refusal and rework,
waiver, and the rule that a repaired ticket closes only once accepted."""

import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

from ..const import (
    SIGNATURE_MAX_BYTES,
    SIGNATURE_MIMETYPES,
    SIGNER_MAX_LENGTH,
    requires_acceptance,
)
from ..write_rules import FACTS_CONTEXT_KEY


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # Customer acceptance 验收
    requires_acceptance = fields.Boolean(compute="_compute_requires_acceptance")
    can_waive_acceptance = fields.Boolean(
        compute="_compute_acceptance_actions", help="The acceptance is pending and a manager may still waive it."
    )
    can_customer_decide = fields.Boolean(
        compute="_compute_acceptance_actions",
        help="The work waits for the customer's acceptance and they have not accepted or refused it yet.",
    )
    acceptance_state = fields.Selection(
        [
            ("pending", "Pending"),
            ("accepted", "Accepted by customer"),
            ("refused", "Refused"),
            ("waived", "Waived by manager"),
        ],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    acceptance_signature = fields.Binary(copy=False, attachment=True, readonly=True)
    acceptance_signed_by = fields.Char(copy=False, readonly=True)
    acceptance_date = fields.Datetime(copy=False, readonly=True)
    refusal_reason = fields.Text(copy=False, readonly=True)
    # Links between tickets are for the service team: another customer's
    # ticket may be on the other side.
    rework_of_id = fields.Many2one(
        "aftersales.ticket",
        string="Rework of",
        index="btree_not_null",
        copy=False,
        readonly=True,
        groups="base.group_user",
    )
    rework_ids = fields.One2many("aftersales.ticket", "rework_of_id", string="Rework Tickets", groups="base.group_user")

    @api.depends("category")
    def _compute_requires_acceptance(self):
        for ticket in self:
            ticket.requires_acceptance = requires_acceptance(ticket.category)

    @api.depends("requires_acceptance", "is_closed", "acceptance_state", "milestone")
    def _compute_acceptance_actions(self):
        """The one rule for what may still happen to the customer's acceptance,
        for the form's buttons, the portal and the actions alike."""
        for ticket in self:
            pending = ticket.requires_acceptance and not ticket.is_closed and ticket.acceptance_state == "pending"
            ticket.can_waive_acceptance = pending
            ticket.can_customer_decide = pending and ticket.milestone == "acceptance"

    @api.model
    def _check_signature(self, signature):
        """A signature must be a PNG or JPEG image of reasonable size."""
        if not signature:
            raise ValidationError(self.env._("The customer's signature is missing."))
        try:
            data = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError, TypeError) as e:
            raise ValidationError(self.env._("The signature is not a valid image.")) from e
        if len(data) > SIGNATURE_MAX_BYTES:
            raise ValidationError(
                self.env._("The signature image is too large (at most %(size)s KB).", size=SIGNATURE_MAX_BYTES // 1024)
            )
        if guess_mimetype(data) not in SIGNATURE_MIMETYPES:
            raise ValidationError(self.env._("The signature is not a valid image."))

    def _check_can_close(self, vals=None):
        """Refuse tickets that are, or would be after writing ``vals``, in a
        closed stage (not cancelled) without the customer's acceptance, a
        manager's waiver, or a refusal that opened rework."""
        vals = vals or {}
        stage = self.env["aftersales.stage"].browse(vals["stage_id"]) if vals.get("stage_id") else None
        if stage is not None and (not stage.is_closed or stage.is_cancelled):
            return  # moved to a stage that does not close as repaired: nothing to check per ticket
        blocked = self.browse()
        for ticket in self:
            closing = stage or ticket.stage_id
            category = vals.get("category", ticket.category)
            acceptance = vals.get("acceptance_state", ticket.acceptance_state)
            if (
                closing.is_closed
                and not closing.is_cancelled
                and requires_acceptance(category)
                and acceptance not in ("accepted", "waived")
                and not (acceptance == "refused" and ticket.rework_ids)
            ):
                blocked |= ticket
        if blocked:
            raise UserError(
                self.env._(
                    "These tickets cannot be closed as repaired: the customer has not accepted the work "
                    "and no manager waived the acceptance: %(tickets)s",
                    tickets=", ".join(blocked.mapped("display_name")),
                )
            )

    @api.model
    def _check_can_create_closed(self, vals_list):
        """The same rule for new tickets, on the values given."""
        default_stage_id = self.env.context.get("default_stage_id")
        stage_ids = [vals.get("stage_id", default_stage_id) for vals in vals_list]
        stages = self.env["aftersales.stage"].browse({stage_id for stage_id in stage_ids if stage_id})
        closed_ids = set(stages.filtered(lambda s: s.is_closed and not s.is_cancelled).ids)
        for vals, stage_id in zip(vals_list, stage_ids, strict=True):
            if (
                stage_id in closed_ids
                and requires_acceptance(vals.get("category", "regular_repair"))
                and vals.get("acceptance_state", "pending") not in ("accepted", "waived")
            ):
                raise UserError(
                    self.env._(
                        "Ticket %(name)s cannot be created closed: the customer has not accepted the work "
                        "and no manager waived the acceptance.",
                        name=vals.get("name") or "",
                    )
                )

    def _check_customer_can_decide(self):
        for ticket in self:
            if not ticket.can_customer_decide:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is not waiting for the customer's acceptance.", ticket=ticket.display_name
                    )
                )

    def action_open_accept_wizard(self):
        self.ensure_one()
        self._check_customer_can_decide()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket.accept",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id, "default_signed_by": self.partner_id.name},
            "name": self.env._("Customer Acceptance"),
        }

    def action_customer_accept(self, signature=None, signed_by=None):
        """The customer accepts the repair (验收) with their name and signature,
        on the portal, by the token link, or on the technician's device; the
        ticket moves on to follow-up."""
        if not self.env.su:
            self.check_access("write")
        self._check_customer_can_decide()
        signed_by = (signed_by or "").strip()
        if not signed_by:
            raise ValidationError(self.env._("The name of the person who signs is missing."))
        if len(signed_by) > SIGNER_MAX_LENGTH:
            raise ValidationError(
                self.env._("The signer's name may be at most %(count)s characters long.", count=SIGNER_MAX_LENGTH)
            )
        self._check_signature(signature)
        followup = self.env["aftersales.stage"].search([("milestone", "=", "followup")], limit=1)
        vals = {
            "acceptance_state": "accepted",
            "acceptance_date": fields.Datetime.now(),
            "acceptance_signed_by": signed_by,
            "acceptance_signature": signature,
        }
        if followup:
            vals["stage_id"] = followup.id
        self._write_facts(vals)
        for ticket in self:
            ticket.message_post(
                body=self.env._("The customer accepted the work (signed by %(name)s).", name=signed_by),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_customer_refuse(self, reason):
        """The customer refuses the repair: keep the reason and open a rework
        ticket (返修) linked to this one. Once per acceptance round."""
        if not self.env.su:
            self.check_access("write")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason why the customer refuses the work."))
        self._check_customer_can_decide()
        reworks = self.browse()
        for ticket in self.sudo():
            ticket._write_facts({"acceptance_state": "refused", "refusal_reason": reason})
            # The rework ticket is the system's: its link to this one is a fact.
            rework = ticket.with_context(**{FACTS_CONTEXT_KEY: True}).copy(
                {
                    "name": self.env._("Rework: %(name)s", name=ticket.name),
                    "rework_of_id": ticket.id,
                    "technician_id": ticket.technician_id.id,
                    "date_reported": fields.Datetime.now(),
                    "description": ticket.description,
                }
            )
            ticket.message_post(
                body=self.env._(
                    "The customer refused the work: %(reason)s. Rework ticket %(rework)s was opened.",
                    reason=reason,
                    rework=rework.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            reworks |= rework
        return reworks.with_env(self.env)

    def action_waive_acceptance(self):
        if not self.env.user.has_group("aftersales_ticket.group_aftersales_manager"):
            raise AccessError(self.env._("Only an after-sales manager can waive the customer's acceptance."))
        self.check_access("write")
        for ticket in self:
            if not ticket.can_waive_acceptance:
                raise UserError(
                    self.env._(
                        "The acceptance of %(ticket)s is not pending: there is nothing to waive.",
                        ticket=ticket.display_name,
                    )
                )
        self._write_facts({"acceptance_state": "waived"})
        for ticket in self:
            ticket.message_post(
                body=self.env._("%(user)s waived the customer acceptance.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open_refuse_wizard(self):
        self.ensure_one()
        self._check_customer_can_decide()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket.refuse",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
            "name": self.env._("Refuse the work"),
        }
