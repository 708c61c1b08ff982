import { registry } from "@web/core/registry";

// The operator types "/ticket <subject>" in the live chat: the chat shows the message linking the new ticket.
registry.category("web_tour.tours").add("aftersales_livechat_ticket_command_tour", {
    steps: () => [
        {
            content: "The live chat is open",
            trigger: ".o-mail-Message:contains('打印机卡纸了')",
        },
        {
            content: "Type the command",
            trigger: ".o-mail-Composer-input",
            run: "edit /ticket 打印机卡纸 无法打印",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-input",
            run: "press Enter",
        },
        {
            content: "The chat links the ticket",
            trigger:
                ".o-mail-NotificationMessage:contains('was created from this conversation') a[data-oe-model='aftersales.ticket']",
        },
    ],
});
