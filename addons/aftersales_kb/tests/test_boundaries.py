"""The review interval of an article at its boundary, on the company's
calendar (Asia/Shanghai, UTC+8: just after local midnight is still the
previous day in UTC, and the stale job runs as OdooBot, not as a user of the
company), and the interval changed at runtime."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import KbCommon


@tagged("post_install", "-at_install")
class TestStaleBoundary(KbCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"

    def _stale_at(self, article, moments):
        result = []
        for moment in moments:
            with freeze_time(moment):
                self.Article._cron_flag_stale()
            article.invalidate_recordset()
            result.append((moment, article.is_stale))
        return result

    def test_stale_from_the_day_after_its_review_day(self):
        with freeze_time("2026-01-10 02:00:00"):  # 10:00 in Shanghai
            article = self.make_article("打印机卡纸", user_id=self.agent.id)
        self.assertEqual(article.review_date, date(2026, 4, 10), "quarterly: reviewed on 10 April")
        moments = [
            "2026-04-09 04:00:00",  # the day before
            "2026-04-10 15:59:59",  # its review day, 23:59:59 in Shanghai
            "2026-04-10 16:00:00",  # 11 April 00:00 in Shanghai, still the 10th in UTC
        ]
        self.assertEqual(self._stale_at(article, moments), list(zip(moments, [False, False, True], strict=True)))
        self.assertEqual(article.date_stale, date(2026, 4, 11), "stale since the company's day")
        reminder = article.activity_ids
        self.assertEqual((len(reminder), reminder.date_deadline), (1, date(2026, 4, 11)))

    def test_review_interval_changed_at_runtime(self):
        with freeze_time("2026-01-10 02:00:00"):
            article = self.make_article("屏幕闪烁", user_id=self.agent.id)
            article.with_user(self.reviewer).review_interval_months = 1
            article.with_user(self.agent).action_confirm_review()
        self.assertEqual(article.review_date, date(2026, 2, 10), "one month from the review")
        moments = ["2026-02-10 15:59:59", "2026-02-10 16:00:00"]
        self.assertEqual(self._stale_at(article, moments), list(zip(moments, [False, True], strict=True)))
