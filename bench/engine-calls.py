#!/usr/bin/env python3
"""Counts the Docker engine API calls a command makes: a unix-socket relay in front of the engine's socket.

  bench/engine-calls.py --listen /tmp/x.sock --log calls.txt &   # then: DOCKER_HOST=unix:///tmp/x.sock mvn ...

Every byte is relayed unchanged in both directions (hijacked exec/attach streams too); each request line seen on the
client side (METHOD /path HTTP/1.x) is written to --log as one line: epoch seconds, method, path without the query
string's values. Local sockets only: it never opens a network connection. Stops on SIGTERM/SIGINT.
"""
import argparse, os, re, signal, socket, sys, threading, time

p = argparse.ArgumentParser()
p.add_argument("--listen", required=True, help="path of the unix socket to create")
p.add_argument("--engine", default="/var/run/docker.sock")
p.add_argument("--log", required=True)
a = p.parse_args()

REQ = re.compile(rb"(GET|POST|DELETE|PUT|HEAD) (/[^ \r\n]*) HTTP/1\.[01]\r\n")
lock = threading.Lock()
out = open(a.log, "a", buffering=1)


def pump(src, dst, watch):
    tail = b""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if watch:
                buf, end = tail + data, 0
                for m in REQ.finditer(buf):
                    end = m.end()
                    path = m.group(2).decode("latin-1").split("?")[0]
                    with lock:
                        out.write("%.3f %s %s\n" % (time.time(), m.group(1).decode(), path))
                tail = buf[end:][-200:]  # a request line split across two reads is still seen, once
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (dst, src):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client):
    engine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    engine.connect(a.engine)
    threading.Thread(target=pump, args=(engine, client, False), daemon=True).start()
    pump(client, engine, True)


if os.path.exists(a.listen):
    os.unlink(a.listen)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(a.listen)
srv.listen(64)
signal.signal(signal.SIGTERM, lambda *_: (os.unlink(a.listen), sys.exit(0)))
try:
    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()
except KeyboardInterrupt:
    os.unlink(a.listen)
