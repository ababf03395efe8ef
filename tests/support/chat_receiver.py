#!/usr/bin/python3
"""A local stand-in for the chat robots netwarden notifies, for its tests.

One HTTPS server on 127.0.0.1 (an ephemeral port, written to --port-file
once listening) takes each provider's requests at the provider's own path
and checks them the way the provider documents, answering with the
provider's own replies:

  /cgi-bin/webhook/send?key=K                    WeCom (企业微信) group robot
  /robot/send?access_token=T&timestamp=&sign=    DingTalk (钉钉) custom robot, 加签
  /open-apis/bot/v2/hook/T                       Feishu (飞书) custom bot, 签名校验
  /hook, /hook/...                               netwarden's generic signed webhook

Every request to those paths is appended to --log as one JSON line, flushed
at once, before the reply is sent:
  {"provider", "accepted", "reason" (why refused; null when accepted),
   "path", "query", "headers" (lower-case names), "body" (parsed JSON or
   null), "received_at" (Unix ms)}

Tests steer it with POST /_control/... (never logged):
  fail?count=N&status=S     the next N requests get HTTP S, empty body
  errcode?count=N&code=C    the next N requests get HTTP 200 and the
                            provider's error reply carrying code C
  hold?count=N&seconds=S    the next N requests are logged, then their
                            reply waits S seconds
  reset                     forget the above and the rate windows

Like the providers, it refuses more than --rate N/SECONDS (default 20/60)
accepted requests per endpoint (provider and token, or webhook path) in a
sliding window. Each provider's rules below cite the page they come from;
"observed" marks a reply seen from the live service in a public report
where the documentation gives none, "assumed" one that neither shows.
SIGTERM stops it.
"""
import argparse
import base64
import collections
import hashlib
import hmac
import http.server
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse

# Request bodies above this are refused. DingTalk's service refuses them
# ("message too long, exceed 20000 bytes", see DingTalk below) and Feishu
# documents "请求体的数据大小不能超过 20 KB"; WeCom documents none, the same
# bound is applied to it.
MAX_BODY = 20000
# Bytes read of a body at most; a longer one is cut and its connection closed.
READ_LIMIT = 1 << 20


class Rejected(Exception):
    """A request the provider refuses: why (for the log) and the reply."""

    def __init__(self, reason, status, reply):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.reply = reply  # a JSON value, or None for an empty body


class Request:
    def __init__(self, method, path, query, headers, raw):
        self.method = method
        self.path = path
        self.query = query      # name -> value, percent- and plus-decoded
        self.headers = headers  # lower-case name -> value
        self.raw = raw          # the body's bytes
        self.body = parse_json(raw)


def parse_json(raw):
    """The body's JSON value; None when it is not UTF-8 JSON."""
    def no_constants(name):
        raise ValueError(name)
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=no_constants)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None


def is_json_content_type(value):
    """application/json, with no charset or charset=utf-8."""
    media_type, *params = [part.strip().lower() for part in value.split(";")]
    charsets = [p.partition("=")[2].strip('"') for p in params if p.startswith("charset=")]
    return media_type == "application/json" and all(c in ("utf-8", "utf8") for c in charsets)


def text_field(obj, key):
    """obj[key] when obj is an object and that is a non-empty string, else None."""
    value = obj.get(key) if isinstance(obj, dict) else None
    return value if isinstance(value, str) and value else None


def is_digits(value):
    return isinstance(value, str) and value.isascii() and value.isdigit()


def hmac_sha256(key, message):
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).digest()


class Provider:
    """One provider's endpoint: its checks and its replies.

    `errors` maps each way a request can be refused to the provider's reply,
    (HTTP status, code or None for an empty body, message).
    """
    name = ""
    errors = {}

    def matches(self, path):
        raise NotImplementedError

    def token(self, req):
        """The credential the request names (its endpoint, for the rate window)."""
        raise NotImplementedError

    def ok(self):
        return {"errcode": 0, "errmsg": "ok"}

    def answer(self, code, message):
        return {"errcode": code, "errmsg": message}

    def message_for(self, code):
        """The message this provider sends with `code` (for /_control/errcode)."""
        return next((m for _, c, m in self.errors.values() if c == code), "scripted error")

    def refuse(self, kind, reason):
        status, code, message = self.errors[kind]
        raise Rejected(reason, status, None if code is None else self.answer(code, message))

    def check(self, req):
        """Raises Rejected unless the provider would take the request."""
        if req.method != "POST":
            self.refuse("method", f"method {req.method}, not POST")
        self.check_token(req)
        content_type = req.headers.get("content-type", "")
        if not is_json_content_type(content_type):
            self.refuse("content_type", f"Content-Type {content_type!r}, not application/json")
        if len(req.raw) > MAX_BODY:
            self.refuse("too_large", f"body of {len(req.raw)} bytes, over {MAX_BODY}")
        if not isinstance(req.body, dict):
            self.refuse("not_json", "body is not a UTF-8 JSON object")
        self.check_message(req)

    def check_token(self, req):
        raise NotImplementedError

    def check_message(self, req):
        raise NotImplementedError


