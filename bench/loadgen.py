#!/usr/bin/env python3
"""Bounded client loop for redeploy measurements: GETs through the proxy on 127.0.0.1 at a fixed rate.

Each request runs in its own thread (a slow request does not delay the schedule). Counts failed requests
(no answer or status != 200) and slow ones (> --slow seconds), and which deploy ids answered. Stops when
--stop-file appears or after --max-seconds, whichever comes first; writes a JSON summary to --out (and, with
--raw, every request as one JSON line: start as epoch seconds, seconds taken, ok, deploy, error, path).
Loopback only: any other host is refused.

HTTPS (an https:// URL): --cacert is the only trust (no system roots), the host name of the URL is sent as SNI and
checked against the certificate, and --resolve NAME:127.0.0.1 connects to the loopback for it (like curl --resolve).
Each answer's certificate serial is counted: the summary's "serials" shows whether one certificate served throughout.
"""
import argparse, http.client, json, os, re, socket, ssl, sys, threading, time
from urllib.parse import urlparse

p = argparse.ArgumentParser()
p.add_argument("--url", action="append", required=True, help="http://127.0.0.1:PORT/path (repeatable, round robin)")
p.add_argument("--rate", type=float, default=20.0)
p.add_argument("--max-seconds", type=float, default=120.0)
p.add_argument("--stop-file")
p.add_argument("--out", required=True)
p.add_argument("--timeout", type=float, default=5.0)
p.add_argument("--slow", type=float, default=1.0)
p.add_argument("--max-inflight", type=int, default=100)
p.add_argument("--raw", help="also write every request here, one JSON object per line")
p.add_argument("--cacert", help="https: the PEM file of the only CA trusted")
p.add_argument("--resolve", action="append", default=[], help="https: NAME:127.0.0.1, connect there for NAME")
a = p.parse_args()

resolve = {}
for r in a.resolve:
    name, _, addr = r.rpartition(":")
    if addr != "127.0.0.1":
        sys.exit("loadgen: --resolve may only point at 127.0.0.1, got " + r)
    resolve[name] = addr

tls = None
targets = []  # (scheme, host name, port, path)
for u in a.url:
    x = urlparse(u)
    if x.scheme == "https":
        if not a.cacert:
            sys.exit("loadgen: an https URL needs --cacert")
        if tls is None:
            tls = ssl.create_default_context(cafile=a.cacert)  # that CA only: no system roots are loaded
    elif x.scheme != "http":
        sys.exit("loadgen: http or https only, got " + u)
    if x.hostname != "127.0.0.1" and resolve.get(x.hostname) != "127.0.0.1":
        sys.exit("loadgen: only 127.0.0.1 is allowed (or a name --resolve maps to it), got " + u)
    targets.append((x.scheme, x.hostname, x.port or (443 if x.scheme == "https" else 80), x.path or "/"))


class LoopbackHTTPS(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 for a host name: SNI and certificate check for the name, TCP to the loopback."""

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = tls.wrap_socket(sock, server_hostname=self.host)

lock = threading.Lock()
inflight = threading.Semaphore(a.max_inflight)
results = []  # (t_start_rel, seconds, ok, deploy, error)
t0 = time.time()

def one(i):
    scheme, host, port, path = targets[i % len(targets)]
    start = time.time()
    ok, deploy, err, serial = False, None, None, None
    try:
        if scheme == "https":
            c = LoopbackHTTPS(host, port, timeout=a.timeout, context=tls)
        else:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=a.timeout)
        c.request("GET", path, headers={"Connection": "close"})
        if scheme == "https":
            serial = c.sock.getpeercert().get("serialNumber")
        r = c.getresponse()
        body = r.read().decode("utf-8", "replace")
        c.close()
        ok = r.status == 200
        m = re.search(r"deploy=(\S*)", body)
        deploy = m.group(1) if m else None
        if not ok:
            err = "status %d" % r.status
    except Exception as e:  # noqa: BLE001 - every failure counts
        err = type(e).__name__ + ": " + str(e)
    finally:
        inflight.release()
    with lock:
        results.append((round(start - t0, 3), round(time.time() - start, 3), ok, deploy, err, path, serial))

threads, i = [], 0
interval = 1.0 / a.rate
while True:
    now = time.time()
    if now - t0 >= a.max_seconds or (a.stop_file and os.path.exists(a.stop_file)):
        break
    if inflight.acquire(timeout=1.0):
        t = threading.Thread(target=one, args=(i,), daemon=True)
        t.start()
        threads.append(t)
        i += 1
    next_at = t0 + i * interval
    time.sleep(max(0.0, next_at - time.time()))
for t in threads:
    t.join(a.timeout + 1)

results.sort(key=lambda r: (r[0], r[5]))
failed = [r for r in results if not r[2]]
slow = [r for r in results if r[2] and r[1] > a.slow]
seen = []  # deploy ids in order of first appearance, per path
for r in results:
    key = (r[5], r[3])
    if r[2] and key not in seen:
        seen.append(key)
summary = {
    "requests": len(results), "failed": len(failed), "slow": len(slow),
    "seconds": round(time.time() - t0, 1),
    "max_latency": max([r[1] for r in results], default=0),
    "deploys_seen": [{"path": k[0], "deploy": k[1]} for k in seen],
    "failures": [{"t": r[0], "s": r[1], "error": r[4], "path": r[5]} for r in failed[:20]],
    "slow_requests": [{"t": r[0], "s": r[1], "path": r[5]} for r in slow[:20]],
    "last": {t[3]: next((r[3] for r in reversed(results) if r[5] == t[3] and r[2]), None) for t in targets},
    "serials": {s: sum(1 for r in results if r[6] == s) for s in sorted({r[6] for r in results if r[6]})},
}
with open(a.out, "w") as f:
    json.dump(summary, f, indent=1)
if a.raw:
    with open(a.raw, "w") as f:
        for r in results:
            f.write(json.dumps({"t": round(t0 + r[0], 3), "s": r[1], "ok": r[2], "deploy": r[3], "error": r[4],
                                "path": r[5], "serial": r[6]}) + "\n")
print("loadgen: %d requests, %d failed, %d slow (>%.1fs), max %.2fs" % (
    len(results), len(failed), len(slow), a.slow, summary["max_latency"]))
