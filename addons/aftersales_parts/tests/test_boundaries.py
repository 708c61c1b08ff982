"""The repair quotation's validity at its boundary. Its last day is sale's
``validity_date``: the customer may still sign (and an agent confirm) that
day; from the next day it is expired. Sale judges the day in UTC
(``sale.order.is_expired``), and so do we: the rule is sale's, not a second
one of ours."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestQuotationExpiry(AftersalesPartsCommon):
    def test_quotation_approvable_through_its_last_day(self):
        repair = self.open_repair(self.create_parts_ticket())
        repair.with_user(self.agent).action_aftersales_send_quotation()
        order = repair.sale_order_id
        order.action_quotation_sent()
        order.validity_date = date(2026, 3, 10)
        moments = ["2026-03-09 12:00:00", "2026-03-10 23:59:59", "2026-03-11 00:00:01"]
        states = []
        for moment in moments:
            with freeze_time(moment):
                self.env.invalidate_all()
                states.append((moment, repair.aftersales_approval_state))
        self.assertEqual(states, list(zip(moments, ["awaiting", "awaiting", "expired"], strict=True)))

        with freeze_time("2026-03-11 00:00:01"), self.refused(UserError, "expired and can no longer be approved"):
            order.with_user(self.manager).action_confirm()
        self.assertEqual(order.state, "sent")
        with freeze_time("2026-03-10 23:59:00"):
            self.env.invalidate_all()
            order.with_user(self.manager).action_confirm()
        self.assertEqual(order.state, "sale", "approved on its last day")
        self.assertEqual(repair.aftersales_approval_state, "approved")
