#!/usr/bin/python3
"""lab-httpd.py NAME PORT READYFILE - a tiny HTTP server for the data-path
lab: answers every request with its own NAME (one line), so the client can
tell which real server the director picked. Bound to the wildcard address so
that it also accepts connections to a VIP held on lo (direct routing).
READYFILE is created once the socket listens."""
import socket
import sys


def main():
    name, port, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    body = (name + "\n").encode()
    reply = (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
             b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)) + body
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(64)
    open(ready, "w").close()
    while True:
        conn, _ = srv.accept()
        try:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            conn.sendall(reply)
        except OSError:
            pass
        finally:
            conn.close()


if __name__ == "__main__":
    main()
