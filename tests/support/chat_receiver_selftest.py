#!/usr/bin/python3
"""Self-test of chat_receiver.py and http_connect_proxy.py.

Starts a TLS receiver (a throw-away self-signed certificate made with the
openssl command), a plain-HTTP one with a small rate window, and the proxy;
sends correctly and wrongly signed requests for each provider with urllib
(some through the proxy), and checks the replies, the logs, the control
endpoints and the rate limit. Prints one line per check and exits 1 if any
failed.
"""
import base64
import hashlib
import hmac
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
JSON = {"Content-Type": "application/json; charset=utf-8"}
WECOM_KEY, DING_TOKEN, DING_SECRET = "wecom-key-1", "ding-token-1", "SECding+secret/1"
FEISHU_TOKEN, FEISHU_SECRET, HOOK_SECRET = "feishu-hook-1", "feishu-secret-1", "hook-secret-1"
RECEIVER_ARGS = ["--wecom-key", WECOM_KEY, "--dingtalk-token", DING_TOKEN, "--dingtalk-secret", DING_SECRET,
                 "--feishu-token", FEISHU_TOKEN, "--feishu-secret", FEISHU_SECRET, "--webhook-secret", HOOK_SECRET]

failures = []


def expect(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f": {detail}"))
    if not condition:
        failures.append(name)


# --- signing, written from the providers' documentation --------------------------------------

def dingtalk_query(secret, timestamp_ms, quote=urllib.parse.quote_plus):
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return f"&timestamp={timestamp_ms}&sign={quote(base64.b64encode(digest).decode())}"


def feishu_signed(body, secret, timestamp):
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return {"timestamp": str(timestamp), "sign": base64.b64encode(digest).decode(), **body}


def webhook_signature(secret, t, raw):
    return f"t={t},v1=" + hmac.new(secret.encode(), f"{t}.".encode() + raw, hashlib.sha256).hexdigest()


# --- processes and requests --------------------------------------------------------------------

def start(script, args, workdir, name, processes):
    """(the process, its port), once it listens; the process is added to `processes`."""
    port_file = os.path.join(workdir, name + ".port")
    process = subprocess.Popen([sys.executable, os.path.join(HERE, script), "--port-file", port_file,
                                "--log", os.path.join(workdir, name + ".jsonl"), *args])
    processes.append(process)
    deadline = time.monotonic() + 10
    while not os.path.exists(port_file):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{script} did not start")
        time.sleep(0.05)
    with open(port_file) as f:
        return process, int(f.read())


