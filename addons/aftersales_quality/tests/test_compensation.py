from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import QualityCommon


@tagged("post_install", "-at_install")
class TestCompensation(QualityCommon):
    """Issue 20, must show 5: a compensation approved by a manager is paid as
    a posted credit note linked to the complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls.create_ticket(category="complaint", name="Waited three days, rude answer")
        cls.Compensation = cls.env["aftersales.quality.compensation"]

    def propose(self, amount=200.0):
        compensation = self.Compensation.with_user(self.agent).create(
            {"ticket_id": self.complaint.id, "amount": amount, "reason": "Three days without a call back"}
        )
        compensation.action_submit()
        return compensation

    def test_approved_compensation_posts_a_credit_note(self):
        compensation = self.propose()
        self.assertEqual(compensation.partner_id, self.customer)
        with self.assertRaises(UserError) as caught:
            compensation.action_approve()
        self.assertIn("Only an after-sales manager or a quality manager", str(caught.exception))
        compensation.with_user(self.manager).action_approve()
        move = compensation.move_id
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.partner_id, self.customer)
        self.assertAlmostEqual(move.amount_total, 200.0)
        self.assertEqual(move.invoice_origin, self.complaint.number)
        self.assertEqual((compensation.state, compensation.approved_by_id), ("approved", self.manager))
        self.assertIn("credit note", self.complaint.message_ids[0].body)
        self.assertEqual(self.complaint.aftersales_compensation_ids, compensation)
        with self.assertRaises(UserError) as caught:
            compensation.with_user(self.manager).write({"amount": 1000.0})
        self.assertIn("Only a draft compensation", str(caught.exception))
        with self.assertRaises(UserError) as caught:
            compensation.with_user(self.manager).action_approve()
        self.assertIn("waiting for approval", str(caught.exception))

    def test_refused_compensation_pays_nothing(self):
        compensation = self.propose()
        compensation.with_user(self.quality_manager).action_refuse()
        self.assertEqual(compensation.state, "refused")
        self.assertFalse(compensation.move_id)

    def test_facts_and_bad_input(self):
        with self.assertRaises(ValidationError) as caught:
            self.propose(amount=-5)
        self.assertIn("must be positive", str(caught.exception))
        repair = self.unit_ticket()
        with self.assertRaises(ValidationError) as caught:
            self.Compensation.with_user(self.agent).create({"ticket_id": repair.id, "amount": 5, "reason": "x"})
        self.assertIn("is not a complaint", str(caught.exception))
        compensation = self.propose()
        with self.assertRaises(AccessError) as caught:
            compensation.with_user(self.manager).write({"state": "approved"})
        self.assertIn("set by the system", str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            compensation.with_user(self.tech_user_a).write({"amount": 1})
        self.assertIn("not allowed", str(caught.exception))
