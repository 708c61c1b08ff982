from . import (
    test_access,
    test_answer_link,
    test_concurrency,
    test_followthrough,
    test_followup_flow,
    test_kpi,
    test_migration,
    test_performance,
    test_phone,
    test_portal,
    test_route_matrix,
    test_ui,
    test_unsubscribe,
)
from . import test_ticket_write_table
from . import test_boundaries
from . import test_service_end
from . import test_invitation_channels
from . import test_health
