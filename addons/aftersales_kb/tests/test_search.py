from odoo.tests import tagged
from odoo.tools import SQL

from ..tools import build_document, build_tsquery, search_vector_sql
from .common import TITLE_EN, TITLE_ZH, KbCommon


@tagged("post_install", "-at_install")
class TestSearch(KbCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zh_power = cls.make_article(
            TITLE_ZH,
            symptom="按下电源键后设备无法开机 指示灯不亮。",
            resolution="检查电源适配器 长按电源键十五秒后重新开机。",
        )
        cls.zh_screen = cls.make_article(
            "屏幕闪烁的处理方法",
            symptom="开机后屏幕闪烁或出现条纹。",
            resolution="更新显卡驱动 检查屏幕排线。",
        )
        cls.zh_charge = cls.make_article(
            "电池无法充电",
            symptom="插上充电器后电池不充电 设备有时无法开机。",
            resolution="更换充电器 校准电池。",
        )
        cls.en_power = cls.make_article(
            TITLE_EN,
            symptom="The device does not power on when the power button is pressed.",
            resolution="Check the power adapter and hold the power button for 15 seconds.",
            lang="en_US",
        )
        cls.en_paper = cls.make_article(
            "Printer paper jam",
            symptom="Paper jams in tray 2; the printer still powers on.",
            resolution="Open the rear door and remove the paper.",
            lang="en_US",
        )

    def test_documents_and_queries(self):
        self.assertEqual(build_document("设备无法开机"), "设 备 无 法 开 机 设备 备无 无法 法开 开机")
        self.assertEqual(build_document("The Printers DO not power on"), "printer not power")
        self.assertEqual(build_tsquery("无法开机"), "'无法' & '法开' & '开机'")
        self.assertEqual(build_tsquery("机"), "'机'")
        self.assertEqual(build_tsquery("does not power on"), "'not' & 'power'")
        self.assertEqual(build_tsquery("ProBook 开机", prefix=True), "'probook' & '开机'")
        self.assertEqual(build_tsquery("pow", prefix=True), "'pow':*")
        self.assertIsNone(build_tsquery("  ,。 "))

    def test_chinese_two_character_query(self):
        found = self.Article.kb_search("开机")
        self.assertEqual(found[:1], self.zh_power, "the title match ranks first")
        self.assertIn(self.zh_charge, found, "a symptom match is found too, lower")
        self.assertIn(self.zh_screen, found)
        self.assertEqual(self.Article.kb_search("无法开机")[:1], self.zh_power)
        self.assertEqual(self.Article.kb_search("屏幕"), self.zh_screen)
        self.assertEqual(self.Article.kb_search("充电")[:1], self.zh_charge)
        self.assertFalse(self.Article.kb_search("打印机卡纸"))

    def test_english_queries(self):
        self.assertEqual(self.Article.kb_search("power")[:1], self.en_power)
        self.assertEqual(self.Article.kb_search("does not power on")[:1], self.en_power)
        self.assertEqual(self.Article.kb_search("POWER Button"), self.en_power, "case and plural do not matter")
        self.assertEqual(self.Article.kb_search("jam"), self.en_paper)
        self.assertEqual(self.Article.name_search("pow")[0][0], self.en_power.id, "type-ahead matches prefixes")

    def test_stale_articles_drop_in_ranking(self):
        twin = self.make_article(
            TITLE_ZH + " (新版)",
            symptom="按下电源键后设备无法开机 指示灯不亮。",
            resolution="检查电源适配器 长按电源键十五秒后重新开机。",
        )
        self.assertEqual(self.Article.kb_search("无法开机")[:2], twin | self.zh_power)
        twin._write_facts({"is_stale": True})
        ranked = self.Article.kb_search("无法开机").ids
        self.assertLess(ranked.index(self.zh_power.id), ranked.index(twin.id), "the stale twin drops below")

    def test_only_readable_and_logged(self):
        draft = self.make_article("开机自检失败", state="draft")
        self.assertIn(draft, self.Article.with_user(self.agent).kb_search("开机"))
        found = self.Article.with_user(self.portal_user).kb_search("开机", channel="portal")
        self.assertNotIn(draft, found)
        self.Article.with_user(self.agent).kb_search("蓝屏死机", channel="backend")
        logs = self.env["aftersales.kb.search.log"].search([], order="id")
        self.assertEqual(logs.mapped("query"), ["开机", "蓝屏死机"])
        self.assertEqual(logs.mapped("no_result"), [False, True])
        kpis = self.Article.with_user(self.agent).get_kb_kpis()
        self.assertEqual(kpis["no_result_searches"], [("蓝屏死机", 1)], "what to write next")
        self.assertEqual(kpis["by_state"], {"draft": 1, "review": 0, "published": 5, "archived": 0})

    def test_search_field_in_list_view(self):
        found = self.Article.with_user(self.agent).search([("search_query", "ilike", "屏幕")])
        self.assertEqual(found, self.zh_screen)

    def test_search_query_count(self):
        Article = self.Article.with_user(self.agent)
        Article.kb_search("开机")
        with self.assertQueryCount(4):  # the ranked search, the log and its id
            Article.kb_search("无法开机", channel="backend")

    def test_plan_uses_gin_index_on_10000_articles(self):
        """Insert 10,000 articles with varied documents, then check that the
        planner serves a two-character Chinese query and an English query from
        the GIN index (no sequential scan)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO aftersales_kb_article
                    (name, state, visibility, lang, company_id, review_interval_months, is_stale,
                     search_doc_title, search_doc_symptom, search_doc_body)
                SELECT 'Article ' || n, 'published', 'customer', 'en_US', %(company)s, 3, false,
                       'article w' || n || ' ' || chr(19968 + n %% 5000) || chr(19968 + (n * 7) %% 5000),
                       'symptom s' || (n %% 997), 'body b' || (n %% 1499)
                  FROM generate_series(1, 10000) n
                """,
                company=self.env.company.id,
            )
        )
        self.env.cr.execute("ANALYZE aftersales_kb_article")
        for text in ("开机", "power", "does not power on"):
            tsquery = build_tsquery(text)
            self.env.cr.execute(
                SQL(
                    "EXPLAIN SELECT id FROM aftersales_kb_article WHERE %s @@ to_tsquery('simple', %s)",
                    search_vector_sql("aftersales_kb_article"),
                    tsquery,
                )
            )
            plan = "\n".join(row[0] for row in self.env.cr.fetchall())
            self.assertIn("aftersales_kb_article_search_vector_idx", plan, plan)
            self.assertNotIn("Seq Scan", plan, plan)
        # and the ranked search still puts the real article first among them
        self.assertEqual(self.Article.kb_search("无法开机")[:1], self.zh_power)
