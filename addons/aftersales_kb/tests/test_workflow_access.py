from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TITLE_ZH, KbCommon

# What a customer may read of an article: its content, not who wrote or
# reviewed it, how it is used or when it is reviewed, nor the names of
# records behind its relations.
PORTAL_FIELDS = {
    "id",
    "display_name",
    "name",
    "symptom",
    "cause",
    "resolution",
    "tools",
    "precautions",
    "company_id",
    "visibility",
    "lang",
    "state",
    "date_published",
    "is_stale",
    "search_query",
    "create_date",
    "write_date",
}


@tagged("post_install", "-at_install")
class TestWorkflowAccess(KbCommon):
    def _agent_draft(self):
        Article = self.Article.with_user(self.agent)
        return Article.create(
            {
                "name": TITLE_ZH,
                "symptom": "<p>按下电源键后设备没有反应 指示灯不亮。</p>",
                "resolution": "<ol><li>检查电源适配器</li><li>长按电源键 15 秒</li></ol>",
                "visibility": "customer",
                "reviewer_id": self.reviewer.id,
            }
        )

    def test_agent_drafts_reviewer_publishes(self):
        article = self._agent_draft()
        self.assertEqual(article.state, "draft")
        self.assertEqual(article.author_id, self.agent)

        # The author cannot publish, neither by the button nor by writing the state.
        with self.assertRaisesRegex(AccessError, "Only knowledge reviewers and managers can publish articles"):
            article.action_publish()
        with self.assertRaisesRegex(AccessError, "set by the system and cannot be changed: State"):
            article.write({"state": "published"})
        article.action_submit_review()
        self.assertEqual(article.state, "review")
        with self.assertRaisesRegex(AccessError, "Only knowledge reviewers and managers can publish articles"):
            article.action_publish()
        self.assertEqual(article.state, "review")
        activity = article.activity_ids
        self.assertEqual(activity.user_id, self.reviewer, "the reviewer is asked to review")

        # A reviewer publishes: review date a quarter later, first version kept.
        article.with_user(self.reviewer).action_publish()
        self.assertEqual(article.state, "published")
        self.assertEqual(article.published_by_id, self.reviewer)
        self.assertTrue(article.review_date)
        self.assertEqual((article.review_date - article.date_published.date()).days // 28, 3)
        self.assertEqual(article.version_ids.mapped("version"), [1])
        self.assertFalse(article.activity_ids, "the review request is done")

        # Published content is locked for the author; a reviewer's edit keeps both versions.
        with self.assertRaisesRegex(UserError, "is published: only a reviewer can change it"):
            article.write({"resolution": "<p>Something else</p>"})
        article.with_user(self.reviewer_2).write({"resolution": "<ol><li>检查电源适配器和插座</li></ol>"})
        self.assertEqual(article.version_ids.sorted("version").mapped("version"), [1, 2])
        latest = article.version_ids.sorted("version")[-1]
        self.assertEqual(latest.previous_id.version, 1)
        self.assertIn("插座", latest.comparison)
        self.assertIn("<added", latest.comparison, "the comparison marks what was added")

    def test_reviewer_cannot_publish_own_article(self):
        article = self.Article.with_user(self.reviewer).create(
            {"name": "Reviewer's own", "symptom": "<p>x</p>", "resolution": "<p>y</p>"}
        )
        article.action_submit_review()
        with self.assertRaisesRegex(AccessError, "another reviewer has to publish it"):
            article.action_publish()
        article.with_user(self.reviewer_2).action_publish()
        self.assertEqual(article.state, "published")

    def test_reviewer_is_not_author(self):
        with self.assertRaisesRegex(ValidationError, "wrote the article Self review and cannot review it"):
            self.Article.with_user(self.reviewer).create(
                {"name": "Self review", "symptom": "<p>x</p>", "reviewer_id": self.reviewer.id}
            )
        with self.assertRaisesRegex(ValidationError, "is not a knowledge reviewer"):
            self.Article.with_user(self.agent).create(
                {"name": "Not an expert", "symptom": "<p>x</p>", "reviewer_id": self.tech_user_a.id}
            )

    def test_submit_needs_symptom_and_resolution(self):
        article = self.Article.with_user(self.agent).create({"name": "Empty"})
        with self.assertRaisesRegex(UserError, "symptom and resolution"):
            article.action_submit_review()
        self.assertEqual(article.state, "draft", "nothing half-written")

    def test_agent_cannot_edit_others_drafts(self):
        article = self._agent_draft()
        with self.assertRaisesRegex(AccessError, r"doesn't have 'write' access to"):
            article.with_user(self.tech_user_a).write({"name": "Hijacked"})
        article.with_user(self.reviewer).write({"name": "Fixed title"})
        self.assertEqual(article.name, "Fixed title")

    def test_portal_never_sees_draft_or_internal(self):
        draft = self._agent_draft()
        internal = self.make_article("Internal wiring notes 内部接线", visibility="internal")
        public = self.make_article(TITLE_ZH + " FAQ", visibility="customer")
        archived = self.make_article("Old FAQ 旧问题", visibility="customer", state="archived")
        Article = self.Article.with_user(self.portal_user)
        # By RPC search and read
        visible = Article.search([])
        self.assertIn(public, visible)
        self.assertNotIn(draft, visible)
        self.assertNotIn(internal, visible)
        self.assertNotIn(archived, visible)
        for hidden in (draft, internal, archived):
            with self.assertRaisesRegex(AccessError, r"doesn't have 'read' access to"):
                hidden.with_user(self.portal_user).read(["name"])
        # By the full-text search
        self.assertEqual(Article.kb_search("开机"), public)
        self.assertFalse(Article.kb_search("内部接线"))
        # Names of employees and of other customers' tickets stay hidden: a
        # many2one would show the display name of a record they cannot read.
        for field_name in ("source_ticket_id", "solved_ticket_ids", "author_id", "reviewer_id", "vote_ids"):
            with self.assertRaisesRegex(AccessError, f'access the field "{field_name}"'):
                public.with_user(self.portal_user).read([field_name])
        self.assertEqual(public.with_user(self.portal_user).read(["name"])[0]["name"], public.name)
        # No write, create or unlink
        with self.assertRaisesRegex(AccessError, "You are not allowed to modify 'Knowledge Article'"):
            public.with_user(self.portal_user).write({"name": "x"})
        with self.assertRaisesRegex(AccessError, "You are not allowed to create 'Knowledge Article'"):
            Article.create({"name": "x"})
        with self.assertRaisesRegex(AccessError, "Only knowledge reviewers and managers can publish articles"):
            public.with_user(self.portal_user).action_publish()

    def test_portal_reads_no_internal_field(self):
        public = self.make_article(
            TITLE_ZH + " FAQ",
            tag_ids=[(0, 0, {"name": "Power", "kind": "problem_type"})],
            product_tmpl_ids=[(6, 0, self.laptop.product_tmpl_id.ids)],
            fault_category_ids=[(6, 0, self.fault_power.ids)],
            user_id=self.agent.id,
            reviewer_id=self.reviewer.id,
            success_cases="<p>Ticket of another customer, closed.</p>",
        )
        ticket = self.create_ticket(name="设备无法开机")
        ticket.write({"kb_article_id": public.id})
        self.env["aftersales.kb.vote"].create(
            {"article_id": public.id, "partner_id": self.customer.id, "helpful": "yes"}
        )
        Article = self.Article.with_user(self.portal_user)
        framework = ("message_", "activity_", "website_message_ids", "has_message", "rating_", "my_activity")
        visible = {name for name in Article.fields_get(attributes=["type"]) if not name.startswith(framework)}
        self.assertEqual(visible, PORTAL_FIELDS)
        for name in set(self.Article._fields) - PORTAL_FIELDS:
            if name.startswith(framework):
                continue
            with self.assertRaisesRegex(AccessError, f'access the field "{name}"', msg=name):
                public.with_user(self.portal_user).read([name])
        # What is left shows no name the customer may not read: their own company only.
        values = public.with_user(self.portal_user).read(sorted(PORTAL_FIELDS))[0]
        self.assertEqual(values["company_id"], (self.env.company.id, self.env.company.name))
        self.assertNotIn("Ticket of another customer", str(values))
        # Not through the web client's reads either.
        with self.assertRaisesRegex(AccessError, 'access the field "tag_ids"'):
            public.with_user(self.portal_user).web_read({"tag_ids": {"fields": {"display_name": {}}}})
        # Nor by searching, grouping or ordering on them.
        for domain in ([("author_id", "=", self.env.user.id)], [("solved_count", ">", 0)]):
            with self.assertRaisesRegex(AccessError, f'access the field "{domain[0][0]}"', msg=str(domain)):
                Article.search(domain)
        with self.assertRaisesRegex(AccessError, 'access the field "solved_count"'):
            Article.search([], order="solved_count desc")
