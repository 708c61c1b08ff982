from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import KbCommon


@tagged("post_install", "-at_install")
class TestStale(KbCommon):
    def test_stale_articles_flagged_once_with_one_reminder(self):
        with freeze_time("2026-01-10"):
            article = self.make_article("打印机卡纸", user_id=self.agent.id)
            fresh = self.make_article("屏幕闪烁", user_id=self.agent.id)
            draft = self.make_article("草稿文章", state="draft", user_id=self.agent.id)
        self.assertEqual(article.review_date, date(2026, 4, 10), "reviewed quarterly by default")
        with freeze_time("2026-04-20"):
            fresh.with_user(self.agent).action_confirm_review()
            self.assertEqual(fresh.review_date, date(2026, 7, 20))
            self.Article._cron_flag_stale()
            self.assertTrue(article.is_stale)
            self.assertEqual(article.date_stale, date(2026, 4, 20))
            self.assertFalse(fresh.is_stale, "confirmed by its owner")
            self.assertFalse(draft.is_stale, "only published articles go stale")
            reminders = self.env["mail.activity"].search(
                [("res_model", "=", "aftersales.kb.article"), ("res_id", "=", article.id)]
            )
            self.assertEqual(len(reminders), 1)
            self.assertEqual(reminders.user_id, self.agent, "the owner is reminded")
            # The next runs remind nobody again
            self.Article._cron_flag_stale()
            self.Article._cron_flag_stale()
            self.assertEqual(
                self.env["mail.activity"].search_count(
                    [("res_model", "=", "aftersales.kb.article"), ("res_id", "=", article.id)]
                ),
                1,
            )
            # Confirming the review clears the flag and the reminder
            article.with_user(self.agent).action_confirm_review()
            self.assertFalse(article.is_stale)
            self.assertFalse(article.activity_ids)
            kpis = self.Article.get_kb_kpis()
            self.assertEqual(kpis["stale"], 0)

    def test_cron_batches_query_count(self):
        with freeze_time("2026-01-10"):
            articles = self.env["aftersales.kb.article"]
            for index in range(6):
                articles |= self.make_article(f"Article {index}", user_id=self.agent.id)
        with freeze_time("2026-06-01"):
            self.env.flush_all()
            with self.assertQueryCount(40):
                flagged = self.Article._flag_stale_batch(3)
            self.assertEqual(flagged, 3)
            self.Article._cron_flag_stale(batch_size=3)
            self.assertTrue(all(articles.mapped("is_stale")))
