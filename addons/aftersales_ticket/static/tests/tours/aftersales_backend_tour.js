import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Keep in sync with tests/test_ui.py.
const SUBJECT = "Tour: scanner does not start";
const CUSTOMER = "Tour Customer Ltd";
const PRODUCT = "Tour Scanner X1";
const ACCEPT_COLUMN = ".o_kanban_group:has(.o_column_title:contains('Accepted'))";

/** Type ``name`` in the many2one ``field`` and pick it from the dropdown. */
function chooseRecord(content, field, name) {
    return [
        { content, trigger: `.o_field_widget[name=${field}] input`, run: `edit ${name}` },
        { trigger: `.ui-menu-item > a:contains('${name}')`, run: "click" },
    ];
}

registry.category("web_tour.tours").add("aftersales_backend_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the After-sales app",
            trigger: ".o_app[data-menu-xmlid='aftersales_ticket.aftersales_menu_root']",
            run: "click",
        },
        {
            content: "The tickets open in the kanban, one column per stage",
            trigger: ".o_kanban_renderer .o_kanban_group .o_column_title:contains('Reported')",
        },
        {
            content: "Create a ticket",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Subject",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: `edit ${SUBJECT}`,
        },
        ...chooseRecord("Customer", "partner_id", CUSTOMER),
        {
            content: "Contact details come from the customer",
            trigger: `.o_field_widget[name=partner_name] input:value('${CUSTOMER}')`,
        },
        ...chooseRecord("Product", "product_id", PRODUCT),
        {
            content: "Urgency (badge buttons)",
            isActive: [".o_field_widget[name=urgency] .o_selection_badge"],
            trigger: ".o_field_widget[name=urgency] .o_selection_badge:contains('Emergency')",
            run: "click",
        },
        {
            content: "Urgency (drop-down list)",
            isActive: [".o_field_widget[name=urgency] select"],
            trigger: ".o_field_widget[name=urgency] select",
            run: "selectByLabel Emergency",
        },
        ...stepUtils.saveForm(),
        {
            content: "The ticket got its number",
            trigger: ".o_form_view .o_field_widget[name=number]:contains('AS')",
        },
        {
            content: "Back to the kanban",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a:contains('Tickets')",
            run: "click",
        },
        {
            content: "The new ticket waits in the first column",
            trigger: `.o_kanban_group:first .o_kanban_record:contains('${SUBJECT}')`,
        },
        {
            content: "Accept the ticket: drag it to the next column",
            trigger: `.o_kanban_record:contains('${SUBJECT}')`,
            // Parenthesised: the run parser strips one trailing ")" from the argument.
            run: `drag_and_drop(${ACCEPT_COLUMN})`,
        },
        {
            content: "The ticket is now in the Accepted column",
            trigger: `${ACCEPT_COLUMN} .o_kanban_record:contains('${SUBJECT}')`,
        },
        {
            content: "No move was refused",
            trigger: "body:not(:has(.o_notification.border-danger, .o_error_dialog))",
        },
    ],
});
