#!/usr/bin/python3
"""Self-test of chat_receiver.py and http_connect_proxy.py.

Starts a TLS receiver (a throw-away self-signed certificate made with the
openssl command), a plain-HTTP one with small rate windows, and the proxy;
sends correctly and wrongly signed requests for each provider with urllib
(some through the proxy), and checks the replies, the logs, the control
endpoints and the rate limits. The SMS requests are signed here, written from
the providers' documentation apart from the receiver's code, and both this
signing and the receiver's are first checked against the worked examples of
tests/channel_signing_test.cc. Prints one line per check and exits 1 if any
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
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
JSON = {"Content-Type": "application/json; charset=utf-8"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
WECOM_KEY, DING_TOKEN, DING_SECRET = "wecom-key-1", "ding-token-1", "SECding+secret/1"
FEISHU_TOKEN, FEISHU_SECRET, HOOK_SECRET = "feishu-hook-1", "feishu-secret-1", "hook-secret-1"
ALI_KEY_ID, ALI_SECRET, ALI_SIGN, ALI_TEMPLATE = "LTAItestid", "ali secret+/=", "网信办", "SMS_154950909"
ALI_VARS = ("target", "kind", "time")
TC_ID, TC_KEY, TC_APP, TC_SIGN, TC_TEMPLATE = "AKIDtestid", "tc-secret-key", "1400006666", "网信办", "1110"
RECEIVER_ARGS = ["--wecom-key", WECOM_KEY, "--dingtalk-token", DING_TOKEN, "--dingtalk-secret", DING_SECRET,
                 "--feishu-token", FEISHU_TOKEN, "--feishu-secret", FEISHU_SECRET, "--webhook-secret", HOOK_SECRET,
                 "--aliyun-key-id", ALI_KEY_ID, "--aliyun-secret", ALI_SECRET, "--aliyun-sign-name", ALI_SIGN,
                 "--aliyun-template", ALI_TEMPLATE, "--aliyun-template-vars", ",".join(ALI_VARS),
                 "--tencent-secret-id", TC_ID, "--tencent-secret-key", TC_KEY, "--tencent-app-id", TC_APP,
                 "--tencent-sign-name", TC_SIGN, "--tencent-template", TC_TEMPLATE, "--tencent-template-vars", "2"]

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


# Alibaba Cloud RPC signature V1 (V2版本RPC风格请求体&签名机制, help.aliyun.com/document_detail/315526.html):
# percentEncode is RFC 3986 on UTF-8 with only A-Za-z0-9-_.~ kept; the canonicalized query sorts
# the encoded name=value pairs; StringToSign = METHOD&%2F&percentEncode(canonicalized);
# Signature = Base64(HMAC-SHA1(secret + "&", StringToSign)).
def aliyun_encode(text):
    return "".join(chr(b) if chr(b).isascii() and (chr(b).isalnum() or chr(b) in "-_.~") else f"%{b:02X}"
                   for b in text.encode("utf-8"))


def aliyun_sign(secret, method, params):
    """(StringToSign, Signature, the query or form body to send)."""
    canonical = "&".join(aliyun_encode(k) + "=" + aliyun_encode(v) for k, v in sorted(params.items()))
    string_to_sign = method + "&" + aliyun_encode("/") + "&" + aliyun_encode(canonical)
    signature = base64.b64encode(hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest())
    return string_to_sign, signature.decode(), canonical + "&Signature=" + aliyun_encode(signature.decode())


# Tencent Cloud signature v3 (签名方法 v3, cloud.tencent.com/document/api/382/52072).
def tc3(secret_id, secret_key, service, headers, payload, timestamp, date=None):
    """(CanonicalRequest, StringToSign, Signature, Authorization); `headers` are (name, value) pairs."""
    signed = sorted((k.strip().lower(), v.strip().lower()) for k, v in headers)
    names = ";".join(k for k, _ in signed)
    canonical = ("POST\n/\n\n" + "".join(f"{k}:{v}\n" for k, v in signed) + "\n" + names + "\n"
                 + hashlib.sha256(payload).hexdigest())
    date = date or time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = (f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n"
                      + hashlib.sha256(canonical.encode()).hexdigest())
    key = ("TC3" + secret_key).encode()
    for part in (date, service, "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    authorization = (f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders={names}, "
                     f"Signature={signature}")
    return canonical, string_to_sign, signature, authorization


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


# --- SMS: the worked examples, then the receiver ------------------------------------------------

TENCENT_EXAMPLE_PAYLOAD = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
TENCENT_EXAMPLE_HEADERS = [("Content-Type", "application/json; charset=utf-8"), ("Host", "cvm.tencentcloudapi.com")]
ALIYUN_SENDSMS_EXAMPLE = {
    "AccessKeyId": "testid", "Action": "SendSms", "Format": "JSON", "PhoneNumbers": "13800000000",
    "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0",
    "TemplateCode": "SMS_154950909", "TemplateParam": '{"code":"1234*5 6"}', "Timestamp": "2023-06-01T08:00:00Z",
    "Version": "2017-05-25"}


def signing_examples():
    """This file's signing and the receiver's against tests/channel_signing_test.cc's expectations."""
    sys.path.insert(0, HERE)
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    import chat_receiver as receiver  # its functions only; the server runs as a process
    describe = {"TimeStamp": "2016-02-23T12:46:24Z", "Format": "XML", "AccessKeyId": "testid",
                "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1",
                "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "Version": "2014-05-26",
                "SignatureVersion": "1.0"}
    sts, signature, query = aliyun_sign("testsecret", "GET", describe)
    expect("example: Aliyun DescribeRegions StringToSign",
           sts == "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3D"
                  "HMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26"
                  "TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26", sts)
    expect("example: Aliyun DescribeRegions signature CT9X0VtwR86fNWSnsc6v8YGOjuE=",
           signature == "CT9X0VtwR86fNWSnsc6v8YGOjuE=" and query.endswith("&Signature=CT9X0VtwR86fNWSnsc6v8YGOjuE%3D"),
           signature)
    sts, signature, body = aliyun_sign("testsecret", "POST", ALIYUN_SENDSMS_EXAMPLE)
    expect("example: Aliyun SendSms POST signature QZzUGMH+U0jOF19QAs94ovjlzW8=",
           signature == "QZzUGMH+U0jOF19QAs94ovjlzW8=", signature)
    expect("example: Aliyun SendSms signed form body as channel_signing_test.cc's",
           body == "AccessKeyId=testid&Action=SendSms&Format=JSON&PhoneNumbers=13800000000&RegionId=cn-hangzhou&"
                   "SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95&SignatureMethod=HMAC-SHA1&"
                   "SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&"
                   "TemplateCode=SMS_154950909&TemplateParam=%7B%22code%22%3A%221234%2A5%206%22%7D&"
                   "Timestamp=2023-06-01T08%3A00%3A00Z&Version=2017-05-25&Signature=QZzUGMH%2BU0jOF19QAs94ovjlzW8%3D",
           body)
    receiver_sts = receiver.aliyun_string_to_sign("POST", list(ALIYUN_SENDSMS_EXAMPLE.items()))
    expect("example: the receiver's Aliyun StringToSign and signature agree",
           receiver_sts == sts and receiver.aliyun_signature("testsecret", receiver_sts) == signature)

    masked = ("AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******")
    canonical, sts, signature, auth = tc3(*masked, "cvm", TENCENT_EXAMPLE_HEADERS, TENCENT_EXAMPLE_PAYLOAD, 1551113065)
    expect("example: Tencent canonical request",
           canonical == "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
                        "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
           canonical)
    expect("example: Tencent StringToSign with the UTC date 2019-02-25",
           sts == "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
                  "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031", sts)
    expect("example: Tencent signature 2230eefd...",
           auth == "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, "
                   "SignedHeaders=content-type;host, "
                   "Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c", auth)
    expect("example: the receiver's Tencent signature agrees",
           receiver.tc3_signature(masked[1], "2019-02-25", "cvm",
                                  receiver.tc3_string_to_sign(1551113065, "2019-02-25", "cvm", canonical)) == signature)
    earlier = tc3("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm",
                  TENCENT_EXAMPLE_HEADERS, TENCENT_EXAMPLE_PAYLOAD, 1551113065)[2]
    expect("example: Tencent earlier edition 72e494ea...",
           earlier == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", earlier)
    three = tc3(*masked, "cvm", [("X-TC-Action", " DescribeInstances "), ("Host", "cvm.tencentcloudapi.com"),
                                 ("Content-Type", "application/json; charset=utf-8")], TENCENT_EXAMPLE_PAYLOAD,
                1551113065)[3]
    expect("example: Tencent three signed headers, sorted and lower-cased",
           three.endswith("SignedHeaders=content-type;host;x-tc-action, "
                          "Signature=be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3"), three)


def iso_utc(unix_seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix_seconds))


