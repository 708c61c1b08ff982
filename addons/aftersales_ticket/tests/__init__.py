from . import test_ticket_flow
