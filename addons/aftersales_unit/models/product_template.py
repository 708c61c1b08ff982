from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_registration_warranty_id = fields.Many2one(
        "product.product",
        string="Extended Warranty on Registration",
        domain="[('aftersales_is_extended_warranty', '=', True)]",
        help="Registering a unit of this product (通过产品登记激活延长保修期) activates this extended warranty "
        "for the registered serial, as selling it on an invoice does.",
    )

    @api.constrains("aftersales_registration_warranty_id")
    def _check_aftersales_registration_warranty(self):
        for template in self:
            warranty = template.aftersales_registration_warranty_id
            if warranty and not warranty.aftersales_is_extended_warranty:
                raise ValidationError(
                    self.env._(
                        "%(product)s is not an extended warranty: registering %(unit)s cannot activate it.",
                        product=warranty.display_name,
                        unit=template.name,
                    )
                )
