from odoo.addons.aftersales_ticket.tests.common import AftersalesCommon
from odoo.addons.aftersales_ticket.tests.test_security import NOBODY, OPEN, WriteTableMixin
from odoo.tests import new_test_user, tagged

# Stored ticket fields added by aftersales_kb: (portal, technician, agent).
KB_TICKET_FIELDS = {
    "kb_article_id": OPEN,
    "kb_solved_date": NOBODY,
    "kb_first_contact": NOBODY,
    "kb_created_article_id": NOBODY,
}


@tagged("post_install", "-at_install")
class TestKbTicketWriteTable(WriteTableMixin, AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="kb_write_portal", groups="base.group_portal", partner_id=cls.customer_contact.id
        )

    def test_write_table(self):
        ticket = self.create_ticket()
        self.assertEqual(set(KB_TICKET_FIELDS), self._stored_fields("aftersales_kb"), "the table lists every field")
        self.assertEqual(self._write_table(ticket, KB_TICKET_FIELDS), KB_TICKET_FIELDS)
