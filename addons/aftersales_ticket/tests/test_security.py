"""Tickets can only be changed by the people and paths that own their facts.

Each abuse is tried by the role that would try it, through the path it would
use: ``with_user(...)`` on the model is what ``/web/dataset/call_kw`` runs, and
the HTTP tests call the JSON-RPC and portal routes themselves."""

import base64
import json
from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..const import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, SIGNATURE_MAX_BYTES
from ..write_rules import OPEN as OPEN_RULE
from ..write_rules import SYSTEM
from .common import AftersalesCommon, signature_png
from .test_portal import AftersalesPortalCommon, _png
from .test_ticket_flow import INCOMING_EMAIL

# Every stored field of aftersales.ticket defined by this addon (its own and
# those of the mail and portal mixins), and whether a portal user, a
# technician and an agent may write it: (portal, technician, agent).
OPEN = (False, True, True)
AGENT = (False, False, True)
NOBODY = (False, False, False)
TICKET_FIELDS = {
    "name": OPEN,
    "tag_ids": OPEN,
    "color": OPEN,
    "email_cc": OPEN,
    "partner_name": OPEN,
    "partner_phone": OPEN,
    "partner_email": OPEN,
    "partner_address": OPEN,
    "product_id": AGENT,  # intake: agents, then managers
    "lot_id": AGENT,  # intake: agents, then managers
    "description": OPEN,
    "fault_category_id": OPEN,
    "service_mode": OPEN,
    "appointment_date": OPEN,
    "estimated_hours": OPEN,
    "diagnosis": OPEN,
    "solution": OPEN,
    "stage_id": OPEN,
    "active": AGENT,
    "company_id": AGENT,
    "partner_id": AGENT,
    "purchase_date": AGENT,  # intake: agents, then managers
    "channel": AGENT,
    "urgency": AGENT,
    "category": AGENT,
    "required_level": AGENT,
    "team_id": AGENT,
    "technician_id": AGENT,
    "complaint_step": AGENT,
    "date_reported": NOBODY,  # a manager corrects it
    "number": NOBODY,
    "commercial_partner_id": NOBODY,
    "product_category_id": NOBODY,
    "priority_rank": NOBODY,
    "notice_log": NOBODY,
    "user_id": NOBODY,
    "milestone": NOBODY,
    "is_closed": NOBODY,
    "is_cancelled": NOBODY,
    "date_taken": NOBODY,
    "date_assigned": NOBODY,
    "date_first_response": NOBODY,
    "date_resolved": NOBODY,
    "date_diagnosis": NOBODY,
    "dispatch_data": NOBODY,
    "date_repair": NOBODY,
    "date_followup": NOBODY,
    "diagnosis_hours": NOBODY,
    "repair_hours": NOBODY,
    "followup_hours": NOBODY,
    "date_closed": NOBODY,
    "date_service_end": NOBODY,
    "response_hours": NOBODY,
    "resolution_hours": NOBODY,
    "acceptance_state": NOBODY,
    "acceptance_signature": NOBODY,
    "acceptance_signed_by": NOBODY,
    "acceptance_date": NOBODY,
    "refusal_reason": NOBODY,
    "rework_of_id": NOBODY,
    "rework_ids": NOBODY,
    "repeat_of_id": NOBODY,
    "duplicate_of_id": NOBODY,
    "is_repeat": NOBODY,
    "access_token": NOBODY,
    "message_ids": NOBODY,
    "message_follower_ids": NOBODY,
    "activity_ids": NOBODY,
    "website_message_ids": NOBODY,
    "complaint_technician_id": AGENT,
    "complaint_user_id": NOBODY,
    "acceptance_channel": NOBODY,
    "sender_unverified": NOBODY,
    "visit_state": NOBODY,
    "visit_confirmed_date": NOBODY,
    "visit_requested_date": NOBODY,
    "visit_request_note": NOBODY,
    "visit_reminder_date": NOBODY,
    "date_arrived": NOBODY,
    "date_departed": NOBODY,
}
MAGIC_FIELDS = {"id", "create_uid", "create_date", "write_uid", "write_date"}
# Fields another Odoo module adds to every mail thread when it is installed
# (``rating``, with live chat), written through that module's own API.
THREAD_PREFIXES = ("rating_",)