def aliyun_params(numbers="13800000001", variables=None, **overrides):
    variables = {"target": "www.example.edu.cn", "kind": "站点 无法访问*", "time": "08:00"} if variables is None \
        else variables
    params = {"Action": "SendSms", "Version": "2017-05-25", "Format": "JSON", "AccessKeyId": ALI_KEY_ID,
              "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": str(uuid.uuid4()),
              "Timestamp": iso_utc(time.time()), "RegionId": "cn-hangzhou", "PhoneNumbers": numbers,
              "SignName": ALI_SIGN, "TemplateCode": ALI_TEMPLATE,
              "TemplateParam": json.dumps(variables, ensure_ascii=False, separators=(",", ":"))}
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def aliyun_post(c, params, secret=ALI_SECRET, sign_method="POST"):
    """POST the signed parameters as a form body (what netwarden sends)."""
    _, _, body = aliyun_sign(secret, sign_method, params)
    return c.send("/", raw=body.encode(), headers=FORM)


def aliyun(c):
    ok = aliyun_post(c, aliyun_params())
    expect_reply("aliyun: signed POST form accepted", ok, 200, "Code", "OK")
    expect("aliyun: ... with Message OK, RequestId and BizId",
           ok[1].get("Message") == "OK" and ok[1].get("RequestId") and ok[1].get("BizId"), ok[2])
    _, _, query = aliyun_sign(ALI_SECRET, "GET", aliyun_params("13800000002"))
    expect_reply("aliyun: signed GET query accepted", c.send("/?" + query, method="GET", headers={}), 200, "Code", "OK")
    params = aliyun_params("13800000003")
    _, _, body = aliyun_sign(ALI_SECRET, "POST", params)
    action_first = "Action=SendSms&" + "&".join(p for p in body.split("&") if not p.startswith("Action="))
    split = action_first.split("&")
    expect_reply("aliyun: parameters split between query and form accepted",
                 c.send("/?" + "&".join(split[:3]), raw="&".join(split[3:]).encode(), headers=FORM), 200, "Code", "OK")
    expect_reply("aliyun: several numbers, with +86 and 0086 prefixes, accepted",
                 aliyun_post(c, aliyun_params("13800000004,+8613800000005,008613800000006")), 200, "Code", "OK")
    expect_reply("aliyun: 35-character variable accepted",
                 aliyun_post(c, aliyun_params("13800000007", {"target": "网" * 35, "kind": "k", "time": "t"})),
                 200, "Code", "OK")

    params = aliyun_params("13800000008")
    wrong = aliyun_post(c, params, secret="other")
    expect_reply("aliyun: wrong secret refused", wrong, 400, "Code", "SignatureDoesNotMatch")
    mine = aliyun_sign(ALI_SECRET, "POST", params)[0]
    expect("aliyun: ... quoting the same StringToSign as this file's",
           wrong[1].get("Message", "").endswith("server string to sign is:" + mine), wrong[2][:300])
    expect_reply("aliyun: signed for GET, sent as POST, refused",
                 aliyun_post(c, aliyun_params("13800000008"), sign_method="GET"), 400, "Code", "SignatureDoesNotMatch")
    _, _, body = aliyun_sign(ALI_SECRET, "POST", aliyun_params("13800000008"))
    expect_reply("aliyun: body changed after signing refused",
                 c.send("/", raw=body.replace("13800000008", "13800000009").encode(), headers=FORM),
                 400, "Code", "SignatureDoesNotMatch")
    expect_reply("aliyun: 14 minutes old accepted",
                 aliyun_post(c, aliyun_params("13800000010", Timestamp=iso_utc(time.time() - 840))), 200, "Code", "OK")
    expect_reply("aliyun: 16 minutes old refused",
                 aliyun_post(c, aliyun_params("13800000010", Timestamp=iso_utc(time.time() - 960))),
                 400, "Code", "InvalidTimeStamp.Expired")
    expect_reply("aliyun: local-time Timestamp refused",
                 aliyun_post(c, aliyun_params(Timestamp=time.strftime("%Y-%m-%dT%H:%M:%S+08:00"))),
                 400, "Code", "InvalidTimeStamp.Format")
    params = aliyun_params("13800000011")
    expect_reply("aliyun: fresh nonce accepted", aliyun_post(c, params), 200, "Code", "OK")
    expect_reply("aliyun: reused nonce refused", aliyun_post(c, params), 400, "Code", "SignatureNonceUsed")
    expect_reply("aliyun: unknown AccessKeyId refused",
                 aliyun_post(c, aliyun_params(AccessKeyId="LTAIother")), 404, "Code", "InvalidAccessKeyId.NotFound")
    expect_reply("aliyun: no Format (an XML reply) refused",
                 aliyun_post(c, aliyun_params(Format=None)), 400, "Code", "InvalidParameter.Format")
    expect_reply("aliyun: Version 2018-05-01 refused",
                 aliyun_post(c, aliyun_params(Version="2018-05-01")), 400, "Code", "InvalidVersion")
    expect_reply("aliyun: SignatureMethod HMAC-SHA256 refused",
                 aliyun_post(c, aliyun_params(SignatureMethod="HMAC-SHA256")), 400, "Code", "InvalidSignatureMethod")
    expect_reply("aliyun: no PhoneNumbers refused",
                 aliyun_post(c, aliyun_params(PhoneNumbers=None)), 400, "Code", "MissingPhoneNumbers")
    expect_reply("aliyun: Action SendBatchSms refused",
                 aliyun_post(c, aliyun_params(Action="SendBatchSms")), 404, "Code", "InvalidApi.NotFound")
    expect_reply("aliyun: wrong SignName refused",
                 aliyun_post(c, aliyun_params(SignName="阿里云")), 200, "Code", "isv.SMS_SIGNATURE_ILLEGAL")
    expect_reply("aliyun: wrong TemplateCode refused",
                 aliyun_post(c, aliyun_params(TemplateCode="SMS_1")), 200, "Code", "isv.SMS_TEMPLATE_ILLEGAL")
    expect_reply("aliyun: a template variable missing refused",
                 aliyun_post(c, aliyun_params(variables={"target": "a", "kind": "b"})),
                 200, "Code", "isv.TEMPLATE_MISSING_PARAMETERS")
    expect_reply("aliyun: a variable not in the template refused",
                 aliyun_post(c, aliyun_params(variables={"target": "a", "kind": "b", "time": "c", "code": "d"})),
                 200, "Code", "isv.SMS_TEMPLATE_ILLEGAL")
    expect_reply("aliyun: a variable misnamed refused",
                 aliyun_post(c, aliyun_params(variables={"target": "a", "kind": "b", "Time": "c"})),
                 200, "Code", "isv.TEMPLATE_MISSING_PARAMETERS")
    expect_reply("aliyun: a number as a variable's value refused",
                 aliyun_post(c, aliyun_params(variables={"target": "a", "kind": "b", "time": 8})),
                 200, "Code", "isv.INVALID_JSON_PARAM")
    expect_reply("aliyun: 36-character variable refused",
                 aliyun_post(c, aliyun_params(variables={"target": "a" * 36, "kind": "b", "time": "c"})),
                 200, "Code", "isv.PARAM_LENGTH_LIMIT")
    expect_reply("aliyun: 10-digit number refused",
                 aliyun_post(c, aliyun_params("1380000001")), 200, "Code", "isv.MOBILE_NUMBER_ILLEGAL")
    expect_reply("aliyun: 1001 numbers refused",
                 aliyun_post(c, aliyun_params(",".join(f"139{i:08d}" for i in range(1001)))),
                 200, "Code", "isv.MOBILE_COUNT_OVER_LIMIT")
    expect_reply("aliyun: PUT refused", c.send("/?Action=SendSms", method="PUT", headers={}),
                 400, "Code", "UnsupportedHTTPMethod")


