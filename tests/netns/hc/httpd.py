#!/usr/bin/env python3
"""Real server for the HTTP/HTTPS check tests.

httpd.py ADDR PORT [CERT KEY]
  /             "hello lvsd\n"
  /status/N     status N, short body
  /slow/S       sleeps S seconds, then 200
  /chunked      chunked body "hello chunked\n"
  /big/N        N bytes of 'x'
  /host         echoes the Host header
"""
import http.server
import socketserver
import ssl
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body, chunked=False):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        if chunked:
            for i in range(0, len(body), 5):
                part = body[i:i + 5]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)

    def do_GET(self):
        p = self.path.split("/")
        if self.path == "/":
            self.reply(200, b"hello lvsd\n")
        elif p[1] == "status":
            self.reply(int(p[2]), b"status %s\n" % p[2].encode())
        elif p[1] == "slow":
            time.sleep(float(p[2]))
            self.reply(200, b"slow\n")
        elif p[1] == "chunked":
            self.reply(200, b"hello chunked\n", chunked=True)
        elif p[1] == "big":
            self.reply(200, b"x" * int(p[2]))
        elif p[1] == "host":
            self.reply(200, self.headers.get("Host", "").encode())
        else:
            self.reply(404, b"not found\n")

    do_HEAD = do_GET


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


def main():
    srv = Server((sys.argv[1], int(sys.argv[2])), Handler)
    if len(sys.argv) > 4:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.serve_forever()


main()