class WriteTableMixin:
    """Tries to write each stored field of a record (a ticket unless told),
    with its current value, as each role, and reports who got through."""

    # The model's write() checks the access rights before the write rules
    # (aftersales.team); the ticket checks its write rules first.
    write_access_first = False

    def _stored_fields(self, module, model="aftersales.ticket"):
        fields = self.env["ir.model.fields"].search([("model", "=", model)])
        return {
            field.name
            for field in fields
            if module in field.modules.split(", ")
            and field.name not in MAGIC_FIELDS
            and not field.name.startswith(THREAD_PREFIXES)
            and self.env[model]._fields[field.name].store
        }

    def _write_roles(self):
        """The users of the table's columns."""
        return (self.portal, self.tech_user_a, self.agent)

    def _expected_refusal(self, record, user, fname):
        """The refusal that must stop ``user`` writing ``fname``: the field's
        write rule when it refuses the user, else the model's access rights."""
        access = f"You are not allowed to modify '{record._description}' ({record._name}) records."
        if self.write_access_first and not record.with_user(user).has_access("write"):
            return access
        who = record._field_write_rules().get(fname, (OPEN_RULE, OPEN_RULE))[1]
        if who == SYSTEM:
            return "are set by the system and cannot be changed: "
        groups = (who,) if isinstance(who, str) else who
        if who != OPEN_RULE and not any(user.has_group(group) for group in groups):
            return "You are not allowed to set these fields of "
        return access

    def _may_write(self, record, user, fname):
        record = record.with_user(user)
        value = record._fields[fname].convert_to_write(record.sudo()[fname], record)
        try:
            with self.env.cr.savepoint():
                record.write({fname: value})
                record.env.flush_all()
        except AccessError as error:
            expected = self._expected_refusal(record, user, fname)
            self.assertIn(expected, str(error), f"{user.login} writing {fname} is refused by the wrong check")
            return False
        return True

    def _write_table(self, record, fnames):
        return {
            fname: tuple(self._may_write(record, user, fname) for user in self._write_roles())
            for fname in sorted(fnames)
        }


@tagged("post_install", "-at_install")
class TestWriteTable(WriteTableMixin, AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls.new_portal_user("as_write_portal", cls.customer_contact)

    def test_every_stored_field_takes_a_side(self):
        """Any addon adding a stored field to tickets must say who may write it."""
        rules = self.Ticket._field_write_rules()
        stored = {
            name
            for name, field in self.Ticket._fields.items()
            if field.store and name not in MAGIC_FIELDS and not name.startswith(THREAD_PREFIXES)
        }
        self.assertFalse(stored - set(rules), "stored ticket fields nobody classified in _field_write_rules()")

    def test_write_table(self):
        ticket = self.create_ticket(description="<p>Fan noise</p>")
        self.assertEqual(ticket.technician_id, self.tech_a, "technician A works on this ticket")
        self.assertEqual(set(TICKET_FIELDS), self._stored_fields("aftersales_ticket"), "the table lists every field")
        self.assertEqual(self._write_table(ticket, TICKET_FIELDS), TICKET_FIELDS)

    def test_manager_corrects_date_reported(self):
        ticket = self.create_ticket()
        self.env.flush_all()
        self.env.cr.precommit.run()  # the creation's transaction ends: later changes are tracked
        corrected = datetime(2026, 1, 5, 9, 30)
        as_manager = ticket.with_user(self.manager).with_context(tracking_disable=False, mail_notrack=False)
        as_manager.date_reported = corrected
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        self.assertEqual(ticket.date_reported, corrected)
        tracked = ticket.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "date_reported")
        self.assertEqual(len(tracked), 1, "the correction is tracked in the chatter")


