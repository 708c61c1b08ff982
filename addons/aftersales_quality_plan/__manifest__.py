{
    "name": "After-sales Service Quality of Partner Service Centres",
    "summary": "SLA compliance and CSAT of each partner service centre, by month, against the KPI targets",
    "version": "19.0.1.0.0",
    "category": "Services/After-sales",
    "author": "After-sales Suite",
    "website": "https://example.com/aftersales-suite",
    "license": "LGPL-3",
    "depends": ["aftersales_quality", "aftersales_plan"],
    "data": [
        "security/aftersales_quality_plan_security.xml",
        "security/ir.model.access.csv",
        "views/aftersales_quality_provider_report_views.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "assets": {
        "web.assets_tests": ["aftersales_quality_plan/static/tests/tours/*.js"],
    },
    "auto_install": True,
    "installable": True,
}
