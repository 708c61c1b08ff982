from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestFactsNeedTheSystemPath(AftersalesCommon):
    """A fact is written only through ``_write_facts()``: a portal route or a
    job that writes values with a plain ``sudo()`` cannot be made to set one,
    whatever the values it was handed."""

    def test_plain_sudo_does_not_write_facts(self):
        ticket = self.create_ticket()
        for vals in ({"acceptance_state": "accepted"}, {"date_closed": "2026-01-01 00:00:00"}, {"number": "X1"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "set by the system"):
                ticket.sudo().write(vals)
        with self.assertRaisesRegex(AccessError, "set by the system"):
            self.Ticket.sudo().create({"name": "Forged", "partner_id": self.customer.id, "acceptance_state": "waived"})
        state = ticket.acceptance_state
        ticket.invalidate_recordset()
        self.assertEqual(ticket.acceptance_state, state)
        self.assertNotEqual(state, "accepted")
        self.assertFalse(ticket.date_closed)
        self.assertFalse(self.Ticket.sudo().search_count([("name", "=", "Forged")]))

    def test_system_path_writes_facts(self):
        ticket = self.create_ticket()
        ticket._write_facts({"refusal_reason": "Written by the suite"})
        self.assertEqual(ticket.refusal_reason, "Written by the suite")
