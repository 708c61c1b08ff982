from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_ticket_ids = fields.One2many("aftersales.ticket", "partner_id", string="Service Tickets")
    aftersales_ticket_count = fields.Integer(compute="_compute_aftersales_ticket_count", string="Tickets")
    aftersales_open_ticket_count = fields.Integer(compute="_compute_aftersales_ticket_count", string="Open Tickets")
    aftersales_notice_opt_out = fields.Boolean(
        string="No Service Notices",
        help="The customer asked not to receive the after-sales notices (acknowledgement, assignment, "
        "acceptance request, closing, incident updates). Replies to their own messages still reach them.",
    )
    aftersales_notice_channel = fields.Selection(
        [("email", "E-mail"), ("sms", "SMS")],
        string="Service Notices By",
        default="email",
        required=True,
        help="How the customer gets the after-sales notices (acknowledgement, visit reminder, acceptance link, "
        "follow-up survey). SMS needs a mobile number: without one, they go by e-mail.",
    )

    def _aftersales_opted_out(self, fnames=("aftersales_notice_opt_out",)):
        """The partners among these who opted out of any of ``fnames``: the
        contact itself or its company (commercial partner). One rule for the
        notices, the incident updates and the surveys."""
        return self.filtered(
            lambda partner: any(p[fname] for p in partner | partner.commercial_partner_id for fname in fnames)
        )

    def _compute_aftersales_ticket_count(self):
        """Counts tickets of the whole company (commercial partner) in one query."""
        groups = self.env["aftersales.ticket"]._read_group(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
            ["commercial_partner_id", "is_closed"],
            ["__count"],
        )
        total, open_ = {}, {}
        for partner, is_closed, count in groups:
            total[partner.id] = total.get(partner.id, 0) + count
            if not is_closed:
                open_[partner.id] = open_.get(partner.id, 0) + count
        for partner in self:
            partner.aftersales_ticket_count = total.get(partner.commercial_partner_id.id, 0)
            partner.aftersales_open_ticket_count = open_.get(partner.commercial_partner_id.id, 0)

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_ticket.aftersales_ticket_action")
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