@tagged("post_install", "-at_install")
class TestSystemFacts(AftersalesCommon):
    def test_technician_cannot_waive_or_fake_acceptance(self):
        ticket = self.create_ticket()
        ticket.stage_id = self.stage["acceptance"]
        as_tech = ticket.with_user(self.tech_user_a)
        for vals in (
            {"acceptance_state": "waived"},
            {"acceptance_state": "accepted", "acceptance_signed_by": "Me"},
            {"date_first_response": "2026-01-01 00:00:00"},
            {"number": "AS-FAKE"},
        ):
            with self.subTest(vals=vals):
                with self.assertRaises(AccessError) as caught:
                    as_tech.write(vals)
                self.assertRegex(str(caught.exception), "set by the system and cannot be changed")
        with self.assertRaisesRegex(UserError, "not accepted"):
            as_tech.stage_id = self.stage["archive"]
        self.assertEqual(ticket.acceptance_state, "pending")
        self.assertEqual(ticket.stage_id, self.stage["acceptance"])
        self.assertFalse(ticket.date_closed)
        with self.assertRaises(AccessError) as caught:
            as_tech.action_waive_acceptance()
        self.assertRegex(str(caught.exception), "Only an after-sales manager can waive")
        # the manager's action is the way
        ticket.with_user(self.manager).action_waive_acceptance()
        as_tech.stage_id = self.stage["archive"]
        self.assertTrue(ticket.date_closed)

    def test_no_ticket_born_closed_without_acceptance(self):
        Ticket = self.Ticket.with_user(self.agent)
        vals = {"name": "Closed at birth", "partner_id": self.customer.id, "team_id": self.team_sh.id}
        with self.assertRaisesRegex(UserError, "cannot be created closed"):
            Ticket.create({**vals, "stage_id": self.stage["archive"].id})
        with self.assertRaisesRegex(UserError, "cannot be created closed"):
            Ticket.with_context(default_stage_id=self.stage["archive"].id).create(vals)
        with self.assertRaises(AccessError) as caught:
            Ticket.create({**vals, "stage_id": self.stage["archive"].id, "acceptance_state": "waived"})
        self.assertRegex(str(caught.exception), "set by the system and cannot be changed")
        with self.assertRaises(AccessError) as caught:
            Ticket.with_context(default_acceptance_state="waived").create(vals)
        self.assertRegex(str(caught.exception), "set by the system and cannot be changed")
        self.assertFalse(self.Ticket.search([("name", "=", "Closed at birth")]))
        # a consultation needs no acceptance and may be logged closed
        done = Ticket.create({**vals, "category": "consultation", "stage_id": self.stage["archive"].id})
        self.assertTrue(done.date_closed)

    def test_technician_cannot_create_with_system_facts(self):
        Ticket = self.Ticket.with_user(self.tech_user_a)
        vals = {"name": "Field job", "partner_id": self.customer.id, "team_id": self.team_sh.id}
        facts = "set by the system and cannot be changed"
        agents_only = "You are not allowed to set these fields of .*: Date Reported"
        for extra, refusal in (
            ({"number": "AS-1"}, facts),
            ({"date_reported": "2020-01-01 08:00:00"}, agents_only),
            ({"rework_of_id": self.create_ticket(partner_id=self.other_customer.id).id}, facts),
            ({"date_closed": "2026-01-01 08:00:00"}, facts),
        ):
            with self.subTest(extra=extra):
                with self.assertRaises(AccessError) as caught:
                    Ticket.create({**vals, **extra})
                self.assertRegex(str(caught.exception), refusal)
        ticket = Ticket.create(vals)
        self.assertTrue(ticket.number.startswith("AS"), "the normal path still works")

    def test_technician_still_works_the_ticket(self):
        ticket = self.create_ticket()
        as_tech = ticket.with_user(self.tech_user_a)
        as_tech.write({"stage_id": self.stage["diagnose"].id, "diagnosis": "<p>Loose cable</p>"})
        as_tech.message_post(
            body="Photo of the board",
            attachments=[("board.png", _png())],
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertEqual(ticket.stage_id, self.stage["diagnose"])
        self.assertIn("Loose cable", ticket.diagnosis)
        self.assertEqual(ticket.message_ids[0].attachment_ids.name, "board.png")

    def test_acceptance_needs_a_signature_image(self):
        ticket = self.create_ticket()
        ticket.stage_id = self.stage["acceptance"]
        too_big = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * SIGNATURE_MAX_BYTES)
        for signature, name, refusal in (
            (None, "Li Wei", "signature is missing"),
            (base64.b64encode(b"<svg onload='alert(1)'/>"), "Li Wei", "signature is not a valid image"),
            (b"not base64 !!", "Li Wei", "signature is not a valid image"),
            (too_big, "Li Wei", "signature image is too large"),
            (signature_png(), "  ", "name of the person who signs is missing"),
            (signature_png(), "x" * 200, "signer's name may be at most"),
        ):
            # as the portal route calls it, once it checked the customer (test_trust)
            with self.subTest(name=name[:10], refusal=refusal):
                with self.assertRaises(ValidationError) as caught:
                    ticket.sudo().action_customer_accept(signature=signature, signed_by=name)
                self.assertRegex(str(caught.exception), refusal)
        self.assertEqual(ticket.acceptance_state, "pending")
        # the technician's device captures the customer's name and signature
        wizard = (
            self.env["aftersales.ticket.accept"]
            .with_user(self.tech_user_a)
            .create({"ticket_id": ticket.id, "signed_by": "Li Wei", "signature": signature_png()})
        )
        wizard.action_confirm()
        self.assertEqual(ticket.acceptance_state, "accepted")
        self.assertEqual(ticket.acceptance_signed_by, "Li Wei")
        self.assertEqual(ticket.stage_id, self.stage["followup"])

    def test_refusal_only_while_waiting_and_once(self):
        ticket = self.create_ticket()

        def refuse(reason):
            wizard = self.env["aftersales.ticket.refuse"].with_user(self.tech_user_a)
            return wizard.create({"ticket_id": ticket.id, "reason": reason}).action_confirm()

        with self.assertRaisesRegex(UserError, "not waiting"):
            refuse("Too early")
        ticket.stage_id = self.stage["acceptance"]
        rework = self.Ticket.browse(refuse("Still noisy")["res_id"])
        self.assertEqual(rework.rework_of_id, ticket)
        with self.assertRaisesRegex(UserError, "not waiting"):
            refuse("Again")
        self.assertEqual(len(ticket.rework_ids), 1, "one rework per refusal round")

    def test_input_limits(self):
        with self.assertRaises(ValidationError) as caught:
            self.create_ticket(name="x" * (NAME_MAX_LENGTH + 1))
        self.assertRegex(str(caught.exception), "subject may be at most")
        with self.assertRaises(ValidationError) as caught:
            self.create_ticket(description="<p>%s</p>" % ("y" * (DESCRIPTION_MAX_LENGTH + 1)))
        self.assertRegex(str(caught.exception), "fault description may be at most")
        with self.assertRaises(ValidationError) as caught:
            self.create_ticket(purchase_date="2999-01-01")
        self.assertRegex(str(caught.exception), "purchase date of .* is in the future")
        with self.assertRaises(ValidationError) as caught:
            self.create_ticket(date_reported="2999-01-01 00:00:00")
        self.assertRegex(str(caught.exception), "cannot be reported in the future")
        self.assertFalse(self.Ticket.search([("name", "like", "xxxxxxxxxx")]))


