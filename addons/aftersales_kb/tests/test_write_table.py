from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KbCommon

ROLES = ("portal", "technician", "agent", "reviewer", "manager")
C, R, S = "content", "review planning", "system"
# Every stored field of the article and who may write it on a draft written by
# the agent. Content: the author and the reviewers; review planning: the
# reviewers; system: nobody (set by the workflow, the portal or the job).
ARTICLE_FIELDS = {
    "name": C,
    "symptom": C,
    "cause": C,
    "resolution": C,
    "tools": C,
    "precautions": C,
    "success_cases": C,
    "company_id": C,
    "tag_ids": C,
    "product_tmpl_ids": C,
    "fault_category_ids": C,
    "visibility": C,
    "lang": C,
    "reviewer_id": C,
    "user_id": R,
    "review_interval_months": R,
    "review_date": R,
    "state": S,
    "author_id": S,
    "published_by_id": S,
    "date_published": S,
    "is_stale": S,
    "date_stale": S,
    "version_ids": S,
    "source_ticket_id": S,
    "solved_ticket_ids": S,
    "solved_count": S,
    "vote_ids": S,
    "helpful_count": S,
    "unhelpful_count": S,
    "self_service_count": S,
    "search_doc_title": S,
    "search_doc_symptom": S,
    "search_doc_body": S,
}
ALLOWED = {
    "portal": set(),
    "technician": set(),  # not the author: the record rules refuse
    "agent": {C},
    "reviewer": {C, R},
    "manager": {C, R},
}
# Mixin and ORM fields: handled by mail and the ORM.
FRAMEWORK_PREFIXES = ("message_", "activity_", "create_", "write_")
FRAMEWORK_FIELDS = {"id", "website_message_ids", "rating_ids", "has_message", "my_activity_date_deadline"}

TICKET_FIELDS = {"kb_article_id": "agent", "kb_solved_date": S, "kb_first_contact": S, "kb_created_article_id": S}


@tagged("post_install", "-at_install")
class TestWriteTable(KbCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "portal": cls.portal_user,
            "technician": cls.tech_user_a,
            "agent": cls.agent,
            "reviewer": cls.reviewer,
            "manager": cls.kb_manager,
        }
        cls.tag = cls.env["aftersales.kb.tag"].create({"name": "Power", "kind": "problem_type"})
        cls.ticket = cls.create_ticket()
        cls.published = cls.make_article("Published one")

    def _value(self, article, name):
        field = article._fields[name]
        values = {
            "reviewer_id": self.reviewer_2.id,
            "user_id": self.reviewer_2.id,
            "author_id": self.reviewer_2.id,
            "published_by_id": self.reviewer_2.id,
            "company_id": self.env.company.id,
            "source_ticket_id": self.ticket.id,
            "tag_ids": [(6, 0, self.tag.ids)],
            "product_tmpl_ids": [(6, 0, self.laptop.product_tmpl_id.ids)],
            "fault_category_ids": [(6, 0, self.fault_power.ids)],
            "solved_ticket_ids": [(4, self.ticket.id)],
            "version_ids": [(5,)],
            "vote_ids": [(0, 0, {"partner_id": self.customer.id, "helpful": "yes"})],
        }
        if name in values:
            return values[name]
        by_type = {
            "char": "changed",
            "text": "changed",
            "html": "<p>changed</p>",
            "integer": 7,
            "boolean": True,
            "date": "2030-01-01",
            "datetime": "2030-01-01 10:00:00",
        }
        if field.type == "selection":
            return next(key for key, _label in field.selection if key != article[name])
        return by_type[field.type]

    def test_every_article_field_is_classified(self):
        article = self.Article.with_user(self.agent).create({"name": "Agent draft", "symptom": "<p>s</p>"})
        stored = {
            name
            for name, field in article._fields.items()
            if field.store and name not in FRAMEWORK_FIELDS and not name.startswith(FRAMEWORK_PREFIXES)
        }
        self.assertEqual(stored - set(ARTICLE_FIELDS), set(), "classify the new fields in ARTICLE_FIELDS")
        failures = []
        for role in ROLES:
            user = self.users[role]
            for name, kind in ARTICLE_FIELDS.items():
                value = self._value(article, name)
                try:
                    with self.env.cr.savepoint():
                        article.with_user(user).write({name: value})
                        article.env.flush_all()
                    allowed = True
                except (AccessError, UserError, ValidationError):
                    allowed = False
                article.invalidate_recordset()
                if allowed != (kind in ALLOWED[role]):
                    failures.append(f"{role} {'could' if allowed else 'could not'} write {name}")
        self.assertFalse(failures, "\n".join(failures))

    def test_published_content_only_for_reviewers(self):
        for role, allowed in (("agent", False), ("technician", False), ("reviewer", True), ("portal", False)):
            try:
                with self.env.cr.savepoint():
                    self.published.with_user(self.users[role]).write({"resolution": "<p>new</p>"})
                done = True
            except (AccessError, UserError):
                done = False
            self.assertEqual(done, allowed, role)

    def test_ticket_knowledge_fields(self):
        article = self.published
        ticket_values = {
            "kb_article_id": article.id,
            "kb_solved_date": "2030-01-01 10:00:00",
            "kb_first_contact": True,
            "kb_created_article_id": article.id,
        }
        for role in ("technician", "agent", "reviewer", "portal"):
            for name, kind in TICKET_FIELDS.items():
                try:
                    with self.env.cr.savepoint():
                        self.ticket.with_user(self.users[role]).write({name: ticket_values[name]})
                    allowed = True
                except (AccessError, UserError):
                    allowed = False
                # The ticket is of the Shanghai team: its agent and technician
                # may link an article; the reviewer is in no team of it.
                expected = kind != S and role in ("agent", "technician")
                self.assertEqual(allowed, expected, f"{role} {name}")
