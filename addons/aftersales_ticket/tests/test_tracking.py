from unittest.mock import patch

from markupsafe import Markup

from .common import AftersalesCommon
from .test_performance import MAIL_ON


class TestTracking(AftersalesCommon):
    """A batch move logs what a single move logs: the same subtype (the
    ticket's own ``_track_subtype``, overrides included) and the same body."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_sh.auto_dispatch = False
        cls.stage_subtype = cls.env.ref("aftersales_ticket.mt_ticket_stage")
        cls.urgency_subtype = cls.env["mail.message.subtype"].create(
            {"name": "Urgency changed", "res_model": "aftersales.ticket", "default": False}
        )

    def _tickets(self, count):
        tickets = self.Ticket.with_context(**MAIL_ON).create(
            [{"name": f"T{i}", "partner_id": self.customer.id, "team_id": self.team_sh.id} for i in range(count)]
        )
        self._settle()
        return tickets

    def _settle(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _tracking_message(self, ticket):
        messages = ticket.message_ids.filtered("tracking_value_ids").sorted("id")
        return messages[-1:]

    def test_batch_move_has_the_subtype_of_a_single_move(self):
        tickets = self._tickets(4)
        single, batch = tickets[0], tickets[1:]
        single.write({"stage_id": self.stage["accept"].id})
        self._settle()
        batch.write({"stage_id": self.stage["accept"].id})
        self._settle()
        self.assertEqual(self._tracking_message(single).subtype_id, self.stage_subtype)
        for ticket in batch:
            self.assertEqual(self._tracking_message(ticket).subtype_id, self.stage_subtype)

    def test_batch_honours_an_inheriting_track_subtype(self):
        """An addon that gives urgency changes their own subtype gets it for a
        batch too, not only for one ticket."""
        tickets = self._tickets(4)
        single, batch = tickets[0], tickets[1:]
        model_class = type(self.Ticket)
        original = model_class._track_subtype
        urgency_subtype = self.urgency_subtype

        def track_subtype(record, init_values):
            if "urgency" in init_values:
                return urgency_subtype
            return original(record, init_values)

        with patch.object(model_class, "_track_subtype", track_subtype):
            single.write({"urgency": "emergency"})
            self._settle()
            batch.write({"urgency": "emergency"})
            self._settle()
        self.assertEqual(self._tracking_message(single).subtype_id, urgency_subtype)
        for ticket in batch:
            message = self._tracking_message(ticket)
            self.assertEqual(message.subtype_id, urgency_subtype)
            self.assertEqual(message.tracking_value_ids.field_id.name, "urgency")

    def test_batch_keeps_a_tracking_body_set_by_code(self):
        tickets = self._tickets(3)
        tickets[0]._track_set_log_message(Markup("<p>Moved from the planning board</p>"))
        tickets.write({"stage_id": self.stage["accept"].id})
        self._settle()
        self.assertIn("planning board", self._tracking_message(tickets[0]).body)
        self.assertNotIn("planning board", self._tracking_message(tickets[1]).body)
        self.assertEqual(self._tracking_message(tickets[1]).subtype_id, self.stage_subtype)
