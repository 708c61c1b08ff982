from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import AGENT, FACT
from odoo.exceptions import UserError

COMPENSATION_KINDS = [("amount", "Goodwill amount (credit note)"), ("coupon", "Coupon")]


class AftersalesQualityCompensation(models.Model):
    """A compensation paid as a coupon: a card of the company's goodwill
    coupon program (Odoo's Coupons & Loyalty), for the customer, worth the
    amount, issued once when a manager approves."""

    _inherit = "aftersales.quality.compensation"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    kind = fields.Selection(
        COMPENSATION_KINDS,
        string="Paid As",
        default="amount",
        required=True,
        tracking=True,
        help="A goodwill amount is paid as a posted credit note; a coupon is issued to the customer as a card "
        "of the goodwill coupon program, worth the amount.",
    )
    coupon_id = fields.Many2one("loyalty.card", string="Coupon", readonly=True, copy=False, index="btree_not_null")
    coupon_code = fields.Char(related="coupon_id.code", string="Coupon Code")

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), "kind": (AGENT, AGENT), "coupon_id": FACT}

    def _pay(self):
        if self.kind != "coupon":
            return super()._pay()
        card = self._create_coupon()
        message = self.env._(
            "Compensation of %(amount)s approved by %(user)s: coupon %(code)s issued to %(customer)s.",
            amount=self.amount,
            user=self.env.user.name,
            code=card.code,
            customer=self.partner_id.display_name,
        )
        return {"coupon_id": card.id}, message

    def _create_coupon(self):
        """The customer's coupon card, worth the amount: points = amount /
        the program's discount per point. Written as superuser after the
        approver check (the approver need not manage the loyalty programs);
        loyalty sends the card to the customer with its own template."""
        self.ensure_one()
        program = self.company_id.sudo()._aftersales_coupon_program()
        reward = program._aftersales_coupon_reward()
        if not reward:
            raise UserError(
                self.env._(
                    "The goodwill coupon program %(program)s has no discount valued per point.",
                    program=program.display_name,
                )
            )
        points = self.currency_id.round(self.amount / reward.discount)
        card = (
            self.env["loyalty.card"]
            .sudo()
            .with_company(self.company_id)
            .create({"program_id": program.id, "partner_id": self.partner_id.id, "points": points})
        )
        self.env["loyalty.history"].sudo().create(
            {
                "card_id": card.id,
                "issued": points,
                "description": self.env._("Compensation for complaint %(ticket)s", ticket=self.ticket_id.display_name),
            }
        )
        return card