class WeCom(Provider):
    """WeCom (企业微信) group robot.

    群机器人配置说明, https://developer.work.weixin.qq.com/document/path/91770:
    POST JSON to /cgi-bin/webhook/send?key=KEY; msgtype "text" (text.content
    at most 2048 bytes, UTF-8) or "markdown" (markdown.content at most 4096
    bytes, UTF-8) among others; at most 20 messages a minute per robot;
    success is {"errcode":0,"errmsg":"ok"} with HTTP 200.
    The codes: 全局错误码, https://developer.work.weixin.qq.com/document/path/90313.
    """
    name = "wecom"
    limits = {"text": 2048, "markdown": 4096}  # content bytes, 91770
    errors = {
        # Assumed: neither page says what WeCom answers another method.
        "method": (405, None, None),
        # 93000 "机器人webhookurl不合法或者机器人已经被移除出群" (90313); the errmsg
        # as the service sends it (observed: wes-lin/Cloud189Checkin#175).
        "token": (200, 93000, "invalid webhook url"),
        # Observed: a form-encoded POST got HTTP 415 (jxxghp/MoviePilot-Plugins
        # PR #806). Stricter than the service, which took text/plain in some
        # public examples; 91770's example sends application/json.
        "content_type": (415, None, None),
        # 45002 "消息内容大小超过限制" (90313); the errmsg is assumed.
        "too_large": (200, 45002, "content size out of limit"),
        # 90313: a body that is not JSON gets "Warning: wrong json format." in
        # errmsg; the msgtype then cannot be read, hence 40008.
        "not_json": (200, 40008, "invalid message type, Warning: wrong json format."),
        # 40008 "不合法的msgtype参数" (90313); errmsg observed
        # (easy-swoole/wechat#147).
        "msgtype": (200, 40008, "invalid message type"),
        # 44004 "文本消息content参数为空" (90313); the errmsg is assumed.
        "content": (200, 44004, "empty content"),
        # 40058 "不合法的参数" (90313); errmsg observed for markdown with HTTP 200
        # (RayWangQvQ/BiliBiliTool#569, dromara/domain-admin#82); the same form
        # is assumed for text.
        "too_long": (200, 40058, "content exceed max length. invalid Request Parameter"),
        # 45009 "接口调用超过限制" (90313), the 20-a-minute limit of 91770; the
        # errmsg is WeChat's for 45009.
        "rate": (200, 45009, "api freq out of limit"),
    }

    def __init__(self, key):
        self.key = key

    def matches(self, path):
        return path == "/cgi-bin/webhook/send"

    def token(self, req):
        return req.query.get("key", "")

    def check_token(self, req):
        if self.key is None or not hmac.compare_digest(self.token(req), self.key):
            self.refuse("token", "wrong or missing key")

    def check_message(self, req):
        msgtype = req.body.get("msgtype")
        if msgtype not in self.limits:
            self.refuse("msgtype", f"msgtype {msgtype!r}, not text or markdown")
        content = text_field(req.body.get(msgtype), "content")
        if content is None:
            self.refuse("content", f"{msgtype}.content missing or empty")
        size = len(content.encode("utf-8"))
        if size > self.limits[msgtype]:
            self.refuse("too_long", f"{msgtype}.content of {size} bytes, over {self.limits[msgtype]}")


