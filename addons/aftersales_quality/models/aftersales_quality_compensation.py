from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import AGENT, FACT, MANAGER
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

COMPENSATION_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To approve"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]
APPROVERS = (MANAGER, "aftersales_quality.group_aftersales_quality_manager")


class AftersalesQualityCompensation(models.Model):
    """Goodwill compensation of a complaint (seed 002's VIP case: 经理亲自道歉 …
    提供补偿): proposed by the agent, approved by a manager, paid as a posted
    credit note to the customer, linked to the complaint."""

    _name = "aftersales.quality.compensation"
    _inherit = ["mail.thread", "aftersales.write.rules.mixin"]
    _description = "After-sales Complaint Compensation"
    _order = "id desc"

    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Complaint",
        required=True,
        index=True,
        check_company=True,
        domain="[('category', '=', 'complaint')]",
        tracking=True,
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True, precompute=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        precompute=True,
        help="The customer's company, credited.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(string="Goodwill Amount", required=True, tracking=True)
    reason = fields.Text(required=True, help="Why the customer is compensated, in the customer's words.")
    state = fields.Selection(COMPENSATION_STATES, default="draft", required=True, readonly=True, tracking=True)
    requested_by_id = fields.Many2one("res.users", string="Requested By", readonly=True)
    approved_by_id = fields.Many2one("res.users", string="Approved By", readonly=True, tracking=True)
    date_approved = fields.Datetime(readonly=True)
    move_id = fields.Many2one("account.move", string="Credit Note", readonly=True, copy=False, index="btree_not_null")

    @api.model
    def _field_write_rules(self):
        facts = dict.fromkeys(
            ["company_id", "partner_id", "state", "requested_by_id", "approved_by_id", "date_approved", "move_id"],
            FACT,
        )
        return {**facts, "ticket_id": (AGENT, MANAGER), "amount": (AGENT, AGENT), "reason": (AGENT, AGENT)}

    @api.depends("ticket_id.partner_id")
    def _compute_partner_id(self):
        for compensation in self:
            compensation.partner_id = compensation.ticket_id.partner_id.commercial_partner_id

    @api.constrains("amount", "ticket_id")
    def _check_amount(self):
        for compensation in self:
            if compensation.amount <= 0:
                raise ValidationError(self.env._("A compensation amount must be positive."))
            if compensation.ticket_id.category != "complaint":
                raise ValidationError(
                    self.env._("%(ticket)s is not a complaint.", ticket=compensation.ticket_id.display_name)
                )
            if not compensation.ticket_id.partner_id:
                raise ValidationError(self.env._("The complaint has no customer to compensate."))

    def write(self, vals):
        if {"amount", "reason", "ticket_id", "kind"} & set(vals) and any(c.state != "draft" for c in self):
            raise UserError(self.env._("Only a draft compensation can be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(c.state == "approved" for c in self):
            raise UserError(self.env._("An approved compensation was paid: it cannot be deleted."))

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def action_submit(self):
        self.check_access("write")
        if any(c.state != "draft" for c in self):
            raise UserError(self.env._("Only a draft compensation is sent for approval."))
        self._write_facts({"state": "to_approve", "requested_by_id": self.env.user.id})
        return True

    def _check_approver(self):
        if not any(self.env.user.has_group(group) for group in APPROVERS):
            raise UserError(self.env._("Only an after-sales manager or a quality manager approves a compensation."))
        if any(c.state != "to_approve" for c in self):
            raise UserError(self.env._("Only a compensation waiting for approval can be approved or refused."))

    def action_refuse(self):
        self.check_access("write")
        self._check_approver()
        self._write_facts({"state": "refused", "approved_by_id": self.env.user.id})
        return True

    def action_approve(self):
        """A manager approves: the compensation is paid (a posted credit note,
        or a coupon) and linked. The rows are locked first, so that two
        approvals at once pay once."""
        self.check_access("write")
        self.lock_for_update()
        self.invalidate_recordset(["state"])
        self._check_approver()
        for compensation in self:
            payment, message = compensation._pay()
            compensation._write_facts(
                {
                    "state": "approved",
                    "approved_by_id": self.env.user.id,
                    "date_approved": fields.Datetime.now(),
                    **payment,
                }
            )
            compensation.ticket_id.message_post(body=message, subtype_xmlid="mail.mt_note")
        return True

    def _pay(self):
        """Pay an approved compensation: ({fact: value}, note for the complaint)."""
        self.ensure_one()
        move = self._create_credit_note()
        message = self.env._(
            "Compensation of %(amount)s approved by %(user)s: credit note %(move)s.",
            amount=self.amount,
            user=self.env.user.name,
            move=move.name,
        )
        return {"move_id": move.id}, message

    def _create_credit_note(self):
        """The posted credit note of this compensation. Written as superuser
        after the approver check: the approving manager need not be an
        accountant; only these values are written."""
        self.ensure_one()
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(Domain("company_id", "=", self.company_id.id) & Domain("type", "=", "sale"), limit=1)
        )
        if not journal.default_account_id:
            raise UserError(self.env._("Set up a sales journal with an income account to pay compensations."))
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.partner_id.id,
                    "journal_id": journal.id,
                    "invoice_origin": self.ticket_id.number,
                    "ref": self.env._("Compensation for complaint %(ticket)s", ticket=self.ticket_id.display_name),
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "name": self.env._("Goodwill compensation: %(reason)s", reason=self.reason),
                                "quantity": 1.0,
                                "price_unit": self.amount,
                                "account_id": journal.default_account_id.id,
                                "tax_ids": [fields.Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move
