import re

from odoo.addons.aftersales_ticket.write_rules import SYSTEM
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KbCommon

ROLES = ("portal", "technician", "agent", "reviewer", "kb_manager", "manager")
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
    "kb_manager": {C, R},
    "manager": {C, R},
}
# On a published article, content is the reviewers' (the author reworks it
# through "Rework", back to draft).
ALLOWED_PUBLISHED = {
    "portal": set(),
    "technician": set(),
    "agent": set(),
    "reviewer": {C, R},
    "kb_manager": {C, R},
    "manager": {C, R},
}
REVIEWERS = {"reviewer", "kb_manager", "manager"}
# Each public action of an article: the state it is called in and the roles
# that may call it. The article was written by the agent, who owns it.
ARTICLE_ACTIONS = {
    ("action_submit_review", "draft"): {"agent"} | REVIEWERS,
    ("action_publish", "review"): REVIEWERS,
    ("action_publish", "draft"): {"kb_manager", "manager"},  # straight to published
    ("action_reject", "review"): REVIEWERS,
    ("action_reset_draft", "published"): {"agent"} | REVIEWERS,
    ("action_archive_article", "published"): REVIEWERS,
    ("action_confirm_review", "published"): {"agent"} | REVIEWERS,
}
# Actions on a closed ticket of the Shanghai team: whoever may work on the
# ticket (its technician, the agents, the managers; the knowledge manager of
# the tests is an agent too); a reviewer is a technician of no team of it.
# Who refuses the ticket actions: the portal user has no write access to
# tickets and cannot read their technician (read before the article is
# linked); the reviewer is in no team of the ticket (record rules).
TICKET_READ_REFUSAL = {
    "portal": 'access the field "technician_id" on After-sales Ticket',
    "reviewer": r"doesn't have 'read' access to:\n- After-sales Ticket",
}
TICKET_ACTION_REFUSAL = {
    "action_kb_create_article": {
        "portal": "You are not allowed to modify 'After-sales Ticket'",
        "reviewer": r"doesn't have 'write' access to:\n- After-sales Ticket",
    },
    "link_solved_by_article": TICKET_READ_REFUSAL,
}
TICKET_FIELD_REFUSAL = TICKET_READ_REFUSAL
TICKET_ACTIONS = {
    "action_kb_create_article": {"technician", "agent", "kb_manager", "manager"},
    "link_solved_by_article": {"technician", "agent", "kb_manager", "manager"},
}


# What refuses a write, by role and kind of field: a portal user has no write
# access to articles at all, a technician who is not the author is refused by
# the record rules, review planning and facts by the write rules of the mixin,
# published content by the lock of published articles. Each refusal must be
# the one meant, not any error.
ACL_WRITE = "You are not allowed to modify 'Knowledge Article'"
RULE_WRITE = "doesn't have 'write' access to"
NOT_REVIEWER = "You are not allowed to set these fields of Knowledge Article"
FACT_REFUSED = "set by the system and cannot be changed"
PUBLISHED_LOCK = "is published: only a reviewer can change it"
CONTENT_REFUSAL = {"portal": ACL_WRITE, "technician": RULE_WRITE}
PUBLISHED_CONTENT_REFUSAL = {**CONTENT_REFUSAL, "agent": PUBLISHED_LOCK}
# Each refused action: who refuses (the action's own check, or the access
# rights and record rules for a user who may not write the article at all).
NOT_PUBLISHER = "Only knowledge reviewers and managers can publish articles"
ACTION_REFUSAL = {
    "action_submit_review": CONTENT_REFUSAL,
    "action_publish": {"portal": NOT_PUBLISHER, "technician": NOT_PUBLISHER, "agent": NOT_PUBLISHER},
    "action_reject": dict.fromkeys(ROLES, "Only knowledge reviewers can send an article back to its author"),
    # portal and technician are refused by the access rights and record rules
    # before the action's own check ("Only the author or a reviewer can rework").
    "action_reset_draft": CONTENT_REFUSAL,
    "action_archive_article": dict.fromkeys(ROLES, "Only knowledge reviewers can archive articles"),
    # portal: refused on reading the owner (user_id), a field of employees only.
    "action_confirm_review": {
        "portal": 'access the field "user_id"',
        "technician": "Only the owner or a reviewer can confirm an article is up to date",
    },
}
# A reviewer may publish from review only: straight from draft is the knowledge managers'.
DRAFT_PUBLISH_REFUSAL = {**ACTION_REFUSAL["action_publish"], "reviewer": "Publishing is not possible for .* Draft"}


def field_refusal(role, kind, published=False):
    """The message that must refuse ``role`` writing a field of ``kind``."""
    if kind == S:
        return FACT_REFUSED
    if kind == R:
        return NOT_REVIEWER
    return (PUBLISHED_CONTENT_REFUSAL if published else CONTENT_REFUSAL)[role]


