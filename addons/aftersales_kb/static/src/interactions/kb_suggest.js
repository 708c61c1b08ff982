import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

/**
 * New-ticket form of the portal: suggest FAQ articles while the customer
 * types the subject of the fault.
 */
export class AftersalesKbSuggest extends Interaction {
    static selector = "form.o_aftersales_new_ticket_form";
    static selectorHas = ".o_aftersales_kb_suggestions";
    dynamicContent = {
        "#aftersales_name": { "t-on-input": this.debounced(this.onSubjectInput, 300) },
    };

    setup() {
        this.boxEl = this.el.querySelector(".o_aftersales_kb_suggestions");
        this.listEl = this.el.querySelector(".o_aftersales_kb_suggestion_list");
        this.lastQuery = "";
    }

    async onSubjectInput(ev) {
        const query = ev.target.value.trim();
        if (query === this.lastQuery) {
            return;
        }
        this.lastQuery = query;
        const articles = query ? await this.waitFor(rpc("/my/kb/suggest", { query })) : [];
        if (query !== this.lastQuery) {
            return;
        }
        this.listEl.replaceChildren(
            ...articles.map((article) => {
                const link = document.createElement("a");
                link.href = article.url;
                link.className = "list-group-item list-group-item-action o_aftersales_kb_suggestion";
                link.textContent = article.name;
                return link;
            })
        );
        this.boxEl.classList.toggle("d-none", !articles.length);
    }
}

registry.category("public.interactions").add("aftersales_kb.kb_suggest", AftersalesKbSuggest);
