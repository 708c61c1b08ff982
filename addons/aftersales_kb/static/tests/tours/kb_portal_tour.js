import { registry } from "@web/core/registry";

// Keep in sync with tests/test_ui.py.
const ARTICLE = "设备无法开机的排查步骤";

registry.category("web_tour.tours").add("aftersales_kb_portal_tour", {
    url: "/my/kb",
    steps: () => [
        {
            content: "Search the FAQ in Chinese",
            trigger: "form.o_aftersales_kb_search_form input[name=search]",
            run: "edit 开机",
        },
        {
            content: "Run the search",
            trigger: "form.o_aftersales_kb_search_form .o_aftersales_kb_search_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the article",
            trigger: `a.o_aftersales_kb_result:contains('${ARTICLE}')`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The article shows its resolution steps",
            trigger: ".o_aftersales_kb_article:contains('长按电源键十五秒')",
        },
        {
            content: "It solved the problem",
            trigger: "button.o_aftersales_kb_solved",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "No ticket needed",
            trigger: ".o_aftersales_kb_solved_msg",
        },
        {
            content: "Report another fault",
            trigger: "a[href='/my/tickets/new']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Type the subject",
            trigger: "form.o_aftersales_new_ticket_form input[name=name]",
            run: "edit 无法开机",
        },
        {
            content: "Articles are suggested while typing",
            trigger: `.o_aftersales_kb_suggestions:not(.d-none) a.o_aftersales_kb_suggestion:contains('${ARTICLE}')`,
        },
    ],
});
