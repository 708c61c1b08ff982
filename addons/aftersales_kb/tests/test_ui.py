from odoo.tests import HttpCase, tagged

from .common import TITLE_ZH, KbCommon


@tagged("post_install", "-at_install")
class TestUi(HttpCase, KbCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_sh.auto_dispatch = False
        cls.article = cls.make_article(
            TITLE_ZH,
            symptom="按下电源键后设备无法开机 指示灯不亮",
            resolution="检查电源适配器 长按电源键十五秒",
            product_tmpl_ids=[(6, 0, cls.laptop.product_tmpl_id.ids)],
        )
        cls.other = cls.make_article("屏幕闪烁的处理方法", symptom="屏幕闪烁")

    def test_agent_links_article_on_ticket(self):
        ticket = self.create_ticket(name="Tour: 客户报修 开机没反应")
        self.start_tour(f"/odoo/aftersales-tickets/{ticket.id}", "aftersales_kb_backend_tour", login="as_agent")
        self.assertEqual(ticket.kb_article_id, self.article)
        self.assertTrue(ticket.kb_first_contact)
        self.assertEqual(self.article.solved_count, 1)

    def test_customer_searches_faq(self):
        self.start_tour("/my/kb", "aftersales_kb_portal_tour", login="kb_portal")
        self.assertEqual(self.article.self_service_count, 1)
        self.assertEqual(self.article.vote_ids.partner_id, self.customer_contact)
        log = self.env["aftersales.kb.search.log"].search([("channel", "=", "portal")])
        self.assertEqual(log.mapped("query"), ["开机"])
