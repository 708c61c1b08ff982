from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, sql

from ..tools import (
    build_document,
    build_tsquery,
    cap_query,
    html_query,
    search_vector_expression,
    search_vector_sql,
)

STATES = [
    ("draft", "Draft"),
    ("review", "In Review"),
    ("published", "Published"),
    ("archived", "Archived"),
]
VISIBILITIES = [("internal", "Internal"), ("customer", "Customers")]
LANGUAGES = [("zh_CN", "Chinese"), ("en_US", "English")]

# The template of the knowledge documents, in display order.
TEMPLATE_FIELDS = ("name", "symptom", "cause", "resolution", "tools", "precautions", "success_cases")
# What the author edits while the article is a draft or in review; on a
# published article only reviewers and managers may change it.
CLASSIFICATION_FIELDS = ("tag_ids", "product_tmpl_ids", "fault_category_ids", "visibility", "lang")
CONTENT_FIELDS = frozenset((*TEMPLATE_FIELDS, *CLASSIFICATION_FIELDS, "reviewer_id", "company_id"))
# Review planning: reviewers and managers only.
REVIEWER_FIELDS = frozenset(("user_id", "review_interval_months", "review_date"))
# Facts the workflow, the portal or the scheduled job set: never written by users.
SYSTEM_FIELDS = frozenset(
    (
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
)
# Internal to the team: who wrote, reviewed and owns an article, its review
# plan, how it is used, its classification and the tickets behind it. A
# many2one is read with its display name, which a customer must not see.
INTERNAL = "aftersales_ticket.group_aftersales_technician"
STALE_FACTOR = 0.5  # a stale article keeps half of its relevance
SUGGEST_FALLBACK_CANDIDATES = 300
USEFULNESS_FACTOR = 0.1  # x1.1 at 1 solved ticket, x1.3 at 20
SEARCH_INDEX = "aftersales_kb_article_search_vector_idx"
REVIEW_ACTIVITY = "aftersales_kb.mail_activity_type_kb_review"


class AftersalesKbArticle(models.Model):
    _name = "aftersales.kb.article"
    _description = "Knowledge Article"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_published desc, id desc"

    # Template
    name = fields.Char(string="Title", required=True, tracking=True)
    symptom = fields.Html(string="Symptom", help="What the customer sees or reports.")
    cause = fields.Html(string="Cause (Diagnosis)")
    resolution = fields.Html(string="Resolution Steps")
    tools = fields.Html(string="Tools Required")
    precautions = fields.Html()
    success_cases = fields.Html(string="Success Cases", groups=INTERNAL)

    # Classification
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    tag_ids = fields.Many2many("aftersales.kb.tag", string="Tags", groups=INTERNAL)
    product_tmpl_ids = fields.Many2many(
        "product.template",
        "aftersales_kb_article_product_template_rel",
        "article_id",
        "product_template_id",
        string="Products",
        check_company=True,
        groups=INTERNAL,
    )
    fault_category_ids = fields.Many2many(
        "aftersales.fault.category",
        "aftersales_kb_article_fault_category_rel",
        "article_id",
        "fault_category_id",
        string="Fault Types",
        groups=INTERNAL,
    )
    visibility = fields.Selection(VISIBILITIES, required=True, default="internal", tracking=True)
    lang = fields.Selection(
        LANGUAGES, string="Language", required=True, default=lambda self: self._default_lang(), tracking=True
    )

    # Workflow
    state = fields.Selection(STATES, required=True, default="draft", readonly=True, tracking=True, index=True)
    author_id = fields.Many2one(
        "res.users", string="Author", readonly=True, default=lambda self: self.env.user, index=True, groups=INTERNAL
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
        help="Keeps the article up to date and gets the review reminders.",
        groups=INTERNAL,
    )
    reviewer_id = fields.Many2one(
        "res.users",
        string="Reviewer",
        tracking=True,
        domain=lambda self: [("all_group_ids", "in", self.env.ref("aftersales_kb.group_aftersales_kb_reviewer").ids)],
        help="The expert who checks the article before it is published; not the author.",
        groups=INTERNAL,
    )
    published_by_id = fields.Many2one("res.users", string="Published By", readonly=True, groups=INTERNAL)
    date_published = fields.Datetime(string="Published On", readonly=True, copy=False)
    review_interval_months = fields.Integer(string="Review Every (Months)", default=3, groups=INTERNAL)
    review_date = fields.Date(string="Next Review", tracking=True, copy=False, groups=INTERNAL)
    is_stale = fields.Boolean(
        string="Stale",
        readonly=True,
        copy=False,
        index=True,
        help="Past its review date: ranked lower in searches.",
        groups=INTERNAL,
    )
    date_stale = fields.Date(string="Stale Since", readonly=True, copy=False, groups=INTERNAL)

    # History and usage
    version_ids = fields.One2many("aftersales.kb.article.version", "article_id", string="Versions", groups=INTERNAL)
    version_count = fields.Integer(compute="_compute_version_count", groups=INTERNAL)
    source_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Written From Ticket",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=INTERNAL,
    )
    solved_ticket_ids = fields.One2many("aftersales.ticket", "kb_article_id", string="Solved Tickets", groups=INTERNAL)
    solved_count = fields.Integer(
        string="Tickets Solved",
        compute="_compute_solved_count",
        store=True,
        aggregator="sum",
        copy=False,
        groups=INTERNAL,
    )
    vote_ids = fields.One2many("aftersales.kb.vote", "article_id", string="Customer Feedback", groups=INTERNAL)
    helpful_count = fields.Integer(
        compute="_compute_vote_counts", store=True, aggregator="sum", copy=False, groups=INTERNAL
    )
    unhelpful_count = fields.Integer(
        string="Not Helpful Count",
        compute="_compute_vote_counts",
        store=True,
        aggregator="sum",
        copy=False,
        groups=INTERNAL,
    )
    self_service_count = fields.Integer(
        string="Solved by Self-service",
        compute="_compute_vote_counts",
        store=True,
        aggregator="sum",
        copy=False,
        help="Customers who said this article solved their problem without a ticket.",
        groups=INTERNAL,
    )
    # Who created and last changed the article: employees' names, internal too.
    create_uid = fields.Many2one("res.users", string="Created by", readonly=True, groups=INTERNAL)
    write_uid = fields.Many2one("res.users", string="Last Updated by", readonly=True, groups=INTERNAL)

    # Search documents (see tools/search_text.py), indexed below.
    search_doc_title = fields.Text(
        compute="_compute_search_docs", store=True, prefetch=False, copy=False, groups=INTERNAL
    )
    search_doc_symptom = fields.Text(
        compute="_compute_search_docs", store=True, prefetch=False, copy=False, groups=INTERNAL
    )
    search_doc_body = fields.Text(
        compute="_compute_search_docs", store=True, prefetch=False, copy=False, groups=INTERNAL
    )
    search_query = fields.Char(
        string="Search", compute="_compute_search_query", search="_search_search_query", store=False
    )

    _published_review_idx = models.Index("(review_date) WHERE state = 'published' AND is_stale IS NOT TRUE")
    _review_interval_positive = models.Constraint(
        "CHECK (review_interval_months > 0)", "The review interval must be at least one month."
    )

    def init(self):  # pylint: disable=missing-return
        super().init()
        # The weighted search vector is a generated column: PostgreSQL keeps it
        # in step with the search documents the ORM writes, and GIN indexes it.
        cr = self.env.cr
        if not sql.column_exists(cr, self._table, "search_vector"):
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (%s) STORED",
                    SQL.identifier(self._table),
                    search_vector_expression(),
                )
            )
        cr.execute(
            SQL(
                # Without the pending list of fastupdate, new articles are in
                # the index at once and the planner costs it right.
                "CREATE INDEX IF NOT EXISTS %s ON %s USING gin (search_vector) WITH (fastupdate = off)",
                SQL.identifier(SEARCH_INDEX),
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _default_lang(self):
        return "zh_CN" if (self.env.lang or "").startswith("zh") else "en_US"

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_version_count(self):
        counts = dict(
            self.env["aftersales.kb.article.version"]._read_group(
                [("article_id", "in", self.ids)], ["article_id"], ["__count"]
            )
        )
        for article in self:
            article.version_count = counts.get(article, 0)

    @api.depends("solved_ticket_ids")
    def _compute_solved_count(self):
        counts = dict(
            self.env["aftersales.ticket"]
            .sudo()
            .with_context(active_test=False)
            ._read_group([("kb_article_id", "in", self.ids)], ["kb_article_id"], ["__count"])
        )
        for article in self:
            article.solved_count = counts.get(article, 0)

    @api.depends("vote_ids.helpful", "vote_ids.solved")
    def _compute_vote_counts(self):
        groups = (
            self.env["aftersales.kb.vote"]
            .sudo()
            ._read_group([("article_id", "in", self.ids)], ["article_id", "helpful", "solved"], ["__count"])
        )
        counts = {}
        for article, helpful, solved, count in groups:
            values = counts.setdefault(article, {"yes": 0, "no": 0, "solved": 0})
            if helpful:
                values[helpful] += count
            if solved:
                values["solved"] += count
        for article in self:
            values = counts.get(article, {"yes": 0, "no": 0, "solved": 0})
            article.helpful_count = values["yes"]
            article.unhelpful_count = values["no"]
            article.self_service_count = values["solved"]

    @api.depends(
        "name",
        "symptom",
        "cause",
        "resolution",
        "tools",
        "precautions",
        "success_cases",
        "tag_ids.name",
        "product_tmpl_ids.name",
        "fault_category_ids.name",
    )
    def _compute_search_docs(self):
        for article in self:
            article.search_doc_title = build_document(article.name, *article.tag_ids.mapped("name"))
            article.search_doc_symptom = build_document(article.symptom, html=True)
            article.search_doc_body = " ".join(
                filter(
                    None,
                    (
                        build_document(
                            article.cause,
                            article.resolution,
                            article.tools,
                            article.precautions,
                            article.success_cases,
                            html=True,
                        ),
                        build_document(
                            *article.product_tmpl_ids.mapped("name"), *article.fault_category_ids.mapped("name")
                        ),
                    ),
                )
            )

    def _compute_search_query(self):
        self.search_query = False

    def _search_search_query(self, operator, value):
        if operator not in ("ilike", "=") or not isinstance(value, str):
            return NotImplemented
        tsquery = build_tsquery(cap_query(value))
        if not tsquery:
            return Domain.TRUE
        return self._match_domain(tsquery)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("reviewer_id", "author_id")
    def _check_reviewer(self):
        reviewer_group = self.env.ref("aftersales_kb.group_aftersales_kb_reviewer")
        for article in self:
            if not article.reviewer_id:
                continue
            if article.reviewer_id == article.author_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s wrote the article %(article)s and cannot review it: choose another expert.",
                        user=article.reviewer_id.name,
                        article=article.name,
                    )
                )
            if reviewer_group not in article.reviewer_id.sudo().all_group_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a knowledge reviewer: choose a member of the reviewer group.",
                        user=article.reviewer_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.check_access("create")
            for vals in vals_list:
                self._check_field_rights(set(vals), self.browse())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.check_access("write")
            self._check_field_rights(set(vals), self)
        res = super().write(vals)
        if not self.env.context.get("kb_no_version") and set(TEMPLATE_FIELDS).intersection(vals):
            self.filtered(lambda a: a.state == "published")._create_versions()
        return res

    @api.model
    def _is_reviewer(self, user=None):
        return (user or self.env.user).has_group("aftersales_kb.group_aftersales_kb_reviewer")

    @api.model
    def _is_kb_manager(self, user=None):
        return (user or self.env.user).has_group("aftersales_kb.group_aftersales_kb_manager")

    def _check_field_rights(self, field_names, articles):
        """Refuse what the current user may not write on ``articles`` (empty:
        a creation). Row access itself is left to the ACLs and record rules."""
        system = sorted(field_names & SYSTEM_FIELDS)
        if system:
            raise AccessError(
                self.env._(
                    "You cannot set %(fields)s: the review workflow sets them.",
                    fields=", ".join(self._fields[name]._description_string(self.env) for name in system),
                )
            )
        if self._is_reviewer():
            return
        planning = sorted(field_names & REVIEWER_FIELDS)
        if planning and articles:
            raise AccessError(
                self.env._(
                    "Only knowledge reviewers can change %(fields)s.",
                    fields=", ".join(self._fields[name]._description_string(self.env) for name in planning),
                )
            )
        if field_names & CONTENT_FIELDS:
            locked = articles.filtered(lambda a: a.state in ("published", "archived"))
            if locked:
                raise UserError(
                    self.env._(
                        "The article %(article)s is published: only a reviewer can change it. "
                        "Ask a reviewer, or send it back to draft first.",
                        article=locked[0].name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_published(self):
        if any(article.state in ("published", "archived") or article.solved_count for article in self):
            raise UserError(
                self.env._("Published articles and articles that solved tickets are kept: archive them instead.")
            )

    # ------------------------------------------------------------------
    # Versions
    # ------------------------------------------------------------------

    def _create_versions(self):
        if not self:
            return self.env["aftersales.kb.article.version"]
        last = {
            article.id: number
            for article, number in self.env["aftersales.kb.article.version"]
            .sudo()
            ._read_group([("article_id", "in", self.ids)], ["article_id"], ["version:max"])
        }
        return (
            self.env["aftersales.kb.article.version"]
            .sudo()
            .create(
                [
                    {
                        "article_id": article.id,
                        "version": last.get(article.id, 0) + 1,
                        "user_id": self.env.user.id,
                        **{name: article[name] for name in TEMPLATE_FIELDS},
                    }
                    for article in self
                ]
            )
        )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda a: a.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(action)s is not possible for %(article)s in the state %(state)s.",
                    action=action,
                    article=wrong[0].name,
                    state=dict(self._fields["state"]._description_selection(self.env))[wrong[0].state],
                )
            )

    def action_submit_review(self):
        self.check_access("write")
        self._check_state(("draft",), self.env._("Submitting for review"))
        for article in self:
            if not (article.symptom and article.resolution):
                raise UserError(
                    self.env._(
                        "The article %(article)s needs at least a symptom and resolution steps before review.",
                        article=article.name,
                    )
                )
        self.sudo().write({"state": "review"})
        for article in self.filtered("reviewer_id"):
            article.sudo().activity_schedule(
                act_type_xmlid="aftersales_kb.mail_activity_type_kb_review",
                user_id=article.reviewer_id.id,
                summary=self.env._("Review the article %(article)s", article=article.name),
            )
        return True

    def _check_can_publish(self):
        if self.env.su:
            return
        if not self._is_reviewer():
            raise AccessError(self.env._("Only knowledge reviewers and managers can publish articles."))
        if not self._is_kb_manager():
            own = self.filtered(lambda a: a.author_id == self.env.user)
            if own:
                raise AccessError(
                    self.env._(
                        "You wrote %(article)s: another reviewer has to publish it.",
                        article=own[0].name,
                    )
                )

    def action_publish(self):
        self._check_can_publish()
        self.check_access("write")
        self._check_state(
            ("review", "draft") if self._is_kb_manager() or self.env.su else ("review",), self.env._("Publishing")
        )
        today = fields.Date.context_today(self)
        for article in self:
            article.sudo().write(
                {
                    "state": "published",
                    "published_by_id": self.env.user.id,
                    "date_published": fields.Datetime.now(),
                    "review_date": today + relativedelta(months=article.review_interval_months or 3),
                    "is_stale": False,
                    "date_stale": False,
                }
            )
        self._create_versions()
        self.sudo().activity_unlink([REVIEW_ACTIVITY], only_automated=False)
        return True

    def action_reject(self):
        if not self._is_reviewer():
            raise AccessError(self.env._("Only knowledge reviewers can send an article back to its author."))
        self._check_state(("review",), self.env._("Sending back to the author"))
        self.sudo().write({"state": "draft"})
        self.sudo().activity_unlink([REVIEW_ACTIVITY], only_automated=False)
        return True

    def action_reset_draft(self):
        """Take a published or archived article back to draft to rework it."""
        self.check_access("write")
        if not self._is_reviewer() and any(a.author_id != self.env.user for a in self):
            raise AccessError(self.env._("Only the author or a reviewer can rework an article."))
        self._check_state(("published", "archived", "review"), self.env._("Reworking"))
        self.sudo().write({"state": "draft", "is_stale": False, "date_stale": False})
        return True

    def action_archive_article(self):
        if not self._is_reviewer():
            raise AccessError(self.env._("Only knowledge reviewers can archive articles."))
        self._check_state(("published", "draft", "review"), self.env._("Archiving"))
        self.sudo().write({"state": "archived"})
        return True

    def action_confirm_review(self):
        """The owner or a reviewer checked the article: it stays valid for
        another review interval and is no longer stale."""
        self.check_access("read")
        if not self._is_reviewer() and any(a.user_id != self.env.user for a in self):
            raise AccessError(self.env._("Only the owner or a reviewer can confirm an article is up to date."))
        self._check_state(("published",), self.env._("Confirming the review"))
        today = fields.Date.context_today(self)
        for article in self:
            article.sudo().write(
                {
                    "review_date": today + relativedelta(months=article.review_interval_months or 3),
                    "is_stale": False,
                    "date_stale": False,
                }
            )
        self.sudo().activity_unlink([REVIEW_ACTIVITY], only_automated=False)
        return True

    def action_open_versions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Versions"),
            "res_model": "aftersales.kb.article.version",
            "view_mode": "list,form",
            "domain": [("article_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Stale articles
    # ------------------------------------------------------------------

    @api.model
    def _cron_flag_stale(self, batch_size=200):
        """Flag published articles past their review date and remind their
        owner once. Rows are claimed with SKIP LOCKED so that two workers
        never remind twice; each batch is committed."""
        commit = bool(self.env.context.get("ir_cron_progress_id"))
        while True:
            flagged = self._flag_stale_batch(batch_size)
            if not flagged:
                break
            if commit and self.env["ir.cron"]._commit_progress(flagged) <= 0:
                break

    @api.model
    def _flag_stale_batch(self, limit):
        today = fields.Date.context_today(self)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM aftersales_kb_article"
                " WHERE state = 'published' AND is_stale IS NOT TRUE AND review_date < %s"
                " ORDER BY review_date, id LIMIT %s FOR UPDATE SKIP LOCKED",
                today,
                limit,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return 0
        articles = self.browse(ids).sudo()
        articles.write({"is_stale": True, "date_stale": today})
        activity_type = self.env.ref(REVIEW_ACTIVITY)
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": article.id,
                    "activity_type_id": activity_type.id,
                    "user_id": (article.user_id or article.author_id).id,
                    "date_deadline": today,
                    "summary": self.env._("Review the stale article %(article)s", article=article.name),
                    "note": self.env._(
                        "The article %(article)s was due for review on %(date)s: check it and confirm it, "
                        "or send it back to draft.",
                        article=article.name,
                        date=article.review_date,
                    ),
                }
                for article in articles
                if article.user_id or article.author_id
            ]
        )
        return len(ids)

    # ------------------------------------------------------------------
    # Search
    # ------------------------------------------------------------------

    @api.model
    def _rank_sql(self, alias, tsquery):
        """Text relevance (weights title > symptom > rest, divided by the log of
        the document length so that focused articles win), halved for stale
        articles, raised a little by usefulness (tickets solved)."""
        return SQL(
            "ts_rank(%s, to_tsquery('simple', %s), 1) * (CASE WHEN %s THEN %s ELSE 1 END)"
            " * (1 + %s * ln(1 + COALESCE(%s, 0)))",
            search_vector_sql(alias),
            tsquery,
            SQL.identifier(alias, "is_stale"),
            STALE_FACTOR,
            USEFULNESS_FACTOR,
            SQL.identifier(alias, "solved_count"),
        )

    @api.model
    def _match_domain(self, tsquery):
        """Domain of the articles whose search vector matches ``tsquery`` (GIN index)."""
        return Domain.custom(
            to_sql=lambda model, alias, query: SQL("%s @@ to_tsquery('simple', %s)", search_vector_sql(alias), tsquery)
        )

    @api.model
    @api.private
    def kb_search(self, text, domain=None, limit=10, prefix=False, channel=None):
        """Return the articles the current user may read that match ``text``,
        best first: the title weighs most, then the symptom, then the rest;
        stale articles lose half of their relevance. Every word (English) and
        every bigram (Chinese) of the query must be in the article. With
        ``channel``, the search is logged (what people look for, what they
        don't find). Only the first MAX_QUERY_LENGTH characters of ``text``
        are searched."""
        text = cap_query(text)
        tsquery = build_tsquery(text, prefix=prefix)
        articles = self.browse()
        if tsquery:
            self.flush_model()
            query = self._search(Domain(domain or Domain.TRUE) & self._match_domain(tsquery))
            query.order = SQL(
                "%s DESC, %s DESC", self._rank_sql(query.table, tsquery), SQL.identifier(query.table, "id")
            )
            query.limit = limit
            articles = self.browse(row[0] for row in self.env.execute_query(query.select()))
        if channel and text.strip():
            self.env["aftersales.kb.search.log"].sudo().create(
                {"query": " ".join(text.split()), "result_count": len(articles), "channel": channel}
            )
        return articles

    @api.model
    @api.private
    def kb_most_used(self, domain=None, limit=20):
        """The articles of ``domain`` the current user may read, most used
        first (tickets solved), then the newest. The usage counts stay
        internal: the order is set in SQL, not asked of the field."""
        query = self._search(Domain(domain or Domain.TRUE))
        query.order = SQL(
            "%s DESC, %s DESC", SQL.identifier(query.table, "solved_count"), SQL.identifier(query.table, "id")
        )
        query.limit = limit
        return self.browse(row[0] for row in self.env.execute_query(query.select()))

    @api.model
    def _search_display_name(self, operator, value):
        # The many2one dropdowns (e.g. "Solved by article" on a ticket) search
        # with the indexed full-text search, not with ILIKE on the title.
        if operator == "ilike" and isinstance(value, str):
            value = cap_query(value)
            tsquery = build_tsquery(value, prefix=True)
            if tsquery:
                return self._match_domain(tsquery)
        return super()._search_display_name(operator, value)

    @api.model
    def name_search(self, name="", domain=None, operator="ilike", limit=100):
        if name and operator == "ilike":
            name = cap_query(name)
        if name and operator == "ilike" and build_tsquery(name, prefix=True):
            articles = self.kb_search(name, domain=domain, limit=limit, prefix=True)
            return [(article.id, article.display_name) for article in articles]
        return super().name_search(name, domain=domain, operator=operator, limit=limit)

    @api.model
    @api.private
    def kb_suggest_for_tickets(self, tickets, limit=5):
        """Return {ticket id: articles} of published articles for each ticket,
        best first: an article of the ticket's product scores 2, of its fault
        type 1, plus the text relevance of the ticket's subject and fault
        description. Candidates are the articles of the product or the fault
        type and those matching all words of the subject; only when they are
        fewer than ``limit``, a second query adds those matching any word of
        the subject. Every candidate set comes from an index."""
        result = {}
        self.flush_model()
        for ticket in tickets:
            # The subject and the beginning of the description, cut before
            # they are split into words (the form being typed is not checked yet).
            subject = cap_query(ticket.name)
            rank_query = build_tsquery(" ".join(filter(None, (subject, html_query(ticket.description)))), operator="|")
            template_id = ticket.product_id.product_tmpl_id.id or 0
            fault_id = ticket.fault_category_id.id or 0
            found = self.browse()
            for step, subject_query in enumerate(
                (build_tsquery(subject), build_tsquery(subject, operator="|"))
            ):
                if step and (len(found) >= limit or not subject_query):
                    break
                # One id list from three indexes: the product and fault type
                # relations (first step only) and the GIN index of the text.
                parts = []
                if not step:
                    parts += [
                        SQL(
                            "SELECT article_id FROM aftersales_kb_article_product_template_rel"
                            " WHERE product_template_id = %s",
                            template_id,
                        ),
                        SQL(
                            "SELECT article_id FROM aftersales_kb_article_fault_category_rel"
                            " WHERE fault_category_id = %s",
                            fault_id,
                        ),
                    ]
                if subject_query:
                    # Any word of the subject can match thousands of articles:
                    # the fallback ranks a bounded number of them.
                    parts.append(
                        SQL(
                            "(SELECT id FROM aftersales_kb_article WHERE %s @@ to_tsquery('simple', %s)%s)",
                            search_vector_sql(),
                            subject_query,
                            SQL(" LIMIT %s", SUGGEST_FALLBACK_CANDIDATES) if step else SQL(),
                        )
                    )
                candidates = Domain("id", "any!", SQL(" UNION ").join(parts))
                query = self._search(Domain("state", "=", "published") & candidates & Domain("id", "not in", found.ids))
                query.order = SQL(
                    "%s DESC, %s DESC",
                    self._suggestion_score(query.table, template_id, fault_id, rank_query),
                    SQL.identifier(query.table, "id"),
                )
                query.limit = limit - len(found)
                found += self.browse(row[0] for row in self.env.execute_query(query.select()))
            result[ticket.id] = found
        return result

    @api.model
    def _suggestion_score(self, alias, template_id, fault_id, rank_query):
        return SQL(
            "(CASE WHEN EXISTS (SELECT 1 FROM aftersales_kb_article_product_template_rel r"
            " WHERE r.article_id = %(id)s AND r.product_template_id = %(tmpl)s) THEN 2 ELSE 0 END"
            " + CASE WHEN EXISTS (SELECT 1 FROM aftersales_kb_article_fault_category_rel f"
            " WHERE f.article_id = %(id)s AND f.fault_category_id = %(fault)s) THEN 1 ELSE 0 END)"
            " * (CASE WHEN %(stale)s THEN %(factor)s ELSE 1 END) + %(rank)s",
            id=SQL.identifier(alias, "id"),
            tmpl=template_id,
            fault=fault_id,
            stale=SQL.identifier(alias, "is_stale"),
            factor=STALE_FACTOR,
            rank=self._rank_sql(alias, rank_query) if rank_query else SQL("0"),
        )

    @api.model
    def get_kb_kpis(self):
        """Figures of the knowledge base for the team: articles by state,
        stale articles, most used articles, searches without a result and
        self-service deflection."""
        self.check_access("read")
        by_state = dict(self._read_group([], ["state"], ["__count"]))
        most_used = self.search(
            [("state", "=", "published"), ("solved_count", ">", 0)], order="solved_count desc, id", limit=5
        )
        Log = self.env["aftersales.kb.search.log"]
        no_result = Log._read_group([("no_result", "=", True)], ["query"], ["__count"], order="__count desc", limit=10)
        self_service = sum(self.search([("self_service_count", ">", 0)]).mapped("self_service_count"))
        portal_tickets = self.env["aftersales.ticket"].search_count([("channel", "=", "portal")])
        return {
            "by_state": {state: by_state.get(state, 0) for state, _label in STATES},
            "stale": self.search_count([("state", "=", "published"), ("is_stale", "=", True)]),
            "most_used": [(article.id, article.name, article.solved_count) for article in most_used],
            "no_result_searches": [(query, count) for query, count in no_result],
            "self_service": self_service,
            "portal_tickets": portal_tickets,
            "deflection_rate": round(100.0 * self_service / (self_service + portal_tickets), 1)
            if self_service + portal_tickets
            else 0.0,
        }
