import { registry } from "@web/core/registry";
import { boardShowsSteps } from "@aftersales_quality/../tests/tours/board_cells";

// The cells of the board: KPI rows 4-14 (first response, handling, FCR, ..., repeat, complaints),
// column B the figure, C the target, D the state.
const EXPECTED = {
    B6: 75, // first-contact resolution (%)
    C6: 75,
    D6: "Met",
    B10: 5, // repeat repairs (%)
    C10: 5,
    D10: "Met",
    B11: 5, // complaints (%)
    C11: 2,
    D11: "Missed",
};

registry.category("web_tour.tours").add("aftersales_quality_dashboard_tour", {
    steps: () => boardShowsSteps("After-sales Service Quality", EXPECTED),
});
