from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import AGENT, FACT, OPEN
from odoo.exceptions import UserError, ValidationError

STATES = [("pending", "Pending verification"), ("verified", "Verified"), ("refused", "Refused")]
# Set by the registration itself and by the agent's verification only.
REGISTRATION_FACTS = (
    "name",
    "commercial_partner_id",
    "product_id",
    "state",
    "channel",
    "verified_by_id",
    "date_verified",
    "contract_id",
)


class AftersalesUnitRegistration(models.Model):
    """A customer's registration of a unit (产品登记): the serial, the
    purchase date and the proof of purchase. A unit delivered to the customer
    is verified at once (the delivery is the proof); any other waits for an
    agent. Verification makes the customer the unit's owner and activates the
    product's extended warranty (延保)."""

    _name = "aftersales.unit.registration"
    _description = "Product Registration"
    _inherit = ["mail.thread", "aftersales.write.rules.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one(
        "res.partner", string="Registered by", required=True, index=True, tracking=True, check_company=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Customer", store=True, index=True, precompute=True
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Serial Number", required=True, index=True, tracking=True, check_company=True
    )
    product_id = fields.Many2one(related="lot_id.product_id", store=True, precompute=True)
    purchase_date = fields.Date(required=True, tracking=True)
    proof_attachment_ids = fields.Many2many("ir.attachment", string="Proof of Purchase")
    state = fields.Selection(STATES, default="pending", required=True, readonly=True, tracking=True, index=True)
    channel = fields.Selection([("portal", "Portal"), ("agent", "Agent")], default="agent", readonly=True)
    verified_by_id = fields.Many2one("res.users", string="Verified by", readonly=True)
    date_verified = fields.Date(string="Verified on", readonly=True)
    refusal_reason = fields.Text(tracking=True)
    contract_id = fields.Many2one("aftersales.sla.contract", string="Extended Warranty", readonly=True)

    # A serial has one live registration: pending or verified.
    _one_live_registration = models.UniqueIndex(
        "(lot_id) WHERE state IN ('pending', 'verified')",
        "This serial number is already registered.",
    )

    @api.model
    def _field_write_rules(self):
        return {
            **super()._field_write_rules(),
            **dict.fromkeys(REGISTRATION_FACTS, FACT),
            **dict.fromkeys(("partner_id", "lot_id", "company_id"), (OPEN, FACT[1])),
            "purchase_date": (OPEN, AGENT),
            "proof_attachment_ids": (OPEN, AGENT),
            "refusal_reason": (OPEN, AGENT),
        }

    @api.constrains("purchase_date")
    def _check_purchase_date(self):
        for registration in self:
            if registration.purchase_date > fields.Date.context_today(registration):
                raise ValidationError(
                    self.env._(
                        "The purchase date %(date)s is in the future.",
                        date=fields.Date.to_string(registration.purchase_date),
                    )
                )

    @api.depends("name", "lot_id")
    def _compute_display_name(self):
        for registration in self:
            registration.display_name = f"{registration.name} {registration.lot_id.name or ''}".strip()

    @api.model_create_multi
    def create(self, vals_list):
        """Agents register in the back office with the same checks as the
        portal; the record itself is created as the system (its reference and
        channel are facts)."""
        if self._writing_facts():
            return super().create(vals_list)
        registrations = self.browse()
        for vals in vals_list:
            lot = self.env["stock.lot"].browse(vals.get("lot_id")).exists()
            partner = self.env["res.partner"].browse(vals.get("partner_id")).exists()
            if not lot or not partner:
                raise UserError(self.env._("A registration needs a customer and a serial number."))
            self._check_field_write_rules(vals, creating=True)
            self._check_registrable(lot, partner)
            facts = dict(
                vals,
                name=self.env["ir.sequence"].sudo().next_by_code("aftersales.unit.registration"),
                channel="agent",
            )
            registration = self._create_facts([facts]).with_env(self.env)
            registrations |= registration
            registration._message_log(body=registration._creation_sentence(lot, partner))
            if registration.state == "pending" and lot.sudo().aftersales_customer_id == partner.commercial_partner_id:
                registration._verify(self.env._("The unit was delivered to this customer."))
        return registrations

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.model
    def _check_registrable(self, lot, partner):
        """Refuse a serial registered already, or another customer's, naming
        nobody else."""
        lot = lot.sudo()
        commercial = partner.commercial_partner_id
        live = self.sudo().search([("lot_id", "=", lot.id), ("state", "in", ("pending", "verified"))], limit=1)
        if live and live.commercial_partner_id == commercial:
            raise UserError(
                self.env._(
                    "Serial number %(serial)s is already registered to you (%(reference)s, %(state)s).",
                    serial=lot.name,
                    reference=live.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[live.state],
                )
            )
        if live or (lot.aftersales_customer_id and lot.aftersales_customer_id != commercial):
            raise UserError(
                self.env._(
                    "Serial number %(serial)s belongs to another customer and cannot be registered to you. If you "
                    "bought it second-hand, contact the service desk with your proof of purchase.",
                    serial=lot.name,
                )
            )

    def _creation_sentence(self, lot, partner):
        return self.env._(
            "%(partner)s registered serial number %(serial)s.", partner=partner.display_name, serial=lot.name
        )

    @api.model
    def _register_from_portal(self, partner, serial, purchase_date, attachments, product=None):
        """The registration a customer submits on the portal, from the form's
        fields only (as superuser: portal users have no create access)."""
        serial = (serial or "").strip()
        if not serial:
            raise UserError(self.env._("Enter the serial number printed on the unit's label."))
        if not purchase_date:
            raise UserError(self.env._("Enter the purchase date."))
        if not attachments:
            raise UserError(self.env._("Attach the proof of purchase (invoice or receipt)."))
        domain = [("name", "=", serial), ("company_id", "in", [False, self.env.company.id])]
        if product:
            domain.append(("product_id", "=", product.id))
        lots = self.env["stock.lot"].sudo().search(domain, limit=2)
        if not lots:
            raise UserError(
                self.env._(
                    "Serial number %(serial)s is unknown. Check the label on the unit and type it exactly.",
                    serial=serial,
                )
            )
        if len(lots) > 1:
            raise UserError(
                self.env._("Serial number %(serial)s exists for several products: choose the product.", serial=serial)
            )
        registration = self.sudo().create({"partner_id": partner.id, "lot_id": lots.id, "purchase_date": purchase_date})
        attachment_records = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {"name": name, "raw": content, "res_model": self._name, "res_id": registration.id}
                    for name, content in attachments
                ]
            )
        )
        registration._write_facts({"channel": "portal", "proof_attachment_ids": [(6, 0, attachment_records.ids)]})
        return registration

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_agent(self, action):
        if not self.env.su and not self.env.user.has_group(AGENT):
            raise UserError(
                self.env._(
                    "%(action)s is the service desk's work: it needs the right %(group)s.",
                    action=action,
                    group=self.env.ref(AGENT).sudo().full_name,
                )
            )
        self.check_access("write")

    def action_verify(self):
        self._check_agent(self.env._("Verifying a registration"))
        wrong = self.filtered(lambda r: r.state != "pending")
        if wrong:
            raise UserError(
                self.env._(
                    "Only pending registrations can be verified: %(refs)s.", refs=", ".join(wrong.mapped("name"))
                )
            )
        missing = self.filtered(lambda r: r.channel == "portal" and not r.proof_attachment_ids)
        if missing:
            raise UserError(self.env._("No proof of purchase on %(refs)s.", refs=", ".join(missing.mapped("name"))))
        for registration in self:
            registration._verify(self.env._("Proof of purchase checked by %(user)s.", user=self.env.user.name))
        return True

    def action_refuse(self):
        self._check_agent(self.env._("Refusing a registration"))
        if self.filtered(lambda r: r.state != "pending"):
            raise UserError(self.env._("Only pending registrations can be refused."))
        if self.filtered(lambda r: not (r.refusal_reason or "").strip()):
            raise UserError(self.env._("Write why the registration is refused: the customer reads it."))
        self._write_facts({"state": "refused"})
        return True

    def _verify(self, why):
        """The unit becomes the customer's from the purchase date, and the
        product's extended warranty starts today, as if sold on an invoice."""
        self.ensure_one()
        lot = self.lot_id.sudo()
        lot.lock_for_update()
        others = self.sudo().search(
            [("lot_id", "=", lot.id), ("state", "=", "verified"), ("id", "!=", self.id)], limit=1
        )
        if others or (lot.aftersales_customer_id and lot.aftersales_customer_id != self.commercial_partner_id):
            raise UserError(
                self.env._(
                    "Serial number %(serial)s belongs to another customer: refuse this registration.", serial=lot.name
                )
            )
        today = self.company_id._aftersales_today()
        vals = {"state": "verified", "verified_by_id": self.env.uid, "date_verified": today}
        if lot.aftersales_customer_id != self.commercial_partner_id:
            lot._aftersales_set_owner(self.commercial_partner_id, self.purchase_date, "registration")
        warranty = lot.product_id.product_tmpl_id.aftersales_registration_warranty_id.sudo()
        if warranty:
            contract_vals = warranty.product_tmpl_id._aftersales_contract_values(
                self.commercial_partner_id, self.company_id, today, lot
            )
            contract = self.env["aftersales.sla.contract"].sudo().create(contract_vals)
            contract.message_post(body=self.env._("Activated by the registration %(reference)s.", reference=self.name))
            vals["contract_id"] = contract.id
        self._write_facts(vals)
        self._message_log(body=Markup("<p>%s</p>") % why)