@tagged("post_install", "-at_install")
class TestRelationalNames(AftersalesCommon):
    def test_portal_never_reads_names_of_other_tickets(self):
        portal = self.new_portal_user("as_names_portal", self.customer_contact)
        other = self.create_ticket(name="Globex secret fault", partner_id=self.other_customer.id)
        own = self.create_ticket(lot_id=self.lot_laptop.id)
        # an earlier ticket of another owner on the same serial links both
        other_on_unit = self.create_ticket(
            name="Globex owned it before",
            partner_id=self.other_customer.id,
            lot_id=self.lot_laptop_2.id,
            date_reported=datetime.now() - timedelta(days=10),
        )
        mine_on_unit = self.create_ticket(lot_id=self.lot_laptop_2.id)
        self.assertEqual(mine_on_unit.duplicate_of_id, other_on_unit)
        own._write_facts({"rework_of_id": other.id})
        for fname in (
            "rework_of_id",
            "repeat_of_id",
            "duplicate_of_id",
            "rework_ids",
            "technician_id",
            "team_id",
            "tag_ids",
        ):
            with self.subTest(field=fname):
                with self.assertRaises(AccessError) as caught:
                    (own | mine_on_unit).with_user(portal).read([fname])
                self.assertRegex(str(caught.exception), "You do not have enough rights to access the field")
        # everything a relational field of the ticket shows the portal user is readable by them
        Ticket = self.Ticket.with_user(portal)
        readable = Ticket.fields_get(attributes=["type", "relation"])
        for fname, desc in readable.items():
            if desc["type"] in ("many2one", "many2many", "one2many") and self.Ticket._fields[fname].store:
                with self.subTest(field=fname):
                    allowed = self.env[desc["relation"]].with_user(portal).has_access("read")
                    self.assertTrue(
                        allowed or fname in ("product_id", "product_category_id", "lot_id"),
                        f"{fname} shows names of {desc['relation']} records to portal users",
                    )