def tencent_body(numbers=("+8613900000001",), params=("www", "站点无法访问"), **overrides):
    body = {"PhoneNumberSet": list(numbers), "SmsSdkAppId": TC_APP, "SignName": TC_SIGN, "TemplateId": TC_TEMPLATE,
            "TemplateParamSet": list(params), "SessionContext": "incident-42"}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def tencent_post(c, body, key=TC_KEY, secret_id=TC_ID, timestamp=None, host=None, date=None, version="2021-01-11",
                 raw=None, sign_raw=None):
    """POST the body with the TC3 headers; `host` signed instead of the one sent, `raw` sent instead."""
    raw = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    content_type = "application/json; charset=utf-8"
    signed_host = host or urllib.parse.urlsplit(c.base).netloc
    auth = tc3(secret_id, key, "sms", [("Content-Type", content_type), ("Host", signed_host)],
               sign_raw if sign_raw is not None else raw, timestamp, date)[3]
    headers = {"Content-Type": content_type, "X-TC-Action": "SendSms", "X-TC-Version": version,
               "X-TC-Timestamp": str(timestamp), "X-TC-Region": "ap-guangzhou", "Authorization": auth}
    return c.send("/", raw=raw, headers=headers)


def statuses(result):
    reply = result[1]
    response = reply.get("Response", {}) if isinstance(reply, dict) else {}
    return [(s.get("PhoneNumber"), s.get("Code")) for s in response.get("SendStatusSet", [])]


