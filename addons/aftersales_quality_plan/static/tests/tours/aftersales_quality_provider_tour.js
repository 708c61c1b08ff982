import { registry } from "@web/core/registry";
import { boardShowsSteps } from "@aftersales_quality/../tests/tours/board_cells";

// Row 4: the first centre (Fixit Services): tickets, resolved in time, its target and state, CSAT,
// its target and state; row 5: the second (Repair Bros), not mixed in.
const EXPECTED = {
    A4: "Fixit Services",
    B4: 4,
    C4: 75,
    D4: 95,
    E4: "Missed",
    F4: 4,
    G4: 4.5,
    H4: "Missed",
    A5: "Repair Bros",
    C5: 0,
    F5: 2,
    A6: "",
};

registry.category("web_tour.tours").add("aftersales_quality_provider_board_tour", {
    steps: () => boardShowsSteps("After-sales Service Centres", EXPECTED),
});
