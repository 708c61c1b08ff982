import { registry } from "@web/core/registry";

// Keep in sync with tests/test_ui.py.
const PART = "Tour Screen Panel";

registry.category("web_tour.tours").add("aftersales_parts_technician_tour", {
    steps: () => [
        {
            content: "The technician's repair opens on the parts",
            trigger: ".o_form_view .o_field_widget[name=move_ids]",
        },
        {
            content: "Add a part",
            trigger: ".o_field_widget[name=move_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Choose the part",
            trigger: ".o_field_widget[name=move_ids] .o_data_row .o_field_widget[name=product_id] input",
            run: `edit ${PART}`,
        },
        {
            trigger: `.ui-menu-item > a:contains('${PART}')`,
            run: "click",
        },
        {
            content: "Open the labour page",
            trigger: ".o_notebook .nav-link:contains('Labour')",
            run: "click",
        },
        {
            content: "Log one hour",
            trigger: ".o_field_widget[name=aftersales_labour_hours] input",
            run: "edit 01:00",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_parts_portal_tour", {
    steps: () => [
        {
            content: "The customer opens the quotation and signs",
            trigger: "a:contains('Sign')",
            run: "click",
        },
        {
            trigger: ".modal .o_web_sign_name_and_signature input",
            run: "edit Li Wei",
        },
        {
            trigger: ".modal .o_web_sign_auto_select_style button",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item:eq(1)",
            run: "click",
        },
        {
            content: "Accept and sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanks",
            trigger: "#quote_content:contains('Thank You')",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_parts_finance_tour", {
    steps: () => [
        {
            content: "Finance selects the repair fees to settle",
            trigger: ".o_list_view .o_data_row .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Invoice the batch",
            trigger: ".o_control_panel button[name=action_aftersales_invoice_batch], .o_list_view button[name=action_aftersales_invoice_batch]",
            run: "click",
        },
        {
            content: "The posted invoice is listed",
            trigger: ".o_list_view .o_data_row:contains('Posted')",
        },
    ],
});
