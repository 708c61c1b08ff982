from odoo import Command
from odoo.addons.aftersales_ticket.models.aftersales_job import JOB_BATCH_SIZE, JOB_THRESHOLD
from odoo.tests import tagged

from .common import AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestInvoiceJob(AftersalesPartsCommon):
    """Finance invoices a month of repairs from the "Repair Fees to Settle"
    screen: the button returns at once with a background job, the cron runs
    it batch by batch as finance (its progress on the job), and finance gets
    the invoices and a message when it is done."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fee = cls.env["product.product"].create(
            {"name": "Repair fee", "type": "service", "invoice_policy": "order", "list_price": 10.0, "taxes_id": []}
        )
        tickets = cls.env["aftersales.ticket"]
        for _ in range(5):
            tickets |= cls.create_parts_ticket()
        # 500 confirmed repair quotations of these tickets, one fee each.
        cls.orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": ticket.partner_id.id,
                    "aftersales_ticket_id": ticket.id,
                    "order_line": [Command.create({"product_id": cls.fee.id, "product_uom_qty": 1.0})],
                }
                for ticket in tickets
                for _ in range(100)
            ]
        )
        cls.orders.action_confirm()

    def test_500_repairs_are_invoiced_in_the_background_with_progress_and_a_message(self):
        self.assertEqual(len(self.orders), 500)
        self.assertGreaterEqual(len(self.orders), JOB_THRESHOLD)
        Job = self.env["aftersales.job"]
        self.assertEqual(set(self.orders.mapped("invoice_status")), {"to invoice"})

        action = self.orders.with_user(self.finance).action_aftersales_invoice_batch()

        # At once: a job to watch, nothing invoiced yet, the cron triggered.
        job = Job.browse(action["res_id"])
        self.assertEqual(action["res_model"], "aftersales.job")
        self.assertEqual((job.state, job.total, job.done_count), ("queued", 500, 0))
        self.assertEqual(job.user_id, self.finance)
        self.assertFalse(self.orders.invoice_ids)
        cron = self.env.ref("aftersales_ticket.ir_cron_aftersales_job")
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]))
        # Finance sees the job (its own), a technician does not.
        self.assertEqual(Job.with_user(self.finance).search([]), job)
        self.assertFalse(Job.with_user(self.tech_user_a).search([]))

        # The cron, batch by batch: the progress moves.
        self.assertEqual(job._run_batch(), JOB_BATCH_SIZE)
        self.assertEqual((job.state, job.done_count, job.progress), ("running", JOB_BATCH_SIZE, 10.0))
        first = self.env["account.move"].browse(job.result_ids)
        self.assertTrue(first)
        self.assertEqual(set(first.mapped("state")), {"posted"})
        self.assertEqual(set(first.invoice_line_ids.sale_line_ids.order_id.mapped("invoice_status")), {"invoiced"})
        while job.state == "running":
            job._run_batch()

        self.assertEqual((job.state, job.done_count, job.progress), ("done", 500, 100.0))
        self.assertEqual(set(self.orders.mapped("invoice_status")), {"invoiced"})
        invoices = self.orders.invoice_ids
        self.assertEqual(sorted(job.result_ids), sorted(invoices.ids))
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(sum(invoices.mapped("amount_total")), 5000.0)
        # Finance is told in their inbox, on the job.
        message = job.message_ids.filtered(lambda m: self.finance.partner_id in m.notification_ids.res_partner_id)
        self.assertEqual(len(message), 1)
        self.assertIn("500 of 500", message.body)
        self.assertEqual(self.env["account.move"].search(job.action_open_results()["domain"]), invoices)

    def test_a_job_runs_with_the_rights_of_who_started_it(self):
        """Finance's job; the billing right taken away before the cron runs:
        the job fails with the refusal and invoices nothing."""
        action = self.orders.with_user(self.finance).action_aftersales_invoice_batch()
        job = self.env["aftersales.job"].browse(action["res_id"])
        self.finance.group_ids = [Command.unlink(self.env.ref("account.group_account_invoice").id)]
        self.assertEqual(job._run_batch(), 0)
        self.assertEqual(job.state, "failed")
        self.assertIn("Invoicing repairs", job.error)
        self.assertFalse(self.orders.invoice_ids)

    def test_a_small_selection_is_invoiced_at_once(self):
        orders = self.orders[: JOB_THRESHOLD - 1]
        action = orders.with_user(self.finance).action_aftersales_invoice_batch()
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(set(orders.mapped("invoice_status")), {"invoiced"})
        self.assertFalse(self.env["aftersales.job"].search([]))
