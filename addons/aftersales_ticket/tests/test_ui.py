from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

# Keep in sync with static/tests/tours/aftersales_backend_tour.js.
SUBJECT = "Tour: scanner does not start"


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.agent = new_test_user(
            env, login="as_tour_agent", groups="aftersales_ticket.group_aftersales_user", name="Tour Agent"
        )
        cls.team = env["aftersales.team"].create(
            {"name": "Tour Service Centre", "auto_dispatch": False, "member_ids": [Command.link(cls.agent.id)]}
        )
        cls.customer = env["res.partner"].create({"name": "Tour Customer Ltd", "is_company": True})
        cls.product = env["product.product"].create(
            {"name": "Tour Scanner X1", "is_storable": True, "tracking": "serial"}
        )

    def test_agent_creates_and_accepts_ticket(self):
        self.start_tour("/odoo", "aftersales_backend_tour", login=self.agent.login)

        ticket = self.env["aftersales.ticket"].search([("name", "=", SUBJECT)])
        self.assertEqual(len(ticket), 1, "the tour creates exactly one ticket")
        self.assertEqual(ticket.create_uid, self.agent)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.partner_name, "Tour Customer Ltd")
        self.assertEqual(ticket.product_id, self.product)
        self.assertEqual(ticket.urgency, "emergency")
        self.assertEqual(ticket.team_id, self.team, "the agent's team is the default team")
        self.assertTrue(ticket.number.startswith("AS"), ticket.number)
        self.assertFalse(ticket.technician_id, "the team does not dispatch automatically")

        stages = self.env["aftersales.stage"].search([])
        self.assertEqual(ticket.stage_id, stages[1], "dragged from the first to the second kanban column")
        self.assertEqual(ticket.stage_id, self.env.ref("aftersales_ticket.stage_accept"))
        self.assertTrue(ticket.date_taken, "entering the accept stage time-stamps the ticket")
        self.assertTrue(ticket.date_first_response)
        self.assertGreaterEqual(ticket.date_taken, ticket.date_reported)
        self.assertFalse(ticket.date_closed)
