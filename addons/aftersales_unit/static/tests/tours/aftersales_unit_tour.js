import { registry } from "@web/core/registry";

// Keep in sync with tests/test_ui.py.
const SERIAL = "TOUR-UNIT-0001";
const SUBJECT = "Tour: fan is noisy";
const TRACKING = "SF-TOUR-42";
// A one-pixel PNG: the proof of purchase.
const PROOF_PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

async function attachProof(input) {
    const blob = await (await fetch(`data:image/png;base64,${PROOF_PNG}`)).blob();
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "receipt.png", { type: "image/png" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("aftersales_unit_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open My Products from the portal home",
            trigger: ".o_portal_index_card a[href='/my/products']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Register a product",
            trigger: "a.o_aftersales_register_unit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Type the serial number",
            trigger: "form.o_aftersales_register_form input[name='serial']",
            run: `edit ${SERIAL}`,
        },
        {
            content: "Give the purchase date",
            trigger: "form.o_aftersales_register_form input[name='purchase_date']",
            run() {
                this.anchor.value = "2026-01-10";
            },
        },
        {
            content: "Attach the proof of purchase",
            trigger: "form.o_aftersales_register_form input[name='proof']",
            async run() {
                await attachProof(this.anchor);
            },
        },
        {
            content: "Register",
            trigger: "form.o_aftersales_register_form button.o_aftersales_register_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The registration waits for the service desk",
            trigger: ".o_aftersales_portal_registration_row:contains(Pending verification)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_unit_mail_in_tour", {
    url: "/my/products",
    steps: () => [
        {
            content: "The verified unit shows its warranty",
            trigger: `.o_aftersales_portal_unit_row:contains(${SERIAL}) .o_aftersales_unit_warranty:contains(warranty until)`,
        },
        {
            content: "Open the unit",
            trigger: `.o_aftersales_portal_unit_row a:contains(${SERIAL})`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Subject",
            trigger: "form.o_aftersales_mail_in_form input[name='name']",
            run: `edit ${SUBJECT}`,
        },
        {
            content: "Fault",
            trigger: "form.o_aftersales_mail_in_form textarea[name='description']",
            run: "edit It rattles when it starts.",
        },
        {
            content: "Courier",
            trigger: "form.o_aftersales_mail_in_form input[name='courier']",
            run: "edit SF Express",
        },
        {
            content: "Tracking reference",
            trigger: "form.o_aftersales_mail_in_form input[name='tracking_ref']",
            run: `edit ${TRACKING}`,
        },
        {
            content: "Open the mail-in repair",
            trigger: "form.o_aftersales_mail_in_form button.o_aftersales_mail_in_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket is created",
            trigger: ".o_aftersales_portal_ticket .alert-success",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_unit_receive_tour", {
    steps: () => [
        {
            content: "The ticket shows the parcel on its way",
            trigger: ".o_form_view .o_field_widget[name=unit_tracking_note]:contains(" + TRACKING + ")",
        },
        {
            content: "Receive the unit",
            trigger: ".o_form_view button[name=action_unit_receive]",
            run: "click",
        },
        {
            content: "The unit is at the service centre",
            trigger: ".o_form_view .o_field_widget[name=unit_state]:contains(At the service centre)",
        },
    ],
});
