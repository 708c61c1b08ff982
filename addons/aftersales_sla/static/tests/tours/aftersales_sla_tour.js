import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Keep in sync with tests/test_ui.py.
const TIER = "Tour Gold Tier";
const CUSTOMER = "Tour SLA Customer";
const LATE = "Tour: answered late";

registry.category("web_tour.tours").add("aftersales_sla_manager_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the After-sales app",
            trigger: ".o_app[data-menu-xmlid='aftersales_ticket.aftersales_menu_root']",
            run: "click",
        },
        {
            content: "Open the reporting menu",
            trigger: ".o_main_navbar button:contains('Reporting')",
            run: "click",
        },
        {
            content: "Open the SLA compliance report",
            trigger: ".dropdown-item[data-menu-xmlid='aftersales_sla.aftersales_sla_report_menu']",
            run: "click",
        },
        {
            content: "One answer in time, one late: the tier's response compliance is 50 %",
            trigger: `.o_pivot tr:has(th:contains('${TIER}')) td:first:contains('50.00')`,
        },
        {
            content: "Open the customers' menu",
            trigger: ".o_main_navbar button:contains('Customers')",
            run: "click",
        },
        {
            content: "Open the contracts",
            trigger: ".dropdown-item[data-menu-xmlid='aftersales_sla.aftersales_sla_contract_menu']",
            run: "click",
        },
        {
            content: "Open the customer's contract",
            trigger: `.o_list_view .o_data_row td:contains('${CUSTOMER}')`,
            run: "click",
        },
        {
            content: "The contract gives the tier",
            trigger: `.o_form_view .o_field_widget[name=tier_id]:contains('${TIER}'), .o_form_view .o_field_widget[name=tier_id] input:value('${TIER}')`,
        },
        {
            content: "Its two tickets",
            trigger: ".o_form_view .oe_stat_button[name=action_view_tickets]:contains('2')",
            run: "click",
        },
        {
            content: "Open the ticket answered late",
            trigger: `.o_data_row:contains('${LATE}') td.o_data_cell, .o_kanban_record:contains('${LATE}')`,
            run: "click",
        },
        {
            content: "Open its SLA page",
            trigger: ".o_form_view .o_notebook .nav-link:contains('SLA')",
            run: "click",
        },
        {
            content: "The deadline of the first response, four hours after the report",
            trigger: ".o_form_view .o_field_widget[name=sla_response_deadline]:contains('Jan 5, 12:00 PM')",
        },
        {
            content: "Answered at 13:00: met late",
            trigger: ".o_form_view .o_field_widget[name=sla_response_state]:contains('Met late')",
        },
    ],
});
