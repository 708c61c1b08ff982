import re

import polib

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import AftersalesCommon

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


@tagged("post_install", "-at_install")
class TestI18n(AftersalesCommon):
    """The Simplified Chinese translation is complete and reaches users:
    data (stages, menus, selections) and messages raised from Python code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["aftersales_ticket"], ["zh_CN"], overwrite=True)
        cls.env.invalidate_all()
        cls.user_zh = cls.new_user(
            "as_agent_zh", "aftersales_ticket.group_aftersales_user", name="Wang Fang", lang="zh_CN"
        )
        cls.env_zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def test_stage_and_menu_names(self):
        stage_names = {
            "report": "报修",
            "accept": "已受理",
            "dispatch": "已派单",
            "diagnose": "诊断",
            "repair": "维修",
            "acceptance": "客户验收",
            "followup": "回访",
            "archive": "已归档",
        }
        for milestone, name in stage_names.items():
            self.assertEqual(self.stage[milestone].with_env(self.env_zh).name, name)
        self.assertEqual(self.stage["report"].name, "Reported", "English stays the source")
        # a user whose language is zh_CN sees the translated menu
        user_env = self.env(user=self.user_zh, context=self.user_zh.with_user(self.user_zh).context_get())
        self.assertEqual(user_env.lang, "zh_CN")
        menu = user_env.ref("aftersales_ticket.aftersales_menu_root")
        self.assertEqual(menu.name, "售后服务")

    def test_selection_labels(self):
        fields = self.env_zh["aftersales.ticket"].fields_get(["urgency", "service_mode", "category"], ["selection"])
        self.assertEqual(dict(fields["urgency"]["selection"])["emergency"], "紧急")
        self.assertEqual(dict(fields["service_mode"]["selection"])["carry_in"], "送修")
        self.assertEqual(dict(fields["category"]["selection"])["out_of_warranty"], "保外维修")

    def test_close_without_acceptance_message(self):
        ticket = self.create_ticket()
        ticket.stage_id = self.stage["acceptance"]
        with self.assertRaisesRegex(UserError, "客户尚未验收"):
            ticket.with_user(self.user_zh).with_context(lang="zh_CN").stage_id = self.stage["archive"]
        self.assertEqual(ticket.stage_id, self.stage["acceptance"])
        with self.assertRaisesRegex(UserError, "not accepted"):
            ticket.with_context(lang="en_US").stage_id = self.stage["archive"]

    def test_system_fact_message(self):
        ticket = self.create_ticket()
        with self.assertRaisesRegex(AccessError, "由系统设定.*验收状态"):
            ticket.with_user(self.user_zh).with_context(lang="zh_CN").acceptance_state = "waived"

    def test_missing_right_message_names_model_fields_and_right(self):
        """An agent correcting when the customer reported (a manager's
        correction) is told, in Chinese, which field and which right."""
        ticket = self.create_ticket()
        with self.assertRaisesRegex(AccessError, "您无权设置售后工单的以下字段.*需要以下权限之一.*主管"):
            ticket.with_user(self.user_zh).with_context(lang="zh_CN").date_reported = "2026-01-01 08:00:00"
        with self.assertRaisesRegex(AccessError, r"not allowed to set these fields of After-sales Ticket.*Manager"):
            ticket.with_user(self.user_zh).with_context(lang="en_US").date_reported = "2026-01-01 08:00:00"

    def test_validation_message(self):
        with self.assertRaisesRegex(ValidationError, "预计工时不能为负数"):
            self.create_ticket().with_env(self.env_zh).estimated_hours = -1

    def test_po_file_complete(self):
        po = polib.pofile(file_path("aftersales_ticket/i18n/zh_CN.po"))
        pot = polib.pofile(file_path("aftersales_ticket/i18n/aftersales_ticket.pot"))
        entries = [entry for entry in po if not entry.obsolete]
        self.assertTrue(entries)
        self.assertFalse([e.msgid for e in entries if not e.msgstr.strip()], "untranslated entries")
        self.assertFalse([e.msgid for e in entries if "fuzzy" in e.flags], "fuzzy entries")
        self.assertFalse(
            {e.msgid for e in pot if not e.obsolete} - {e.msgid for e in entries},
            "template entries missing from zh_CN.po",
        )
        for entry in entries:
            self.assertEqual(
                sorted(PLACEHOLDER.findall(entry.msgid)),
                sorted(PLACEHOLDER.findall(entry.msgstr)),
                f"placeholders differ in {entry.msgid!r}",
            )
