import { registry } from "@web/core/registry";

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

function cellValue(model, xc) {
    const sheetId = model.getters.getActiveSheetId();
    const col = xc.charCodeAt(0) - 65;
    const row = parseInt(xc.slice(1), 10) - 1;
    return model.getters.getEvaluatedCell({ sheetId, col, row }).value;
}

registry.category("web_tour.tours").add("aftersales_quality_dashboard_tour", {
    steps: () => [
        {
            content: "Open the after-sales board",
            trigger: ".o_spreadsheet_dashboard_search_panel li:contains('After-sales Service Quality')",
            run: "click",
        },
        {
            content: "The board is drawn",
            trigger: ".o_spreadsheet_dashboard_action .o_renderer .o-grid",
        },
        {
            content: "The figures are those of the tickets, against their targets",
            trigger: ".o_spreadsheet_dashboard_action .o_renderer",
            async run() {
                const loader = odoo.__WOWL_DEBUG__.root.env.services.spreadsheet_dashboard_loader;
                let mismatch = "";
                for (let attempt = 0; attempt < 70; attempt++) {
                    const model = loader.getActiveDashboard().model;
                    mismatch = "";
                    if (model) {
                        for (const [xc, expected] of Object.entries(EXPECTED)) {
                            const value = cellValue(model, xc);
                            const ok =
                                typeof expected === "number"
                                    ? Math.abs(Number(value) - expected) < 0.01
                                    : value === expected;
                            if (!ok) {
                                mismatch += `${xc}=${value} (expected ${expected}) `;
                            }
                        }
                        if (!mismatch) {
                            return;
                        }
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                throw new Error(`The board shows other figures: ${mismatch}`);
            },
        },
    ],
});
