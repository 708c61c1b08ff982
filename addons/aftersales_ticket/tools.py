from itertools import chain

from odoo.tools import SQL


def parent_path_ids(parent_path):
    """[root id, ..., own id] from a ``parent_path`` such as '1/4/9/' (teams,
    product categories: any model with ``_parent_store``)."""
    return [int(part) for part in (parent_path or "").split("/") if part]


def sql_values(rows):
    """The ``VALUES`` list of rows of parameters ([(a, b), (c, d)] -> ``(%s, %s),
    (%s, %s)``) as one SQL term, for the measured batch UPDATE of the SLA
    engine on our own table: an SQL object per value and per row costs more
    Python time than running the query of 1,000 rows."""
    rows = [tuple(row) for row in rows]
    if not rows:
        return SQL()
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise ValueError("Rows of a VALUES list must have the same length.")
    row_code = "(" + ", ".join(["%s"] * width) + ")"
    return SQL(", ".join([row_code] * len(rows)), *chain.from_iterable(rows))
