"""Retried concurrency errors are not errors for the operators.

Under load, two transactions writing the same rows is normal: PostgreSQL
refuses the later one (serialization failure, lock not available, deadlock)
and Odoo retries the request or the cron job (``odoo.service.model.retrying``,
which logs each retry at INFO). The cursor logs the refused statement first,
at ERROR ("bad query"), before anybody knows the retry will succeed. This
filter lowers that one line to INFO for those three errors only. Nothing is
hidden: a request that still fails after its retries is logged at ERROR by
the HTTP layer ("Exception during request handling"), a cron job by the
scheduler; any other bad query stays an ERROR.

Installed on the ``odoo.sql_db`` logger when the addon is imported; see the
"Operations" section of the README for the equivalent ``--log-handler``
setting when the addon is not loaded."""

import logging

from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

SQL_LOGGER = "odoo.sql_db"
BAD_QUERY = "bad query: %s\nERROR: %s"  # odoo/sql_db.py, Cursor.execute


class RetriedConcurrencyFilter(logging.Filter):
    def filter(self, record):
        if (
            record.levelno >= logging.ERROR
            and record.msg == BAD_QUERY
            and isinstance(record.args, tuple)
            and len(record.args) == 2
            and isinstance(record.args[1], PG_CONCURRENCY_EXCEPTIONS_TO_RETRY)
        ):
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
            return logging.getLogger(record.name).isEnabledFor(logging.INFO)
        return True


def install():
    logger = logging.getLogger(SQL_LOGGER)
    if not any(isinstance(f, RetriedConcurrencyFilter) for f in logger.filters):
        logger.addFilter(RetriedConcurrencyFilter())