def read_log(workdir, name):
    with open(os.path.join(workdir, name + ".jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


class Client:
    """Requests to one server, directly or through a proxy, never an environment proxy."""

    def __init__(self, base, sent, context=None, proxy=None):
        self.base = base
        self.sent = sent  # the paths of the requests sent, /_control's aside
        proxies = {"http": proxy, "https": proxy} if proxy else {}
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies),
                                                  urllib.request.HTTPSHandler(context=context))

    def send(self, path, body=None, raw=None, headers=JSON, method="POST", timeout=10):
        """(HTTP status, the reply's JSON or None, its bytes)."""
        if not path.startswith("/_control/"):
            self.sent.append(urllib.parse.urlsplit(path).path)
        if raw is None and body is not None:
            raw = json.dumps(body, ensure_ascii=False).encode()
        request = urllib.request.Request(self.base + path, data=raw, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                status, data = response.status, response.read()
        except urllib.error.HTTPError as e:
            status, data = e.code, e.read()
        try:
            return status, json.loads(data), data
        except ValueError:
            return status, None, data


def expect_reply(name, result, status, field=None, code=None):
    got_status, reply, data = result
    ok = got_status == status and (field is None or (isinstance(reply, dict) and reply.get(field) == code))
    expect(name, ok, f"got HTTP {got_status} {data[:160]!r}, want HTTP {status}"
           + ("" if field is None else f" {field}={code}"))


WECOM_PATH = "/cgi-bin/webhook/send?key=" + WECOM_KEY
DING_PATH = "/robot/send?access_token=" + DING_TOKEN
FEISHU_PATH = "/open-apis/bot/v2/hook/" + FEISHU_TOKEN


def wecom_text(c, content="x", **options):
    return c.send(WECOM_PATH, {"msgtype": "text", "text": {"content": content}}, **options)


def dingtalk_text(c):
    return c.send(DING_PATH + dingtalk_query(DING_SECRET, int(time.time() * 1000)),
                  {"msgtype": "text", "text": {"content": "x"}})


def feishu_text(c):
    return c.send(FEISHU_PATH, feishu_signed({"msg_type": "text", "content": {"text": "x"}},
                                             FEISHU_SECRET, int(time.time())))


def webhook_body(event="notification", incident=42):
    return json.dumps({"event": event, "incident": incident, "target": "www", "kind": "site_down",
                       "severity": "high", "title": "站点无法访问", "text": "down"}, ensure_ascii=False).encode()


def webhook_post(c, path):
    raw = webhook_body()
    headers = {**JSON, "Netwarden-Signature": webhook_signature(HOOK_SECRET, int(time.time()), raw)}
    return c.send(path, raw=raw, headers=headers)


# --- the checks ---------------------------------------------------------------------------------

def wecom(c):
    path = WECOM_PATH
    text = {"msgtype": "text", "text": {"content": "告警 site down"}}
    expect_reply("wecom: text accepted", c.send(path, text), 200, "errcode", 0)
    expect_reply("wecom: markdown of 4096 bytes accepted",
                 c.send(path, {"msgtype": "markdown", "markdown": {"content": "汉" * 1365 + "a"}}), 200, "errcode", 0)
    expect_reply("wecom: markdown of 4097 bytes refused",
                 c.send(path, {"msgtype": "markdown", "markdown": {"content": "汉" * 1365 + "ab"}}),
                 200, "errcode", 40058)
    expect_reply("wecom: text of 2049 bytes refused",
                 c.send(path, {"msgtype": "text", "text": {"content": "a" * 2049}}), 200, "errcode", 40058)
    expect_reply("wecom: wrong key refused", c.send("/cgi-bin/webhook/send?key=other", text), 200, "errcode", 93000)
    expect_reply("wecom: missing key refused", c.send("/cgi-bin/webhook/send", text), 200, "errcode", 93000)
    expect_reply("wecom: msgtype news refused", c.send(path, {"msgtype": "news", "news": {}}), 200, "errcode", 40008)
    expect_reply("wecom: empty content refused", c.send(path, {"msgtype": "text", "text": {"content": ""}}),
                 200, "errcode", 44004)
    expect_reply("wecom: form-encoded refused", c.send(path, text, headers={}), 415)
    expect_reply("wecom: charset GBK refused",
                 c.send(path, text, headers={"Content-Type": "application/json; charset=GBK"}), 415)
    expect_reply("wecom: invalid UTF-8 refused", c.send(path, raw=b'{"msgtype":"\xff"}'), 200, "errcode", 40008)
    expect_reply("wecom: body over 20000 bytes refused",
                 c.send(path, {**text, "pad": "x" * 20000}), 200, "errcode", 45002)
    expect_reply("wecom: GET refused", c.send(path, method="GET", headers={}), 405)


def dingtalk(c):
    path = DING_PATH
    text = {"msgtype": "text", "text": {"content": "告警"}, "at": {"atMobiles": ["13800000000"], "isAtAll": False}}
    now_ms = int(time.time() * 1000)
    expect_reply("dingtalk: signed text accepted", c.send(path + dingtalk_query(DING_SECRET, now_ms), text),
                 200, "errcode", 0)
    markdown = {"msgtype": "markdown", "markdown": {"title": "告警", "text": "### site down"}}
    expect_reply("dingtalk: signed markdown accepted", c.send(path + dingtalk_query(DING_SECRET, now_ms), markdown),
                 200, "errcode", 0)
    expect_reply("dingtalk: 59 minutes old accepted",
                 c.send(path + dingtalk_query(DING_SECRET, now_ms - 3540_000), text), 200, "errcode", 0)
    stale = c.send(path + dingtalk_query(DING_SECRET, now_ms - 3601_000), text)
    expect_reply("dingtalk: 61 minutes old refused", stale, 200, "errcode", 310000)
    expect("dingtalk: ... as invalid timestamp", stale[1].get("errmsg") == "invalid timestamp", stale[2])
    wrong = c.send(path + dingtalk_query("SECother", now_ms), text)
    expect_reply("dingtalk: wrong secret refused", wrong, 200, "errcode", 310000)
    expect("dingtalk: ... as sign not match", wrong[1].get("errmsg") == "sign not match", wrong[2])
    expect_reply("dingtalk: unsigned refused", c.send(path, text), 200, "errcode", 310000)
    # A sign holding "+" that is not urlencoded arrives as " ".
    ts = next(t for t in range(now_ms, now_ms + 1000) if "+" in dingtalk_query(DING_SECRET, t, quote=str))
    expect_reply("dingtalk: sign not urlencoded refused",
                 c.send(path + dingtalk_query(DING_SECRET, ts, quote=str), text), 200, "errcode", 310000)
    signed = dingtalk_query(DING_SECRET, now_ms)
    expect_reply("dingtalk: wrong token refused", c.send("/robot/send?access_token=other" + signed, text),
                 200, "errcode", 400101)
    expect_reply("dingtalk: missing token refused", c.send("/robot/send?" + signed[1:], text), 200, "errcode", 40035)
    expect_reply("dingtalk: msgtype link refused", c.send(path + signed, {"msgtype": "link", "link": {}}),
                 200, "errcode", 400105)
    expect_reply("dingtalk: markdown without title refused",
                 c.send(path + signed, {"msgtype": "markdown", "markdown": {"text": "x"}}), 200, "errcode", 40035)
    expect_reply("dingtalk: at.isAtAll not a bool refused",
                 c.send(path + signed, {**text, "at": {"isAtAll": "no"}}), 200, "errcode", 40035)
    expect_reply("dingtalk: text/plain refused", c.send(path + signed, text, headers={"Content-Type": "text/plain"}),
                 200, "errcode", 43004)
    expect_reply("dingtalk: not JSON refused", c.send(path + signed, raw=b"msgtype=text"), 200, "errcode", 40035)
    expect_reply("dingtalk: body over 20000 bytes refused",
                 c.send(path + signed, {"msgtype": "text", "text": {"content": "x" * 20000}}), 200, "errcode", 460101)
    expect_reply("dingtalk: GET refused", c.send(path + signed, method="GET", headers={}), 200, "errcode", 43002)


def feishu(c):
    path = FEISHU_PATH
    text = {"msg_type": "text", "content": {"text": "告警"}}
    now = int(time.time())
    ok = c.send(path, feishu_signed(text, FEISHU_SECRET, now))
    expect_reply("feishu: signed text accepted", ok, 200, "code", 0)
    expect("feishu: ... with StatusCode 0 too", ok[1].get("StatusCode") == 0 and ok[1].get("msg") == "success", ok[2])
    post = {"msg_type": "post", "content": {"post": {"zh_cn": {"title": "告警", "content": [[]]}}}}
    expect_reply("feishu: post accepted", c.send(path, feishu_signed(post, FEISHU_SECRET, now)), 200, "code", 0)
    card = {"msg_type": "interactive", "card": {"elements": [{"tag": "div", "text": {"content": "x"}}]}}
    expect_reply("feishu: interactive accepted", c.send(path, feishu_signed(card, FEISHU_SECRET, now)),
                 200, "code", 0)
    expect_reply("feishu: wrong secret refused", c.send(path, feishu_signed(text, "other", now)), 200, "code", 19021)
    expect_reply("feishu: 61 minutes old refused", c.send(path, feishu_signed(text, FEISHU_SECRET, now - 3660)),
                 200, "code", 19021)
    expect_reply("feishu: unsigned refused", c.send(path, text), 200, "code", 19021)
    expect_reply("feishu: numeric timestamp refused",
                 c.send(path, {**feishu_signed(text, FEISHU_SECRET, now), "timestamp": now}), 200, "code", 19021)
    expect_reply("feishu: wrong token refused",
                 c.send("/open-apis/bot/v2/hook/other", feishu_signed(text, FEISHU_SECRET, now)), 200, "code", 19001)
    expect_reply("feishu: missing msg_type refused",
                 c.send(path, feishu_signed({"content": {"text": "x"}}, FEISHU_SECRET, now)), 200, "code", 19002)
    expect_reply("feishu: text without content.text refused",
                 c.send(path, feishu_signed({"msg_type": "text", "content": {}}, FEISHU_SECRET, now)),
                 400, "code", 9499)
    expect_reply("feishu: body over 20000 bytes refused",
                 c.send(path, feishu_signed({**text, "pad": "x" * 20000}, FEISHU_SECRET, now)), 400, "code", 9499)


def webhook(c):
    raw, now = webhook_body(), int(time.time())

    def signed(t=now, secret=HOOK_SECRET, body=raw):
        return {**JSON, "Netwarden-Signature": webhook_signature(secret, t, body)}
    expect_reply("webhook: signed notification accepted", c.send("/hook/ops", raw=raw, headers=signed()), 200)
    test = webhook_body("test", 0)
    expect_reply("webhook: signed test accepted",
                 c.send("/hook/ops", raw=test, headers=signed(body=test)), 200)
    expect_reply("webhook: wrong secret refused", c.send("/hook/ops", raw=raw, headers=signed(secret="x")), 401)
    expect_reply("webhook: 6 minutes old refused", c.send("/hook/ops", raw=raw, headers=signed(t=now - 360)), 401)
    expect_reply("webhook: unsigned refused", c.send("/hook/ops", raw=raw), 401)
    upper = {**JSON, "Netwarden-Signature": webhook_signature(HOOK_SECRET, now, raw).upper().replace("T=", "t=")
             .replace("V1=", "v1=")}
    expect_reply("webhook: upper-case hex refused", c.send("/hook/ops", raw=raw, headers=upper), 401)
    expect_reply("webhook: body changed after signing refused",
                 c.send("/hook/ops", raw=raw.replace(b"42", b"43"), headers=signed()), 401)
    missing = json.dumps({"event": "notification", "incident": 42, "target": "www", "kind": "x",
                          "title": "t"}).encode()
    expect_reply("webhook: missing text refused", c.send("/hook/ops", raw=missing, headers=signed(body=missing)), 400)
    bad_test = webhook_body("test", 7)
    expect_reply("webhook: test with an incident refused",
                 c.send("/hook/ops", raw=bad_test, headers=signed(body=bad_test)), 400)
    expect_reply("webhook: text/plain refused",
                 c.send("/hook/ops", raw=raw, headers={**signed(), "Content-Type": "text/plain"}), 415)
    expect_reply("webhook: unknown path 404", c.send("/nothing", raw=raw, headers=signed()), 404)


def control(c, workdir):
    def ctl(query):
        return c.send("/_control/" + query, raw=b"", headers={})

    expect_reply("control: fail set", ctl("fail?count=2&status=503"), 200)
    expect_reply("control: 1st scripted 503", wecom_text(c), 503)
    second = wecom_text(c)
    expect_reply("control: 2nd scripted 503", second, 503)
    expect("control: ... with an empty body", second[2] == b"", second[2])
    expect_reply("control: 3rd accepted", wecom_text(c), 200, "errcode", 0)

    ctl("errcode?count=1&code=45009")
    limited = wecom_text(c)
    expect_reply("control: scripted wecom 45009", limited, 200, "errcode", 45009)
    expect("control: ... with its errmsg", limited[1].get("errmsg") == "api freq out of limit", limited[2])
    ctl("errcode?count=1&code=11232")
    expect_reply("control: scripted feishu 11232", feishu_text(c), 200, "code", 11232)

    ctl("fail?count=5&status=500")
    ctl("reset")
    expect_reply("control: reset clears a scripted failure", wecom_text(c), 200, "errcode", 0)

    ctl("hold?count=2&seconds=1.5")
    result = {}

    def held():
        started = time.monotonic()
        result["reply"] = wecom_text(c, "held-1")
        result["seconds"] = time.monotonic() - started
    thread = threading.Thread(target=held)
    thread.start()
    time.sleep(0.5)
    logged = {"msgtype": "text", "text": {"content": "held-1"}} in [e["body"] for e in read_log(workdir, "a")]
    expect("control: a held request is logged before its reply", logged and thread.is_alive())
    thread.join()
    expect_reply("control: held reply arrives", result["reply"], 200, "errcode", 0)
    expect("control: ... after the hold", result["seconds"] >= 1.4, result["seconds"])
    try:
        wecom_text(c, timeout=0.3)
        expect("control: a sender giving up during a hold times out", False, "it got a reply")
    except (TimeoutError, urllib.error.URLError):
        expect("control: a sender giving up during a hold times out", True)
    time.sleep(1.5)
    expect_reply("control: the receiver serves on afterwards", wecom_text(c), 200, "errcode", 0)
    expect_reply("control: unknown control 404", ctl("nothing"), 404)


def rate(c):
    cases = [("wecom", wecom_text, "errcode", 45009), ("dingtalk", dingtalk_text, "errcode", 410100),
             ("feishu", feishu_text, "code", 11232)]
    for name, send, field, code in cases:
        replies = [send(c) for _ in range(3)]
        expect_reply(f"rate: {name} 1st accepted", replies[0], 200, field, 0)
        expect_reply(f"rate: {name} 2nd accepted", replies[1], 200, field, 0)
        expect_reply(f"rate: {name} 3rd in the window refused", replies[2], 200, field, code)
    webhook_post(c, "/hook/a"), webhook_post(c, "/hook/a")
    expect_reply("rate: webhook 3rd in the window refused", webhook_post(c, "/hook/a"), 429)
    expect_reply("rate: another webhook path has its own window", webhook_post(c, "/hook/b"), 200)
    time.sleep(1.1)
    expect_reply("rate: accepted again once the window slid", webhook_post(c, "/hook/a"), 200)


def check_log(entries, sent_paths, name):
    keys = {"provider", "accepted", "reason", "path", "query", "headers", "body", "received_at"}
    expect(f"log {name}: one line per request, none for /_control",
           [e["path"] for e in entries] == sent_paths, f"{len(entries)} lines for {len(sent_paths)} requests")
    expect(f"log {name}: every line complete", all(set(e) == keys for e in entries))
    expect(f"log {name}: header names lower-case", all(k == k.lower() for e in entries for k in e["headers"]))
    expect(f"log {name}: reasons only on refusals", all((e["reason"] is None) == e["accepted"] for e in entries))


def main():
    for variable in ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
        os.environ.pop(variable, None)
    workdir = tempfile.mkdtemp(prefix="chat_receiver_selftest.")
    processes = []
    try:
        cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        a, a_port = start("chat_receiver.py", ["--cert", cert, "--key", key, *RECEIVER_ARGS], workdir, "a", processes)
        b, b_port = start("chat_receiver.py", ["--no-tls", "--rate", "2/1", *RECEIVER_ARGS], workdir, "b", processes)
        proxy, proxy_port = start("http_connect_proxy.py", [], workdir, "proxy", processes)
        context = ssl.create_default_context(cafile=cert)
        sent_a, sent_b = [], []
        tls = Client(f"https://127.0.0.1:{a_port}", sent_a, context)
        proxied_tls = Client(f"https://127.0.0.1:{a_port}", sent_a, context, proxy=f"http://127.0.0.1:{proxy_port}")
        plain = Client(f"http://127.0.0.1:{b_port}", sent_b)
        proxied_plain = Client(f"http://127.0.0.1:{b_port}", sent_b, proxy=f"http://127.0.0.1:{proxy_port}")

        wecom(tls)
        dingtalk(proxied_tls)  # every DingTalk request through CONNECT
        feishu(tls)
        webhook(tls)
        control(tls, workdir)
        rate(plain)
        expect_reply("proxy: plain POST forwarded", webhook_post(proxied_plain, "/hook/proxied"), 200)
        with socket.create_connection(("127.0.0.1", proxy_port)) as s:
            s.sendall(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
            reply = s.makefile("rb").read()  # to the end, so that closing resets nothing
            expect("proxy: non-loopback CONNECT refused", reply.startswith(b"HTTP/1.0 403"), reply[:100])

        entries = read_log(workdir, "a")
        check_log(entries, sent_a, "a")
        expect("log a: scripted failures logged as such",
               sum(e["reason"] == "scripted failure" for e in entries) == 2)
        dingtalk_entries = [e for e in entries if e["provider"] == "dingtalk"]
        expect("log a: DingTalk query decoded", dingtalk_entries[0]["query"].get("access_token") == DING_TOKEN)
        expect("log a: body logged as JSON",
               entries[0]["body"] == {"msgtype": "text", "text": {"content": "告警 site down"}})
        b_entries = read_log(workdir, "b")
        check_log(b_entries, sent_b, "b")
        expect("log b: rate refusals logged as rate limited",
               sum(e["reason"] == "rate limited" for e in b_entries) == 4)
        proxy_log = read_log(workdir, "proxy")
        expect("proxy log: CONNECT to the TLS receiver",
               {"method": "CONNECT", "target": f"127.0.0.1:{a_port}"} in proxy_log)
        expect("proxy log: one CONNECT per DingTalk request", len(proxy_log) - 1 == len(dingtalk_entries),
               f"{len(proxy_log)} lines for {len(dingtalk_entries)} DingTalk requests")
        expect("proxy log: the plain POST",
               {"method": "POST", "target": f"127.0.0.1:{b_port}", "path": "/hook/proxied"} in proxy_log)
        for process, name in ((a, "receiver a"), (b, "receiver b"), (proxy, "proxy")):
            expect(f"{name} still running", process.poll() is None)
    finally:
        for process in processes:
            process.terminate()
            process.wait()
        shutil.rmtree(workdir)
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
