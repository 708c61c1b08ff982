import re
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CLOSED_AT, AftersalesSurveyCommon

MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date"}
NOBODY, AGENT = frozenset(), frozenset({"agent", "manager"})
MANAGER = frozenset({"manager"})

# Who may write each stored field: facts the system records are written by nobody.
WRITE_TABLE = {
    "aftersales.followup": {
        "user_id": AGENT,
        **dict.fromkeys(
            [
                "ticket_id",
                "step_id",
                "survey_id",
                "channel",
                "company_id",
                "partner_id",
                "team_id",
                "technician_id",
                "product_id",
                "state",
                "skip_reason",
                "date_closed",
                "service_round",
                "date_scheduled",
                "date_sent",
                "date_expire",
                "date_answered",
                "user_input_id",
                "no_answer_count",
                "last_call_outcome",
                "csat_quality",
                "csat_attitude",
                "csat_speed",
                "csat_score",
                "nps_answered",
                "nps_score",
                "nps_value",
                "problem_solved",
                "answer_comment",
                "followthrough_ticket_id",
            ],
            NOBODY,
        ),
    },
    "aftersales.followup.call": dict.fromkeys(["followup_id", "user_id", "date", "outcome", "note"], NOBODY),
    "aftersales.followup.plan": dict.fromkeys(
        ["name", "sequence", "active", "company_id", "is_default", "low_score_ticket", "unsolved_ticket"], MANAGER
    ),
    "aftersales.followup.step": dict.fromkeys(
        [
            "name",
            "sequence",
            "plan_id",
            "survey_id",
            "offset_hours",
            "channel",
            "validity_days",
            "max_call_attempts",
            "apply_to_complaint",
            "apply_to_rework",
        ],
        MANAGER,
    ),
}


