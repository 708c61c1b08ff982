{
    "name": "After-sales Follow-up Surveys by SLA Tier",
    "summary": "Satisfaction, NPS, response rate and follow-up coverage by service tier",
    "version": "19.0.1.0.0",
    "category": "Services/After-sales",
    "author": "After-sales Suite",
    "website": "https://example.com/aftersales-suite",
    "license": "LGPL-3",
    "uninstall_hook": "uninstall_hook",
    "depends": ["aftersales_survey", "aftersales_sla"],
    "data": [
        "views/aftersales_followup_views.xml",
        "report/aftersales_followup_report_views.xml",
    ],
    "post_init_hook": "_post_init_hook",
    "auto_install": True,
    "installable": True,
}
