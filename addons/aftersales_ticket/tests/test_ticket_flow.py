from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestTicketFlow(AftersalesCommon):
    def test_number_from_sequence(self):
        ticket = self.create_ticket()
        self.assertTrue(ticket.number.startswith("AS"), ticket.number)
