"""Who may reach which HTTP route: the access matrix every addon of the suite
runs over the routes its own controllers declare.

The routes are read from Odoo's routing map, so a route added tomorrow is in
the matrix the day it is added: ``test_every_route_is_classified`` fails until
the addon's ``ROUTES`` says how to check it. Each check calls the route as
each visitor would (no login, another customer, an internal user of another
company, the owner, a link with the right or a wrong token) and looks at what
the visitor got or changed, not at the status code alone."""

import re

from odoo import http
from odoo.tests import HttpCase

# Visitors of a route. The first three must be refused on a record that is
# not theirs; the owner and the right token get through.
ANONYMOUS = "anonymous"
OTHER_CUSTOMER = "other customer"
OTHER_COMPANY = "internal user of another company"
WRONG_TOKEN = "wrong token"
OWNER = "owner"
TOKEN = "right token"
STRANGERS = (ANONYMOUS, OTHER_CUSTOMER, OTHER_COMPANY, WRONG_TOKEN)
ALLOWED = (OWNER, TOKEN)

ROUTE_ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


class RouteMatrixCase(HttpCase):
    """Base of each addon's route matrix test.

    Subclasses set ``ADDON`` and ``ROUTES``: {url rule as declared: name of
    the method that checks it}. A check method takes the url rule and returns
    the list of violations (empty when every visitor got what it should);
    ``visit(visitor)`` logs the visitor in (or out) and gives the token to
    send, ``url(rule, **args)`` fills the rule's arguments."""

    ADDON = None
    ROUTES = {}
    allow_inherited_tests_method = True  # the matrix tests below run in each addon's subclass

    # Logins of the visitors, set by the subclass's setUpClass:
    # {visitor: (login, password)}; visitors absent here come without a session.
    VISITOR_LOGINS = {}

    @classmethod
    def new_other_company_user(cls, login, groups):
        """An internal user of another company only (password: the login), who
        has every right but on the records of this company."""
        other_company = cls.env["res.company"].create({"name": f"Company of {login}"})
        user = cls.new_user(login, groups, company_id=other_company.id, company_ids=[(6, 0, other_company.ids)])
        return (user.login, user.login)

    def declared_routes(self):
        """{url rule: routing} of the routes declared (or overridden) by the
        controllers of ``ADDON``."""
        prefix = f"odoo.addons.{self.ADDON}."
        routes = {}
        for url, endpoint in self.env["ir.http"]._generate_routing_rules(
            sorted(self.env.registry._init_modules), converters=self.env["ir.http"]._get_converters()
        ):
            method = endpoint.__wrapped__
            name = method.__name__
            if any(cls.__module__.startswith(prefix) and name in cls.__dict__ for cls in type(method.__self__).__mro__):
                routes[url] = endpoint.routing
        return routes

    def unclassified_routes(self):
        return sorted(set(self.declared_routes()) - set(self.ROUTES))

    def test_every_route_is_classified(self):
        declared = self.declared_routes()
        self.assertTrue(declared, f"{self.ADDON} declares no route: is ADDON right?")
        self.assertEqual(
            self.unclassified_routes(),
            [],
            "Routes without a check in the access matrix: add them to ROUTES with the check that proves "
            "a stranger is refused.",
        )
        self.assertEqual(sorted(set(self.ROUTES) - set(declared)), [], "ROUTES names routes that do not exist")

    def test_route_matrix(self):
        for rule, check in sorted(self.ROUTES.items()):
            with self.subTest(route=rule):
                self.assertEqual(getattr(self, check)(rule), [], f"{rule}: visitors got what they should not")

    # ------------------------------------------------------------------
    # Helpers for the checks
    # ------------------------------------------------------------------

    def visit(self, visitor, record=None):
        """Log the visitor in (or out); return the access token it sends."""
        login = self.VISITOR_LOGINS.get(visitor)
        if login:
            self.authenticate(*login)
        else:
            self.authenticate(None, None)
        if visitor == TOKEN:
            return record._portal_ensure_token()
        if visitor == WRONG_TOKEN:
            record._portal_ensure_token()
            return "0" * 36
        return None

    @staticmethod
    def url(rule, **args):
        return ROUTE_ARGUMENT.sub(lambda m: str(args[m.group(1)]), rule)

    def post_form(self, url, data):
        payload = {"csrf_token": http.Request.csrf_token(self), **data}
        return self.url_open(url, data=payload, allow_redirects=False)

    def jsonrpc(self, url, params):
        """The route's JSON answer, or the error Odoo gave instead."""
        try:
            return self.make_jsonrpc_request(url, params)
        except Exception as error:  # a refusal of any kind is what a stranger should get
            return {"error": str(error)}

    @staticmethod
    def judge(outcomes, allowed=ALLOWED):
        """Violations from {visitor: got through?}."""
        return [
            f"{visitor} {'got through' if through else 'was refused'}"
            for visitor, through in outcomes.items()
            if through != (visitor in allowed)
        ]

    def check_login_required(self, rule):
        """A page of the logged-in customer (no record in the URL): a visitor
        without a session is sent to the login page, a customer gets it."""
        outcomes = {}
        for visitor in (ANONYMOUS, OWNER):
            self.visit(visitor)
            response = self.url_open(self.url(rule, page=1), allow_redirects=False)
            outcomes[visitor] = response.status_code == 200 and "/web/login" not in response.headers.get("Location", "")
        return self.judge(outcomes)
