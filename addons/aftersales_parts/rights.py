"""Who may move money and stock in aftersales_parts: the groups, and the one
check every public action makes before it does anything with ``sudo()``."""

from odoo.addons.aftersales_ticket.write_rules import AGENT, MANAGER
from odoo.exceptions import AccessError

STOCK = "stock.group_stock_user"
BILLING = "account.group_account_invoice"
# Agents and warehouse staff: the back office of repairs.
OFFICE = (AGENT, STOCK)

__all__ = ["AGENT", "BILLING", "MANAGER", "OFFICE", "STOCK", "check_right", "has_right"]


def has_right(env, groups):
    """Whether the user is in one of ``groups`` (an xml id or a tuple of them)."""
    groups = (groups,) if isinstance(groups, str) else groups
    return env.su or any(env.user.has_group(group) for group in groups)


def check_right(env, groups, action):
    """Refuse ``action`` (a translated phrase) unless the user is in one of
    ``groups``, naming the right that is missing."""
    if has_right(env, groups):
        return
    groups = (groups,) if isinstance(groups, str) else groups
    raise AccessError(
        env._(
            "%(action)s needs one of these rights, which you do not have: %(groups)s.",
            action=action,
            groups=", ".join(env.ref(group).sudo().full_name for group in groups),
        )
    )
