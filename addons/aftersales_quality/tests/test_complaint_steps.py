from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import QualityCommon

RECEIVED = datetime(2026, 3, 2, 9, 0, 0)
MINUTE = timedelta(minutes=1)


@tagged("post_install", "-at_install")
class TestComplaintSteps(QualityCommon):
    """Issue 20, complaints as a process: each step (seed 002: 接收投诉, 安抚情绪,
    核实情况, 解决问题, 反馈跟进) has its owner, its response target from the
    company's settings, and records who did it when; late or on time is a fact
    the managers read, not something anyone types."""

    def receive(self, at=RECEIVED, **vals):
        with freeze_time(at):
            return self.Ticket.with_user(self.agent).create(
                {
                    "name": "Waited three days, rude answer",
                    "partner_id": self.customer.id,
                    "team_id": self.team_sh.id,
                    "category": "complaint",
                    **vals,
                }
            )

    def step(self, complaint, code):
        return complaint.aftersales_complaint_step_ids.filtered(lambda s: s.step == code)

    def state_at(self, step, moment):
        with freeze_time(moment):
            step.invalidate_recordset(["target_state"])
            return step.target_state

    def test_steps_opened_with_their_targets_and_owner(self):
        complaint = self.receive()
        steps = complaint.aftersales_complaint_step_ids
        self.assertEqual(steps.mapped("step"), ["receive", "soothe", "verify", "resolve", "follow_up"])
        self.assertEqual(steps.user_id, self.manager, "the team's manager answers for the complaint (经理亲自道歉)")
        # seed 002's targets, in hours from the receipt
        self.assertEqual(
            [(s.target_hours, s.date_deadline) for s in steps[1:]],
            [
                (2.0, RECEIVED + timedelta(hours=2)),
                (24.0, RECEIVED + timedelta(hours=24)),
                (24.0, RECEIVED + timedelta(hours=24)),
                (72.0, RECEIVED + timedelta(hours=72)),
            ],
        )
        received = self.step(complaint, "receive")
        self.assertEqual((received.date_done, received.done_by_id, received.result), (RECEIVED, self.agent, "on_time"))
        self.assertFalse((steps - received).filtered("date_done"), "the other steps are still to do")
        # the steps advance as the complaint does: who did it, when
        with freeze_time(RECEIVED + timedelta(hours=1)):
            complaint.with_user(self.manager).action_next_complaint_step()
        soothe = self.step(complaint, "soothe")
        self.assertEqual(
            (soothe.date_done, soothe.done_by_id, soothe.result),
            (RECEIVED + timedelta(hours=1), self.manager, "on_time"),
        )
        # the cause is the agents' to write, tracked
        complaint.with_user(self.agent).aftersales_complaint_cause = "process"
        self.assertEqual(complaint.aftersales_complaint_cause, "process")

    def test_acknowledge_target_at_its_boundary(self):
        """Done a minute before the deadline, at it: on time; a minute after: late.
        An open step is waiting up to its deadline and late after it."""
        deadline = RECEIVED + timedelta(hours=2)
        for offset, expected in ((-MINUTE, "on_time"), (timedelta(0), "on_time"), (MINUTE, "late")):
            with self.subTest(offset=offset):
                complaint = self.receive()
                soothe = self.step(complaint, "soothe")
                waiting = "late" if offset > timedelta(0) else "waiting"
                self.assertEqual(self.state_at(soothe, deadline + offset), waiting)
                with freeze_time(deadline + offset):
                    self.assertEqual(
                        bool(
                            self.Ticket.search_count(
                                [("id", "=", complaint.id), ("aftersales_complaint_late", "=", True)]
                            )
                        ),
                        expected == "late",
                        "the Late filter finds the complaint past its deadline",
                    )
                    complaint.with_user(self.manager).action_next_complaint_step()
                self.assertEqual((soothe.result, soothe.date_done), (expected, deadline + offset))
                self.assertEqual(
                    self.state_at(soothe, deadline + timedelta(days=9)), expected, "a fact: time changes nothing"
                )
                with freeze_time(deadline + timedelta(days=9)):
                    late_steps = self.env["aftersales.quality.complaint.step"].search(
                        [("ticket_id", "=", complaint.id), ("target_state", "in", ["late"])]
                    )
                overdue = ["verify", "resolve", "follow_up"]  # still open nine days later
                self.assertEqual(late_steps.mapped("step"), (["soothe"] if expected == "late" else []) + overdue)

    def test_target_changed_at_runtime(self):
        """The company shortens its acknowledge target to one hour: complaints
        received from then on are due within the hour, at the minute; one
        received before keeps the two hours it was promised."""
        before = self.receive()
        self.company.aftersales_complaint_soothe_hours = 1.0
        after = self.receive()
        self.assertEqual(self.step(before, "soothe").date_deadline, RECEIVED + timedelta(hours=2))
        self.assertEqual(self.step(after, "soothe").target_hours, 1.0)
        deadline = RECEIVED + timedelta(hours=1)
        self.assertEqual(self.step(after, "soothe").date_deadline, deadline)
        for moment, expected in ((deadline - MINUTE, "waiting"), (deadline, "waiting"), (deadline + MINUTE, "late")):
            with self.subTest(moment=moment):
                self.assertEqual(self.state_at(self.step(after, "soothe"), moment), expected)
                self.assertEqual(self.state_at(self.step(before, "soothe"), moment), "waiting")
        with freeze_time(deadline + MINUTE):
            (before | after).with_user(self.manager).action_next_complaint_step()
        self.assertEqual(self.step(before, "soothe").result, "on_time")
        self.assertEqual(self.step(after, "soothe").result, "late")
        with self.assertRaises(ValidationError) as caught:
            self.company.aftersales_complaint_resolve_hours = 0
        self.assertIn("positive number of hours", str(caught.exception))

    def test_a_jump_stamps_the_steps_passed_and_a_ticket_turned_complaint_opens_them(self):
        complaint = self.receive()
        with freeze_time(RECEIVED + timedelta(hours=30)):
            complaint.with_user(self.agent).complaint_step = "resolve"
        passed = complaint.aftersales_complaint_step_ids.filtered("date_done")
        self.assertEqual(passed.mapped("step"), ["receive", "soothe", "verify", "resolve"])
        self.assertEqual(set((passed - self.step(complaint, "receive")).mapped("result")), {"late"})
        self.assertEqual(set(passed[1:].mapped("done_by_id")), {self.agent})
        # a repair ticket turned into a complaint: its clock starts then
        repair = self.unit_ticket()
        self.assertFalse(repair.aftersales_complaint_step_ids)
        with freeze_time(RECEIVED):
            repair.with_user(self.agent).category = "complaint"
        self.assertEqual(self.step(repair, "soothe").date_deadline, RECEIVED + timedelta(hours=2))
        repair.with_user(self.agent).category = "regular_repair"
        repair.with_user(self.agent).category = "complaint"
        self.assertEqual(len(repair.aftersales_complaint_step_ids), 5, "opened once")

    def test_steps_are_facts_the_owner_is_the_managers(self):
        complaint = self.receive()
        soothe = self.step(complaint, "soothe")
        for user, vals, words in (
            (self.manager, {"date_done": RECEIVED}, "set by the system"),
            (self.manager, {"result": "on_time"}, "set by the system"),
            (self.manager, {"date_deadline": RECEIVED + timedelta(days=9)}, "set by the system"),
            (self.agent, {"user_id": self.agent.id}, "not allowed"),
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError) as caught:
                soothe.with_user(user).write(vals)
            self.assertIn(words, str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            soothe.sudo().write({"result": "on_time"})
        self.assertIn("set by the system", str(caught.exception))
        with self.assertRaises(AccessError):
            self.env["aftersales.quality.complaint.step"].with_user(self.agent).create(
                {"ticket_id": complaint.id, "step": "soothe", "date_start": RECEIVED, "date_deadline": RECEIVED}
            )
        soothe.with_user(self.manager).user_id = self.agent
        self.assertEqual(soothe.user_id, self.agent, "a manager hands a step to someone else")
