from . import (
    test_audit,
    test_compensation,
    test_compensation_coupon,
    test_complaint_steps,
    test_failure_rate,
    test_failure_rate_lot_trend,
    test_kpi,
    test_ui,
    test_write_table,
)
