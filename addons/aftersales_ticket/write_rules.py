"""Who may write which field: the vocabulary of ``aftersales.write.rules.mixin``.

A model of the suite declares, for each stored field it guards, a pair
``(on create, on write)``. Each side is one of:

- ``OPEN``: anyone the model's access rights and record rules let write it;
- a group's xml id, or a tuple of them (any one is enough);
- ``SYSTEM``: a fact the suite computes. Only the suite's own code sets it,
  through ``_write_facts()`` / ``_create_facts()``; not even ``sudo()`` alone
  writes it, so a route that writes a form's values with ``sudo()`` cannot be
  made to write a fact.

Fields left out of a model's table are ``OPEN``; each model's write-table test
fails on a stored field left out.
"""

OPEN = "open"
SYSTEM = "system"

# The after-sales roles, by the groups that carry them.
AGENT = "aftersales_ticket.group_aftersales_user"
MANAGER = "aftersales_ticket.group_aftersales_manager"

# Common pairs.
OPEN_FIELD = (OPEN, OPEN)
FACT = (SYSTEM, SYSTEM)
AGENT_ON_WRITE = (OPEN, AGENT)

# Context key set by _write_facts() / _create_facts(), together with sudo().
FACTS_CONTEXT_KEY = "aftersales_write_facts"
