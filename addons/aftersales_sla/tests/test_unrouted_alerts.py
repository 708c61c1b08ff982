from odoo.tests import freeze_time, tagged

from .common import AftersalesSlaCommon


@tagged("post_install", "-at_install")
class TestUnroutedAlerts(AftersalesSlaCommon):
    """A ticket that no routing rule routed waits in the intake queue: its SLA
    alerts go to the intake team's dispatcher (its manager), else the
    company's service manager, else an after-sales manager; never to nobody."""

    def _breach(self, **vals):
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket(**vals)
        with freeze_time("2026-01-12 16:30:00"):  # breached (8 working hours)
            self.Ticket._cron_sla_monitor()
        alerts = self.env["aftersales.sla.alert"].search([("ticket_id", "=", ticket.id)])
        self.assertTrue(alerts)
        return alerts

    def test_portal_ticket_in_intake_team_alerts_its_dispatcher(self):
        dispatcher = self.new_user("as_dispatcher", "aftersales_ticket.group_aftersales_user")
        intake = self.env["aftersales.team"].create(
            {"name": "Intake", "manager_id": dispatcher.id, "auto_dispatch": False}
        )
        self.env["aftersales.team"].create({"name": "Another team"})  # several teams, no rule matches
        self.company.aftersales_intake_team_id = intake
        team = self.Ticket._route_team(self.customer, self.laptop)
        self.assertEqual(team, intake, "no routing rule matched: the intake team")
        alerts = self._breach(team_id=team.id)
        self.assertEqual(alerts.user_id, dispatcher)
        self.assertEqual(set(alerts.mapped("delivery")), {"activity"})

    def test_no_team_alerts_the_service_manager_set_at_runtime(self):
        boss = self.new_user("as_boss", "aftersales_ticket.group_aftersales_manager")
        settings = self.env["res.config.settings"].create({})
        settings.aftersales_service_manager_id = boss
        settings.execute()
        alerts = self._breach(team_id=False)
        self.assertEqual(alerts.user_id, boss)
        self.assertEqual(alerts.delivery, "activity")
        self.assertEqual(alerts.ticket_id.activity_ids.user_id, boss)

    def test_without_service_manager_an_after_sales_manager_is_alerted(self):
        self.company.aftersales_service_manager_id = False
        alerts = self._breach(team_id=False)
        self.assertTrue(alerts.user_id, "never alerted to nobody")
        self.assertTrue(alerts.user_id.has_group("aftersales_ticket.group_aftersales_manager"))
        self.assertNotEqual(alerts.delivery, "nobody")
