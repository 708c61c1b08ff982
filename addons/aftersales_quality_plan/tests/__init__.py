from . import test_provider_kpi
