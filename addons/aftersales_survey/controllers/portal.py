from odoo.addons.aftersales_ticket.controllers.portal import AftersalesCustomerPortal
from odoo.http import request


class AftersalesSurveyCustomerPortal(AftersalesCustomerPortal):
    def _aftersales_ticket_page_values(self, ticket_sudo, access_token, **kwargs):
        values = super()._aftersales_ticket_page_values(ticket_sudo, access_token, **kwargs)
        # The page is already checked (ownership or ticket token): show the open
        # survey links of the customer reading it, or of the ticket's customer
        # for a visitor holding the ticket's token.
        user = request.env.user
        partner = ticket_sudo.partner_id if user._is_public() else user.partner_id
        values["aftersales_followups"] = ticket_sudo._portal_pending_followups(partner)
        return values
