from datetime import date

from odoo.tests import freeze_time, tagged

from .common import AftersalesSlaCommon


@tagged("post_install", "-at_install")
class TestReasonsLanguage(AftersalesSlaCommon):
    """The reasons the system gives (tier origin, 三包) read in the reader's
    language, whoever triggered their computation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["aftersales_sla"], ["zh_CN"], overwrite=True)
        cls.chinese_agent = cls.agent.copy({"login": "as_agent_zh", "lang": "zh_CN"})

    @freeze_time("2026-03-06 10:00:00")
    def test_reasons_follow_the_reader(self):
        # computed by a Chinese-speaking agent ...
        ticket = self.Ticket.with_user(self.chinese_agent).create(
            {
                "name": "无法开机",
                "partner_id": self.customer.id,
                "team_id": self.team_sh.id,
                "lot_id": self.lot_laptop.id,
                "fault_category_id": self.fault_power.id,
                "purchase_date": date(2026, 3, 1),
            }
        )
        self.assertEqual(ticket.entitlement, "return")
        # ... read in English by an English reader
        english = ticket.with_user(self.agent).with_context(lang="en_US")
        self.assertIn("5 days after purchase", english.entitlement_reason)
        self.assertEqual(english.sla_tier_reason, "Company default")
        # ... and in Chinese by the Chinese agent
        chinese = ticket.with_user(self.chinese_agent).with_context(lang="zh_CN")
        self.assertEqual(chinese.sla_tier_reason, "公司默认")
        self.assertNotIn("days after purchase", chinese.entitlement_reason)
        self.assertIn("故障在购买后 5 天报修", chinese.entitlement_reason)

    def test_tier_given_by_hand_says_so(self):
        ticket = self.create_sla_ticket()
        self.assertEqual((ticket.sla_tier_origin, ticket.sla_tier_reason), ("manual", "Set by hand"))
        other = self.create_ticket()
        self.assertEqual(other.sla_tier_origin, "default")
        other.with_user(self.manager).sla_tier_id = self.tier_vip
        self.assertEqual((other.sla_tier_origin, other.sla_tier_reason), ("manual", "Set by hand"))
