#!/usr/bin/env python3
"""Network checks for scripts/netns-cluster-test.sh, run inside a namespace
with `ip netns exec`. Python sockets only, since ping and iperf are not
installed everywhere.

  net_check.py reach HOST PORT        exit 0 if HOST answers on tcp (a refused
                                      connection counts: the host is there)
  net_check.py sink ADDR PORT         accept one connection, read to EOF,
                                      print "BYTES SECONDS MBITS" (timed from
                                      the first byte to EOF)
  net_check.py send HOST PORT BYTES   connect (retrying for 5 s) and send BYTES
"""
import socket
import sys
import time


def reach(host, port):
    try:
        socket.create_connection((host, port), timeout=3).close()
    except ConnectionRefusedError:
        pass  # the host answered with a reset: it is reachable
    except OSError as e:
        print(f"net_check: {host}:{port} unreachable: {e}", file=sys.stderr)
        return 1
    return 0


def sink(addr, port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(1)
    srv.settimeout(20)
    conn, _ = srv.accept()
    conn.settimeout(20)
    total, first = 0, None
    while True:
        chunk = conn.recv(1 << 16)
        if not chunk:
            break
        if first is None:
            first = time.monotonic()
        total += len(chunk)
    seconds = time.monotonic() - (first or time.monotonic())
    mbits = total * 8 / seconds / 1e6 if seconds > 0 else float("inf")
    print(f"{total} {seconds:.4f} {mbits:.1f}")
    return 0


def send(host, port, nbytes):
    deadline = time.monotonic() + 5
    while True:
        try:
            conn = socket.create_connection((host, port), timeout=3)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    block = b"\0" * (1 << 16)
    left = nbytes
    while left > 0:
        n = conn.send(block[: min(left, len(block))])
        left -= n
    conn.shutdown(socket.SHUT_WR)
    conn.recv(1)  # wait until the sink has read everything and closed
    conn.close()
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "reach":
        return reach(argv[2], int(argv[3]))
    if len(argv) == 4 and argv[1] == "sink":
        return sink(argv[2], int(argv[3]))
    if len(argv) == 5 and argv[1] == "send":
        return send(argv[2], int(argv[3]), int(argv[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
