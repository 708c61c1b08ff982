from . import (
    test_i18n,
    test_installed_base,
    test_loaner,
    test_portal,
    test_registration,
    test_repair_report,
    test_route_matrix,
    test_sanbao,
    test_ui,
    test_unit_logistics,
    test_write_rules,
)