def expect_error(name, result, code):
    got_status, reply, data = result
    error = reply.get("Response", {}).get("Error", {}) if isinstance(reply, dict) else {}
    expect(name, got_status == 200 and error.get("Code") == code and reply["Response"].get("RequestId"),
           f"got HTTP {got_status} {data[:200]!r}, want HTTP 200 Error.Code={code}")


def expect_statuses(name, result, want):
    expect(name, result[0] == 200 and statuses(result) == want,
           f"got HTTP {result[0]} {result[2][:300]!r}, want {want}")


def tencent(c):
    ok = tencent_post(c, tencent_body())
    expect_statuses("tencent: signed request accepted", ok, [("+8613900000001", "Ok")])
    status = ok[1]["Response"]["SendStatusSet"][0] if statuses(ok) else {}
    expect("tencent: ... Fee 1, IsoCode CN, SessionContext echoed, a SerialNo",
           status.get("Fee") == 1 and status.get("IsoCode") == "CN" and status.get("SessionContext") == "incident-42"
           and status.get("SerialNo") and status.get("Message") == "send success", ok[2])
    expect_statuses("tencent: 12-character parameters and a bare number accepted (answered as +86)",
                    tencent_post(c, tencent_body(["13900000002"], ["网" * 12, "b"])), [("+8613900000002", "Ok")])
    expect_error("tencent: wrong SecretKey refused", tencent_post(c, tencent_body(), key="other"),
                 "AuthFailure.SignatureFailure")
    expect_error("tencent: signed for host sms.tencentcloudapi.com, sent to this one, refused",
                 tencent_post(c, tencent_body(), host="sms.tencentcloudapi.com"), "AuthFailure.SignatureFailure")
    tomorrow = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))
    expect_error("tencent: credential scope not the UTC date refused",
                 tencent_post(c, tencent_body(), date=tomorrow), "AuthFailure.SignatureFailure")
    raw = json.dumps(tencent_body(), ensure_ascii=False).encode()
    expect_error("tencent: body changed after signing refused",
                 tencent_post(c, None, raw=raw.replace(b"incident-42", b"incident-43"), sign_raw=raw),
                 "AuthFailure.SignatureFailure")
    expect_statuses("tencent: 4 minutes old accepted",
                    tencent_post(c, tencent_body(["+8613900000003"]), timestamp=int(time.time()) - 240),
                    [("+8613900000003", "Ok")])
    expect_error("tencent: 6 minutes old refused",
                 tencent_post(c, tencent_body(), timestamp=int(time.time()) - 360), "AuthFailure.SignatureExpire")
    expect_error("tencent: unknown SecretId refused", tencent_post(c, tencent_body(), secret_id="AKIDother"),
                 "AuthFailure.SecretIdNotFound")
    expect_error("tencent: Authorization not TC3 refused",
                 c.send("/", tencent_body(), headers={**JSON, "X-TC-Action": "SendSms", "Authorization": "Bearer x"}),
                 "AuthFailure.InvalidAuthorization")
    expect_error("tencent: X-TC-Version 2019-07-11 refused",
                 tencent_post(c, tencent_body(), version="2019-07-11"), "NoSuchVersion")
    expect_error("tencent: wrong SignName refused", tencent_post(c, tencent_body(SignName="腾讯云")),
                 "FailedOperation.SignatureIncorrectOrUnapproved")
    expect_error("tencent: wrong TemplateId refused", tencent_post(c, tencent_body(TemplateId="1111")),
                 "FailedOperation.TemplateIncorrectOrUnapproved")
    expect_error("tencent: wrong SmsSdkAppId refused", tencent_post(c, tencent_body(SmsSdkAppId="1400000000")),
                 "UnauthorizedOperation.SmsSdkAppIdVerifyFail")
    expect_error("tencent: the 2019-07-11 name TemplateID refused",
                 tencent_post(c, tencent_body(TemplateId=None, TemplateID=TC_TEMPLATE)), "UnknownParameter")
    expect_error("tencent: a number in TemplateParamSet refused",
                 tencent_post(c, tencent_body(params=["a", 5])), "InvalidParameter")
    expect_error("tencent: empty PhoneNumberSet refused", tencent_post(c, tencent_body([])),
                 "MissingParameter.EmptyPhoneNumberSet")
    expect_error("tencent: 201 numbers refused",
                 tencent_post(c, tencent_body([f"+86139{i:08d}" for i in range(201)])),
                 "LimitExceeded.PhoneNumberCountLimit")

    wrong_count = tencent_post(c, tencent_body(["+8613900000004", "+8613900000005"], ["only one"]))
    expect_statuses("tencent: wrong parameter count refused per number", wrong_count,
                    [("+8613900000004", "FailedOperation.TemplateParamSetNotMatchApprovedTemplate"),
                     ("+8613900000005", "FailedOperation.TemplateParamSetNotMatchApprovedTemplate")])
    first = wrong_count[1]["Response"]["SendStatusSet"][0] if statuses(wrong_count) else {}
    expect("tencent: ... Fee 0, SerialNo and IsoCode empty",
           first.get("Fee") == 0 and first.get("SerialNo") == "" and first.get("IsoCode") == "", wrong_count[2])
    expect_statuses("tencent: 13-character parameter refused",
                    tencent_post(c, tencent_body(["+8613900000006"], ["a" * 13, "b"])),
                    [("+8613900000006", "InvalidParameterValue.TemplateParameterLengthLimit")])
    expect_statuses("tencent: partial failure, one malformed number",
                    tencent_post(c, tencent_body(["+8613900000007", "+86123"])),
                    [("+8613900000007", "Ok"), ("+86123", "InvalidParameterValue.IncorrectPhoneNumber")])
    expect_statuses("tencent: the same content to a number within 30 s refused, the other number sent",
                    tencent_post(c, tencent_body(["+8613900000007", "+8613900000008"])),
                    [("+8613900000007", "LimitExceeded.PhoneNumberThirtySecondLimit"), ("+8613900000008", "Ok")])
    expect_statuses("tencent: other content to that number within 30 s accepted",
                    tencent_post(c, tencent_body(["+8613900000007"], ["www", "恢复"])), [("+8613900000007", "Ok")])
    expect_reply("tencent: GET refused", c.send("/", headers={"X-TC-Action": "SendSms"}, method="GET"), 405)


