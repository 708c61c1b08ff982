from . import (
    test_certifications,
    test_concurrency,
    test_parts_kit,
    test_performance,
    test_plan_job,
    test_provider,
    test_route_matrix,
    test_write_tables,
)
