from . import test_chargeable_flow
from . import test_warranty
from . import test_constraints
from . import test_performance
from . import test_reverse_logistics
from . import test_concurrency
from . import test_ui
from . import test_access
