from odoo.tests import freeze_time, tagged

from .common import AftersalesSlaCommon, dt


@tagged("post_install", "-at_install")
class TestTierPromises(AftersalesSlaCommon):
    """Seed 003: what each tier promises, and who is served first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.basic = ref("aftersales_sla.tier_basic")
        cls.intermediate = ref("aftersales_sla.tier_intermediate")
        cls.advanced = ref("aftersales_sla.tier_advanced")
        cls.vip = ref("aftersales_sla.tier_vip")

    def test_promises_are_data(self):
        def promise(tier):
            return (tier._target_hours("response", "general"), tier.onsite_hours, tier.queue_priority)

        self.assertEqual(promise(self.basic), (48.0, 0.0, 0), "Basic: response within 48 h")
        self.assertEqual(promise(self.intermediate), (24.0, 48.0, 0), "Intermediate: 24 h, on site within 48 h")
        self.assertEqual(promise(self.advanced), (24.0, 0.0, 1), "Advanced: 24 h with priority repair")
        self.assertEqual(promise(self.vip), (24.0, 24.0, 2), "VIP: pickup and delivery within 24 h")
        self.assertEqual(self.vip.resource_calendar_id, self.env.ref("aftersales_sla.resource_calendar_24x7"))
        self.assertFalse(self.vip.use_public_holidays, "VIP runs 24x7")

    @freeze_time("2026-01-12 08:00:00")
    def test_general_fault_due_per_tier(self):
        """Counted on a round-the-clock calendar, so the hours read as promised."""
        (self.basic | self.intermediate).resource_calendar_id = self.env.ref("aftersales_sla.resource_calendar_24x7")
        basic = self.create_sla_ticket(sla_tier_id=self.basic.id, urgency="general")
        intermediate = self.create_sla_ticket(sla_tier_id=self.intermediate.id, urgency="general")
        self.assertEqual(basic.sla_response_deadline, dt(2026, 1, 14, 8, 0), "Basic: within 48 h")
        self.assertEqual(intermediate.sla_response_deadline, dt(2026, 1, 13, 8, 0), "Intermediate: within 24 h")

    @freeze_time("2026-01-12 08:00:00")
    def test_acknowledgement_tells_tier_and_promise(self):
        self.intermediate.resource_calendar_id = self.env.ref("aftersales_sla.resource_calendar_24x7")
        self.customer.tz = "Asia/Shanghai"
        ticket = self.create_sla_ticket(sla_tier_id=self.intermediate.id, urgency="general")
        self.env.cr.flush()  # what a commit runs first: the notices are posted
        self.env.invalidate_all()
        ack = ticket.message_ids.filtered(lambda m: m.subject and "we received" in m.subject)
        self.assertEqual(len(ack), 1)
        self.assertIn("Your service tier is Intermediate", str(ack.body))
        self.assertIn("01/13/2026 04:00", str(ack.body), "the promised response, in the customer's time zone")
        self.assertIn("pickup within 48 hours", str(ack.body))

    def test_queue_order(self):
        basic = self.create_sla_ticket(sla_tier_id=self.basic.id, urgency="general", name="basic")
        advanced = self.create_sla_ticket(sla_tier_id=self.advanced.id, urgency="general", name="advanced")
        vip = self.create_sla_ticket(sla_tier_id=self.vip.id, urgency="general", name="vip")
        emergency = self.create_sla_ticket(sla_tier_id=self.basic.id, urgency="emergency", name="emergency")
        incident = self.create_sla_ticket(
            sla_tier_id=self.basic.id, urgency="non_fault", sla_incident_level="1", name="incident"
        )
        tickets = basic | advanced | vip | emergency | incident
        queue = self.Ticket.search([("id", "in", tickets.ids)])
        self.assertEqual(queue.mapped("name"), ["incident", "emergency", "vip", "advanced", "basic"])
        # a manager upgrading the tier moves the ticket up the queue
        basic.with_user(self.manager).sla_tier_id = self.vip
        self.assertEqual(basic.priority_rank, vip.priority_rank)

    @freeze_time("2026-01-12 09:00:00")
    def test_advanced_dispatched_before_basic(self):
        """Equal urgency, one free slot: the Advanced ticket gets the technician
        although the Basic one was reported first."""
        (self.tech_b | self.tech_c).available = False
        self.tech_a.max_open_tickets = 1
        with freeze_time("2026-01-12 08:00:00"):
            basic = self.create_sla_ticket(sla_tier_id=self.basic.id, urgency="general")
        advanced = self.create_sla_ticket(sla_tier_id=self.advanced.id, urgency="general")
        (basic | advanced)._auto_dispatch()
        self.assertEqual(advanced.technician_id, self.tech_a)
        self.assertFalse(basic.technician_id, "the Basic ticket waits: the technician is at capacity")
