from odoo.tests import tagged

from .test_performance import MAIL_ON
from .test_portal import AftersalesPortalCommon
from .test_ticket_flow import INCOMING_EMAIL


@tagged("post_install", "-at_install")
class TestTeamFollowers(AftersalesPortalCommon):
    """Following a team with its "Ticket Created" subtype means hearing of
    every new ticket of the team, whatever the way in: email, portal form,
    an agent's batch. The creation goes through mail's own message_post."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.watcher = cls.new_user("as_watcher", "aftersales_ticket.group_aftersales_user", name="Team Watcher")
        cls.team_sh.message_subscribe(
            partner_ids=cls.watcher.partner_id.ids,
            subtype_ids=cls.env.ref("aftersales_ticket.mt_team_ticket_new").ids,
        )
        cls.company.aftersales_intake_team_id = cls.team_sh  # where portal tickets go
        cls.created = cls.env.ref("aftersales_ticket.mt_ticket_new")

    def _assert_watcher_notified(self, ticket, says="Ticket created"):
        self.assertEqual(ticket.team_id, self.team_sh)
        message = ticket.message_ids.filtered(lambda m: m.subtype_id == self.created)
        self.assertEqual(len(message), 1, f"{ticket.name}: one creation message")
        self.assertIn(says, str(message.body))
        self.assertIn(self.watcher.partner_id, message.notified_partner_ids, f"{ticket.name}: the watcher is told")
        self.assertIn(self.watcher.partner_id, ticket.message_partner_ids, "and follows the ticket")

    def test_ticket_by_email(self):
        self.team_sh.alias_domain_id = self.env["mail.alias.domain"].create({"name": "service.example.com"})
        raw = INCOMING_EMAIL.format(
            email_from=self.customer.email,
            to="service-shanghai@service.example.com",
            subject="Followed by mail",
            msg_id="followed-by-mail",
        )
        self.env["mail.thread"].sudo().with_context(**MAIL_ON).message_process(False, raw)
        # The mail gateway posts the email itself with the creation subtype.
        ticket = self.Ticket.search([("name", "=", "Followed by mail")])
        self._assert_watcher_notified(ticket, says="The laptop shuts down")

    def test_ticket_from_the_portal_form(self):
        self.authenticate("as_portal", "as_portal")
        response = self._post_new_ticket(
            {"name": "Followed from the portal", "description": "The fan is loud.", "product_id": str(self.laptop.id)}
        )
        self.assertEqual(response.status_code, 303)
        self._assert_watcher_notified(self.Ticket.search([("name", "=", "Followed from the portal")]))

    def test_batch_of_tickets(self):
        self.team_sh.auto_dispatch = False
        tickets = (
            self.Ticket.with_user(self.agent)
            .with_context(**MAIL_ON)
            .create(
                [
                    {"name": f"Followed batch {i}", "partner_id": self.customer.id, "team_id": self.team_sh.id}
                    for i in range(3)
                ]
            )
        )
        for ticket in tickets:
            self._assert_watcher_notified(ticket)

    def test_team_without_the_subtype_logs_a_note(self):
        """Nobody follows the creation: one note per ticket, logged in a batch,
        and nobody notified."""
        tickets = self.Ticket.with_context(**MAIL_ON).create(
            [{"name": f"Quiet {i}", "partner_id": self.customer.id, "team_id": self.team_hz.id} for i in range(2)]
        )
        for ticket in tickets:
            note = ticket.message_ids.filtered(lambda m: "Ticket created" in str(m.body))
            self.assertEqual(len(note), 1)
            self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
            self.assertFalse(note.notified_partner_ids)

    def test_team_stage_subtype_follows_stage_changes(self):
        self.team_sh.message_subscribe(
            partner_ids=self.watcher.partner_id.ids,
            subtype_ids=self.env.ref("aftersales_ticket.mt_team_ticket_stage").ids,
        )
        self.team_sh.auto_dispatch = False
        tickets = self.Ticket.with_context(**MAIL_ON).create(
            [{"name": f"Moved {i}", "partner_id": self.customer.id, "team_id": self.team_sh.id} for i in range(2)]
        )
        self.env.cr.flush()  # the creation's transaction ends: later changes are tracked
        tickets.with_user(self.agent).with_context(**MAIL_ON).write({"stage_id": self.stage["accept"].id})
        self.env.cr.flush()  # the tracking is posted before the commit
        stage_subtype = self.env.ref("aftersales_ticket.mt_ticket_stage")
        for ticket in tickets:
            message = ticket.message_ids.filtered(lambda m: m.subtype_id == stage_subtype)
            self.assertEqual(len(message), 1)
            self.assertIn(self.watcher.partner_id, message.notified_partner_ids)
