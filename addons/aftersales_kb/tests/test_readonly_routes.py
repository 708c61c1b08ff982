from odoo import http
from odoo.addons.aftersales_ticket.tests.readonly_routes import ReadonlyRouteCase
from odoo.tests import tagged

from .common import TITLE_ZH, KbCommon


@tagged("post_install", "-at_install")
class TestKbReadonlyRoutes(ReadonlyRouteCase, KbCommon):
    """The FAQ, its articles and the suggestions of the new-ticket form only
    read: served from the replica when there is one. A FAQ search is logged,
    so it goes to the primary; feedback writes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = cls.make_article(TITLE_ZH, symptom="设备无法开机 指示灯不亮")

    def setUp(self):
        super().setUp()
        self.authenticate("kb_portal", "kb_portal")

    def test_faq_article_and_suggestions_served_readonly(self):
        # the FAQ without a search: its readonly is decided per request
        self.assertTrue(callable(self.route_readonly("/my/kb")))
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open("/my/kb")
        self.assertIn(TITLE_ZH, response.text)
        response = self.assertServedReadonly(f"/my/kb/{self.public.id}")
        self.assertIn(TITLE_ZH, response.text)
        response = self.assertServedReadonly("/my/kb/suggest", json_params={"query": "开机"})
        self.assertEqual([row["id"] for row in response.json()["result"]], self.public.ids)

    def test_searching_the_faq_is_logged_on_the_primary(self):
        Log = self.env["aftersales.kb.search.log"]
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open("/my/kb?search=开机")
        self.assertIn(TITLE_ZH, response.text)
        self.assertEqual(Log.search([("channel", "=", "portal")]).mapped("query"), ["开机"])
        # a search posted by a form goes to the primary too
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open("/my/kb", data={"search": "指示灯", "csrf_token": http.Request.csrf_token(self)})
        self.assertIn(TITLE_ZH, response.text)
        self.assertEqual(Log.search([("channel", "=", "portal")]).mapped("query"), ["指示灯", "开机"])
        self.assertIs(self.route_readonly(f"/my/kb/{self.public.id}/feedback", method="POST"), False)
