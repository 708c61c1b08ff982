from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KbCommon


@tagged("post_install", "-at_install")
class TestTicketKnowledge(KbCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_sh.auto_dispatch = False
        # Same words everywhere: only the product and the fault type tell them apart.
        cls.art_generic = cls.make_article("开机无反应 Power failure", symptom="设备无法开机")
        cls.art_fault = cls.make_article(
            "开机无反应: 电源故障", symptom="设备无法开机", fault_category_ids=[(6, 0, cls.fault_power.ids)]
        )
        cls.art_product = cls.make_article(
            "ProBook 14 开机无反应",
            symptom="设备无法开机",
            product_tmpl_ids=[(6, 0, cls.laptop.product_tmpl_id.ids)],
            fault_category_ids=[(6, 0, cls.fault_power.ids)],
        )
        cls.art_printer = cls.make_article(
            "LaserJet 开机无反应",
            symptom="设备无法开机",
            product_tmpl_ids=[(6, 0, cls.printer.product_tmpl_id.ids)],
        )
        cls.art_draft = cls.make_article(
            "ProBook 14 无法开机 (草稿)",
            state="draft",
            product_tmpl_ids=[(6, 0, cls.laptop.product_tmpl_id.ids)],
            fault_category_ids=[(6, 0, cls.fault_power.ids)],
        )

    def test_suggestions_rank_product_and_fault_first(self):
        ticket = self.create_ticket(
            name="设备无法开机", fault_category_id=self.fault_power.id, description="<p>按电源键没有反应</p>"
        )
        suggested = ticket.with_user(self.agent).kb_suggested_article_ids
        self.assertEqual(suggested[:2].ids, [self.art_product.id, self.art_fault.id])
        self.assertIn(self.art_generic, suggested, "text matches come after")
        self.assertNotIn(self.art_draft, suggested, "only published articles are suggested")
        self.assertGreater(suggested.ids.index(self.art_printer.id), 1, "another product's article comes later")

        printer_ticket = self.create_ticket(name="设备无法开机", product_id=self.printer.id)
        self.assertEqual(printer_ticket.kb_suggested_article_ids[:1], self.art_printer)

    def test_suggestion_query_count(self):
        ticket = self.create_ticket(name="设备无法开机", fault_category_id=self.fault_power.id)
        ticket.invalidate_recordset(["kb_suggested_article_ids"])
        with self.assertQueryCount(16):  # reading the ticket, two candidate queries, names
            ticket.with_user(self.agent).kb_suggested_article_ids.mapped("name")

    def test_solved_by_article_counts(self):
        ticket = self.create_ticket(name="设备无法开机")
        self.assertFalse(ticket.technician_id)
        ticket.with_user(self.agent).write({"kb_article_id": self.art_product.id})
        self.assertEqual(self.art_product.solved_count, 1)
        self.assertTrue(ticket.kb_first_contact, "solved before a technician was sent")
        self.assertTrue(ticket.kb_solved_date)
        self.assertIn(ticket, self.art_product.solved_ticket_ids)

        dispatched = self.create_ticket(name="设备无法开机", technician_id=self.tech_a.id)
        dispatched.with_user(self.agent).write({"kb_article_id": self.art_product.id})
        self.assertEqual(self.art_product.solved_count, 2)
        self.assertFalse(dispatched.kb_first_contact, "a technician was already on it")

        ticket.with_user(self.agent).write({"kb_article_id": False})
        self.assertEqual(self.art_product.solved_count, 1)
        self.assertFalse(ticket.kb_first_contact)

        kpis = self.Article.with_user(self.agent).get_kb_kpis()
        self.assertEqual(kpis["most_used"][0][0], self.art_product.id)

    def test_solved_by_needs_published_and_facts_are_not_writable(self):
        ticket = self.create_ticket(name="设备无法开机")
        with self.assertRaisesRegex(
            UserError, "Only a published article can be marked as the one that solved a ticket"
        ):
            ticket.with_user(self.agent).write({"kb_article_id": self.art_draft.id})
        self.assertFalse(ticket.kb_article_id, "nothing half-written")
        for field_name, label, value in (
            ("kb_first_contact", "Solved at First Contact", True),
            ("kb_solved_date", "Solved by Article On", "2026-01-01 00:00:00"),
        ):
            with self.assertRaisesRegex(AccessError, f"set by the system and cannot be changed: {label}"):
                ticket.with_user(self.agent).write({field_name: value})

    def test_closed_ticket_becomes_draft_article(self):
        ticket = self.create_ticket(
            name="ProBook 14 开机后黑屏",
            description="<p>开机后屏幕全黑 风扇在转。</p>",
            fault_category_id=self.fault_screen.id,
        )
        with self.assertRaisesRegex(UserError, "not closed"):
            ticket.with_user(self.agent).action_kb_create_article()
        ticket.write(
            {
                "diagnosis": "<p>屏幕排线松动。</p>",
                "solution": "<p>重新插好屏幕排线并固定。</p>",
            }
        )
        ticket.action_waive_acceptance()
        ticket.write({"stage_id": self.stage["archive"].id})
        self.assertTrue(ticket.is_closed)
        action = ticket.with_user(self.agent).action_kb_create_article()
        article = self.Article.browse(action["res_id"])
        self.assertEqual(article.state, "draft")
        self.assertEqual(article.author_id, self.agent)
        self.assertEqual(article.name, "ProBook 14 开机后黑屏")
        self.assertIn("风扇在转", article.symptom)
        self.assertIn("屏幕排线松动", article.cause)
        self.assertIn("重新插好屏幕排线", article.resolution)
        self.assertEqual(article.product_tmpl_ids, self.laptop.product_tmpl_id)
        self.assertEqual(article.fault_category_ids, self.fault_screen)
        self.assertEqual(article.source_ticket_id, ticket, "the article links to its ticket")
        self.assertEqual(ticket.kb_created_article_id, article, "the ticket links to its article")
        # A second click opens the same article
        again = ticket.with_user(self.agent).action_kb_create_article()
        self.assertEqual(again["res_id"], article.id)
        self.assertEqual(self.Article.search_count([("source_ticket_id", "=", ticket.id)]), 1)
