from odoo.addons.aftersales_ticket.write_rules import AGENT, AGENT_ON_WRITE, MANAGER, OPEN, SYSTEM
from odoo.exceptions import AccessError
from odoo.models import MAGIC_COLUMNS
from odoo.tests import tagged

from .common import QualityCommon

AUDITOR = "aftersales_quality.group_aftersales_quality_auditor"
QUALITY_MANAGER = "aftersales_quality.group_aftersales_quality_manager"
S = (SYSTEM, SYSTEM)
# Every stored field of the new models and who may write it (on create, on write).
TABLES = {
    "aftersales.quality.target": {
        "kpi": S,
        "sequence": S,
        "company_id": S,
        "has_target": (QUALITY_MANAGER, QUALITY_MANAGER),
        "target": (QUALITY_MANAGER, QUALITY_MANAGER),
    },
    "aftersales.quality.alert": dict.fromkeys(
        [
            "company_id",
            "kind",
            "product_id",
            "lot_id",
            "period_start",
            "fault_category_id",
            "date",
            "fault_count",
            "unit_count",
            "rate",
            "baseline_rate",
            "ratio",
            "state",
            "rootcause_id",
        ],
        S,
    ),
    "aftersales.quality.rootcause": {
        **dict.fromkeys(
            [
                "name",
                "company_id",
                "owner_id",
                "date_due",
                "problem",
                "cause",
                "action",
                "effectiveness_check",
                "ticket_ids",
                "incident_ids",
            ],
            (OPEN, OPEN),
        ),
        "effectiveness": S,
        "state": S,
        "date_done": S,
        "alert_ids": S,
    },
    "aftersales.quality.audit": {
        **dict.fromkeys(
            ["ticket_id", "company_id", "technician_id", "week_start", "auditor_id", "date_audited", "state", "score"],
            S,
        ),
        **dict.fromkeys(
            ["score_documentation", "score_sop", "score_communication", "score_parts", "note"], (AUDITOR, AUDITOR)
        ),
    },
    "aftersales.quality.compensation": {
        **dict.fromkeys(
            ["company_id", "partner_id", "state", "requested_by_id", "approved_by_id", "date_approved", "move_id"], S
        ),
        "ticket_id": (AGENT, MANAGER),
        "amount": (AGENT, AGENT),
        "reason": (AGENT, AGENT),
        "kind": (AGENT, AGENT),
        "coupon_id": S,
    },
    "aftersales.quality.complaint.step": {
        **dict.fromkeys(
            [
                "ticket_id",
                "company_id",
                "step",
                "sequence",
                "date_start",
                "target_hours",
                "date_deadline",
                "date_done",
                "done_by_id",
                "result",
            ],
            S,
        ),
        "user_id": (MANAGER, MANAGER),
    },
}
# Stored fields this addon adds to the ticket.
TICKET_FIELDS = {"aftersales_complaint_cause": AGENT_ON_WRITE}
# Fields of mail.thread / activities, written by mail's own API.
MAIL_FIELDS = {"message_main_attachment_id"}


@tagged("post_install", "-at_install")
class TestWriteTable(QualityCommon):
    def test_every_stored_field_takes_a_side(self):
        for model, table in TABLES.items():
            Model = self.env[model]
            stored = {
                name
                for name, field in Model._fields.items()
                if field.store
                and name not in MAGIC_COLUMNS
                and name not in MAIL_FIELDS
                and not name.startswith(("message_", "activity_", "website_message", "rating_"))
            }
            self.assertEqual(stored, set(table), f"classify every stored field of {model}")
            rules = Model._field_write_rules()
            for fname, sides in table.items():
                self.assertEqual(rules.get(fname, (OPEN, OPEN)), sides, f"{model}.{fname}")

    def test_ticket_fields_take_a_side(self):
        fields = self.env["ir.model.fields"].search([("model", "=", "aftersales.ticket")])
        Ticket = self.env["aftersales.ticket"]
        stored = {
            field.name
            for field in fields
            if "aftersales_quality" in field.modules.split(", ")
            and Ticket._fields[field.name].store
            and Ticket._fields[field.name].column_type
            and field.name not in MAGIC_COLUMNS
        }
        self.assertEqual(stored, set(TICKET_FIELDS), "classify every stored field this addon adds to the ticket")
        rules = Ticket._field_write_rules()
        for fname, sides in TICKET_FIELDS.items():
            self.assertEqual(rules.get(fname, (OPEN, OPEN)), sides, f"aftersales.ticket.{fname}")

    def test_facts_refused_even_under_sudo(self):
        alert = self.env["aftersales.quality.alert"]._create_facts(
            [
                {
                    "company_id": self.company.id,
                    "product_id": self.laptop.id,
                    "fault_category_id": self.env["aftersales.fault.category"].create({"name": "Screen"}).id,
                    "date": self.today,
                }
            ]
        )
        for fname, value in (("state", "closed"), ("ratio", 1.0)):
            with self.assertRaises(AccessError) as caught:
                alert.sudo().write({fname: value})
            self.assertIn("set by the system", str(caught.exception))
