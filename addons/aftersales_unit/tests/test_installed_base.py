from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstalledBase(TransactionCase):
    def test_smoke(self):
        self.assertTrue(self.env.company.aftersales_customer_unit_location_id)
