from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, sql

from ..constants import INTERNAL, SEARCH_INDEX, STALE_FACTOR, USEFULNESS_FACTOR
from ..tools import build_document, build_tsquery, cap_query, search_vector_expression, search_vector_sql


class AftersalesKbArticle(models.Model):
    """Full-text search of the articles: the search documents built at write
    time (see tools/search_text.py), their GIN-indexed vector, the ranking,
    and every path a query comes in by (search bar, dropdowns, portal)."""

    _inherit = "aftersales.kb.article"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

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
            # The product models an article is about weigh as much as its
            # title: "XQB80 无法开机" finds the XQB80 article first, ahead of
            # one that names the model in passing.
            article.search_doc_title = build_document(
                article.name, *article.tag_ids.mapped("name"), *article.product_tmpl_ids.mapped("name")
            )
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
                        build_document(*article.fault_category_ids.mapped("name")),
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
    # Search
    # ------------------------------------------------------------------

    @api.model
    def _rank_sql(self, alias, tsquery):
        """Text relevance (weights title and product models > symptom > rest, divided by the log of
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
            articles = self._search_ranked(
                Domain(domain or Domain.TRUE) & self._match_domain(tsquery),
                lambda alias: self._rank_sql(alias, tsquery),
                limit,
            )
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
        return self._search_ranked(
            Domain(domain or Domain.TRUE), lambda alias: SQL.identifier(alias, "solved_count"), limit
        )

    @api.model
    def _search_ranked(self, domain, rank, limit):
        """The first ``limit`` articles of ``domain`` the current user may
        read, by ``rank(table alias)`` (SQL) descending, then newest first."""
        query = self._search(domain)
        query.order = SQL("%s DESC, %s DESC", rank(query.table), SQL.identifier(query.table, "id"))
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
            if build_tsquery(name, prefix=True):
                articles = self.kb_search(name, domain=domain, limit=limit, prefix=True)
                return [(article.id, article.display_name) for article in articles]
        return super().name_search(name, domain=domain, operator=operator, limit=limit)
