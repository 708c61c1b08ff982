from odoo.tests import tagged, warmup

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestPerformance(AftersalesCommon):
    @warmup
    def test_create_with_sequence_and_dispatch(self):
        Ticket = self.Ticket.with_user(self.agent)
        values = {
            "name": "Screen flickers",
            "partner_id": self.customer.id,
            "product_id": self.laptop.id,
            "lot_id": self.lot_laptop.id,
            "team_id": self.team_sh.id,
            "fault_category_id": self.fault_power.id,
        }
        with self.assertQueryCount(25):
            ticket = Ticket.create(values)
            ticket.flush_recordset()
        self.assertTrue(ticket.technician_id, "dispatch ran inside the measured create")
        self.assertTrue(ticket.number.startswith("AS"))

    @warmup
    def test_stage_move_of_a_batch(self):
        self.team_sh.auto_dispatch = False
        tickets = self.Ticket.create(
            [{"name": f"T{i}", "partner_id": self.customer.id, "team_id": self.team_sh.id} for i in range(30)]
        )
        self.env.flush_all()
        with self.assertQueryCount(4):
            tickets.write({"stage_id": self.stage["accept"].id})
            tickets.flush_recordset()
        self.assertEqual(set(tickets.mapped("milestone")), {"accept"})
        self.assertTrue(all(tickets.mapped("date_accepted")))
