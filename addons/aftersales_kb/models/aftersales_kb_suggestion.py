from functools import partial

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..constants import STALE_FACTOR, SUGGEST_FALLBACK_CANDIDATES
from ..tools import build_tsquery, cap_query, html_query, search_vector_sql


class AftersalesKbArticle(models.Model):
    """Articles suggested for a ticket: its product, its fault type and its text."""

    _inherit = "aftersales.kb.article"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

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
            for step, subject_query in enumerate((build_tsquery(subject), build_tsquery(subject, operator="|"))):
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
                found += self._search_ranked(
                    Domain("state", "=", "published") & candidates & Domain("id", "not in", found.ids),
                    partial(self._suggestion_score, template_id=template_id, fault_id=fault_id, rank_query=rank_query),
                    limit - len(found),
                )
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
