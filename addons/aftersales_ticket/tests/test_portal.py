import base64
import io
import os

from PIL import Image

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..controllers.portal import MAX_UPLOAD_SIZE
from .common import AftersalesCommon


def _png(size=(4, 4), color="red"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


class AftersalesPortalCommon(AftersalesCommon, HttpCase):
    """The fixtures of AftersalesCommon, served over HTTP, with one portal user
    per customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls.new_portal_user("as_portal", cls.customer_contact, name="Li Wei")
        cls.other_portal_partner = cls.env["res.partner"].create(
            {"name": "Globex Buyer", "parent_id": cls.other_customer.id, "email": "buyer@globex.example"}
        )
        cls.other_portal_user = cls.new_portal_user("as_portal_other", cls.other_portal_partner, name="Globex Buyer")
        cls.own_ticket = cls.create_ticket(name="Laptop does not boot", lot_id=cls.lot_laptop.id)
        cls.other_ticket = cls.create_ticket(name="Globex printer jams", partner_id=cls.other_customer.id)
        cls.to_accept = cls.create_ticket(name="Screen flickers", lot_id=cls.lot_laptop_2.id)
        cls.to_accept.stage_id = cls.stage["acceptance"]

    def _counts(self):
        return (
            self.env["aftersales.ticket"].sudo().search_count([]),
            self.env["ir.attachment"].sudo().search_count([("res_model", "=", "aftersales.ticket")]),
        )

    def _post_new_ticket(self, data, files=None):
        payload = {"csrf_token": http.Request.csrf_token(self), **data}
        return self.url_open("/my/tickets/new", data=payload, files=files or [], allow_redirects=False)


@tagged("post_install", "-at_install")
class TestPortal(AftersalesPortalCommon):
    def test_portal_list_and_detail(self):
        self.authenticate("as_portal", "as_portal")
        response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own_ticket.name, response.text)
        self.assertNotIn(self.other_ticket.name, response.text)

        response = self.url_open("/my/tickets?filterby=closed&sortby=stage")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.own_ticket.name, response.text, "an open ticket is not in the closed filter")

        response = self.url_open(f"/my/tickets/{self.own_ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own_ticket.number, response.text)
        self.assertIn(self.lot_laptop.name, response.text)
        self.assertIn("o_portal_chatter", response.text)

        home = self.make_jsonrpc_request("/my/counters", {"counters": ["ticket_count"]})
        self.assertEqual(home["ticket_count"], 2)

    def test_portal_other_customer_refused(self):
        self.authenticate("as_portal", "as_portal")
        response = self.url_open(f"/my/tickets/{self.other_ticket.id}", allow_redirects=False)
        self.assertIn(response.status_code, (303, 403, 404))
        self.assertNotIn(self.other_ticket.name, response.text)
        # Nor can the customer act on it, even at the step where its own
        # customer could refuse the work.
        self.other_ticket.stage_id = self.stage["acceptance"]
        self.assertTrue(self.other_ticket.can_customer_decide)
        response = self.url_open(
            f"/my/tickets/{self.other_ticket.id}/refuse",
            data={"csrf_token": http.Request.csrf_token(self), "reason": "Not fixed"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.other_ticket.acceptance_state, "pending")
        self.assertFalse(self.other_ticket.rework_ids)

    def test_portal_access_token(self):
        token = self.other_ticket._portal_ensure_token()
        response = self.url_open(f"/my/tickets/{self.other_ticket.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.other_ticket.name, response.text)

        response = self.url_open(f"/my/tickets/{self.other_ticket.id}?access_token=wrong-token", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(self.other_ticket.name, response.text)
        response = self.url_open(f"/my/tickets/{self.other_ticket.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)

    def test_portal_create_ticket(self):
        self.authenticate("as_portal", "as_portal")
        response = self.url_open("/my/tickets/new")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.laptop.name, response.text)

        response = self._post_new_ticket(
            {
                "name": "Keyboard keys stuck",
                "description": "Several keys stay pressed.\nSince yesterday.",
                "product_id": str(self.laptop.id),
                "serial": self.lot_laptop.name,
            },
            files=[
                ("attachments", ("keyboard.png", _png(), "image/png")),
                ("attachments", ("invoice.pdf", b"%PDF-1.4\n%fake pdf\n", "application/pdf")),
            ],
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.Ticket.search([("name", "=", "Keyboard keys stuck")])
        self.assertEqual(len(ticket), 1)
        self.assertTrue(response.headers["Location"].endswith(f"/my/tickets/{ticket.id}?message=created"))
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.partner_id, self.customer_contact)
        self.assertEqual(ticket.product_id, self.laptop)
        self.assertEqual(ticket.lot_id, self.lot_laptop)
        self.assertIn("Since yesterday", ticket.description)
        self.assertEqual(ticket.create_uid, self.portal_user, "the ticket is created with the portal user's rights")
        attachments = self.env["ir.attachment"].search([("res_model", "=", ticket._name), ("res_id", "=", ticket.id)])
        self.assertEqual(sorted(attachments.mapped("name")), ["invoice.pdf", "keyboard.png"])
        self.assertEqual(sorted(attachments.mapped("mimetype")), ["application/pdf", "image/png"])

        # The customer finds it in the list and opens it.
        response = self.url_open(f"/my/tickets/{ticket.id}?message=created")
        self.assertEqual(response.status_code, 200)
        self.assertIn("keyboard.png", response.text)

    def test_portal_create_ticket_refused_uploads(self):
        self.authenticate("as_portal", "as_portal")
        values = {"name": "Broken hinge", "description": "The hinge cracked."}
        cases = [
            ("a text file", [("attachments", ("notes.txt", b"just some text\n", "text/plain"))]),
            (
                "an executable named like a photo",
                [("attachments", ("photo.png", b"MZ\x90\x00\x03" + b"\x00" * 200, "image/png"))],
            ),
            (
                "an svg image",
                [("attachments", ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"))],
            ),
            (
                "an oversized photo",
                [
                    ("attachments", ("ok.png", _png(), "image/png")),
                    ("attachments", ("huge.png", _png() + os.urandom(MAX_UPLOAD_SIZE), "image/png")),
                ],
            ),
            ("too many files", [("attachments", (f"p{i}.png", _png(), "image/png")) for i in range(11)]),
        ]
        before = self._counts()
        for label, files in cases:
            with self.subTest(label):
                response = self._post_new_ticket(values, files=files)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_aftersales_form_error", response.text)
                self.assertIn("Broken hinge", response.text, "the form keeps what the customer typed")
                self.assertEqual(self._counts(), before, "no ticket and no attachment is written")

        for data in ({"name": " ", "description": "x"}, {"name": "Subject", "description": ""}):
            response = self._post_new_ticket(data, files=[("attachments", ("ok.png", _png(), "image/png"))])
            self.assertEqual(response.status_code, 200)
            self.assertIn("Give a subject and describe the fault.", response.text)
            self.assertEqual(self._counts(), before)

    def test_portal_accept_with_signature(self):
        self.authenticate("as_portal", "as_portal")
        response = self.url_open(self.to_accept.access_url)
        self.assertIn("modal_aftersales_accept", response.text)
        self.assertNotIn(
            "modal_aftersales_accept",
            self.url_open(self.own_ticket.access_url).text,
            "only a ticket waiting for acceptance can be signed",
        )
        # A ticket that is not in the acceptance stage cannot be signed.
        result = self.make_jsonrpc_request(
            f"/my/tickets/{self.own_ticket.id}/accept",
            {"name": "Li Wei", "signature": base64.b64encode(_png()).decode()},
        )
        self.assertIn("error", result)
        self.assertEqual(self.own_ticket.acceptance_state, "pending")

        signature = base64.b64encode(_png((60, 20), "blue")).decode()
        result = self.make_jsonrpc_request(
            f"/my/tickets/{self.to_accept.id}/accept", {"name": "Li Wei", "signature": signature}
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.to_accept.invalidate_recordset()
        self.assertEqual(self.to_accept.acceptance_state, "accepted")
        self.assertEqual(self.to_accept.acceptance_signed_by, "Li Wei")
        self.assertTrue(self.to_accept.acceptance_signature)
        self.assertEqual(self.to_accept.milestone, "followup")

    def test_portal_accept_other_customer(self):
        self.authenticate("as_portal_other", "as_portal_other")
        result = self.make_jsonrpc_request(
            f"/my/tickets/{self.to_accept.id}/accept",
            {"name": "Intruder", "signature": base64.b64encode(_png()).decode()},
        )
        self.assertIn("error", result)
        self.assertEqual(self.to_accept.acceptance_state, "pending")

    def test_portal_refuse_opens_rework(self):
        self.authenticate("as_portal", "as_portal")
        response = self.url_open(
            f"/my/tickets/{self.to_accept.id}/refuse",
            data={"csrf_token": http.Request.csrf_token(self), "reason": "The screen still flickers"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.to_accept.invalidate_recordset()
        self.assertEqual(self.to_accept.acceptance_state, "refused")
        self.assertEqual(self.to_accept.refusal_reason, "The screen still flickers")
        rework = self.to_accept.rework_ids
        self.assertEqual(len(rework), 1)
        self.assertEqual(rework.rework_of_id, self.to_accept)
        self.assertEqual(rework.partner_id, self.customer)
        # The customer sees the rework ticket in their list.
        self.assertIn(rework.number, self.url_open("/my/tickets").text)

    def test_portal_list_query_count(self):
        self.Ticket.create(
            [
                {"name": f"Batch fault {i}", "partner_id": self.customer.id, "product_id": self.laptop.id}
                for i in range(20)
            ]
        )
        self.authenticate("as_portal", "as_portal")
        self.url_open("/my/tickets")  # warm the caches (views, routing, ACLs)
        self.env.invalidate_all()
        # Measured: 19 queries with 22 tickets (count, search, products, stages, layout).
        with self.assertQueryCount(21):
            response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text.count("o_aftersales_portal_ticket_row"), 22)


@tagged("post_install", "-at_install")
class TestPortalTour(AftersalesPortalCommon):
    def test_portal_tour(self):
        self.start_tour("/my", "aftersales_portal_tour", login="as_portal")

        created = self.Ticket.search([("name", "=", "Printer makes a loud noise")])
        self.assertEqual(len(created), 1)
        self.assertEqual(created.channel, "portal")
        self.assertEqual(created.partner_id, self.customer_contact)
        self.assertEqual(created.product_id, self.printer)

        self.to_accept.invalidate_recordset()
        self.assertEqual(self.to_accept.acceptance_state, "accepted")
        self.assertEqual(self.to_accept.acceptance_signed_by, "Li Wei")
        self.assertTrue(self.to_accept.acceptance_signature)


@tagged("post_install", "-at_install")
class TestPortalRouting(AftersalesPortalCommon):
    def test_portal_ticket_is_routed_and_dispatched(self):
        """The routing rules give the team (printers of Zhejiang customers go
        to Hangzhou), then auto-dispatch gives a technician of that team."""
        china = self.env.ref("base.cn")
        zhejiang = self.env["res.country.state"].create(
            {"name": "Zhejiang (test)", "code": "T-ZJ", "country_id": china.id}
        )
        self.customer.write({"country_id": china.id, "state_id": zhejiang.id})
        self.team_hz.auto_dispatch = True
        self.tech_c.product_category_ids |= self.categ_printer
        Rule = self.env["aftersales.routing.rule"]
        Rule.create({"sequence": 1, "product_category_id": self.categ_laptop.id, "team_id": self.team_sh.id})
        Rule.create({"sequence": 2, "state_ids": [(4, zhejiang.id)], "team_id": self.team_hz.id})
        Rule.create({"sequence": 3, "team_id": self.team_sh.id})
        self.authenticate("as_portal", "as_portal")
        response = self._post_new_ticket(
            {"name": "Paper jam", "description": "Jams on every page.", "product_id": str(self.printer.id)}
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.Ticket.search([("name", "=", "Paper jam")])
        self.assertEqual(ticket.team_id, self.team_hz, "Zhejiang customer: the regional rule")
        self.assertEqual(ticket.technician_id, self.tech_c, "dispatched like any other ticket")
        # a laptop matches the category rule first; another region falls to the default rule
        self.assertEqual(self.Ticket._route_team(self.customer_contact, self.laptop), self.team_sh)
        self.assertEqual(self.Ticket._route_team(self.other_customer, self.printer), self.team_sh)

    def test_email_to_catch_all_is_routed(self):
        Rule = self.env["aftersales.routing.rule"]
        Rule.create({"team_id": self.team_hz.id})
        ticket = self.Ticket.message_new(
            {
                "subject": "Printer broken",
                "body": "<p>Help</p>",
                "author_id": self.customer.id,
                "email_from": self.customer.email,
            }
        )
        self.assertEqual(ticket.team_id, self.team_hz)
        self.assertEqual(ticket.channel, "email")

    def test_only_managers_write_rules(self):
        with self.assertRaises(AccessError) as caught:
            self.env["aftersales.routing.rule"].with_user(self.agent).create({"team_id": self.team_sh.id})
        self.assertRegex(str(caught.exception), "You are not allowed to create")
