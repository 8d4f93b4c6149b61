"""A peer for tests/transport_tls.rs: echoes what the client sent, so the
test can check the credentials and client certificate that reached it.

Listens on four free loopback ports and prints them as one JSON line
({"mtls": P, "tls": P, "plain": P, "silent": P}), then serves until killed:
  mtls    HTTPS that requires a client certificate signed by CA
  tls     HTTPS that asks for no client certificate
  plain   plain HTTP
  silent  accepts TCP connections and never answers (timeout checks)

Every GET answers 200 with {"method", "path", "authorization",
"client_cn"}; GET /status/N answers status N with the same body. A POST
is a JSON-RPC request: method "missing" gets error -32601, "missing_404"
gets the same error with HTTP 404 (as bitcoind answers), "bad_params"
gets -32602; any other method gets a result echoing the request. A PUT
answers 200 with the GET body plus the JSON "body" it received.
Usage: tls_server.py CA SERVER_CERT SERVER_KEY"""
import http.server
import json
import socket
import ssl
import sys
import threading

CA, CERT, KEY = sys.argv[1], sys.argv[2], sys.argv[3]

RPC_ERRORS = {
    "missing": (200, -32601, "Method not found"),
    "missing_404": (404, -32601, "Method not found"),
    "bad_params": (200, -32602, "Invalid params"),
}


class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        # The handshake runs here, in the request's thread, so a client
        # that fails it cannot stall the accepting thread.
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()

    def seen(self):
        cn = None
        if isinstance(self.connection, ssl.SSLSocket):
            peer = self.connection.getpeercert() or {}
            for rdn in peer.get("subject", ()):
                for key, value in rdn:
                    if key == "commonName":
                        cn = value
        return {
            "method": self.command,
            "path": self.path,
            "authorization": self.headers.get("Authorization"),
            "client_cn": cn,
        }

    def reply(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        status = 200
        if self.path.startswith("/status/"):
            status = int(self.path[len("/status/"):])
        self.reply(status, self.seen())

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        request = json.loads(self.rfile.read(length) or b"{}")
        method = request.get("method")
        if method in RPC_ERRORS:
            status, code, message = RPC_ERRORS[method]
            error = {"code": code, "message": message}
            self.reply(status, {"jsonrpc": "2.0", "id": request.get("id"), "error": error})
            return
        result = dict(self.seen(), rpc_method=method, params=request.get("params"))
        self.reply(200, {"jsonrpc": "2.0", "id": request.get("id"), "result": result})

    def do_PUT(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null")
        self.reply(200, dict(self.seen(), body=body))

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Refused handshakes are what some tests provoke; not news.
        pass


def https(client_cert_required):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(CERT, KEY)
    if client_cert_required:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(CA)
    server = Server(("127.0.0.1", 0), Echo)
    server.socket = ctx.wrap_socket(
        server.socket, server_side=True, do_handshake_on_connect=False
    )
    return server


def silent():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held = []

    def accept():
        while True:
            conn, _ = sock.accept()
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    return sock


servers = {
    "mtls": https(True),
    "tls": https(False),
    "plain": Server(("127.0.0.1", 0), Echo),
}
quiet = silent()
ports = {name: s.server_address[1] for name, s in servers.items()}
ports["silent"] = quiet.getsockname()[1]
for s in servers.values():
    threading.Thread(target=s.serve_forever, daemon=True).start()
print(json.dumps(ports), flush=True)
threading.Event().wait()
