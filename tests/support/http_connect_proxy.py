#!/usr/bin/python3
"""A minimal HTTP proxy on loopback for netwarden's tests.

It tunnels "CONNECT host:port" (bytes both ways, e.g. TLS to the chat
receiver) and forwards plain "POST http://host:port/path" (any method) to
the origin, one request per connection. Only loopback targets (127.0.0.1,
::1, localhost) are allowed; others get 403, so nothing leaves the machine.
It binds 127.0.0.1 on an ephemeral port, writes the port to --port-file
(atomically) once listening, and appends one JSON line per proxied request
to --log, flushed at once, before it connects upstream:
  {"method": "CONNECT", "target": "127.0.0.1:NNNN"}
  {"method": "POST", "target": "127.0.0.1:NNNN", "path": "/hook/x"}
so a test can prove that a sender went through it. SIGTERM stops it.
"""
import argparse
import http.client
import http.server
import json
import os
import selectors
import socket
import sys
import threading
import urllib.parse

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
# Headers that concern one connection, not the request (RFC 9110 7.6.1),
# and those http.server writes itself.
NOT_FORWARDED = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate",
                 "te", "trailer", "transfer-encoding", "upgrade", "expect", "server", "date"}


class JsonLines:
    def __init__(self, path):
        self.file = open(path, "a", encoding="utf-8")
        self.lock = threading.Lock()

    def write(self, entry):
        with self.lock:
            self.file.write(json.dumps(entry) + "\n")
            self.file.flush()


def read_exactly(stream, size):
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def tunnel(a, b):
    """Copies bytes each way between two sockets until either side closes."""
    with selectors.DefaultSelector() as selector:
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        while True:
            for key, _ in selector.select():
                try:
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
                except OSError:
                    return


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    # Unbuffered, so bytes a client sends right after its CONNECT stay in the
    # socket for the tunnel instead of in a read buffer.
    rbufsize = 0
    timeout = 60

    def do_CONNECT(self):
        host, _, port = self.path.rpartition(":")
        host = host.strip("[]")
        if host not in LOOPBACK or not port.isdigit():
            return self.send_error(403, "only loopback targets")
        self.server.log.write({"method": "CONNECT", "target": self.path})
        try:
            upstream = socket.create_connection((host, int(port)), timeout=10)
        except OSError as e:
            return self.send_error(502, f"cannot reach {self.path}: {e}")
        with upstream:
            self.send_response(200, "Connection established")
            self.end_headers()
            self.wfile.flush()
            tunnel(self.connection, upstream)
        self.close_connection = True

    def forward(self):
        url = urllib.parse.urlsplit(self.path)
        if url.scheme != "http" or url.hostname not in LOOPBACK:
            return self.send_error(403, "only http:// to loopback targets")
        target = f"{url.hostname}:{url.port or 80}"
        self.server.log.write({"method": self.command, "target": target, "path": url.path})
        body = read_exactly(self.rfile, int(self.headers.get("Content-Length", "0")))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in NOT_FORWARDED}
        upstream = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
        try:
            upstream.request(self.command, urllib.parse.urlunsplit(("", "", url.path or "/", url.query, "")),
                             body, headers)
            response = upstream.getresponse()
            data = response.read()
        except OSError as e:
            return self.send_error(502, f"cannot reach {target}: {e}")
        finally:
            upstream.close()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in NOT_FORWARDED and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    do_POST = do_GET = do_PUT = do_DELETE = do_PATCH = forward

    def log_message(self, format, *args):
        pass  # the proxied requests are in --log


class Proxy(http.server.ThreadingHTTPServer):
    def __init__(self, log):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.log = log

    def handle_error(self, request, client_address):
        print(f"http_connect_proxy: {client_address}: {sys.exc_info()[1]!r}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True, help="JSON lines, one per proxied request")
    args = parser.parse_args()
    proxy = Proxy(JsonLines(args.log))
    with open(args.port_file + ".tmp", "w", encoding="utf-8") as f:
        f.write(f"{proxy.server_address[1]}\n")
    os.replace(args.port_file + ".tmp", args.port_file)
    proxy.serve_forever()


if __name__ == "__main__":
    main()
