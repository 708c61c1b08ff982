from odoo import fields, models
from odoo.tools import SQL

from ..models.repair_order import COVERAGES


class AftersalesPartsReport(models.Model):
    """One row per part issued on a ticket's repair and one per repair's
    labour: cost, revenue and warranty cost by product, category, vendor,
    team and period; the part rows are also the consumption per product."""

    _name = "aftersales.parts.report"
    _description = "After-sales Repair Fees and Warranty Cost"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    line_type = fields.Selection([("part", "Part"), ("labour", "Labour")], string="Type", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    ticket_id = fields.Many2one("aftersales.ticket", string="Service Ticket", readonly=True)
    repair_id = fields.Many2one("repair.order", string="Repair Order", readonly=True)
    team_id = fields.Many2one("aftersales.team", string="Service Team", readonly=True)
    technician_id = fields.Many2one("aftersales.technician", string="Technician", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    vendor_id = fields.Many2one("res.partner", string="Vendor", readonly=True)
    coverage = fields.Selection(COVERAGES, readonly=True)
    quantity = fields.Float(readonly=True, aggregator="sum")
    cost = fields.Float(readonly=True, aggregator="sum")
    warranty_cost = fields.Float(readonly=True, aggregator="sum", help="Cost of the covered lines.")
    revenue = fields.Float(readonly=True, aggregator="sum", help="Untaxed amount quoted to the customer.")
    margin = fields.Float(readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        vendor = SQL(
            "(SELECT si.partner_id FROM product_supplierinfo si WHERE si.product_tmpl_id = pp.product_tmpl_id "
            "ORDER BY si.sequence, si.id LIMIT 1)"
        )
        return SQL(
            """
            SELECT m.id * 2 AS id, 'part' AS line_type, m.date AS date, m.company_id,
                   r.aftersales_ticket_id AS ticket_id, r.id AS repair_id, t.team_id, t.technician_id,
                   m.product_id, pt.categ_id, %(vendor)s AS vendor_id, r.aftersales_coverage AS coverage,
                   m.quantity AS quantity, m.quantity * m.aftersales_unit_cost AS cost,
                   CASE WHEN r.aftersales_coverage = 'chargeable' THEN 0 ELSE m.quantity * m.aftersales_unit_cost END
                       AS warranty_cost,
                   COALESCE(sol.price_subtotal, 0) AS revenue,
                   COALESCE(sol.price_subtotal, 0) - m.quantity * m.aftersales_unit_cost AS margin
              FROM stock_move m
              JOIN repair_order r ON r.id = m.repair_id
              JOIN aftersales_ticket t ON t.id = r.aftersales_ticket_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
         LEFT JOIN sale_order_line sol ON sol.id = m.sale_line_id AND r.aftersales_coverage = 'chargeable'
             WHERE m.state = 'done' AND m.repair_line_type = 'add'
         UNION ALL
            SELECT r.id * 2 + 1 AS id, 'labour' AS line_type, r.aftersales_date_repaired AS date, r.company_id,
                   r.aftersales_ticket_id AS ticket_id, r.id AS repair_id, t.team_id, t.technician_id,
                   r.aftersales_labour_product_id AS product_id, pt.categ_id, NULL AS vendor_id,
                   r.aftersales_coverage AS coverage, r.aftersales_labour_hours AS quantity,
                   r.aftersales_labour_cost AS cost,
                   CASE WHEN r.aftersales_coverage = 'chargeable' THEN 0 ELSE r.aftersales_labour_cost END
                       AS warranty_cost,
                   COALESCE(sol.price_subtotal, 0) AS revenue,
                   COALESCE(sol.price_subtotal, 0) - r.aftersales_labour_cost AS margin
              FROM repair_order r
              JOIN aftersales_ticket t ON t.id = r.aftersales_ticket_id
         LEFT JOIN product_product pp ON pp.id = r.aftersales_labour_product_id
         LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
         LEFT JOIN sale_order_line sol
                ON sol.id = r.aftersales_labour_sale_line_id AND r.aftersales_coverage = 'chargeable'
             WHERE r.state = 'done' AND r.aftersales_labour_hours > 0
            """,
            vendor=vendor,
        )
