from . import test_workflow_access
from . import test_search
from . import test_ticket
from . import test_stale
from . import test_write_table
from . import test_portal
from . import test_ui
from . import test_ticket_write_table
