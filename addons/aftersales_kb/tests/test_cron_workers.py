from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, freeze_time, tagged


@tagged("post_install", "-at_install")
class TestStaleWorkers(TransactionCase):
    """Two cron workers (two cursors) run the stale-article job at the same
    moment: each article is flagged once and its owner reminded once; the
    worker that loses the race stops without an error."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr, freeze_time("2026-01-10"):
            env = api.Environment(cr, SUPERUSER_ID, {})
            articles = env["aftersales.kb.article"].create(
                [
                    {
                        "name": f"Stale race article {index}",
                        "symptom": "<p>Stale race</p>",
                        "resolution": "<p>Follow the steps.</p>",
                        "visibility": "customer",
                        "user_id": env.ref("base.user_admin").id,
                    }
                    for index in range(6)
                ]
            )
            for article in articles:
                article.action_publish()
            self.article_ids = articles.ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["aftersales.kb.article"].browse(self.article_ids).activity_ids.unlink()
            # Published articles are kept by the application (archived, not
            # deleted): the test's own rows go with SQL, versions by cascade.
            cr.execute("DELETE FROM aftersales_kb_article WHERE id = ANY(%s)", [self.article_ids])

    def _state(self, cr):
        cr.execute(
            "SELECT k.is_stale, (SELECT count(*) FROM mail_activity a "
            "WHERE a.res_model = 'aftersales.kb.article' AND a.res_id = k.id) "
            "FROM aftersales_kb_article k WHERE k.id = ANY(%s) ORDER BY k.id",
            [self.article_ids],
        )
        return cr.fetchall()

    def test_second_worker_skips_the_articles_the_first_holds(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2, freeze_time("2026-04-20"):
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            # worker 1 has claimed a first batch and is still working on it ...
            self.assertEqual(env1["aftersales.kb.article"]._flag_stale_batch(2), 2)
            env1.flush_all()
            # ... while worker 2 runs the whole job: it takes the four others
            env2["aftersales.kb.article"]._cron_flag_stale(batch_size=2)
            cr2.commit()  # pylint: disable=invalid-commit
            cr1.commit()  # pylint: disable=invalid-commit
            for cr, env in ((cr1, env1), (cr2, env2)):
                env.invalidate_all()
                env["aftersales.kb.article"]._cron_flag_stale()
                cr.commit()  # pylint: disable=invalid-commit
            self.assertEqual(self._state(cr1), [(True, 1)] * 6, "each article flagged once, one reminder")

    def test_worker_started_before_the_other_commits_stops(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2, freeze_time("2026-04-20"):
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SELECT 1")  # worker 2's transaction (and snapshot) has started
            env1["aftersales.kb.article"]._cron_flag_stale()
            cr1.commit()  # pylint: disable=invalid-commit
            # worker 2 still sees the articles as due: its claim is refused, it stops
            env2["aftersales.kb.article"]._cron_flag_stale()
            cr2.commit()  # pylint: disable=invalid-commit
            self.assertEqual(self._state(cr2), [(True, 1)] * 6)
