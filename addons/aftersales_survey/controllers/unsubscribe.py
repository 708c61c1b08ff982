from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request
from odoo.tools import consteq


class AftersalesSurveyUnsubscribe(http.Controller):
    # csrf is disabled as for core's /mail/unfollow: the customer's mail client
    # opens the link with no session; the token in it is the authority.
    @http.route("/aftersales/survey/unsubscribe/<int:partner_id>", type="http", auth="public", csrf=False)
    def aftersales_survey_unsubscribe(self, partner_id, token=None, **kwargs):
        """The unsubscribe link of every invitation: the contact it was sent to
        is never surveyed again (the only field written)."""
        partner_sudo = request.env["res.partner"].sudo().browse(partner_id).exists()
        if not partner_sudo or not token or not consteq(partner_sudo._aftersales_survey_unsubscribe_token(), token):
            raise Forbidden()
        partner_sudo.write({"aftersales_survey_opt_out": True})
        return request.render("aftersales_survey.survey_unsubscribed", {"company": partner_sudo.company_id})
