from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import QualityCommon


@tagged("post_install", "-at_install")
class TestCompensationCoupon(QualityCommon):
    """Issue 20: a compensation may be a coupon instead of a goodwill amount.
    Approved by a manager, the customer gets one card of the company's
    goodwill coupon program (Odoo's Coupons & Loyalty) worth the amount,
    linked to the complaint, never two."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls.create_ticket(category="complaint", name="Waited three days, rude answer")
        cls.Compensation = cls.env["aftersales.quality.compensation"]
        cls.Card = cls.env["loyalty.card"]

    def propose(self, amount=150.0):
        compensation = self.Compensation.with_user(self.agent).create(
            {
                "ticket_id": self.complaint.id,
                "kind": "coupon",
                "amount": amount,
                "reason": "Three days without a call back",
            }
        )
        compensation.action_submit()
        return compensation

    def cards(self):
        return self.Card.search([("partner_id", "=", self.customer.id)])

    def test_approved_coupon_gives_the_customer_one_card_worth_the_amount(self):
        compensation = self.propose()
        # only a manager approves: the RPC path is the model method
        with self.assertRaises(UserError) as caught:
            compensation.with_user(self.agent).action_approve()
        self.assertIn("Only an after-sales manager or a quality manager approves", str(caught.exception))
        with self.assertRaises(AccessError):
            compensation.with_user(self.tech_user_a).action_approve()
        self.assertFalse(self.cards(), "no coupon before the approval")
        compensation.with_user(self.manager).action_approve()
        card = compensation.coupon_id
        self.assertEqual(self.cards(), card, "one card for the customer")
        self.assertEqual(card.program_id.program_type, "coupons")
        self.assertEqual(card.program_id, self.company.aftersales_coupon_program_id)
        reward = card.program_id._aftersales_coupon_reward()
        self.assertAlmostEqual(card.points * reward.discount, 150.0, msg="the card is worth the amount")
        self.assertEqual(card.partner_id, self.customer)
        self.assertIn(
            self.complaint.display_name, card.history_ids.description, "the card's history names the complaint"
        )
        self.assertEqual(self.Compensation.search([("coupon_id", "=", card.id)]).ticket_id, self.complaint)
        self.assertFalse(compensation.move_id, "a coupon is not a credit note")
        self.assertEqual((compensation.state, compensation.approved_by_id), ("approved", self.manager))
        self.assertIn(card.code, self.complaint.message_ids[0].body)
        self.assertEqual(compensation.coupon_code, card.code)
        # approved again, by the same or another manager: refused, still one card
        for approver in (self.manager, self.quality_manager):
            with self.assertRaises(UserError) as caught:
                compensation.with_user(approver).action_approve()
            self.assertIn("waiting for approval", str(caught.exception))
        self.assertEqual(self.cards(), card)
        # the coupon is a fact
        with self.assertRaises(AccessError) as caught:
            compensation.with_user(self.manager).write({"coupon_id": False})
        self.assertIn("set by the system", str(caught.exception))

    def test_the_company_program_sets_the_points(self):
        """A program worth 2 per point: a compensation of 150 is a card of 75 points."""
        program = self.env["loyalty.program"].create(
            {
                "name": "VIP apology",
                "program_type": "coupons",
                "company_id": self.company.id,
                "reward_ids": [
                    (
                        0,
                        0,
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_point",
                            "discount": 2.0,
                            "required_points": 1,
                        },
                    )
                ],
            }
        )
        self.company.aftersales_coupon_program_id = program
        compensation = self.propose()
        compensation.with_user(self.quality_manager).action_approve()
        self.assertEqual((compensation.coupon_id.program_id, compensation.coupon_id.points), (program, 75.0))
        # a program without a value per point cannot carry goodwill coupons
        percent = self.env["loyalty.program"].create(
            {"name": "10 % off", "program_type": "coupons", "company_id": self.company.id}
        )
        with self.assertRaises(ValidationError) as caught:
            self.company.aftersales_coupon_program_id = percent
        self.assertIn("valued per point", str(caught.exception))

    def test_refused_coupon_issues_nothing_and_amount_stays_a_credit_note(self):
        compensation = self.propose()
        compensation.with_user(self.manager).action_refuse()
        self.assertFalse(compensation.coupon_id)
        self.assertFalse(self.cards())
        with self.assertRaises(UserError) as caught:
            compensation.with_user(self.agent).write({"kind": "amount"})
        self.assertIn("Only a draft compensation", str(caught.exception))
        amount = self.Compensation.with_user(self.agent).create(
            {"ticket_id": self.complaint.id, "amount": 80.0, "reason": "Late technician"}
        )
        self.assertEqual(amount.kind, "amount", "a goodwill amount unless told otherwise")
        amount.action_submit()
        amount.with_user(self.manager).action_approve()
        self.assertEqual(amount.move_id.state, "posted")
        self.assertFalse(amount.coupon_id)
        self.assertFalse(self.cards())
