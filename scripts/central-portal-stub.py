#!/usr/bin/env python3
"""Stands in for the Central Publisher Portal's upload endpoint on 127.0.0.1, for scripts/release-check.sh.

central-publishing-maven-plugin (with -DcentralBaseUrl=http://127.0.0.1:PORT -DwaitUntil=uploaded) POSTs the bundle
it built to /api/v1/publisher/upload as multipart/form-data with a bearer token and takes the response body as the
deployment id. This stub keeps the uploaded bundle (OUT_DIR/central-bundle.zip), records what the request looked
like (OUT_DIR/upload.json: path, query, the authorization's scheme and user name) and answers as the portal does. It writes the
port it listens on to OUT_DIR/port, serves one upload, and gives up by itself after TIMEOUT seconds.

Usage: central-portal-stub.py OUT_DIR [TIMEOUT]
"""
import base64
import email.parser
import email.policy
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

OUT_DIR = sys.argv[1]
TIMEOUT = float(sys.argv[2]) if len(sys.argv) > 2 else 900
DEPLOYMENT_ID = "00000000-0000-0000-0000-release-check"
done = threading.Event()


def user(token):
    """The user name of a base64 user:password token; the password is never kept."""
    try:
        return base64.b64decode(token).decode().split(":", 1)[0]
    except ValueError:
        return None


class Portal(BaseHTTPRequestHandler):
    def do_POST(self):
        url = urlsplit(self.path)
        if url.path != "/api/v1/publisher/upload":
            self.answer(404, "no such endpoint in the stub: " + url.path)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + self.headers.get("Content-Type", "").encode() + b"\r\n\r\n" + body)
        bundles = [part for part in message.iter_parts() if part.get_param("name", header="content-disposition") == "bundle"]
        if not message.is_multipart() or len(bundles) != 1:
            self.answer(400, "expected multipart/form-data with one part named bundle")
            return
        with open(os.path.join(OUT_DIR, "central-bundle.zip"), "wb") as f:
            f.write(bundles[0].get_payload(decode=True))
        auth = (self.headers.get("Authorization", "").split(" ", 1) + [""])[:2]
        with open(os.path.join(OUT_DIR, "upload.json"), "w") as f:
            json.dump({"path": url.path, "query": parse_qs(url.query),
                       "auth_scheme": auth[0], "auth_user": user(auth[1]),
                       "filename": bundles[0].get_filename()}, f, indent=1)
        self.answer(201, DEPLOYMENT_ID)
        done.set()

    def answer(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        sys.stderr.write("central-portal-stub: " + (fmt % args) + "\n")


server = HTTPServer(("127.0.0.1", 0), Portal)
with open(os.path.join(OUT_DIR, "port"), "w") as f:
    f.write(str(server.server_address[1]))
threading.Thread(target=server.serve_forever, daemon=True).start()
done.wait(TIMEOUT)
server.shutdown()
sys.exit(0 if done.is_set() else 1)
