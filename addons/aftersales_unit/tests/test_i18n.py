import re

import polib

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import PROOF_PDF, AftersalesUnitCommon

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
# The same in every language (the po formatter leaves them untranslated).
SAME_IN_EVERY_LANGUAGE = {"ID", "S00001", "WH/RO/00001"}


@tagged("post_install", "-at_install")
class TestI18n(AftersalesUnitCommon):
    """The Simplified Chinese translation is complete and reaches the
    customer: the warranty answer and the refusals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["aftersales_unit"], ["zh_CN"], overwrite=True)
        cls.env.invalidate_all()

    def test_po_is_complete_and_keeps_placeholders(self):
        pot = polib.pofile(file_path("aftersales_unit/i18n/aftersales_unit.pot"))
        po = polib.pofile(file_path("aftersales_unit/i18n/zh_CN.po"))
        self.assertEqual({e.msgid for e in pot}, {e.msgid for e in po}, "zh_CN.po follows the template")
        for entry in po:
            with self.subTest(msgid=entry.msgid):
                self.assertTrue(entry.msgstr or entry.msgid in SAME_IN_EVERY_LANGUAGE, "untranslated")
                self.assertEqual(sorted(PLACEHOLDER.findall(entry.msgid)), sorted(PLACEHOLDER.findall(entry.msgstr)))

    def test_warranty_answer_and_refusal_in_chinese(self):
        self.sell(self.lot_laptop, self.d(2026, 1, 10), extended=True, invoice_day=self.d(2026, 1, 11))
        with self.at(2026, 6, 1):
            lot = self.lot_laptop.with_context(lang="zh_CN")
            self.assertEqual(lot.aftersales_warranty_summary, "延保至 2028-01-10")
            Registration = self.Registration.with_context(lang="zh_CN")
            with self.assertRaises(UserError) as caught:
                Registration._register_from_portal(
                    self.other_contact, "PB14-0001", self.d(2026, 1, 10), [("invoice.pdf", PROOF_PDF)]
                )
        self.assertIn("序列号 PB14-0001 属于其他客户", str(caught.exception))