def sms_control(c):
    def ctl(query):
        return c.send("/_control/" + query, raw=b"", headers={})

    expect_reply("control: errcode with a string code", ctl("errcode?count=1&code=isv.BUSINESS_LIMIT_CONTROL"), 200)
    expect_reply("control: scripted aliyun isv.BUSINESS_LIMIT_CONTROL", aliyun_post(c, aliyun_params()),
                 200, "Code", "isv.BUSINESS_LIMIT_CONTROL")
    ctl("errcode?count=1&code=SignatureDoesNotMatch")
    expect_reply("control: scripted aliyun SignatureDoesNotMatch with its HTTP 400",
                 aliyun_post(c, aliyun_params()), 400, "Code", "SignatureDoesNotMatch")
    ctl("errcode?count=1&code=RequestLimitExceeded")
    expect_error("control: scripted tencent RequestLimitExceeded", tencent_post(c, tencent_body()),
                 "RequestLimitExceeded")
    ctl("errcode?count=1&code=LimitExceeded.PhoneNumberDailyLimit")
    expect_statuses("control: scripted tencent per-number code for each number",
                    tencent_post(c, tencent_body(["+8613900000011", "+8613900000012"])),
                    [("+8613900000011", "LimitExceeded.PhoneNumberDailyLimit"),
                     ("+8613900000012", "LimitExceeded.PhoneNumberDailyLimit")])
    ctl("fail?count=1&status=502")
    expect_reply("control: scripted 502 to aliyun", aliyun_post(c, aliyun_params()), 502)
    ctl("hold?count=1&seconds=0.5")
    started = time.monotonic()
    expect_statuses("control: held tencent reply arrives", tencent_post(c, tencent_body(["+8613900000013"])),
                    [("+8613900000013", "Ok")])
    expect("control: ... after the hold", time.monotonic() - started >= 0.45)


