/**
 * The steps of a tour that opens a spreadsheet board of the "After-sales" group and checks the
 * figures its cells show (they arrive asynchronously: wait up to 7 s, then fail naming the cells
 * that show something else).
 *
 * @param {string} dashboardName the board's name in the dashboards' side panel
 * @param {Object<string, number|string>} expected {cell: value}, e.g. {B6: 75, D6: "Met"}
 */
export function boardShowsSteps(dashboardName, expected) {
    return [
        {
            content: `Open the board ${dashboardName}`,
            trigger: `.o_spreadsheet_dashboard_search_panel li:contains('${dashboardName}')`,
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
                        for (const [xc, value] of Object.entries(expected)) {
                            const shown = cellValue(model, xc);
                            const ok =
                                typeof value === "number"
                                    ? Math.abs(Number(shown) - value) < 0.01
                                    : shown === value;
                            if (!ok) {
                                mismatch += `${xc}=${shown} (expected ${value}) `;
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
    ];
}

function cellValue(model, xc) {
    const sheetId = model.getters.getActiveSheetId();
    const col = xc.charCodeAt(0) - 65;
    const row = parseInt(xc.slice(1), 10) - 1;
    return model.getters.getEvaluatedCell({ sheetId, col, row }).value;
}
