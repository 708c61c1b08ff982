{
    "name": "After-sales Knowledge Base",
    "summary": "Knowledge base 知识库: reviewed articles, indexed Chinese and English search, "
    "suggestions on tickets, customer FAQ",
    "version": "19.0.1.1.0",
    "category": "Services/After-sales",
    "author": "After-sales Suite",
    "website": "https://example.com/aftersales-suite",
    "license": "LGPL-3",
    "depends": ["aftersales_ticket"],
    "data": [
        "security/aftersales_kb_security.xml",
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/aftersales_kb_article_views.xml",
        "views/aftersales_kb_tag_views.xml",
        "views/aftersales_kb_search_log_views.xml",
        "views/aftersales_ticket_views.xml",
        "views/aftersales_kb_portal_templates.xml",
        "views/aftersales_kb_menus.xml",
    ],
    "demo": ["demo/aftersales_kb_demo.xml"],
    "assets": {
        "web.assets_frontend": ["aftersales_kb/static/src/interactions/*.js"],
        "web.assets_tests": ["aftersales_kb/static/tests/tours/*.js"],
    },
    "installable": True,
}
