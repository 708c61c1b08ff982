from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request

from ..tools import cap_query

FAQ_LIMIT = 20
SUGGEST_LIMIT = 5
FEEDBACK_MESSAGES = ("thanks", "solved")


def _faq_readonly(controller, rule, args):
    """The FAQ only reads, but a search is logged (what customers look for):
    served from the replica when it is a GET without a search (a search may
    also come in a form's POST body)."""
    httprequest = request.httprequest
    return httprequest.method in ("GET", "HEAD") and not cap_query(httprequest.args.get("search")).strip()


class AftersalesKbPortal(CustomerPortal):
    """Self-service FAQ. Articles are read with the user's own rights: the
    record rules show a customer only published customer-visible articles.
    Feedback is written with sudo() from an explicit list of fields, after
    checking that the user may read the article."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "kb_article_count" in counters:
            Article = request.env["aftersales.kb.article"]
            values["kb_article_count"] = (
                Article.search_count(self._kb_faq_domain()) if Article.has_access("read") else 0
            )
        return values

    def _kb_faq_domain(self):
        return Domain("state", "=", "published") & Domain("visibility", "=", "customer")

    def _kb_readable_article(self, article_id):
        article = request.env["aftersales.kb.article"].browse(article_id)
        try:
            article.check_access("read")
            if not article.exists() or not article.filtered_domain(self._kb_faq_domain()):
                raise MissingError(request.env._("This article does not exist."))
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return article

    # Read-only routes are served from the database replica when Odoo has one
    # (--db_replica_host); feedback writes, a logged search writes.
    @http.route(["/my/kb"], type="http", auth="user", website=True, readonly=_faq_readonly)
    def portal_kb_faq(self, search=None, **kw):
        Article = request.env["aftersales.kb.article"]
        search = cap_query(search).strip()
        if not Article.has_access("read"):
            articles = Article
        elif search:
            articles = Article.kb_search(search, domain=self._kb_faq_domain(), limit=FAQ_LIMIT, channel="portal")
        else:
            articles = Article.kb_most_used(self._kb_faq_domain(), limit=FAQ_LIMIT)
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "aftersales_kb", "articles": articles, "search": search})
        return request.render("aftersales_kb.portal_kb_faq", values)

    @http.route(["/my/kb/<int:article_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_kb_article(self, article_id, message=None, **kw):
        article = self._kb_readable_article(article_id)
        vote = (
            request.env["aftersales.kb.vote"]
            .sudo()
            .search([("article_id", "=", article.id), ("partner_id", "=", request.env.user.partner_id.id)], limit=1)
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_kb_article",
                "article": article,
                "vote": vote,
                "message": message if message in FEEDBACK_MESSAGES else None,
            }
        )
        return request.render("aftersales_kb.portal_kb_article", values)

    @http.route(["/my/kb/<int:article_id>/feedback"], type="http", auth="user", methods=["POST"], website=True)
    def portal_kb_feedback(self, article_id, helpful=None, solved=None, **kw):
        article = self._kb_readable_article(article_id)
        vals = {}
        if helpful in ("yes", "no"):
            vals["helpful"] = helpful
        if solved == "1":
            vals.update({"solved": True, "date_solved": fields.Datetime.now(), "helpful": "yes"})
        if not vals:
            return request.redirect(f"/my/kb/{article.id}")
        Vote = request.env["aftersales.kb.vote"].sudo()
        partner = request.env.user.partner_id
        vote = Vote.search([("article_id", "=", article.id), ("partner_id", "=", partner.id)], limit=1)
        if vote:
            if vote.solved:
                vals.pop("solved", None)
                vals.pop("date_solved", None)
            vote.write(vals)
        else:
            Vote.create({"article_id": article.id, "partner_id": partner.id, **vals})
        message = "solved" if solved == "1" else "thanks"
        return request.redirect(f"/my/kb/{article.id}?message={message}")

    @http.route(["/my/kb/suggest"], type="jsonrpc", auth="user", website=True, readonly=True)
    def portal_kb_suggest(self, query=None):
        """Articles for the subject the customer is typing in the new-ticket form."""
        Article = request.env["aftersales.kb.article"]
        query = cap_query(query)
        if not query.strip() or not Article.has_access("read"):
            return []
        articles = Article.kb_search(query, domain=self._kb_faq_domain(), limit=SUGGEST_LIMIT, prefix=True)
        return [{"id": article.id, "name": article.name, "url": f"/my/kb/{article.id}"} for article in articles]