class DingTalk(Provider):
    """DingTalk (钉钉) custom robot, signed (加签).

    自定义机器人接入, https://open.dingtalk.com/document/robots/custom-robot-access:
    POST UTF-8 JSON; msgtype "text" (text.content) or "markdown"
    (markdown.title, markdown.text) among others, with an optional
    "at": {"atMobiles": [...], "atUserIds": [...], "isAtAll": bool}; at most
    20 messages a minute per robot, then 10 minutes of refusals.
    自定义机器人安全设置, https://open.dingtalk.com/document/robots/customize-robot-security-settings:
    sign = urlencode(base64(HmacSHA256(key=secret, timestamp + "\\n" + secret))),
    timestamp in ms "与请求调用时间误差不能超过1小时", both in the query.
    Error table of 自定义机器人发送群聊消息,
    https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages
    (read through copies of it in public code; the page itself is scripted).
    The service answers errors with HTTP 200 (observed: the probes quoted in
    public code, 2026-09).
    """
    name = "dingtalk"
    errors = {
        # 43002 "需要POST请求" of DingTalk's global error codes; observed for GET.
        "method": (200, 43002, "需要POST请求"),
        # 40035 is "缺少参数" (error table: "缺少参数 json"); observed with this
        # errmsg for a missing access_token.
        "token_missing": (200, 40035, "缺少参数 access_token"),
        # 400101 "access_token不存在" (error table). The live service has been
        # seen answering 300001 (2018-2021 reports) and 300005 (2026) with
        # errmsg "token is not exist" instead.
        "token": (200, 400101, "access_token不存在"),
        # 43004 "无效的HTTP HEADER Content-Type" (error table).
        "content_type": (200, 43004, "无效的HTTP HEADER Content-Type"),
        # Not in the table; observed: timonwong/prometheus-webhook-dingtalk#30.
        "too_large": (200, 460101, "message too long, exceed 20000 bytes"),
        # 40035 "缺少参数 json" (error table).
        "not_json": (200, 40035, "缺少参数 json"),
        # 310000 with these errmsgs: the security page's former version
        # (ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq). The service now words
        # them "description:机器人发送签名不匹配;..." and "...签名过期;..."
        # (observed: qd-today/qd#510, 0wQ/air780e-forwarder#51): go by errcode.
        "sign": (200, 310000, "sign not match"),
        "stale": (200, 310000, "invalid timestamp"),
        # 400105 "不支持的消息类型" (error table).
        "msgtype": (200, 400105, "不支持的消息类型"),
        # Assumed: 40035 (缺少参数) for a missing field or a malformed "at".
        "content": (200, 40035, "缺少参数 content"),
        "at": (200, 40035, "参数 at 不合法"),
        # 410100 "发送速度太快而限流" (error table). Formerly 130101 "send too
        # fast, exceed 20 times per minute" (observed 2020, ccfos/nightingale#369).
        "rate": (200, 410100, "发送速度太快而限流"),
    }
    fields = {"text": ("content",), "markdown": ("title", "text")}

    def __init__(self, token, secret):
        self.access_token = token
        self.secret = secret

    def matches(self, path):
        return path == "/robot/send"

    def token(self, req):
        return req.query.get("access_token", "")

    def check_token(self, req):
        if not self.token(req):
            self.refuse("token_missing", "no access_token")
        if self.access_token is None or not hmac.compare_digest(self.token(req), self.access_token):
            self.refuse("token", "wrong access_token")

    def check_message(self, req):
        if self.secret is not None:
            self.check_sign(req)
        msgtype = req.body.get("msgtype")
        if msgtype not in self.fields:
            self.refuse("msgtype", f"msgtype {msgtype!r}, not text or markdown")
        for field in self.fields[msgtype]:
            if text_field(req.body.get(msgtype), field) is None:
                self.refuse("content", f"{msgtype}.{field} missing or empty")
        if "at" in req.body and not self.is_at(req.body["at"]):
            self.refuse("at", "at is not {atMobiles: [str], atUserIds: [str], isAtAll: bool}")

    def check_sign(self, req):
        timestamp, sign = req.query.get("timestamp"), req.query.get("sign")
        if timestamp is None or sign is None:
            self.refuse("sign", "timestamp or sign missing")
        if not is_digits(timestamp) or abs(time.time() * 1000 - int(timestamp)) > 3600 * 1000:
            self.refuse("stale", f"timestamp {timestamp!r} not within 1 hour of now (ms)")
        # parse_qsl has undone the urlencode: an unencoded "+" became " " and fails here.
        expected = base64.b64encode(hmac_sha256(self.secret, f"{timestamp}\n{self.secret}".encode("utf-8")))
        if not hmac.compare_digest(expected.decode("ascii"), sign):
            self.refuse("sign", "sign does not match")

    @staticmethod
    def is_at(at):
        def strings(value):
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        return (isinstance(at, dict) and strings(at.get("atMobiles", [])) and strings(at.get("atUserIds", []))
                and isinstance(at.get("isAtAll", False), bool))


