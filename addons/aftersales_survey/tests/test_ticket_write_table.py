from odoo.addons.aftersales_ticket.tests.common import AftersalesCommon
from odoo.addons.aftersales_ticket.tests.test_security import NOBODY, WriteTableMixin
from odoo.tests import new_test_user, tagged

# Stored ticket fields added by aftersales_survey: (portal, technician, agent).
SURVEY_TICKET_FIELDS = {"followup_ids": NOBODY}


@tagged("post_install", "-at_install")
class TestSurveyTicketWriteTable(WriteTableMixin, AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="survey_write_portal", groups="base.group_portal", partner_id=cls.customer_contact.id
        )

    def test_write_table(self):
        ticket = self.create_ticket()
        self.assertEqual(
            set(SURVEY_TICKET_FIELDS), self._stored_fields("aftersales_survey"), "the table lists every field"
        )
        self.assertEqual(self._write_table(ticket, SURVEY_TICKET_FIELDS), SURVEY_TICKET_FIELDS)
