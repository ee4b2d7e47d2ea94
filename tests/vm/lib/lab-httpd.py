#!/usr/bin/python3
"""lab-httpd.py NAME PORT READYFILE - a tiny HTTP server for the data-path
lab: answers every request with its own NAME (one line), so the client can
tell which real server the director picked. Bound to the wildcard address so
that it also accepts connections to a VIP held on lo (direct routing).
READYFILE is created once the socket listens.

HTTP/1.0 requests get one answer and the connection is closed; an HTTP/1.1
request keeps it open for the next one (the lab's connection-sync check
holds one across a failover).  One thread per connection, so a held
connection never delays the others."""
import socket
import sys
import threading


def serve(conn, name):
    body = (name + "\n").encode()
    try:
        # idle connections held across an event (the labs) may wait long
        # in a slow emulated guest
        conn.settimeout(600)
        data = b""
        while True:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            head, _, data = data.partition(b"\r\n\r\n")
            keep = head.split(b"\r\n")[0].endswith(b"HTTP/1.1")
            conn.sendall(b"HTTP/1.%d 200 OK\r\nContent-Type: text/plain\r\n"
                         b"Content-Length: %d\r\nConnection: %s\r\n\r\n%s"
                         % (keep, len(body),
                            b"keep-alive" if keep else b"close", body))
            if not keep:
                return
    except OSError:
        pass
    finally:
        conn.close()


def main():
    name, port, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(128)
    open(ready, "w").close()
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, name), daemon=True).start()


if __name__ == "__main__":
    main()
