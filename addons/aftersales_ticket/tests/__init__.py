from . import test_access
from . import test_constraints
from . import test_performance
from . import test_ticket_flow
from . import test_portal
from . import test_ui
from . import test_report
from . import test_i18n
