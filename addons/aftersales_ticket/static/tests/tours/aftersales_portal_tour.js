import { registry } from "@web/core/registry";

/**
 * Draw a stroke in the signature pad with pointer events, as a finger or a
 * mouse would.
 */
function drawSignature(canvas) {
    const rect = canvas.getBoundingClientRect();
    const point = (x, y) => ({
        clientX: rect.left + rect.width * x,
        clientY: rect.top + rect.height * y,
        pointerId: 1,
        pointerType: "mouse",
        isPrimary: true,
        button: 0,
        buttons: 1,
        bubbles: true,
        cancelable: true,
    });
    canvas.dispatchEvent(new PointerEvent("pointerdown", point(0.1, 0.5)));
    for (const [x, y] of [
        [0.2, 0.2],
        [0.3, 0.8],
        [0.4, 0.3],
        [0.5, 0.7],
        [0.7, 0.4],
        [0.9, 0.6],
    ]) {
        canvas.dispatchEvent(new PointerEvent("pointermove", point(x, y)));
    }
    canvas.dispatchEvent(new PointerEvent("pointerup", { ...point(0.9, 0.6), buttons: 0 }));
}

// Relies on the data of TestPortalTour in tests/test_portal.py.
registry.category("web_tour.tours").add("aftersales_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the service tickets from the portal home",
            trigger: ".o_portal_index_card a[href='/my/tickets']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Report a new fault",
            trigger: "a.o_aftersales_new_ticket",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Give a subject",
            trigger: "form.o_aftersales_new_ticket_form input[name='name']",
            run: "edit Printer makes a loud noise",
        },
        {
            content: "Describe the fault",
            trigger: "form.o_aftersales_new_ticket_form textarea[name='description']",
            run: "edit It grinds at every page since this morning.",
        },
        {
            content: "Choose the product",
            trigger: "form.o_aftersales_new_ticket_form select[name='product_id']",
            run: "selectByLabel LaserJet 500",
        },
        {
            content: "Submit the ticket",
            trigger: "form.o_aftersales_new_ticket_form button.o_aftersales_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket is created",
            trigger: ".o_aftersales_portal_ticket .alert-success:contains(your ticket was created)",
        },
        {
            content: "Back to the list",
            trigger: ".o_portal_submenu a[href='/my/tickets']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the ticket waiting for acceptance",
            trigger: "a:contains(Screen flickers)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the signature dialog",
            trigger: "a.o_aftersales_sign_button",
            async run(helpers) {
                // The signature form clears its canvas once the dialog is
                // shown: mark that moment so that we draw after it.
                const modal = document.querySelector("#modal_aftersales_accept");
                modal.addEventListener("shown.bs.modal", () => modal.classList.add("o_aftersales_shown"), {
                    once: true,
                });
                await helpers.click();
            },
        },
        {
            content: "The name of the customer is filled in",
            trigger: ".modal.o_aftersales_shown .o_web_sign_name_and_signature input:value(Li Wei)",
        },
        {
            content: "Draw the signature by hand",
            trigger: ".modal .o_web_sign_draw_button",
            run: "click",
        },
        {
            content: "Sign in the canvas",
            trigger: ".modal .o_web_sign_draw_button.active",
            run() {
                drawSignature(document.querySelector(".modal canvas.o_web_sign_signature"));
            },
        },
        {
            content: "The signature is drawn",
            trigger: ".modal canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Accept and sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The work is accepted",
            trigger: ".o_aftersales_accepted_msg",
        },
        {
            content: "The signature is shown on the ticket",
            trigger: ".o_aftersales_acceptance_done img",
        },
    ],
});
