from odoo import http
from odoo.tests import HttpCase, tagged

from .common import TITLE_ZH, KbCommon


@tagged("post_install", "-at_install")
class TestPortalFaq(HttpCase, KbCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = cls.make_article(TITLE_ZH, symptom="设备无法开机 指示灯不亮")
        cls.internal = cls.make_article("内部维修: 开机电路检测", visibility="internal")
        cls.draft = cls.make_article("开机故障草稿", state="draft")
        cls.archived = cls.make_article("旧版开机说明", state="archived")
        cls.in_review = cls.make_article("开机故障审核中", state="review")

    def setUp(self):
        super().setUp()
        self.authenticate("kb_portal", "kb_portal")

    def test_faq_search_shows_only_published_customer_articles(self):
        response = self.url_open("/my/kb?search=开机")
        self.assertEqual(response.status_code, 200)
        self.assertIn(TITLE_ZH, response.text)
        for hidden in (self.internal, self.draft, self.archived, self.in_review):
            self.assertNotIn(hidden.name, response.text)
        log = self.env["aftersales.kb.search.log"].search([("channel", "=", "portal")])
        self.assertEqual(log.mapped("query"), ["开机"])
        self.assertEqual(log.result_count, 1)

        response = self.url_open("/my/kb?search=蓝屏")
        self.assertIn("o_aftersales_kb_no_result", response.text)

    def test_faq_listing_without_search(self):
        """Most used first; what a customer may not read is not listed."""
        self.make_article("Newer FAQ", symptom="常见问题")
        self.create_ticket(name="设备无法开机").write({"kb_article_id": self.public.id})
        response = self.url_open("/my/kb")
        self.assertEqual(response.status_code, 200)
        self.assertLess(response.text.index(TITLE_ZH), response.text.index("Newer FAQ"))
        for hidden in (self.internal, self.draft, self.archived, self.in_review):
            self.assertNotIn(hidden.name, response.text)

    def test_article_urls(self):
        response = self.url_open(f"/my/kb/{self.public.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(TITLE_ZH, response.text)
        self.assertIn("指示灯不亮", response.text)
        for hidden in (self.internal, self.draft, self.archived, self.in_review):
            response = self.url_open(f"/my/kb/{hidden.id}")
            self.assertEqual(response.status_code, 404, hidden.name)
            self.assertNotIn(hidden.name, response.text)

    def test_feedback_and_self_service(self):
        url = f"/my/kb/{self.public.id}/feedback"
        self.url_open(url, data={"helpful": "no", "csrf_token": http.Request.csrf_token(self)})
        self.assertEqual((self.public.helpful_count, self.public.unhelpful_count), (0, 1))
        self.url_open(url, data={"helpful": "yes", "csrf_token": http.Request.csrf_token(self)})
        self.assertEqual((self.public.helpful_count, self.public.unhelpful_count), (1, 0), "one vote per customer")
        response = self.url_open(url, data={"solved": "1", "csrf_token": http.Request.csrf_token(self)})
        self.assertIn("o_aftersales_kb_solved_msg", response.text)
        self.url_open(url, data={"solved": "1", "csrf_token": http.Request.csrf_token(self)})
        self.assertEqual(self.public.self_service_count, 1, "counted once per customer")
        vote = self.public.vote_ids
        self.assertEqual(vote.partner_id, self.customer_contact)

        # Feedback on an article the customer cannot read is refused and writes nothing.
        response = self.url_open(
            f"/my/kb/{self.draft.id}/feedback", data={"solved": "1", "csrf_token": http.Request.csrf_token(self)}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.draft.vote_ids)

        kpis = self.Article.get_kb_kpis()
        self.assertEqual(kpis["self_service"], 1)
        self.assertEqual(kpis["deflection_rate"], 100.0)

    def test_suggest_while_typing(self):
        result = self.make_jsonrpc_request("/my/kb/suggest", {"query": "无法开"})
        self.assertEqual([row["id"] for row in result], [self.public.id])
        result = self.make_jsonrpc_request("/my/kb/suggest", {"query": "开机"})
        self.assertEqual([row["id"] for row in result], [self.public.id], "no draft, internal or archived article")
        self.assertFalse(self.env["aftersales.kb.search.log"].search([]), "type-ahead is not logged")