class Feishu(Provider):
    """Feishu (飞书) custom bot, signed (签名校验).

    自定义机器人使用指南, https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
    (Chinese: https://open.larkoffice.com/document/ukTMukTMukTM/ucTM5YjL3ETO24yNxkjN):
    POST JSON to /open-apis/bot/v2/hook/TOKEN with "msg_type" "text"
    (content.text), "post" (content.post) or "interactive" (card) among
    others; the body at most 20 KB; 签名校验: "timestamp" (seconds, a string
    in the examples) and "sign" = base64(HmacSHA256(key = timestamp + "\\n" +
    secret, empty message)), the timestamp within 1 hour (3600 s) of now;
    100 requests a minute and 5 a second per bot, beyond that error 11232.
    """
    name = "feishu"
    prefix = "/open-apis/bot/v2/hook/"
    errors = {
        # Assumed: the guide does not say what another method gets.
        "method": (405, None, None),
        # Observed: sansan0/TrendRadar#278.
        "token": (200, 19001, "param invalid: incoming webhook access token invalid"),
        # 9499 "Bad Request": the guide's answer to a body unlike its examples
        # or over 20 KB. HTTP 400 as observed for 9499 on open.feishu.cn
        # (public developer notes); the content-type case is assumed.
        "content_type": (400, 9499, "Bad Request"),
        "too_large": (400, 9499, "Bad Request"),
        "not_json": (400, 9499, "Bad Request"),
        "content": (400, 9499, "Bad Request"),
        # 19021 and this message: the guide's 签名校验 section.
        "sign": (200, 19021, "sign match fail or timestamp is not within one hour from current time"),
        # Observed: cliii-one/FnDepot#22; for another msg_type the message is assumed.
        "msg_type_missing": (200, 19002, "params error, msg_type need"),
        "msg_type": (200, 19002, "params error, msg_type invalid"),
        # 11232 (the guide); msg and HTTP 200 observed in a public log (2025-09).
        # The service has also answered HTTP 400 {"code":9499,"msg":"too many
        # request"} to bursts (observed in public code comments).
        "rate": (200, 11232, "frequency limited psm[lark.oapi.app_platform_runtime]appID[1500]"),
    }

    def __init__(self, token, secret):
        self.hook_token = token
        self.secret = secret

    def matches(self, path):
        return path.startswith(self.prefix)

    def token(self, req):
        return req.path[len(self.prefix):]

    def ok(self):
        # The guide's success reply; "Extra", "StatusCode" and "StatusMessage"
        # are kept "用于兼容存量历史逻辑" (older replies carried only those).
        return {"code": 0, "msg": "success", "data": {}, "Extra": None, "StatusCode": 0, "StatusMessage": "success"}

    def answer(self, code, message):
        return {"code": code, "msg": message, "data": {}}

    def check_token(self, req):
        if self.hook_token is None or not hmac.compare_digest(self.token(req), self.hook_token):
            self.refuse("token", "wrong hook token")

    def check_message(self, req):
        if self.secret is not None:
            self.check_sign(req.body)
        msg_type = req.body.get("msg_type")
        if msg_type is None:
            self.refuse("msg_type_missing", "no msg_type")
        content = req.body.get("content")
        if msg_type == "text":
            if text_field(content, "text") is None:
                self.refuse("content", "content.text missing or empty")
        elif msg_type == "post":
            if not (isinstance(content, dict) and isinstance(content.get("post"), dict) and content["post"]):
                self.refuse("content", "content.post missing or empty")
        elif msg_type == "interactive":
            if not (isinstance(req.body.get("card"), dict) and req.body["card"]):
                self.refuse("content", "card missing or empty")
        else:
            self.refuse("msg_type", f"msg_type {msg_type!r}, not text, post or interactive")

    def check_sign(self, body):
        timestamp, sign = body.get("timestamp"), body.get("sign")
        # Assumed: a timestamp that is not a string of digits (the guide's
        # examples send a string) fails like a wrong one.
        if not is_digits(timestamp) or not isinstance(sign, str):
            self.refuse("sign", "timestamp (a string of digits) or sign missing")
        if abs(time.time() - int(timestamp)) > 3600:
            self.refuse("sign", f"timestamp {timestamp} not within 1 hour of now")
        expected = base64.b64encode(hmac_sha256(f"{timestamp}\n{self.secret}", b"")).decode("ascii")
        if not hmac.compare_digest(expected, sign):
            self.refuse("sign", "sign does not match")


