from odoo.tests import tagged

from .common import KbCommon


@tagged("post_install", "-at_install")
class TestRanking(KbCommon):
    """The order an agent sees, pinned by named articles of the same length
    that differ only in where the query stands: title, then symptom, then
    the rest of the article. Ties go to the newest article, so each winner
    is created first: only its weight can put it on top."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        filler = "检查电源适配器 长按电源键"
        cls.in_title = cls.make_article("风扇异响处理", symptom=f"设备运行时有噪音 {filler}", resolution=filler)
        cls.in_symptom = cls.make_article("设备噪音处理", symptom=f"风扇异响 {filler}", resolution=filler)
        cls.in_body = cls.make_article(
            "设备噪音处理", symptom=f"设备运行时有噪音 {filler}", resolution=f"风扇异响 {filler}"
        )
        cls.en_title = cls.make_article(
            "Fan noise", symptom="The unit hums loudly when running.", resolution="Clean the vents.", lang="en_US"
        )
        cls.en_body = cls.make_article(
            "Loud unit",
            symptom="The unit hums loudly when running.",
            resolution="Clean the fan noise vents.",
            lang="en_US",
        )

    def test_title_outranks_symptom_outranks_body(self):
        # .ids: recordsets compare as sets, the order is what is tested
        self.assertEqual(
            self.Article.kb_search("风扇异响").ids, [self.in_title.id, self.in_symptom.id, self.in_body.id]
        )

    def test_english_title_outranks_body(self):
        self.assertEqual(self.Article.kb_search("fan noise").ids, [self.en_title.id, self.en_body.id])

    def test_stale_title_match_drops_below_a_fresh_symptom_match(self):
        self.in_title._write_facts({"is_stale": True})
        ranked = self.Article.kb_search("风扇异响")
        self.assertEqual(ranked[:1], self.in_symptom, "a stale article keeps only half of its relevance")

    def test_article_of_the_product_model_outranks_a_passing_mention(self):
        """The query "ProBook 无法开机": the article about the ProBook 14 comes first,
        ahead of a newer one of the same length that names the ProBook 14
        only in its text."""
        of_model = self.make_article(
            "无法开机的排查",
            symptom="按下电源键没有反应",
            resolution="检查电源适配器 长按电源键",
            product_tmpl_ids=[(4, self.laptop.product_tmpl_id.id)],
        )
        in_passing = self.make_article(
            "无法开机的排查",
            symptom="按下电源键没有反应",
            resolution="检查电源适配器 长按电源键 ProBook 14",
        )
        self.assertEqual(self.Article.kb_search("ProBook 无法开机").ids, [of_model.id, in_passing.id])
