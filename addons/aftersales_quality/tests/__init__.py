from . import test_audit, test_compensation, test_failure_rate, test_kpi, test_ui, test_write_table
