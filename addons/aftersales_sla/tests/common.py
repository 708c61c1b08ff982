from contextlib import contextmanager
from datetime import datetime

from odoo.addons.aftersales_ticket.tests.common import AftersalesCommon, working_calendar


def dt(*args):
    return datetime(*args)


class AftersalesSlaCommon(AftersalesCommon):
    """A Mon-Fri 08:00-17:00 calendar (UTC) with an 8 working-hour
    first-response target, and a round-the-clock VIP tier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.calendar = working_calendar(env, "Mon-Fri 08-17")
        cls.tier = env["aftersales.sla.tier"].create(
            {
                "name": "Test Basic",
                "resource_calendar_id": cls.calendar.id,
                "response_emergency_hours": 2.0,
                "resolution_emergency_hours": 24.0,
                "response_general_hours": 8.0,
                "resolution_general_hours": 27.0,
                "out_of_warranty_ratio": 80.0,
            }
        )
        cls.tier_vip = env["aftersales.sla.tier"].create(
            {
                "name": "Test VIP",
                "resource_calendar_id": env.ref("aftersales_sla.resource_calendar_24x7").id,
                "use_public_holidays": False,
                "response_general_hours": 24.0,
                "resolution_general_hours": 48.0,
            }
        )
        cls.company.aftersales_default_tier_id = cls.tier
        cls.stage_waiting = env.ref("aftersales_sla.stage_waiting_customer")
        (cls.team_sh | cls.team_hz).auto_dispatch = False

    @classmethod
    def create_sla_ticket(cls, **vals):
        vals.setdefault("sla_tier_id", cls.tier.id)
        return cls.create_ticket(**vals)

    @contextmanager
    def refused(self, exception, regex):
        """Expect ``exception`` with a message matching ``regex``: the refusal
        the test means, not any other. Odoo's assertRaises rolls back what the
        call wrote (and clears the cache before an access check)."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)