@tagged("post_install", "-at_install")
class TestPortalAbuse(AftersalesPortalCommon):
    def _call_kw_refused(self, model, method, args):
        """Call the JSON-RPC route as the browser does; return the class and
        message of the error it answers (the test client keeps only the class)."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            json={
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": args, "kwargs": {}},
            },
        )
        error = response.json()["error"]["data"]
        return error["name"], error["message"]

    def test_portal_cannot_create_or_write_over_rpc(self):
        self.authenticate("as_portal", "as_portal")
        before = self._counts()
        forged = {
            "name": "Forged",
            "partner_id": self.customer_contact.id,
            "date_reported": "2020-01-01 00:00:00",
            "technician_id": self.tech_b.id,
            "number": "AS2099000001",
            "rework_of_id": self.other_ticket.id,
        }
        error, message = self._call_kw_refused("aftersales.ticket", "create", [forged])
        self.assertEqual(error, "odoo.exceptions.AccessError")
        # core's ACL refuses first: portal users create no ticket at all, forged or not
        self.assertIn("You are not allowed to create", message)
        error, message = self._call_kw_refused(
            "aftersales.ticket", "create", [{"name": "Plain", "partner_id": self.customer_contact.id}]
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertIn("You are not allowed to create", message)
        error, message = self._call_kw_refused(
            "aftersales.ticket", "write", [[self.own_ticket.id], {"name": "Renamed"}]
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertIn("You are not allowed to modify", message)
        error, message = self._call_kw_refused("aftersales.ticket", "read", [[self.own_ticket.id], ["rework_of_id"]])
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertIn("You do not have enough rights to access the field", message)
        self.assertEqual(self._counts(), before, "nothing written")
        self.assertEqual(self.own_ticket.name, "Laptop does not boot")

    def test_portal_form_creates_the_ticket_an_agent_would(self):
        self.company.aftersales_intake_team_id = self.team_sh
        self.authenticate("as_portal", "as_portal")
        response = self._post_new_ticket(
            {
                "name": "Portal: laptop does not boot",
                "description": "Black screen",
                "product_id": str(self.laptop.id),
                # fields the form does not offer are ignored
                "technician_id": str(self.tech_b.id),
                "date_reported": "2020-01-01 00:00:00",
                "number": "AS-FORGED",
            }
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.env["aftersales.ticket"].search([("name", "=", "Portal: laptop does not boot")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.team_sh, "the intake team")
        self.assertEqual(ticket.technician_id, self.tech_a, "dispatched by skill like an agent's ticket")
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.partner_id, self.customer_contact)
        self.assertTrue(ticket.number.startswith("AS"))
        self.assertGreater(ticket.date_reported, datetime(2026, 1, 1))
        self.assertEqual(ticket.create_uid, self.portal_user)

    def test_portal_serial_of_another_customer_is_kept_as_text(self):
        self.deliver(self.lot_laptop_2, self.other_customer)
        self.authenticate("as_portal", "as_portal")
        for name, serial in (("Their serial", self.lot_laptop_2.name), ("Unsold serial", self.lot_laptop.name)):
            self._post_new_ticket(
                {"name": name, "description": "Broken", "product_id": str(self.laptop.id), "serial": serial}
            )
        theirs = self.env["aftersales.ticket"].search([("name", "=", "Their serial")])
        self.assertFalse(theirs.lot_id, "a serial delivered to another customer is not linked")
        self.assertIn(self.lot_laptop_2.name, theirs.description, "it is kept as text for an agent")
        self.assertFalse(theirs.purchase_date, "and gives no purchase date")
        unsold = self.env["aftersales.ticket"].search([("name", "=", "Unsold serial")])
        self.assertEqual(unsold.lot_id, self.lot_laptop, "a serial never delivered is linked")
        # an agent linking the serial to the wrong customer's ticket gets no purchase date either
        self.assertFalse(self.create_ticket(lot_id=self.lot_laptop_2.id).purchase_date)
        theirs = self.create_ticket(partner_id=self.other_customer.id, lot_id=self.lot_laptop_2.id)
        self.assertTrue(theirs.purchase_date)

    def test_internal_photos_stay_internal(self):
        ticket = self.own_ticket
        ticket.message_post(
            body="Internal: board photo",
            attachments=[("internal-board.png", _png(color="green"))],
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        ticket.message_post(
            body="Here is the replaced part",
            attachments=[("replaced-part.png", _png(color="blue"))],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        internal = ticket.message_ids.attachment_ids.filtered(lambda a: a.name == "internal-board.png")
        shared = ticket.message_ids.attachment_ids.filtered(lambda a: a.name == "replaced-part.png")
        self.authenticate("as_portal", "as_portal")
        page = self.url_open(f"/my/tickets/{ticket.id}").text
        self.assertIn("replaced-part.png", page)
        self.assertNotIn("internal-board.png", page)
        self.assertFalse(internal.access_token, "no download link was made for the internal photo")
        self.assertEqual(self.url_open(f"/web/content/{internal.id}").status_code, 404)
        # the token link, logged out, shows the same
        self.logout()
        page = self.url_open(f"/my/tickets/{ticket.id}?access_token={ticket._portal_ensure_token()}").text
        self.assertIn("replaced-part.png", page)
        self.assertNotIn("internal-board.png", page)
        self.assertEqual(self.url_open(f"/web/content/{shared.id}?access_token={shared.access_token}").status_code, 200)
        # the portal chatter with the token lists only the shared message's file
        result = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": ticket._name, "thread_id": ticket.id, "token": ticket.access_token},
        )
        fetched = json.dumps(result)
        self.assertIn("replaced-part.png", fetched)
        self.assertNotIn("internal-board.png", fetched)

    def test_portal_upload_and_limits(self):
        self.authenticate("as_portal", "as_portal")
        before = self._counts()
        response = self._post_new_ticket({"name": "x" * (NAME_MAX_LENGTH + 1), "description": "Broken"})
        self.assertIn("at most", response.text)
        self.assertEqual(self._counts(), before)
        response = self._post_new_ticket(
            {"name": "With photo", "description": "Broken"}, [("attachments", ("f.png", _png()))]
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.env["aftersales.ticket"].search([("name", "=", "With photo")])
        self.assertEqual(ticket.message_ids.attachment_ids.mapped("name"), ["f.png"])
        page = self.url_open(f"/my/tickets/{ticket.id}").text
        self.assertIn("f.png", page, "the customer's own upload is on their page")


@tagged("post_install", "-at_install")
class TestEmailIntake(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_sh.alias_domain_id = cls.env["mail.alias.domain"].create({"name": "intake.example.com"})
        cls.known = cls.env["res.partner"].create({"name": "Known Buyer", "email": "known@customer.example"})
        cls.team_sh.alias_contact = "everyone"  # opened: the default is known contacts (test_trust)

    def _mail(self, email_from, subject):
        raw = INCOMING_EMAIL.format(
            email_from=email_from, to="service-shanghai@intake.example.com", subject=subject, msg_id=subject
        )
        self.env["mail.thread"].sudo().message_process(False, raw)
        return self.Ticket.search([("name", "=", subject)])

    def test_open_alias_keeps_unknown_senders_out_of_contacts(self):
        self.assertEqual(self.team_sh.alias_contact, "everyone")
        self.assertFalse(self.team_sh.alias_create_partner)
        partners = self.env["res.partner"].search_count([])
        ticket = self._mail("stranger@spam.example", "Unknown1")
        self.assertEqual(len(ticket), 1)
        self.assertFalse(ticket.partner_id)
        self.assertIn("stranger@spam.example", ticket.partner_email)
        self.assertFalse(ticket.technician_id, "waits for an agent to qualify it")
        self.assertEqual(self.env["res.partner"].search_count([]), partners, "no contact created")
        known = self._mail("known@customer.example", "Known1")
        self.assertEqual(known.partner_id, self.known)
        self.assertIn(self.known, known.message_partner_ids)
        self.assertTrue(known.technician_id, "a known customer's ticket is dispatched")

    def test_team_creates_contacts_when_asked(self):
        self.team_sh.alias_create_partner = True
        ticket = self._mail("newcomer@customer.example", "Unknown2")
        self.assertEqual(ticket.partner_id.email, "newcomer@customer.example")
        self.assertIn(ticket.partner_id, ticket.message_partner_ids)

    def test_known_contacts_only(self):
        self.team_sh.alias_contact = "partners"
        self.assertFalse(self._mail("stranger@spam.example", "Unknown3"), "unknown sender bounced")
        self.assertEqual(len(self._mail("known@customer.example", "Known3")), 1)

    def test_followers_only(self):
        self.team_sh.alias_contact = "followers"
        self.assertFalse(self._mail("known@customer.example", "Known4"), "not a follower of the team")
        self.team_sh.message_subscribe(partner_ids=self.known.ids)
        self.assertEqual(len(self._mail("known@customer.example", "Known5")), 1)

    def test_settings_on_the_team(self):
        self.team_sh.with_user(self.manager).write({"alias_contact": "partners", "alias_create_partner": True})
        self.assertEqual(self.team_sh.alias_id.alias_contact, "partners")
        with self.assertRaises(AccessError) as caught:
            self.team_sh.with_user(self.agent).write({"alias_contact": "everyone"})
        self.assertRegex(str(caught.exception), "You are not allowed to modify")


@tagged("post_install", "-at_install")
class TestAgentStillWorks(AftersalesCommon):
    def test_agent_dispatches_and_classifies(self):
        ticket = self.create_ticket(technician_id=False)
        as_agent = ticket.with_user(self.agent)
        as_agent.write({"urgency": "emergency", "category": "special_repair", "team_id": self.team_sh.id})
        as_agent.write({"technician_id": self.tech_b.id})
        self.assertEqual(ticket.technician_id, self.tech_b)
        self.assertTrue(ticket.date_assigned, "assignment stamped by the system")
        with self.assertRaises(AccessError) as caught:
            ticket.with_user(self.tech_user_b).write({"technician_id": self.tech_a.id})
        self.assertRegex(str(caught.exception), "You are not allowed to set these fields")
        with self.assertRaises(AccessError) as caught:
            ticket.with_user(self.tech_user_b).write({"urgency": "general"})
        self.assertRegex(str(caught.exception), "You are not allowed to set these fields")
