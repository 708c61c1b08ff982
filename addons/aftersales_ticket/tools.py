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


def sequence_next_names(sequence, count, moment):
    """``count`` names drawn from ``sequence`` (an ``ir.sequence``) for
    ``moment`` (a datetime), in order. A standard sequence without date
    ranges gives the numbers of the whole batch in one query (``nextval`` over
    a series of PostgreSQL's sequence object); other sequences are drawn one
    by one through the ORM."""
    if count <= 0:
        return []
    sequence = sequence.with_context(ir_sequence_date=moment.date())
    if sequence.implementation == "standard" and not sequence.use_date_range:
        cr = sequence.env.cr
        cr.execute(SQL("SELECT nextval(%s) FROM generate_series(1, %s)", f"ir_sequence_{sequence.id:03d}", count))
        return [sequence.get_next_char(number) for number in sorted(row[0] for row in cr.fetchall())]
    return [sequence._next(sequence_date=moment) for _index in range(count)]
