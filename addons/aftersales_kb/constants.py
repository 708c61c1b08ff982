"""Constants of the knowledge base that several files read: the article's
states and selections, who may write which field (the vocabulary of
``aftersales.write.rules.mixin``, see ``aftersales_ticket/write_rules.py``),
the groups and the ranking factors."""

from odoo.addons.aftersales_ticket.write_rules import FACT, OPEN, OPEN_FIELD

STATES = [
    ("draft", "Draft"),
    ("review", "In Review"),
    ("published", "Published"),
    ("archived", "Archived"),
]
VISIBILITIES = [("internal", "Internal"), ("customer", "Customers")]
LANGUAGES = [("zh_CN", "Chinese"), ("en_US", "English")]

# Internal to the team: who wrote, reviewed and owns an article, its review
# plan, how it is used, its classification and the tickets behind it. A
# many2one is read with its display name, which a customer must not see.
INTERNAL = "aftersales_ticket.group_aftersales_technician"
REVIEWER_GROUP = "aftersales_kb.group_aftersales_kb_reviewer"
MANAGER_GROUP = "aftersales_kb.group_aftersales_kb_manager"
REVIEW_ACTIVITY = "aftersales_kb.mail_activity_type_kb_review"

# The template of the knowledge documents, in display order.
TEMPLATE_FIELDS = ("name", "symptom", "cause", "resolution", "tools", "precautions", "success_cases")
# What the author edits while the article is a draft or in review; on a
# published article only reviewers and managers may change it.
CLASSIFICATION_FIELDS = ("tag_ids", "product_tmpl_ids", "fault_category_ids", "visibility", "lang")
CONTENT_FIELDS = frozenset((*TEMPLATE_FIELDS, *CLASSIFICATION_FIELDS, "reviewer_id", "company_id"))
# Review planning: proposed at creation, then changed by reviewers only.
REVIEW_PLAN_FIELDS = ("user_id", "review_interval_months", "review_date")
# Facts the workflow, the portal or the scheduled job set: nobody writes them.
FACT_FIELDS = (
    "state",
    "author_id",
    "published_by_id",
    "date_published",
    "is_stale",
    "date_stale",
    "source_ticket_id",
    "solved_count",
    "helpful_count",
    "unhelpful_count",
    "self_service_count",
    "search_doc_title",
    "search_doc_symptom",
    "search_doc_body",
    "version_ids",
    "vote_ids",
    "solved_ticket_ids",
)
# Who may set each stored field of an article: (on create, on write).
ARTICLE_WRITE_RULES = {
    **dict.fromkeys(CONTENT_FIELDS, OPEN_FIELD),
    **dict.fromkeys(REVIEW_PLAN_FIELDS, (OPEN, REVIEWER_GROUP)),
    **dict.fromkeys(FACT_FIELDS, FACT),
}

# Ranking.
STALE_FACTOR = 0.5  # a stale article keeps half of its relevance
USEFULNESS_FACTOR = 0.1  # x1.1 at 1 solved ticket, x1.3 at 20
SUGGEST_FALLBACK_CANDIDATES = 300
SEARCH_INDEX = "aftersales_kb_article_search_vector_idx"
