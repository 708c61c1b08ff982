from odoo.addons.aftersales_ticket.tests.common import AftersalesCommon
from odoo.addons.mail.tests.common import mail_new_test_user

TITLE_ZH = "设备无法开机的排查步骤"
TITLE_EN = "Device does not power on: troubleshooting"


class KbCommon(AftersalesCommon):
    """The ticket suite's roles and products, plus a knowledge reviewer, a
    second reviewer, a portal customer and a few articles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Article = env["aftersales.kb.article"]
        cls.reviewer = mail_new_test_user(
            env, login="kb_reviewer", groups="aftersales_kb.group_aftersales_kb_reviewer", name="Kb Reviewer"
        )
        cls.reviewer_2 = mail_new_test_user(
            env, login="kb_reviewer_2", groups="aftersales_kb.group_aftersales_kb_reviewer", name="Kb Reviewer Two"
        )
        cls.kb_manager = mail_new_test_user(
            env,
            login="kb_manager",
            groups="aftersales_kb.group_aftersales_kb_manager,aftersales_ticket.group_aftersales_user",
            name="Kb Manager",
        )
        cls.portal_user = mail_new_test_user(
            env,
            login="kb_portal",
            groups="base.group_portal",
            name="Li Wei Portal",
            partner_id=cls.customer_contact.id,
        )

    @classmethod
    def make_article(cls, name, state="published", visibility="customer", **vals):
        values = {
            "name": name,
            "symptom": "<p>%s</p>" % vals.pop("symptom", name),
            "resolution": "<p>%s</p>" % vals.pop("resolution", "Follow the steps."),
            "visibility": visibility,
        }
        values.update(vals)
        article = cls.env["aftersales.kb.article"].create(values)
        if state in ("published", "archived"):
            article.action_publish()
        if state == "archived":
            article.action_archive_article()
        elif state == "review":
            article.action_submit_review()
        return article
