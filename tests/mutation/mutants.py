"""The curated bugs of the mutation check (see run_mutants.py).

Each: ``id``; ``file`` (from the repository root); ``find``, the text to
change, which must occur exactly once; ``replace``; ``addons`` to install;
``tags``, the Odoo test tags to run (the tests that guard the rule, so that a
mutant takes minutes, not the whole suite); ``bug``, what a user would see."""

SLA_TESTS = "/aftersales_sla"

MUTANTS = [
    # --- aftersales_sla: warranty, 三包, SLA clock ---------------------------------
    {
        "id": "sla-warranty-last-day",
        "file": "addons/aftersales_sla/models/aftersales_ticket_warranty.py",
        "find": "elif day <= end:",
        "replace": "elif day < end:",
        "addons": "aftersales_sla",
        "tags": SLA_TESTS,
        "bug": "the last day of the warranty counted as expired",
    },
    {
        "id": "sla-report-day-utc",
        "file": "addons/aftersales_sla/models/aftersales_ticket_warranty.py",
        "find": "return pytz.utc.localize(moment).astimezone(tz).date()",
        "replace": "return moment.date()",
        "addons": "aftersales_sla",
        "tags": SLA_TESTS,
        "bug": "windows judged on the UTC day, not the company's",
    },
    {
        "id": "sla-return-window",
        "file": "addons/aftersales_sla/models/aftersales_ticket_warranty.py",
        "find": "if days <= company.aftersales_return_days:",
        "replace": "if days < company.aftersales_return_days:",
        "addons": "aftersales_sla",
        "tags": SLA_TESTS,
        "bug": "day 7 no longer in the 7-day return window",
    },
    {
        "id": "sla-exchange-window",
        "file": "addons/aftersales_sla/models/aftersales_ticket_warranty.py",
        "find": "elif days <= company.aftersales_exchange_days:",
        "replace": "elif days <= 15:",
        "addons": "aftersales_sla",
        "tags": SLA_TESTS,
        "bug": "the exchange window setting no longer read",
    },
    {
        "id": "sla-repair-limit",
        "file": "addons/aftersales_sla/models/aftersales_ticket_warranty.py",
        "find": "repaired >= company.aftersales_repair_limit",
        "replace": "repaired > company.aftersales_repair_limit",
        "addons": "aftersales_sla",
        "tags": SLA_TESTS,
        "bug": "exchange or return only after a third repair",
    },
    {
        "id": "sla-breach-at-deadline",
        "file": "addons/aftersales_sla/models/aftersales_ticket_deadline.py",
        "find": "BREACH_AFTER = timedelta(seconds=1)",
        "replace": "BREACH_AFTER = timedelta(0)",
        "addons": "aftersales_sla",
        "tags": SLA_TESTS,
        "bug": "escalated as breached at the deadline second itself",
    },
    {
        "id": "sla-holidays-always",
        "file": "addons/aftersales_sla/models/aftersales_ticket_deadline.py",
        "find": "clock = (tier.resource_calendar_id, tier.use_public_holidays)",
        "replace": "clock = (tier.resource_calendar_id, True)",
        "addons": "aftersales_sla",
        "tags": SLA_TESTS,
        "bug": "a 24x7 tier stops its clock on public holidays",
    },
    {
        "id": "sla-warning-percent",
        "file": "addons/aftersales_sla/models/aftersales_ticket_deadline.py",
        "find": "tier.warning_percent / 100.0",
        "replace": "0.8",
        "addons": "aftersales_sla",
        "tags": SLA_TESTS,
        "bug": "the tier's warning threshold no longer read",
    },
    {
        "id": "sla-breach-state",
        "file": "addons/aftersales_sla/models/aftersales_ticket_deadline.py",
        "find": "if now > deadline:",
        "replace": "if now >= deadline:",
        "addons": "aftersales_sla",
        "tags": SLA_TESTS,
        "bug": "a ticket shown breached at its deadline second",
    },
    {
        "id": "sla-contract-last-day",
        "file": "addons/aftersales_sla/models/aftersales_sla_contract.py",
        "find": "contract.date_start <= day <= contract.date_end",
        "replace": "contract.date_start <= day < contract.date_end",
        "addons": "aftersales_sla",
        "tags": SLA_TESTS,
        "bug": "a contract's last day no longer covered",
    },
    # --- aftersales_parts: prices ------------------------------------------------
    {
        "id": "parts-ratio-after-install",
        "file": "addons/aftersales_parts/models/aftersales_sla_tier.py",
        "find": 'if "out_of_warranty_ratio" in vals:',
        "replace": "if False:",
        "addons": "aftersales_parts",
        "tags": "/aftersales_parts",
        "bug": "a tier's ratio edited after install no longer reaches the prices",
    },
    # --- aftersales_kb: ranking and input bounds ---------------------------------
    {
        "id": "kb-title-weight",
        "file": "addons/aftersales_kb/tools/search_text.py",
        "find": "COALESCE(search_doc_title, '')), 'A')",
        "replace": "COALESCE(search_doc_title, '')), 'C')",
        "addons": "aftersales_kb",
        "tags": "/aftersales_kb",
        "bug": "an article's title weighs no more than its body",
    },
    {
        "id": "kb-stale-factor",
        "file": "addons/aftersales_kb/constants.py",
        "find": "STALE_FACTOR = 0.5",
        "replace": "STALE_FACTOR = 1.0",
        "addons": "aftersales_kb",
        "tags": "/aftersales_kb",
        "bug": "stale articles rank as high as fresh ones",
    },
    {
        "id": "kb-query-cap",
        "file": "addons/aftersales_kb/tools/search_text.py",
        "find": 'return (text or "")[:MAX_QUERY_LENGTH]',
        "replace": 'return text or ""',
        "addons": "aftersales_kb",
        "tags": "/aftersales_kb",
        "bug": "a huge search string is tokenised whole (a worker's memory)",
    },
    # Considered and left out as equivalent: dropping the "published" filter of
    # the portal FAQ domain, or of the portal record rule, alone — each guards
    # the other, so no visitor sees a difference.
]
