from datetime import datetime

from odoo.addons.aftersales_plan.tests.common import AftersalesProviderCommon
from odoo.fields import Domain
from odoo.tests import freeze_time

REPORTED = datetime(2027, 1, 4, 9, 0)  # a Monday; the VIP tier resolves within 48 h round the clock
IN_TIME = datetime(2027, 1, 4, 19, 0)
LATE = datetime(2027, 1, 8, 9, 0)


class ProviderKpiCommon(AftersalesProviderCommon):
    """Issue 21: each partner service centre's SLA compliance (resolution in
    time, on the tier the subcontracted ticket keeps) and CSAT, by month,
    against the company's targets. Fixit (P1): 4 tickets, 3 done in time,
    CSAT 5, 4, 3. Repair Bros (P2): 1 ticket done late, CSAT 2. Shanghai, an
    internal team: 1 ticket, CSAT 1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["aftersales.quality.provider.report"]
        cls.step = cls.env.ref("aftersales_survey.followup_step_24h")
        cls.p1 = cls.centre_tickets(cls.team_fixit, cls.centre_user, [IN_TIME, IN_TIME, IN_TIME, LATE], [5, 4, 3])
        cls.p2 = cls.centre_tickets(cls.team_other, cls.other_centre_user, [LATE], [2])
        with freeze_time(REPORTED):
            cls.internal = cls.create_ticket(sla_tier_id=cls.tier_vip.id)
        with freeze_time(IN_TIME):
            cls.internal.write({"stage_id": cls.stage["accept"].id})
            cls.internal.write({"stage_id": cls.stage["acceptance"].id})
        cls.answer(cls.internal, 1)
        cls.domain = Domain("ticket_id", "in", (cls.p1 | cls.p2 | cls.internal).ids)

    @classmethod
    def centre_tickets(cls, team, staff, done_at, scores, reported=REPORTED):
        """Tickets subcontracted to ``team``, reported done by its ``staff``
        at ``done_at``; the first ones answered their follow-up with ``scores``."""
        tickets = cls.Ticket.browse()
        for when in done_at:
            with freeze_time(reported):
                ticket = cls.subcontracted_ticket(team=team, sla_tier_id=cls.tier_vip.id)
            with freeze_time(when):
                ticket.with_user(staff)._provider_update({}, done=True)
            tickets |= ticket
        for ticket, score in zip(tickets, scores, strict=False):
            cls.answer(ticket, score)
        return tickets

    @classmethod
    def answer(cls, ticket, score):
        """The customer's 24 h follow-up answered with this CSAT (what the survey job records)."""
        cls.env["aftersales.followup"]._create_facts(
            [
                {
                    "ticket_id": ticket.id,
                    "step_id": cls.step.id,
                    "survey_id": cls.step.survey_id.id,
                    "channel": cls.step.channel,
                    "company_id": ticket.company_id.id,
                    "partner_id": ticket.partner_id.id,
                    "team_id": ticket.team_id.id,
                    "date_scheduled": ticket.date_reported,
                    "state": "answered",
                    "date_answered": ticket.date_reported,
                    "csat_score": score,
                }
            ]
        )
