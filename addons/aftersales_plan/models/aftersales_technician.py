from odoo import fields, models


class AftersalesTechnician(models.Model):
    _inherit = "aftersales.technician"

    certification_ids = fields.One2many("aftersales.technician.certification", "technician_id", string="Certifications")
