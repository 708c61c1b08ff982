import tracemalloc

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import TITLE_ZH, KbCommon

QUERY_CAP = 200
HUGE = 1_000_000
# Memory a search may take beyond the query it is given: far below what
# tokenising a megabyte of text takes (hundreds of megabytes).
MEMORY_BUDGET = 4 * 1024 * 1024


def huge_query(head):
    """``head`` padded with spaces to the cap, then words no article has up to
    a million characters: only a search cut to its first 200 characters finds
    what ``head`` finds."""
    return (head.ljust(QUERY_CAP) + "蓝屏" * (HUGE // 2))[:HUGE]


@tagged("post_install", "-at_install")
class TestInputBounds(HttpCase, KbCommon):
    """A search string of any length is cut to its first 200 characters
    before it is split into words, on every path a user can type into."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = cls.make_article(TITLE_ZH, symptom="按下电源键后设备无法开机")
        cls.internal = cls.make_article("内部维修: 开机电路检测", visibility="internal")
        cls.query = huge_query("开机")

    def bounded(self, call):
        """Run ``call``; fail if it takes more memory than a search of 200
        characters would (no wall-clock limit: timing belongs in benchmarks,
        and the results below already show which words were searched)."""
        tracemalloc.start()
        try:
            result = call()
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        self.assertLess(peak, MEMORY_BUDGET, "the query was split into words before it was cut")
        return result

    def test_name_search(self):
        for user, expected in ((self.agent, self.public | self.internal), (self.portal_user, self.public)):
            Article = self.Article.with_user(user)
            found = self.bounded(lambda Article=Article: Article.name_search(self.query))
            self.assertEqual({row[0] for row in found}, set(expected.ids), user.name)
            self.assertEqual(found, Article.name_search(self.query[:QUERY_CAP]), "the results of the first 200")

    def test_search_field_and_display_name_filters(self):
        for user, expected in ((self.agent, self.public | self.internal), (self.portal_user, self.public)):
            Article = self.Article.with_user(user)
            for field_name in ("search_query", "display_name"):
                found = self.bounded(
                    lambda Article=Article, field_name=field_name: Article.search([(field_name, "ilike", self.query)])
                )
                self.assertEqual(found, expected, f"{user.name} {field_name}")

    def test_ticket_suggestions(self):
        """The suggestions of a ticket form being typed (onchange: nothing
        stored yet, so the ticket's own length checks have not run)."""
        Ticket = self.Ticket.with_user(self.agent)
        for values in ({"name": self.query}, {"name": "开机", "description": f"<p>{self.query}</p>"}):
            ticket = Ticket.new({**values, "team_id": self.team_sh.id})
            suggested = self.bounded(lambda ticket=ticket: ticket.kb_suggested_article_ids)
            self.assertIn(self.public, suggested._origin)

    def test_search_log_keeps_the_first_200_characters(self):
        found = self.bounded(lambda: self.Article.with_user(self.agent).kb_search(self.query, channel="backend"))
        self.assertEqual(found, self.public | self.internal)
        log = self.env["aftersales.kb.search.log"].search([])
        self.assertEqual(log.query, "开机")
        self.assertEqual(log.result_count, 2)

    def test_portal_routes(self):
        # An uncut query would find nothing: no article has the padding words.
        self.authenticate("kb_portal", "kb_portal")
        response = self.url_open("/my/kb", data={"search": self.query, "csrf_token": http.Request.csrf_token(self)})
        self.assertEqual(response.status_code, 200)
        self.assertIn(TITLE_ZH, response.text)
        self.assertNotIn(self.internal.name, response.text)
        self.assertNotIn("蓝屏", response.text, "the query shown back is the one searched: its first 200 characters")
        result = self.make_jsonrpc_request("/my/kb/suggest", {"query": self.query})
        self.assertEqual([row["id"] for row in result], self.public.ids)
