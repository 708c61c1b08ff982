from odoo.tests import freeze_time, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestRepeatWindowBoundary(AftersalesCommon):
    """The repeat repair window counts from the end of the earlier repair: a
    unit back on the last day of the window is a repeat, a day later it is
    not; changing the window at runtime moves the boundary."""

    def _back_after(self, resolved, moment):
        with freeze_time(resolved):
            first = self.create_ticket(lot_id=self.lot_laptop.id)
            first.stage_id = self.stage["acceptance"]
        with freeze_time(moment):
            back = self.create_ticket(lot_id=self.lot_laptop.id)
        result = back.repeat_of_id == first
        # The next case starts on a clean unit.
        (first | back).stage_id = self.stage["cancel"]
        return result

    def test_repeat_window_of_ninety_days(self):
        self.env.company.aftersales_repeat_days = 90
        resolved = "2026-01-10 10:00:00"
        got = {
            moment: self._back_after(resolved, moment)
            for moment in ("2026-04-09 10:00:00", "2026-04-10 10:00:00", "2026-04-10 10:00:01", "2026-04-11 10:00:00")
        }
        self.assertEqual(
            got,
            {
                "2026-04-09 10:00:00": True,  # day 89
                "2026-04-10 10:00:00": True,  # day 90, the last moment of the window
                "2026-04-10 10:00:01": False,
                "2026-04-11 10:00:00": False,  # day 91
            },
        )

    def test_repeat_window_changed_at_runtime(self):
        self.env.company.aftersales_repeat_days = 90
        self.assertTrue(self._back_after("2026-01-10 10:00:00", "2026-01-25 10:00:00"))
        self.env.company.aftersales_repeat_days = 10
        self.assertFalse(self._back_after("2026-05-10 10:00:00", "2026-05-25 10:00:00"), "15 days > 10")
        self.assertTrue(self._back_after("2026-07-10 10:00:00", "2026-07-20 10:00:00"), "10 days")


@tagged("post_install", "-at_install")
class TestRoutingAtRuntime(AftersalesCommon):
    """A manager edits the routing rules: the next ticket that comes in by
    email follows the new rules at once."""

    def _route_email(self, subject):
        return self.Ticket.message_new(
            {
                "subject": subject,
                "body": "<p>Help</p>",
                "author_id": self.customer.id,
                "email_from": self.customer.email,
            }
        ).team_id

    def test_routing_rules_changed_at_runtime(self):
        Rule = self.env["aftersales.routing.rule"].with_user(self.manager)
        printers = Rule.create(
            {"sequence": 1, "product_category_id": self.categ_printer.id, "team_id": self.team_hz.id}
        )
        default = Rule.create({"sequence": 2, "team_id": self.team_sh.id})
        self.assertEqual(self._route_email("Broken"), self.team_sh, "no product: the default rule")
        default.team_id = self.team_hz
        self.assertEqual(self._route_email("Broken again"), self.team_hz, "the default rule's new team")
        self.assertEqual(self.Ticket._route_team(self.customer, self.printer), self.team_hz)
        printers.write({"sequence": 3, "team_id": self.team_sh.id})
        self.assertEqual(self.Ticket._route_team(self.customer, self.printer), self.team_hz, "the first rule wins")
        default.active = False
        self.assertEqual(self.Ticket._route_team(self.customer, self.printer), self.team_sh, "archived: skipped")
