from unittest.mock import patch

from odoo import http
from odoo.addons.aftersales_ticket.tests.route_matrix import ANONYMOUS, OTHER_COMPANY, OWNER, RouteMatrixCase
from odoo.tests import tagged

from ..controllers.portal import AftersalesKbPortal
from .common import TITLE_ZH, KbCommon

# Visitors of the FAQ: a customer on a customer-visible published article
# gets through; on an internal or draft article nobody from the portal does.
CUSTOMER_ON_INTERNAL = "customer on an internal article"
CUSTOMER_ON_DRAFT = "customer on a draft article"
VISITORS = (ANONYMOUS, OTHER_COMPANY, OWNER, CUSTOMER_ON_INTERNAL, CUSTOMER_ON_DRAFT)


@tagged("post_install", "-at_install")
class TestKbRouteMatrix(KbCommon, RouteMatrixCase):
    """The FAQ has no owner: ``OWNER`` is a customer reading a published,
    customer-visible article; the same customer on an internal or draft
    article, a visitor without a session and an internal user of another
    company are strangers."""

    ADDON = "aftersales_kb"
    ROUTES = {
        "/my/kb": "check_login_required",
        "/my/kb/<int:article_id>": "check_article_page",
        "/my/kb/<int:article_id>/feedback": "check_feedback",
        "/my/kb/suggest": "check_suggest",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other_company_login = cls.new_other_company_user(
            "kb_route_other_company",
            "aftersales_kb.group_aftersales_kb_manager,aftersales_ticket.group_aftersales_user",
        )
        cls.public = cls.make_article(TITLE_ZH, symptom="设备无法开机 指示灯不亮")
        cls.internal = cls.make_article("内部维修: 开机电路检测", visibility="internal")
        cls.draft = cls.make_article("开机故障草稿", state="draft")
        cls.VISITOR_LOGINS = {
            OWNER: ("kb_portal", "kb_portal"),
            CUSTOMER_ON_INTERNAL: ("kb_portal", "kb_portal"),
            CUSTOMER_ON_DRAFT: ("kb_portal", "kb_portal"),
            OTHER_COMPANY: other_company_login,
        }

    def _article_for(self, visitor):
        return {CUSTOMER_ON_INTERNAL: self.internal, CUSTOMER_ON_DRAFT: self.draft}.get(visitor, self.public)

    def check_article_page(self, rule):
        outcomes = {}
        for visitor in VISITORS:
            article = self._article_for(visitor)
            self.visit(visitor)
            response = self.url_open(self.url(rule, article_id=article.id), allow_redirects=False)
            outcomes[visitor] = response.status_code == 200 and article.name in response.text
        return self.judge(outcomes, allowed=(OWNER,))

    def check_feedback(self, rule):
        outcomes = {}
        for visitor in VISITORS:
            article = self._article_for(visitor)
            self.visit(visitor)
            votes = len(article.sudo().vote_ids)
            self.url_open(
                self.url(rule, article_id=article.id),
                data={"helpful": "yes", "csrf_token": http.Request.csrf_token(self)},
                allow_redirects=False,
            )
            article.invalidate_recordset()
            outcomes[visitor] = len(article.sudo().vote_ids) > votes
            article.sudo().vote_ids.unlink()
        return self.judge(outcomes, allowed=(OWNER,))

    def check_suggest(self, rule):
        """Suggestions show customer-visible published articles only."""
        outcomes = {}
        for visitor in VISITORS:
            article = self._article_for(visitor)
            self.visit(visitor)
            result = self.jsonrpc(rule, {"query": article.name[:4]})
            outcomes[visitor] = isinstance(result, list) and article.id in [row["id"] for row in result]
        return self.judge(outcomes, allowed=(OWNER,))

    def test_matrix_fails_on_an_unguarded_route(self):
        """With the readability check taken out (any article handed over as
        superuser), the matrix reports the customer on internal articles."""

        def unguarded(controller, article_id):
            return http.request.env["aftersales.kb.article"].sudo().browse(article_id)

        with patch.object(AftersalesKbPortal, "_kb_readable_article", unguarded):
            violations = self.check_article_page("/my/kb/<int:article_id>")
        self.assertIn(f"{CUSTOMER_ON_INTERNAL} got through", violations)
        self.assertIn(f"{CUSTOMER_ON_DRAFT} got through", violations)
