import { registry } from "@web/core/registry";

// Keep in sync with tests/test_ui.py.
const question = (title) => `div.js_question-wrapper:contains("${title}")`;

registry.category("web_tour.tours").add("aftersales_survey_answer_tour", {
    steps: () => [
        {
            content: "The emailed link opens the 24 hours follow-up",
            trigger: "h1:contains('Service follow-up: how was our service?')",
        },
        {
            content: "Start the survey",
            trigger: "button.btn:contains('Start')",
            run: "click",
        },
        {
            content: "The problem is solved",
            trigger: `${question("Was your problem solved?")} label:contains('Yes')`,
            run: "click",
        },
        {
            content: "Quality: 5",
            trigger: `${question("quality of the repair")} label:contains('5')`,
            run: "click",
        },
        {
            content: "Attitude: 4",
            trigger: `${question("attitude of our staff")} label:contains('4')`,
            run: "click",
        },
        {
            content: "Speed: 5",
            trigger: `${question("speed of the service")} label:contains('5')`,
            run: "click",
        },
        {
            content: "A comment",
            trigger: `${question("Anything else")} textarea`,
            run: "edit Quick and friendly technician",
        },
        {
            content: "Submit",
            trigger: "button[value='finish']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The end message",
            trigger: ".o_survey_finished:contains('Thank you for your answers.')",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_survey_report_tour", {
    steps: () => [
        {
            content: "The satisfaction report opens as a pivot by team and month",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('Shanghai'), .o_pivot th:contains('Shanghai')",
        },
        {
            content: "NPS is a measure",
            trigger: ".o_pivot th:contains('NPS')",
        },
        {
            // 30 days answers 10, 9 and 0 (tests/test_ui.py): 2 promoters, 1 detractor of 3.
            // No other measure of the row can read 33.33 (CSAT is at most 5, response rate
            // and coverage are 100 %).
            content: "Shanghai's NPS is 33.33",
            trigger: ".o_pivot tbody tr:has(th:contains('Shanghai')) td.o_pivot_cell_value:contains('33.33')",
        },
        {
            content: "CSAT is a measure",
            trigger: ".o_pivot th:contains('CSAT')",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph is drawn",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
