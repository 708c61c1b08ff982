"""19.0.1.1.0: the product models of an article are indexed with its title
(they were indexed with its body). The search documents are stored computed
fields: recompute them for the articles that name a product."""

from odoo import SUPERUSER_ID, api

DOCS = ("search_doc_title", "search_doc_body")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Article = env["aftersales.kb.article"].with_context(active_test=False)
    articles = Article.search([("product_tmpl_ids", "!=", False)])
    for fname in DOCS:
        env.add_to_compute(Article._fields[fname], articles)
    articles.flush_recordset(list(DOCS))
