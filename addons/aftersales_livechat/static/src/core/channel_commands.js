import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

// "/ticket <subject>" in a live chat: the operator opens an after-sales ticket of the visitor with the
// transcript (discuss.channel.execute_command_ticket checks who may).
registry.category("discuss.channel_commands").add("ticket", {
    condition: ({ store }) => store.has_access_livechat,
    channel_types: ["livechat"],
    help: _t("Create an after-sales ticket (/ticket subject)"),
    methodName: "execute_command_ticket",
});
