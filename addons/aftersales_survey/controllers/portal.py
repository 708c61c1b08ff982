from odoo.addons.aftersales_ticket.controllers.portal import AftersalesCustomerPortal
from odoo.http import request


class AftersalesSurveyCustomerPortal(AftersalesCustomerPortal):
    def _aftersales_ticket_page_values(self, ticket_sudo, access_token, **kwargs):
        values = super()._aftersales_ticket_page_values(ticket_sudo, access_token, **kwargs)
        # The page is already checked (ownership or ticket token): show the open
        # survey links of the customer reading it, logged in. A visitor holding
        # the ticket's token may be anyone the ticket's link reached (staff
        # included): the customer's survey link, which answers as them, is in
        # their own e-mail.
        user = request.env.user
        partner = user.partner_id if user._is_portal() else request.env["res.partner"]
        values["aftersales_followups"] = ticket_sudo._portal_pending_followups(partner) if partner else []
        return values