def sms_rate(c):
    """On the receiver with --rate 2/1 and 1/1 per number."""
    expect_reply("rate: aliyun 1st to a number accepted", aliyun_post(c, aliyun_params("13700000001")),
                 200, "Code", "OK")
    second = aliyun_post(c, aliyun_params("13700000001"))
    expect_reply("rate: aliyun 2nd to the number refused", second, 200, "Code", "isv.BUSINESS_LIMIT_CONTROL")
    expect("rate: ... as 触发分钟级流控Permits:1", second[1].get("Message") == "触发分钟级流控Permits:1", second[2])
    expect_reply("rate: aliyun 3rd for the AccessKeyId in the window refused",
                 aliyun_post(c, aliyun_params("13700000002")), 400, "Code", "Throttling.User")
    expect_statuses("rate: tencent 1st accepted", tencent_post(c, tencent_body(["+8613700000001"])),
                    [("+8613700000001", "Ok")])
    expect_statuses("rate: tencent 2nd of the same content refused for the number",
                    tencent_post(c, tencent_body(["+8613700000001"])),
                    [("+8613700000001", "LimitExceeded.PhoneNumberThirtySecondLimit")])
    expect_error("rate: tencent 3rd for the SecretId in the window refused",
                 tencent_post(c, tencent_body(["+8613700000002"])), "RequestLimitExceeded")
    time.sleep(1.1)
    expect_reply("rate: aliyun accepted again once the windows slid",
                 aliyun_post(c, aliyun_params("13700000001")), 200, "Code", "OK")
    expect_statuses("rate: tencent accepted again once the windows slid",
                    tencent_post(c, tencent_body(["+8613700000001"])), [("+8613700000001", "Ok")])


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
        b, b_port = start("chat_receiver.py", ["--no-tls", "--rate", "2/1", "--aliyun-number-rate", "1/1",
                                               "--tencent-number-rate", "1/1", *RECEIVER_ARGS], workdir, "b", processes)
        proxy, proxy_port = start("http_connect_proxy.py", [], workdir, "proxy", processes)
        context = ssl.create_default_context(cafile=cert)
        sent_a, sent_b = [], []
        tls = Client(f"https://127.0.0.1:{a_port}", sent_a, context)
        proxied_tls = Client(f"https://127.0.0.1:{a_port}", sent_a, context, proxy=f"http://127.0.0.1:{proxy_port}")
        plain = Client(f"http://127.0.0.1:{b_port}", sent_b)
        proxied_plain = Client(f"http://127.0.0.1:{b_port}", sent_b, proxy=f"http://127.0.0.1:{proxy_port}")

        signing_examples()
        wecom(tls)
        dingtalk(proxied_tls)  # every DingTalk request through CONNECT
        feishu(tls)
        webhook(tls)
        aliyun(tls)
        tencent(tls)
        expect_statuses("tencent: signed request through CONNECT accepted",
                        tencent_post(proxied_tls, tencent_body(["+8613900000020"])), [("+8613900000020", "Ok")])
        control(tls, workdir)
        sms_control(tls)
        rate(plain)
        sms_rate(plain)
        expect_reply("proxy: plain POST forwarded", webhook_post(proxied_plain, "/hook/proxied"), 200)
        with socket.create_connection(("127.0.0.1", proxy_port)) as s:
            s.sendall(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
            reply = s.makefile("rb").read()  # to the end, so that closing resets nothing
            expect("proxy: non-loopback CONNECT refused", reply.startswith(b"HTTP/1.0 403"), reply[:100])

        entries = read_log(workdir, "a")
        check_log(entries, sent_a, "a")
        expect("log a: scripted failures logged as such",
               sum(e["reason"] == "scripted failure" for e in entries) == 3)
        dingtalk_entries = [e for e in entries if e["provider"] == "dingtalk"]
        expect("log a: DingTalk query decoded", dingtalk_entries[0]["query"].get("access_token") == DING_TOKEN)
        expect("log a: body logged as JSON",
               entries[0]["body"] == {"msgtype": "text", "text": {"content": "告警 site down"}})
        aliyun_entry = next(e for e in entries if e["provider"] == "aliyun_sms")
        expect("log a: Aliyun form body logged as its fields",
               aliyun_entry["accepted"] and aliyun_entry["body"].get("PhoneNumbers") == "13800000001"
               and aliyun_entry["body"].get("SignName") == ALI_SIGN, aliyun_entry)
        tencent_entries = [e for e in entries if e["provider"] == "tencent_sms"]
        expect("log a: Tencent body logged as JSON",
               tencent_entries[0]["accepted"] and tencent_entries[0]["body"]["PhoneNumberSet"] == ["+8613900000001"])
        partial = [e for e in tencent_entries
                   if e["body"] and e["body"].get("PhoneNumberSet") == ["+8613900000007", "+86123"]]
        expect("log a: a Tencent partial failure logged as refused, naming the number's code",
               len(partial) == 1 and not partial[0]["accepted"]
               and partial[0]["reason"] == "+86123: InvalidParameterValue.IncorrectPhoneNumber", partial)
        b_entries = read_log(workdir, "b")
        check_log(b_entries, sent_b, "b")
        expect("log b: rate refusals logged as rate limited",
               sum(e["reason"] == "rate limited" for e in b_entries) == 6)
        proxy_log = read_log(workdir, "proxy")
        expect("proxy log: CONNECT to the TLS receiver",
               {"method": "CONNECT", "target": f"127.0.0.1:{a_port}"} in proxy_log)
        expect("proxy log: one CONNECT per DingTalk request and the Tencent one",
               len(proxy_log) - 1 == len(dingtalk_entries) + 1,
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
