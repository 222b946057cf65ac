#!/usr/bin/env python3
"""A minimal echo bot for Parley (and Bitrix24), standard library only.

    python3 examples/python-echo-bot/bot.py 9001
    npx parley app add --name EchoBot --handler http://127.0.0.1:9001/ --scope imbot,im

Events arrive as PHP-style form posts (data[PARAMS][DIALOG_ID]=...); the bot answers through the
REST address the event names (auth[client_endpoint]) with the token it carries
(auth[access_token]), so it needs no configuration. It prints "listening PORT" once it serves.

Optional: with PARLEY_CLIENT_SECRET=<the app's client_secret> in its environment it accepts only
POSTs whose X-Parley-Signature is the HMAC-SHA256 of the raw body keyed by that secret (401 else).
"""
import hashlib
import hmac
import json
import os
import re
import sys
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def rest(form, method, params):
    """Call a REST method of the portal that sent this event; answers the decoded reply."""
    body = urllib.parse.urlencode({**params, "auth": form["auth[access_token]"]}).encode()
    request = urllib.request.Request(form["auth[client_endpoint]"] + method + ".json", data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.load(reply)
    except urllib.error.HTTPError as err:
        return json.load(err)


def bot_id(form):
    """The bot an event is for: data[BOT][<id>][...]."""
    for key in form:
        found = re.match(r"data\[BOT\]\[(\d+)\]", key)
        if found:
            return found.group(1)
    return ""


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        # Parley signs every event POST: X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body>.
        secret = os.environ.get("PARLEY_CLIENT_SECRET")
        if secret:
            expected = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected.encode(), self.headers.get("X-Parley-Signature", "").encode()):
                self.send_response(401)
                self.end_headers()
                self.wfile.write(b"bad signature")
                return
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()}
        event = form.get("event", "")
        me = "http://%s/" % self.headers.get("Host")
        if event == "ONAPPINSTALL":
            registered = rest(form, "imbot.register", {
                "CODE": "echo_bot_py", "TYPE": "B",
                "EVENT_MESSAGE_ADD": me, "EVENT_WELCOME_MESSAGE": me, "EVENT_BOT_DELETE": me,
                "PROPERTIES[NAME]": "Echo", "PROPERTIES[LAST_NAME]": "Python", "PROPERTIES[COLOR]": "GREEN",
            })
            print("echo bot registered:", json.dumps(registered), file=sys.stderr)
        elif event == "ONIMBOTJOINCHAT":
            rest(form, "imbot.message.add", {
                "BOT_ID": bot_id(form), "DIALOG_ID": form["data[PARAMS][DIALOG_ID]"],
                "MESSAGE": "Hello! I repeat what you write.",
            })
        elif event == "ONIMBOTMESSAGEADD":
            rest(form, "imbot.message.add", {
                "BOT_ID": bot_id(form), "DIALOG_ID": form["data[PARAMS][DIALOG_ID]"],
                "MESSAGE": "You said: " + form.get("data[PARAMS][MESSAGE]", ""),
            })
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 9001), Handler)
    print("listening", server.server_address[1], flush=True)
    server.serve_forever()
