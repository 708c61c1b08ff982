from . import test_kpi_by_tier