class Webhook(Provider):
    """netwarden's generic webhook (daemon/notifier/signing/webhook_sign.h).

    POST the message's JSON to any path under /hook; with a secret, the header
    Netwarden-Signature: t=UNIX_SECONDS,v1=HEX where HEX is the lower-case hex
    HMAC-SHA256, keyed with the secret, of t + "." + the body's bytes, and t
    within 5 minutes of now. Any 2xx reply means delivered.
    """
    name = "webhook"
    errors = {
        "method": (405, None, None),
        "content_type": (415, None, None),
        "too_large": (413, None, None),
        "not_json": (400, None, None),
        "signature": (401, None, None),
        "field": (400, None, None),
        "rate": (429, None, None),
    }
    strings = ("target", "kind", "title", "text")

    def __init__(self, secret):
        self.secret = secret

    def matches(self, path):
        return path == "/hook" or path.startswith("/hook/")

    def token(self, req):
        return req.path

    def ok(self):
        return {"received": True}

    def answer(self, code, message):
        return {"code": code, "msg": message}

    def check_token(self, req):
        pass  # no credential in the URL

    def check_message(self, req):
        if self.secret is not None:
            self.check_signature(req)
        body = req.body
        if body.get("event") not in ("notification", "test"):
            self.refuse("field", "event is not \"notification\" or \"test\"")
        incident = body.get("incident")
        if not isinstance(incident, int) or isinstance(incident, bool):
            self.refuse("field", "incident is not an integer")
        if body["event"] == "test" and incident != 0:
            self.refuse("field", f"incident {incident} for a test, not 0")
        if body["event"] == "notification" and incident <= 0:
            self.refuse("field", f"incident {incident} for a notification, not positive")
        for key in self.strings:
            if not isinstance(body.get(key), str):
                self.refuse("field", f"{key} is not a string")

    def check_signature(self, req):
        header = req.headers.get("netwarden-signature")
        if header is None:
            self.refuse("signature", "no Netwarden-Signature header")
        pairs = [part.strip().partition("=") for part in header.split(",")]
        stamps = [value for name, _, value in pairs if name == "t"]
        signatures = [value for name, _, value in pairs if name == "v1"]
        if len(stamps) != 1 or not is_digits(stamps[0]) or not signatures:
            self.refuse("signature", f"malformed Netwarden-Signature {header!r}")
        if abs(time.time() - int(stamps[0])) > 300:
            self.refuse("signature", f"t={stamps[0]} not within 5 minutes of now")
        expected = hmac.new(self.secret.encode("utf-8"), stamps[0].encode("ascii") + b"." + req.raw,
                            hashlib.sha256).hexdigest()
        if not any(hmac.compare_digest(expected, s) for s in signatures):
            self.refuse("signature", "v1 does not match")


