{
    "name": "After-sales Live Chat",
    "summary": "Live chat to ticket with transcript, and a chatbot that answers from the knowledge base",
    "version": "19.0.1.0.0",
    "category": "Services/After-sales",
    "author": "After-sales Suite",
    "website": "https://example.com/aftersales-suite",
    "license": "LGPL-3",
    "depends": ["im_livechat", "aftersales_kb"],
    "data": [
        "views/chatbot_script_step_views.xml",
        "views/aftersales_ticket_views.xml",
    ],
    "demo": ["demo/aftersales_livechat_demo.xml"],
    "assets": {
        "web.assets_backend": ["aftersales_livechat/static/src/core/**/*"],
        "web.assets_tests": ["aftersales_livechat/static/tests/tours/*.js"],
    },
    "installable": True,
    "auto_install": False,
}
