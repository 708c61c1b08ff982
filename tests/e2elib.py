"""Helpers of the end-to-end tests: JSON-RPC calls and browser-like sessions."""

import contextlib
import http.cookiejar
import json
import socket
import threading
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


class TcpRelay:
    """Copies each TCP connection made to a local port to a backend, both
    ways. ``backend(client)`` picks the backend of a new connection (and may
    read its first bytes); ``refuse()`` cuts every connection and refuses new
    ones until ``reopen()``; ``close()`` stops the relay."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.refusing = False
        self.connections = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def backend(self, client):
        """((host, port), the bytes already read from ``client``)."""
        raise NotImplementedError

    def _accept(self):
        while True:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            with self.lock:
                if self.refusing:
                    client.close()
                    continue
                self.connections.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        upstream = None
        try:
            address, head = self.backend(client)
            upstream = socket.create_connection(address)
            with self.lock:
                self.connections.add(upstream)
            if head:
                upstream.sendall(head)
            pump = threading.Thread(target=self._pump, args=(upstream, client), daemon=True)
            pump.start()
            self._pump(client, upstream)
            pump.join()
        except OSError:
            pass
        finally:
            for conn in (client, upstream):
                if conn is not None:
                    with self.lock:
                        self.connections.discard(conn)
                    conn.close()

    @staticmethod
    def _pump(source, target):
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)  # the other side sees the end

    def refuse(self):
        with self.lock:
            self.refusing = True
            connections, self.connections = self.connections, set()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def reopen(self):
        with self.lock:
            self.refusing = False

    def close(self):
        self.refuse()
        self.listener.close()


class DeploymentProxy(TcpRelay):
    """What the reverse proxy of an Odoo deployment with workers does
    (Odoo's deployment docs: ``/websocket`` to the evented port, the rest to
    the workers), for a browser on this machine: a real browser's web client
    opens the bus's websocket on its page's origin, which a prefork worker
    cannot hold (it answers with an error).

    ``with DeploymentProxy(http_port, gevent_port) as url:`` -- the base URL
    to open pages on."""

    def __init__(self, http_port, gevent_port):
        self.backends = {"http": http_port, "websocket": gevent_port}
        super().__init__()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        return self.url

    def __exit__(self, *exc):
        self.close()

    def backend(self, client):
        """Read the request line, pick the backend by its path."""
        head = b""
        while b"\r\n" not in head:
            chunk = client.recv(65536)
            if not chunk:
                raise ConnectionAbortedError("closed before its request line")
            head += chunk
        request_line = head.split(b"\r\n", 1)[0].split(b" ")
        path = request_line[1] if len(request_line) > 1 else b"/"
        backend = "websocket" if path.startswith(b"/websocket") else "http"
        return ("127.0.0.1", self.backends[backend]), head
