import { registry } from "@web/core/registry";

// Relies on the data of TestVisitTour in tests/test_visit.py: the customer's
// ticket has a visit booked and waits for the customer's answer.
registry.category("web_tour.tours").add("aftersales_visit_tour", {
    steps: () => [
        {
            content: "The technician and the time of the visit are shown",
            trigger: ".o_aftersales_visit .o_aftersales_visit_technician:contains(As Tech A)",
        },
        {
            content: "The visit waits for the customer",
            trigger: ".o_aftersales_visit .o_aftersales_visit_state:contains(Waiting for the customer)",
        },
        {
            content: "Confirm the visit time",
            trigger: ".o_aftersales_visit button.o_aftersales_visit_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The confirmation is acknowledged",
            trigger: ".o_aftersales_visit_confirmed_msg",
        },
        {
            content: "The visit shows as confirmed",
            trigger: ".o_aftersales_visit .o_aftersales_visit_state:contains(Confirmed by the customer)",
        },
    ],
});
