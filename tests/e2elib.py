"""Helpers of the end-to-end tests: JSON-RPC calls and browser-like sessions."""

import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request


def jsonrpc(url, service, method, *args, fails=False):
    """Call ``service.method(*args)`` over /jsonrpc: its result, or with
    ``fails`` the name of the exception it answers with (it must fail)."""
    payload = {"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args}}
    request = urllib.request.Request(
        f"{url}/jsonrpc", data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    if fails:
        assert "error" in answer, f"the call was accepted: {answer.get('result')}"
        return answer["error"]["data"]["name"]
    assert "error" not in answer, answer.get("error")
    return answer.get("result")  # absent when the method returned None


class Session:
    """A demo login (its password is the login) on the test server."""

    def __init__(self, server, login):
        self.url, self.db = server
        self.login = login
        self.uid = jsonrpc(self.url, "common", "login", self.db, login, login)
        assert self.uid, f"the demo login {login} / {login} was refused"

    def call(self, model, method, *args, fails=False, **kwargs):
        """``model.method(*args, **kwargs)`` as this user (execute_kw)."""
        return jsonrpc(
            self.url, "object", "execute_kw", self.db, self.uid, self.login, model, method, args, kwargs, fails=fails
        )


class Browser:
    """What a browser does for a person: logs in on /web/login's JSON twin
    with the login and password, keeps the session cookie, opens pages."""

    def __init__(self, server, login, password=None):
        self.url, self.db = server
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        params = {"db": self.db, "login": login, "password": login if password is None else password}
        answer = self.post_json("/web/session/authenticate", params)
        assert "error" not in answer, f"{login} could not log in: {answer['error']['data']['message']}"
        self.uid = answer["result"]["uid"]

    def post_json(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(self.url + path, data=body, headers={"Content-Type": "application/json"})
        with self.opener.open(request, timeout=60) as response:
            return json.load(response)

    def get(self, path):
        """(HTTP status, body text) of a GET; errors are answers too."""
        try:
            with self.opener.open(self.url + path, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def post_form(self, path, fields):
        """(HTTP status, body text) of a form's POST (urlencoded); errors are answers too."""
        body = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(urllib.request.Request(self.url + path, data=body), timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def menus(self):
        """xml ids of the menus the web client shows this user."""
        status, body = self.get("/web/webclient/load_menus")
        assert status == 200, body[:500]
        return {menu["xmlid"] for menu in json.loads(body).values() if menu.get("xmlid")}

    def call(self, model, method, *args, **kwargs):
        """What the web client's call_kw route runs for this user."""
        answer = self.post_json(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )
        assert "error" not in answer, answer["error"]["data"]["message"]
        return answer.get("result")  # absent when the method returned None
