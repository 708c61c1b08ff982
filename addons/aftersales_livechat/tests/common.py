from odoo.addons.aftersales_ticket.tests.common import AftersalesCommon

POWER_TITLE = "设备无法开机的排查"


class LivechatCommon(AftersalesCommon):
    """Three published customer articles (one about power-on), an internal
    one that says the same, a chatbot that answers from them, and a
    customer's portal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Article = env["aftersales.kb.article"]

        def article(name, symptom, visibility="customer"):
            record = Article.create(
                {
                    "name": name,
                    "symptom": f"<p>{symptom}</p>",
                    "resolution": "<p>按步骤检查。</p>",
                    "visibility": visibility,
                }
            )
            record.action_publish()
            return record

        cls.article_power = article(POWER_TITLE, "设备无法开机 指示灯不亮 按电源键没有反应")
        cls.article_adapter = article("电源适配器故障", "适配器发热 设备有时无法开机")
        cls.article_paper = article("打印机卡纸处理", "打印时卡纸 纸张褶皱")
        cls.article_internal = article("内部: 无法开机的主板检测", "无法开机 主板电路", visibility="internal")

        cls.chatbot = env["chatbot.script"].create({"title": "售后助手"})
        Step = env["chatbot.script.step"]
        cls.step_question = Step.create(
            {"chatbot_script_id": cls.chatbot.id, "step_type": "free_input_single", "message": "请描述您的问题"}
        )
        cls.step_answer = Step.create(
            {
                "chatbot_script_id": cls.chatbot.id,
                "step_type": "aftersales_kb_answer",
                "message": "这些文章也许能帮到您:",
            }
        )
        cls.step_solved = Step.create(
            {"chatbot_script_id": cls.chatbot.id, "step_type": "question_selection", "message": "问题解决了吗?"}
        )
        cls.answer_yes, cls.answer_no = env["chatbot.script.answer"].create(
            [
                {"script_step_id": cls.step_solved.id, "name": "已解决"},
                {"script_step_id": cls.step_solved.id, "name": "没有解决"},
            ]
        )
        cls.step_thanks = Step.create(
            {
                "chatbot_script_id": cls.chatbot.id,
                "step_type": "text",
                "message": "很高兴能帮到您",
                "triggering_answer_ids": [(4, cls.answer_yes.id)],
            }
        )
        cls.step_ticket = Step.create(
            {
                "chatbot_script_id": cls.chatbot.id,
                "step_type": "aftersales_create_ticket",
                "message": "已为您创建服务工单",
                "triggering_answer_ids": [(4, cls.answer_no.id)],
            }
        )
        cls.livechat_channel = env["im_livechat.channel"].create(
            {"name": "售后在线客服", "rule_ids": [(0, 0, {"chatbot_script_id": cls.chatbot.id})]}
        )
        cls.customer_user = cls.new_portal_user("lc_customer", cls.customer_contact)

    @classmethod
    def make_chat(cls, operator):
        """A live chat of the customer's contact with ``operator``: the
        visitor's question and photo, the operator's answer."""
        chat = cls.env["discuss.channel"].create(
            {
                "name": f"Li Wei / {operator.name}",
                "channel_type": "livechat",
                "livechat_channel_id": cls.livechat_channel.id,
                "livechat_operator_id": operator.partner_id.id,
                "channel_member_ids": [
                    (0, 0, {"partner_id": operator.partner_id.id, "livechat_member_type": "agent"}),
                    (0, 0, {"partner_id": cls.customer_contact.id, "livechat_member_type": "visitor"}),
                ],
            }
        )
        chat.with_user(cls.customer_user).message_post(
            body="打印机卡纸了", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        chat.message_post(  # the upload route attaches the visitor's files
            body="照片",
            author_id=cls.customer_contact.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[("jam.png", b"\x89PNG fake")],
        )
        chat.with_user(operator).message_post(
            body="请问型号是?", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        return chat
