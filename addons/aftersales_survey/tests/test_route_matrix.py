from odoo.addons.aftersales_ticket.tests.route_matrix import (
    ANONYMOUS,
    OTHER_COMPANY,
    OTHER_CUSTOMER,
    OWNER,
    STRANGERS,
    TOKEN,
    WRONG_TOKEN,
    RouteMatrixCase,
)
from odoo.tests import tagged

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestSurveyRouteMatrix(AftersalesSurveyCommon, RouteMatrixCase):
    ADDON = "aftersales_survey"
    ROUTES = {"/aftersales/survey/unsubscribe/<int:partner_id>": "check_unsubscribe"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other_company_login = cls.new_other_company_user(
            "as_survey_route_other_company", "aftersales_ticket.group_aftersales_manager"
        )
        cls.VISITOR_LOGINS = {
            OWNER: ("as_portal", "as_portal"),
            OTHER_CUSTOMER: ("as_portal_other", "as_portal_other"),
            OTHER_COMPANY: other_company_login,
        }

    def check_unsubscribe(self, rule):
        """Only the link of the invitation (the contact's token) opts the
        contact out: not the contact logged in without it, nobody else."""
        partner = self.portal_user.partner_id
        tokens = {TOKEN: partner._aftersales_survey_unsubscribe_token(), WRONG_TOKEN: "0" * 64}
        outcomes = {}
        for visitor in (*STRANGERS, OWNER, TOKEN):
            self.visit(ANONYMOUS if visitor in tokens else visitor)
            url = self.url(rule, partner_id=partner.id)
            if visitor in tokens:
                url += f"?token={tokens[visitor]}"
            response = self.url_open(url, allow_redirects=False)
            outcomes[visitor] = response.status_code == 200 and partner.aftersales_survey_opt_out
            partner.aftersales_survey_opt_out = False
        return self.judge(outcomes, allowed=(TOKEN,))
