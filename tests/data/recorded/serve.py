"""Serve recorded responses of one node: GET /a/b?q → DIR/a_b.json or
DIR/a_b.txt (query ignored), with the HTTP status in DIR/a_b.status when
present (default 200). Without those, a sequence DIR/a_b.1.txt,
DIR/a_b.2.txt, ... is served one file per request, staying on the last, and
each such GET is appended to LOG as "GET PATH FILE UNIX_MS" (the time it
was served), so tests know when the served values changed. PUT and POST bodies are appended to LOG as
"METHOD PATH BODY" lines and answered 204, as Fabric's PUT /logspec does.
Prints the bound port on stdout, then serves until killed.
Usage: serve.py DIR LOG"""
import http.server
import os
import sys
import threading
import time

ROOT, LOG = sys.argv[1], sys.argv[2]
SEQUENCE_LOCK = threading.Lock()
SERVED = {}  # name -> requests of its sequence served so far


class Recorded(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        name = self.path.split("?", 1)[0].strip("/").replace("/", "_") or "index"
        for ext, ctype in ((".json", "application/json"), (".txt", "text/plain; version=0.0.4")):
            path = os.path.join(ROOT, name + ext)
            if os.path.exists(path):
                status = 200
                if os.path.exists(os.path.join(ROOT, name + ".status")):
                    with open(os.path.join(ROOT, name + ".status")) as f:
                        status = int(f.read().strip())
                with open(path, "rb") as f:
                    body = f.read()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        if os.path.exists(os.path.join(ROOT, name + ".1.txt")):
            with SEQUENCE_LOCK:
                n = SERVED.get(name, 0) + 1
                if not os.path.exists(os.path.join(ROOT, "%s.%d.txt" % (name, n))):
                    n -= 1
                SERVED[name] = n
                file = "%s.%d.txt" % (name, n)
                with open(os.path.join(ROOT, file), "rb") as f:
                    body = f.read()
                with open(LOG, "a") as f:
                    f.write("GET %s %s %d\n" % (self.path, file, int(time.time() * 1000)))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_error(404, "no recorded response for " + self.path)

    def record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        with open(LOG, "a") as f:
            f.write("%s %s %s\n" % (self.command, self.path, body))
        self.send_response(204)
        self.end_headers()

    do_PUT = record
    do_POST = record

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
print(server.server_address[1], flush=True)
server.serve_forever()
