from . import test_kpi
