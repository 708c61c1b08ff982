from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestAccess(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.create_ticket()  # Shanghai, dispatched to technician A
        cls.portal_other = cls.new_portal_user("as_portal_other", cls.other_customer)
        cls.portal_own = cls.new_portal_user("as_portal_own", cls.customer_contact)
        cls.company_2 = cls.env["res.company"].create({"name": "Other Service Co"})
        cls.manager_2 = new_test_user(
            cls.env,
            login="as_manager_2",
            groups="aftersales_ticket.group_aftersales_manager",
            company_id=cls.company_2.id,
            company_ids=[(6, 0, cls.company_2.ids)],
        )

    def test_technician_sees_own_team_only(self):
        self.assertEqual(self.ticket.technician_id, self.tech_a)
        self.assertTrue(self.ticket.with_user(self.tech_user_a).name)
        self.assertTrue(self.ticket.with_user(self.tech_user_b).name, "team mate of the same city centre")
        other = self.Ticket.with_user(self.tech_user_c)
        self.assertFalse(other.search([("id", "=", self.ticket.id)]), "Hangzhou does not see Shanghai's tickets")
        with self.assertRaises(AccessError) as caught:
            self.ticket.with_user(self.tech_user_c).read(["name"])
        self.assertRegex(str(caught.exception), "doesn't have 'read' access to")

    def test_agent_cannot_delete_or_configure(self):
        self.assertEqual(self.Ticket.with_user(self.agent).search_count([("id", "=", self.ticket.id)]), 1)
        with self.assertRaises(AccessError) as caught:
            self.ticket.with_user(self.agent).unlink()
        self.assertRegex(str(caught.exception), "You are not allowed to delete")
        with self.assertRaises(AccessError) as caught:
            self.env["aftersales.stage"].with_user(self.agent).create({"name": "Shortcut"})
        self.assertRegex(str(caught.exception), "You are not allowed to create")
        with self.assertRaises(AccessError) as caught:
            self.team_sh.with_user(self.agent).write({"auto_dispatch": False})
        self.assertRegex(str(caught.exception), "You are not allowed to modify")
        self.assertTrue(self.ticket.exists())

    def test_portal_users(self):
        self.assertEqual(self.Ticket.with_user(self.portal_own).search([]), self.ticket)
        self.assertFalse(self.Ticket.with_user(self.portal_other).search([]))
        with self.assertRaises(AccessError) as caught:
            self.ticket.with_user(self.portal_other).read(["name"])
        self.assertRegex(str(caught.exception), "doesn't have 'read' access to")
        with self.assertRaises(AccessError) as caught:
            self.ticket.with_user(self.portal_own).write({"name": "Changed by the customer"})
        self.assertRegex(str(caught.exception), "You are not allowed to modify")

    def test_other_company(self):
        self.assertFalse(self.Ticket.with_user(self.manager_2).search([]))
        with self.assertRaises(AccessError) as caught:
            self.ticket.with_user(self.manager_2).read(["name"])
        self.assertRegex(str(caught.exception), "doesn't have 'read' access to")
