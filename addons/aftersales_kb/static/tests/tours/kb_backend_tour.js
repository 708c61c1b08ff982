import { registry } from "@web/core/registry";

// Keep in sync with tests/test_ui.py.
const ARTICLE = "设备无法开机的排查步骤";

registry.category("web_tour.tours").add("aftersales_kb_backend_tour", {
    steps: () => [
        {
            content: "Open the knowledge tab of the ticket",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Knowledge')",
            run: "click",
        },
        {
            content: "The article of the ticket's product is suggested",
            trigger: `.o_field_widget[name=kb_suggested_article_ids] .o_data_row:first-child:contains('${ARTICLE}')`,
        },
        {
            content: "Search the knowledge base in Chinese",
            trigger: ".o_field_widget[name=kb_article_id] input",
            run: "edit 开机",
        },
        {
            content: "Pick the article that solved it",
            trigger: `.o-autocomplete--dropdown-item > a:contains('${ARTICLE}')`,
            run: "click",
        },
        {
            content: "Save the ticket",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The ticket is solved at first contact",
            trigger: ".o_form_saved .o_field_widget[name=kb_first_contact] input:checked",
        },
    ],
});