class Script:
    """What the tests asked (/_control) to do to the next requests."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.pending = {"fail": (0, 0), "errcode": (0, 0), "hold": (0, 0)}

    def set(self, action, count, value):
        with self.lock:
            self.pending[action] = (count, value)

    def take(self, action):
        """The value set for `action` if some of its count is left (using one), else None."""
        with self.lock:
            count, value = self.pending[action]
            if count <= 0:
                return None
            self.pending[action] = (count - 1, value)
            return value


class RateWindow:
    """At most `count` admitted requests per endpoint in any `seconds`."""

    def __init__(self, count, seconds):
        self.count = count
        self.seconds = seconds
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.times = collections.defaultdict(collections.deque)

    def admit(self, endpoint):
        now = time.monotonic()
        with self.lock:
            times = self.times[endpoint]
            while times and now - times[0] >= self.seconds:
                times.popleft()
            if len(times) >= self.count:
                return False
            times.append(now)
            return True


class JsonLines:
    def __init__(self, path):
        self.file = open(path, "a", encoding="utf-8")
        self.lock = threading.Lock()

    def write(self, entry):
        with self.lock:
            self.file.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self.file.flush()


class Receiver(http.server.ThreadingHTTPServer):
    def __init__(self, providers, rate, log):
        super().__init__(("127.0.0.1", 0), Handler)
        self.providers = providers
        self.rate = rate
        self.log = log
        self.script = Script()

    def route(self, path):
        return next((p for p in self.providers if p.matches(path)), None)

    def decide(self, provider, req):
        """The reply to a provider request: (HTTP status, JSON or None, why refused or None)."""
        status = self.script.take("fail")
        if status is not None:
            return status, None, "scripted failure"
        code = self.script.take("errcode")
        if code is not None:
            return 200, provider.answer(code, provider.message_for(code)), f"scripted errcode {code}"
        try:
            provider.check(req)
            if not self.rate.admit((provider.name, provider.token(req))):
                provider.refuse("rate", "rate limited")
        except Rejected as refusal:
            return refusal.status, refusal.reply, refusal.reason
        return 200, provider.ok(), None

    def handle_error(self, request, client_address):
        print(f"chat_receiver: {client_address}: {sys.exc_info()[1]!r}", file=sys.stderr)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        if "Transfer-Encoding" in self.headers:
            self.close_connection = True
            return self.reply(411, {"error": "send a Content-Length"})
        raw = self.read_body()
        if url.path.startswith("/_control/"):
            return self.control(url.path[len("/_control/"):], query)
        req = Request(self.command, url.path, query, {k.lower(): v for k, v in self.headers.items()}, raw)
        provider = self.server.route(url.path)
        if provider is None:
            status, reply, reason = 404, None, "no such endpoint"
        else:
            status, reply, reason = self.server.decide(provider, req)
        self.server.log.write({
            "provider": provider and provider.name, "accepted": reason is None, "reason": reason,
            "path": req.path, "query": req.query, "headers": req.headers,
            "body": req.body, "received_at": int(time.time() * 1000)})
        hold = self.server.script.take("hold") if provider else None
        if hold:
            time.sleep(hold)
        try:
            self.reply(status, reply)
        except OSError:  # the sender gave up (was killed) while the reply was held
            self.close_connection = True

    # A robot answers other methods itself (see each provider's "method").
    do_GET = do_PUT = do_DELETE = do_PATCH = do_POST

    def read_body(self):
        length = int(self.headers.get("Content-Length", "0"))
        if length > READ_LIMIT:
            self.close_connection = True
        return self.rfile.read(min(length, READ_LIMIT))

    def control(self, action, query):
        if self.command != "POST":
            return self.reply(405, {"error": "POST to /_control"})
        script = self.server.script
        try:
            count = int(query.get("count", "1"))
            if action == "fail":
                script.set("fail", count, int(query.get("status", "503")))
            elif action == "errcode":
                script.set("errcode", count, int(query["code"]))
            elif action == "hold":
                script.set("hold", count, float(query["seconds"]))
            elif action == "reset":
                script.reset()
                self.server.rate.reset()
            else:
                return self.reply(404, {"error": f"no control {action!r}"})
        except (KeyError, ValueError) as e:
            return self.reply(400, {"error": f"bad parameters: {e}"})
        self.reply(200, {"ok": True})

    def reply(self, status, body):
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass  # every request is in --log


def write_atomically(path, text):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def parse_rate(value):
    count, _, seconds = value.partition("/")
    try:
        return RateWindow(int(count), float(seconds))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not N/SECONDS") from None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", help="PEM certificate (not with --no-tls)")
    parser.add_argument("--key", help="PEM private key (not with --no-tls)")
    parser.add_argument("--no-tls", action="store_true", help="plain HTTP")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True, help="JSON lines, one per request")
    parser.add_argument("--wecom-key")
    parser.add_argument("--dingtalk-token")
    parser.add_argument("--dingtalk-secret", help="require 加签")
    parser.add_argument("--feishu-token")
    parser.add_argument("--feishu-secret", help="require 签名校验")
    parser.add_argument("--webhook-secret", help="require Netwarden-Signature")
    parser.add_argument("--rate", type=parse_rate, default="20/60",
                        help="accepted requests per endpoint per sliding window (default 20/60)")
    args = parser.parse_args()
    if not args.no_tls and not (args.cert and args.key):
        parser.error("--cert and --key are required without --no-tls")

    providers = [WeCom(args.wecom_key), DingTalk(args.dingtalk_token, args.dingtalk_secret),
                 Feishu(args.feishu_token, args.feishu_secret), Webhook(args.webhook_secret)]
    server = Receiver(providers, args.rate, JsonLines(args.log))
    if not args.no_tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        # The handshake happens in the request's thread, on its first read,
        # so a client that never completes one cannot stall accept().
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    write_atomically(args.port_file, f"{server.server_address[1]}\n")
    server.serve_forever()


if __name__ == "__main__":
    main()
