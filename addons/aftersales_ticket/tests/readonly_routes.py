"""Read-only routes: what Odoo serves from the database replica.

A route declared ``readonly=True`` runs on a read-only cursor, the replica's
when Odoo has one (``--db_replica_host``). In the tests, Odoo's test cursor
for such a request is read-only too (``SET TRANSACTION READ ONLY``): a route
that writes fails there, and Odoo logs "retrying with a read/write cursor"
(WARNING) before serving it again on the primary. ``assertServedReadonly``
checks the route is declared read-only and is served without that retry."""

from odoo.tests import HttpCase

READONLY_RETRY = "retrying with a read/write cursor"


class ReadonlyRouteCase(HttpCase):
    def route_readonly(self, path, method="GET"):
        """The ``readonly`` of the route serving ``path`` as declared."""
        adapter = self.env["ir.http"].routing_map().bind("localhost")
        rule, _args = adapter.match(path, method=method, return_rule=True)
        return rule.endpoint.routing["readonly"]

    def assertServedReadonly(self, path, json_params=None):
        """``path`` is a read-only route, served on a read-only cursor at
        the first try. Returns the response."""
        method = "POST" if json_params is not None else "GET"
        self.assertIs(self.route_readonly(path.split("?")[0], method), True, f"{path} is declared readonly")
        with self.assertNoLogs("odoo.http", "WARNING"):
            if json_params is not None:
                response = self.url_open(
                    path, json={"jsonrpc": "2.0", "method": "call", "params": json_params}, method="POST"
                )
            else:
                response = self.url_open(path)
        self.assertEqual(response.status_code, 200, path)
        return response
