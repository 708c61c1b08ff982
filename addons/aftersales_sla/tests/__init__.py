from . import test_deadlines
from . import test_sla_status
from . import test_contracts
from . import test_sanbao
from . import test_monitoring
from . import test_constraints
from . import test_performance
from . import test_tier_selection