class Allowed(Exception):
    """Raised after a call that passed, to roll its effects back."""


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
            "kb_manager": cls.kb_manager,
            "manager": cls.manager,
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
                except (AccessError, UserError, ValidationError) as error:
                    allowed = False
                    if kind not in ALLOWED[role] and not re.search(field_refusal(role, kind), str(error)):
                        failures.append(f"{role} refused {name} for another reason: {error}")
                article.invalidate_recordset()
                if allowed != (kind in ALLOWED[role]):
                    failures.append(f"{role} {'could' if allowed else 'could not'} write {name}")
        self.assertFalse(failures, "\n".join(failures))

    def test_rules_of_the_mixin(self):
        """The model's table says the same as this one, and its facts are
        refused even to a plain sudo(): only the workflow's _write_facts()."""
        rules = self.Article._field_write_rules()
        for kind, on_write in ((S, SYSTEM), (R, "aftersales_kb.group_aftersales_kb_reviewer")):
            self.assertEqual(
                {name for name, (_create, write) in rules.items() if write == on_write},
                {name for name, value in ARTICLE_FIELDS.items() if value == kind},
                kind,
            )
        with self.assertRaisesRegex(AccessError, "set by the system"):
            self.published.sudo().write({"state": "draft"})
        with self.assertRaisesRegex(AccessError, "set by the system"):
            self.Article.sudo().create({"name": "Straight to published", "state": "published"})
        self.assertEqual(self.published.state, "published")
        self.published._write_facts({"is_stale": True})
        self.assertTrue(self.published.is_stale)

    def _allowed(self, call, check=None, refusal=None):
        """Whether ``call`` passes (then ``check`` runs, and everything is
        rolled back); a refusal is an access error of our own checks or of
        the record rules, or a user error of the workflow (wrong state),
        and must match ``refusal`` (a regular expression)."""
        try:
            with self.env.cr.savepoint():
                call()
                self.env.flush_all()
                if check:
                    check()
                raise Allowed
        except Allowed:
            allowed = True
        except UserError as error:  # AccessError included
            allowed = False
            if refusal is not None:
                with self.subTest(refusal=refusal):
                    self.assertRegex(str(error), refusal, "refused for another reason")
        self.env.invalidate_all()
        return allowed

    def test_published_fields_only_for_reviewers(self):
        # The agent's own article: only the lock of published content refuses
        # the agent (the record rules let an author write their articles).
        published = self._article_in("published")
        failures = []
        for role in ROLES:
            user = self.users[role]
            for name, kind in ARTICLE_FIELDS.items():
                if kind == S:
                    continue
                value = self._value(published, name)
                try:
                    with self.env.cr.savepoint():
                        published.with_user(user).write({name: value})
                        self.env.flush_all()
                    allowed = True
                except (AccessError, UserError) as error:
                    allowed = False
                    if kind not in ALLOWED_PUBLISHED[role] and not re.search(
                        field_refusal(role, kind, published=True), str(error)
                    ):
                        failures.append(f"{role} refused {name} once published for another reason: {error}")
                published.invalidate_recordset()
                if allowed != (kind in ALLOWED_PUBLISHED[role]):
                    failures.append(f"{role} {'could' if allowed else 'could not'} write {name} once published")
        self.assertFalse(failures, "\n".join(failures))

    def _article_in(self, state):
        article = self.Article.with_user(self.agent).create(
            {
                "name": f"Agent article {state}",
                "symptom": "<p>s</p>",
                "resolution": "<p>r</p>",
                "visibility": "customer",
            }
        )
        if state in ("review", "published"):
            article.action_submit_review()
        if state == "published":
            article.with_user(self.reviewer).action_publish()
        self.assertEqual(article.state, state)
        return article

    def test_article_actions(self):
        expected_state = {
            "action_submit_review": "review",
            "action_publish": "published",
            "action_reject": "draft",
            "action_reset_draft": "draft",
            "action_archive_article": "archived",
            "action_confirm_review": "published",
        }
        failures = []
        for (action, state), roles in ARTICLE_ACTIONS.items():
            article = self._article_in(state)
            for role in ROLES:
                record = article.with_user(self.users[role])
                refusals = (
                    DRAFT_PUBLISH_REFUSAL if (action, state) == ("action_publish", "draft") else ACTION_REFUSAL[action]
                )
                allowed = self._allowed(
                    lambda record=record, action=action: getattr(record, action)(),
                    lambda action=action, article=article: self.assertEqual(article.state, expected_state[action]),
                    refusal=refusals.get(role, "no refusal expected"),
                )
                self.assertEqual(article.state, state, "refused or rolled back: nothing changed")
                if allowed != (role in roles):
                    failures.append(f"{role} {'could' if allowed else 'could not'} {action} an article in {state}")
        self.assertFalse(failures, "\n".join(failures))

    def test_ticket_actions(self):
        ticket = self.create_ticket(name="设备无法开机", diagnosis="<p>电源坏了</p>", solution="<p>换电源</p>")
        ticket.action_waive_acceptance()
        ticket.write({"stage_id": self.stage["archive"].id})
        self.assertTrue(ticket.is_closed)
        calls = {
            "action_kb_create_article": lambda t: t.action_kb_create_article(),
            "link_solved_by_article": lambda t: t.write({"kb_article_id": self.published.id}),
        }
        failures = []
        for action, roles in TICKET_ACTIONS.items():
            for role in ROLES:
                record = ticket.with_user(self.users[role])
                allowed = self._allowed(
                    lambda record=record, action=action: calls[action](record),
                    refusal=TICKET_ACTION_REFUSAL[action].get(role, "no refusal expected"),
                )
                if allowed != (role in roles):
                    failures.append(f"{role} {'could' if allowed else 'could not'} {action}")
        self.assertFalse(failures, "\n".join(failures))

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
                except (AccessError, UserError) as error:
                    allowed = False
                    with self.subTest(role=role, field=name):
                        refusal = FACT_REFUSED if kind == S else TICKET_FIELD_REFUSAL[role]
                        self.assertRegex(str(error), refusal, f"{role} {name}")
                # The ticket is of the Shanghai team: its agent and technician
                # may link an article; the reviewer is in no team of it.
                expected = kind != S and role in ("agent", "technician")
                self.assertEqual(allowed, expected, f"{role} {name}")
