import logging

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import mute_logger

from ..constants import (
    ARTICLE_WRITE_RULES,
    CONTENT_FIELDS,
    INTERNAL,
    LANGUAGES,
    MANAGER_GROUP,
    REVIEW_ACTIVITY,
    REVIEWER_GROUP,
    STATES,
    TEMPLATE_FIELDS,
    VISIBILITIES,
)

_logger = logging.getLogger(__name__)


class AftersalesKbArticle(models.Model):
    """A knowledge article and its review workflow. Its full-text search lives
    in aftersales_kb_article_search.py, the suggestions for tickets in
    aftersales_kb_suggestion.py."""

    _name = "aftersales.kb.article"
    _description = "Knowledge Article"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.write.rules.mixin"]
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
        domain=lambda self: [("all_group_ids", "in", self.env.ref(REVIEWER_GROUP).ids)],
        help="The expert who checks the article before it is published; not the author.",
        groups=INTERNAL,
    )
    published_by_id = fields.Many2one("res.users", string="Published By", readonly=True, groups=INTERNAL)
    date_published = fields.Datetime(string="Published On", readonly=True, copy=False)
    review_interval_months = fields.Integer(string="Review Every (Months)", default=3, groups=INTERNAL)
    review_date = fields.Date(string="Next Review", tracking=True, copy=False, groups=INTERNAL)
    # Whether it is stale is no secret (the views decorate with it); when and
    # by whom it is reviewed is.
    is_stale = fields.Boolean(
        string="Stale", readonly=True, copy=False, index=True, help="Past its review date: ranked lower in searches."
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

    _published_review_idx = models.Index("(review_date) WHERE state = 'published' AND is_stale IS NOT TRUE")
    _review_interval_positive = models.Constraint(
        "CHECK (review_interval_months > 0)", "The review interval must be at least one month."
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

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("reviewer_id", "author_id")
    def _check_reviewer(self):
        reviewer_group = self.env.ref(REVIEWER_GROUP)
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

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), **ARTICLE_WRITE_RULES}

    def write(self, vals):
        if not self.env.su and CONTENT_FIELDS.intersection(vals):
            self._check_published_content()
        res = super().write(vals)
        if not self.env.context.get("kb_no_version") and set(TEMPLATE_FIELDS).intersection(vals):
            self.filtered(lambda a: a.state == "published")._create_versions()
        return res

    @api.model
    def _is_reviewer(self, user=None):
        return (user or self.env.user).has_group(REVIEWER_GROUP)

    @api.model
    def _is_kb_manager(self, user=None):
        return (user or self.env.user).has_group(MANAGER_GROUP)

    def _check_published_content(self):
        """A published article is the reviewers': its author reworks it
        through "Rework" (back to draft). Who may write which field at all is
        in ARTICLE_WRITE_RULES, checked by the write rules mixin."""
        self.check_access("write")
        if self._is_reviewer():
            return
        locked = self.filtered(lambda a: a.state in ("published", "archived"))
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
        self._write_facts({"state": "review"})
        for article in self.filtered("reviewer_id"):
            article.sudo().activity_schedule(
                act_type_xmlid=REVIEW_ACTIVITY,
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
        for article in self:
            today = article.company_id._aftersales_today()
            article._write_facts(
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
        self._write_facts({"state": "draft"})
        self.sudo().activity_unlink([REVIEW_ACTIVITY], only_automated=False)
        return True

    def action_reset_draft(self):
        """Take a published or archived article back to draft to rework it."""
        self.check_access("write")
        if not self._is_reviewer() and any(a.author_id != self.env.user for a in self):
            raise AccessError(self.env._("Only the author or a reviewer can rework an article."))
        self._check_state(("published", "archived", "review"), self.env._("Reworking"))
        self._write_facts({"state": "draft", "is_stale": False, "date_stale": False})
        return True

    def action_archive_article(self):
        if not self._is_reviewer():
            raise AccessError(self.env._("Only knowledge reviewers can archive articles."))
        self._check_state(("published", "draft", "review"), self.env._("Archiving"))
        self._write_facts({"state": "archived"})
        return True

    def action_confirm_review(self):
        """The owner or a reviewer checked the article: it stays valid for
        another review interval and is no longer stale."""
        self.check_access("read")
        if not self._is_reviewer() and any(a.user_id != self.env.user for a in self):
            raise AccessError(self.env._("Only the owner or a reviewer can confirm an article is up to date."))
        self._check_state(("published",), self.env._("Confirming the review"))
        for article in self:
            today = article.company_id._aftersales_today()
            article._write_facts(
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
    def _stale_domain(self):
        """Published articles past their review day, judged per company on
        the company's calendar day (the job runs as OdooBot)."""
        due = Domain.OR(
            Domain("company_id", "=", company.id) & Domain("review_date", "<", company._aftersales_today())
            for company in self.env["res.company"].sudo().search([])
        )
        return Domain("state", "=", "published") & Domain("is_stale", "!=", True) & due

    @api.model
    def _cron_flag_stale(self, batch_size=200):
        """Flag published articles past their review date and remind their
        owner once. Each batch is claimed with ``try_lock_for_update()``: rows
        another transaction holds are skipped, so no owner is reminded twice.
        In the scheduled job each batch is committed with ``_commit_progress``."""
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        if in_cron:
            self.env["ir.cron"]._commit_progress(remaining=self.search_count(self._stale_domain()))
        while flagged := self._flag_stale_batch(batch_size):
            if in_cron and self.env["ir.cron"]._commit_progress(flagged) <= 0:
                break

    @api.model
    def _flag_stale_batch(self, limit):
        """Claim up to ``limit`` articles due for review, flag them stale and
        remind their owner; return how many were flagged."""
        try:
            # The expected conflict is not an error: muted, handled below.
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                articles = (
                    self.sudo().search(self._stale_domain(), order="review_date, id").try_lock_for_update(limit=limit)
                )
        except psycopg2.errors.SerializationFailure:
            # Another worker flagged these after our snapshot: stop here, the
            # next run starts a fresh snapshot.
            _logger.info("Stale articles: taken by another worker, stopping this run")
            return 0
        if not articles:
            return 0
        for company, company_articles in articles.grouped("company_id").items():
            company_articles._write_facts({"is_stale": True, "date_stale": company._aftersales_today()})
        activity_type = self.env.ref(REVIEW_ACTIVITY)
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": article.id,
                    "activity_type_id": activity_type.id,
                    "user_id": (article.user_id or article.author_id).id,
                    "date_deadline": article.date_stale,
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
        return len(articles)

    @api.model
    @api.readonly  # only reads: the web client's call is served by the replica when there is one
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
