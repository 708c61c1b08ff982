"""What decides the tier and 三包 stays with the service team (issue 16):
hidden from the customer's reads, changed by managers once the work started,
and no employee outside after-sales decides for the customer on the portal."""

from odoo import http
from odoo.addons.aftersales_ticket.tests.common import signature_png
from odoo.addons.aftersales_ticket.tests.test_portal import AftersalesPortalCommon
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesSlaCommon

INTERNAL_FIELDS = (
    "purchase_price",
    "purchase_date",
    "sla_tier_origin",
    "sla_tier_reason",
    "warranty_end_date",
    "warranty_state",
    "entitlement",
    "entitlement_data",
    "entitlement_reason",
)


@tagged("post_install", "-at_install")
class TestSlaPrivacy(AftersalesPortalCommon, AftersalesSlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls.new_user("as_billing", "account.group_account_invoice")
        cls.own_ticket.write({"purchase_date": "2026-01-10", "purchase_price": 4321.0})

    def test_portal_reads_no_tier_or_entitlement_data(self):
        ticket = self.own_ticket.with_user(self.portal_user)
        self.assertTrue(self.own_ticket.entitlement_reason, "there is a reason to hide")
        for fname in INTERNAL_FIELDS:
            with (
                self.subTest(field=fname),
                self.refused(AccessError, f'You do not have enough rights to access the field "{fname}"'),
            ):
                ticket.read([fname])
        # the customer's report stays readable, and the portal pages still render
        self.assertEqual(ticket.read(["diagnosis", "solution"])[0]["id"], ticket.id)
        self.authenticate("as_portal", "as_portal")
        page = self.url_open(f"/my/tickets/{self.own_ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.own_ticket.number, page.text)
        self.assertNotIn("4321", page.text)
        self.assertEqual(self.url_open("/my/tickets").status_code, 200)
        # the team still reads them
        self.assertEqual(
            self.own_ticket.with_user(self.tech_user_a).read(["purchase_price"])[0]["purchase_price"], 4321
        )

    def test_technician_cannot_flip_paid_and_free(self):
        ticket = self.create_sla_ticket(technician_id=self.tech_a.id)
        ticket.stage_id = self.stage["repair"]
        as_tech = ticket.with_user(self.tech_user_a)
        for vals in (
            {"purchase_price": 1.0},
            {"purchase_date": "2026-01-01"},
            {"lot_id": self.lot_laptop.id},
            {"product_id": self.printer.id},
            {"sla_tier_id": self.tier_vip.id},
        ):
            with (
                self.subTest(vals=vals),
                self.refused(AccessError, "You are not allowed to set these fields"),
            ):
                as_tech.write(vals)
            # after intake, the agent neither
            with (
                self.subTest(vals=vals, user="agent"),
                self.refused(AccessError, "You are not allowed to set these fields"),
            ):
                ticket.with_user(self.agent).write(vals)
        ticket.with_user(self.manager).write({"purchase_price": 1.0, "sla_tier_id": self.tier_vip.id})
        self.assertEqual(ticket.sla_tier_id, self.tier_vip)

    def test_billing_user_cannot_decide_for_the_customer(self):
        self.authenticate("as_billing", "as_billing")
        result = self.make_jsonrpc_request(
            f"/my/tickets/{self.to_accept.id}/accept", {"name": "Billing", "signature": signature_png().decode()}
        )
        self.assertIn("error", result)
        self.url_open(
            f"/my/tickets/{self.to_accept.id}/refuse",
            data={"csrf_token": http.Request.csrf_token(self), "reason": "Refused by billing"},
            allow_redirects=False,
        )
        self.assertEqual(self.to_accept.acceptance_state, "pending")
        self.assertFalse(self.to_accept.rework_ids)
        with self.refused(AccessError, "Only the customer can accept or refuse the work"):
            self.to_accept.with_user(self.billing).action_customer_accept(signature=signature_png(), signed_by="B")