@tagged("post_install", "-at_install")
class TestAccess(AftersalesSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.close_ticket()
        finance = "account.group_account_invoice"
        finance_groups = "base.group_user" + (f",{finance}" if cls.env.ref(finance, raise_if_not_found=False) else "")
        cls.roles = {
            "portal": cls.portal_user,
            "technician": cls.tech_user_a,
            "agent": cls.agent,
            "warehouse": cls.new_user("as_survey_warehouse", "base.group_user,stock.group_stock_user"),
            "finance": cls.new_user("as_survey_finance", finance_groups),
            "manager": cls.manager,
        }

    def _records(self):
        self.run_job(CLOSED_AT + timedelta(days=7, hours=1))
        followup = self.followup(self.ticket, self.step_7d)
        followup._register_call("no_answer")
        return {
            "aftersales.followup": followup,
            "aftersales.followup.call": followup.call_ids,
            "aftersales.followup.plan": self.plan,
            "aftersales.followup.step": self.step_7d,
        }

    def _value(self, record, fname):
        field = record._fields[fname]
        value = record[fname]
        if field.type == "many2one":
            return value.id
        if fname == "user_id":
            return self.manager.id
        return value

    @staticmethod
    def _write_refusal(model, fname):
        """What must refuse a write the table forbids: on a follow-up, the
        write rules (its facts, the agent's field); the calls, plans and
        steps by the access rights (nobody but managers writes those)."""
        if model != "aftersales.followup":
            return rf"You are not allowed to modify '.*' \({re.escape(model)}\) records"
        if fname == "user_id":
            return r"You are not allowed to set these fields of .*: Agent\. "
        return "are set by the system and cannot be changed"

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_write_table(self):
        for model, record in self._records().items():
            table = WRITE_TABLE[model]
            # the fields this addon defines (addons over it classify theirs)
            ours = {
                field.name
                for field in self.env["ir.model.fields"].search([("model", "=", model)])
                if "aftersales_survey" in field.modules.split(", ")
            }
            stored = {
                name
                for name, field in record._fields.items()
                if field.store and field.column_type and name not in MAGIC and name in ours
            }
            self.assertEqual(stored - set(table), set(), f"unclassified stored fields of {model}")
            for role, user in self.roles.items():
                for fname in sorted(stored):
                    allowed = role in table[fname]
                    with self.subTest(model=model, role=role, field=fname), self.env.cr.savepoint() as sp:
                        try:
                            record.with_user(user).write({fname: self._value(record, fname)})
                            record.with_user(user).flush_recordset()
                            written = True
                        except AccessError as error:
                            written = False
                            if not allowed:
                                self.assertRegex(str(error), self._write_refusal(model, fname))
                        sp.rollback()
                        self.assertEqual(written, allowed)

    # Who may call each public action (as call_kw runs it: the method on the records, as the user).
    ACTION_TABLE = {
        "aftersales.followup.action_open_ticket": {"technician", "agent", "manager"},
        "aftersales.followup.action_open_call_wizard": AGENT,
        "aftersales.followup.call.wizard.create": AGENT,
        "aftersales.followup.call.wizard.action_confirm": AGENT,
        "aftersales.followup.report.read_group": MANAGER,
        "aftersales.followup.analysis.read_group": MANAGER,
    }

    # What refuses each action to the roles the table leaves out.
    ACTION_REFUSAL = {
        "aftersales.followup.action_open_ticket": dict.fromkeys(
            ("portal", "warehouse", "finance"), r"You are not allowed to access '.*' \(aftersales\.followup\) records"
        ),
        "aftersales.followup.action_open_call_wizard": dict.fromkeys(
            ("portal", "technician", "warehouse", "finance"), "Recording phone follow-ups needs the After-sales right"
        ),
        "aftersales.followup.call.wizard.create": dict.fromkeys(
            ("portal", "technician", "warehouse", "finance"),
            r"You are not allowed to create '.*' \(aftersales\.followup\.call\.wizard\) records",
        ),
        "aftersales.followup.call.wizard.action_confirm": dict.fromkeys(
            ("portal", "technician", "warehouse", "finance"), "Recording phone follow-ups needs the After-sales right"
        ),
        "aftersales.followup.report.read_group": dict.fromkeys(
            ("portal", "technician", "agent", "warehouse", "finance"),
            r"You are not allowed to access '.*' \(aftersales\.followup\.report\) records",
        ),
        "aftersales.followup.analysis.read_group": dict.fromkeys(
            ("portal", "technician", "agent", "warehouse", "finance"),
            r"You are not allowed to access '.*' \(aftersales\.followup\.analysis\) records",
        ),
    }

    def _call(self, action, user, followup):
        """Run ``action`` as ``user``; True when it went through."""
        if action.startswith("aftersales.followup.call.wizard."):
            Wizard = self.env["aftersales.followup.call.wizard"].with_user(user)
            if action.endswith(".create"):
                return bool(Wizard.create({"followup_id": followup.id, "outcome": "no_answer"}))
            wizard = Wizard.sudo().create({"followup_id": followup.id, "outcome": "no_answer"}).with_user(user)
            calls = followup.no_answer_count
            wizard.action_confirm()
            return followup.no_answer_count == calls + 1
        if action.startswith("aftersales.followup.report") or action.startswith("aftersales.followup.analysis"):
            model = action.rsplit(".", 1)[0]
            return bool(self.env[model].with_user(user).formatted_read_group([], ["team_id"], ["nps:avg"]))
        method = action.rsplit(".", 1)[1]
        return bool(getattr(followup.with_user(user), method)())

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_action_table(self):
        followup = self._records()["aftersales.followup"]
        self.assertEqual((followup.channel, followup.state), ("phone", "pending"))
        # one answered follow-up so that the reports have figures
        answered = self.followup(self.ticket, self.step_24h)
        self.answer(answered, {self.q["24h_solved"]: self.a["24h_solved_yes"].id, self.q["24h_quality"]: 5})
        for action, allowed in self.ACTION_TABLE.items():
            for role, user in self.roles.items():
                with self.subTest(action=action, role=role), self.env.cr.savepoint() as sp:
                    try:
                        done = self._call(action, user, followup)
                    except (AccessError, UserError) as error:
                        done = False
                        # refused by our checks or the access rights, never by accident
                        self.assertIsInstance(error, AccessError)
                        self.assertRegex(str(error), self.ACTION_REFUSAL[action].get(role, "no refusal expected"))
                    sp.rollback()
                    self.assertEqual(done, role in allowed)

    def test_who_sees_which_followups(self):
        followup = self._records()["aftersales.followup"]
        self.team_hz.member_ids = [(3, self.agent.id)]
        other_ticket = self.close_ticket(team_id=self.team_hz.id, technician_id=self.tech_c.id)
        other = other_ticket.followup_ids
        Followup = self.Followup
        # the technician of the ticket sees its follow-ups, not another technician's
        self.assertIn(followup, Followup.with_user(self.tech_user_a).search([]))
        self.assertNotIn(other[0], Followup.with_user(self.tech_user_a).search([]))
        # a team member agent sees the team's follow-ups; a manager sees all
        self.assertIn(followup, Followup.with_user(self.agent).search([]))
        self.assertFalse(Followup.with_user(self.agent).search([("id", "in", other.ids)]))
        self.assertEqual(Followup.with_user(self.manager).search([("id", "in", other.ids)]), other)
        # customers reach their invitations by token only (survey link, ticket page), never the records
        # (whose team, technician and agent names they may not read)
        for customer in (self.portal_user, self.portal_other):
            with self.assertRaisesRegex(
                AccessError, r"You are not allowed to access '.*' \(aftersales\.followup\) records"
            ):
                Followup.with_user(customer).search([])
            with self.assertRaisesRegex(
                AccessError, r"You are not allowed to access '.*' \(aftersales\.followup\) records"
            ):
                followup.with_user(customer).read(["team_id"])
        # the reports and the totals behind them are for managers
        for model in ("aftersales.followup.report", "aftersales.followup.analysis", "aftersales.followup.kpi"):
            with (
                self.subTest(model=model),
                self.assertRaisesRegex(AccessError, rf"You are not allowed to access '.*' \({model}\) records"),
            ):
                self.env[model].with_user(self.agent).search([])
            self.env[model].with_user(self.manager).search([])
