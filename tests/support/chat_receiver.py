#!/usr/bin/python3
"""A local stand-in for the chat robots and SMS services netwarden notifies, for its tests.

One HTTPS server on 127.0.0.1 (an ephemeral port, written to --port-file
once listening) takes each provider's requests at the provider's own path
and checks them the way the provider documents, answering with the
provider's own replies:

  /cgi-bin/webhook/send?key=K                    WeCom (企业微信) group robot
  /robot/send?access_token=T&timestamp=&sign=    DingTalk (钉钉) custom robot, 加签
  /open-apis/bot/v2/hook/T                       Feishu (飞书) custom bot, 签名校验
  /hook, /hook/...                               netwarden's generic signed webhook
  / with an X-TC-Action header                   Tencent Cloud SMS SendSms (TC3-HMAC-SHA256)
  / with Action in the query or form body        Alibaba Cloud SMS SendSms (RPC, signature V1)

(Both SMS APIs are served at "/", as at their own endpoints: Tencent's
signature covers the path and Alibaba's names "/", so a daemon's url setting
is "https://127.0.0.1:PORT/".)

Every request to those paths is appended to --log as one JSON line, flushed
at once, before the reply is sent:
  {"provider", "accepted", "reason" (why refused; null when accepted),
   "path", "query", "headers" (lower-case names), "body" (parsed JSON, or the
   fields of an application/x-www-form-urlencoded body, else null),
   "received_at" (Unix ms)}
For Tencent, "accepted" is false and "reason" names each number's code when
any number of a request was refused (a partial failure).

Tests steer it with POST /_control/... (never logged):
  fail?count=N&status=S     the next N requests get HTTP S, empty body
  errcode?count=N&code=C    the next N requests get the provider's error reply
                            carrying code C (a number for the robots, the
                            Code string for the SMS services, e.g.
                            isv.BUSINESS_LIMIT_CONTROL), with the HTTP status
                            the provider sends with it (200 for the robots)
  hold?count=N&seconds=S    the next N requests are logged, then their
                            reply waits S seconds
  reset                     forget the above, the rate windows and the SMS
                            per-number windows (not the Alibaba nonces used)

Like the providers, it refuses more than --rate N/SECONDS accepted requests
per endpoint (provider and token, or webhook path; AccessKeyId or SecretId
for SMS) in a sliding window; without --rate, 20/60 for the robots and the
SMS APIs' documented QPS (Alibaba 5000/1, Tencent 3000/1). The SMS services
also limit the messages to one number (--aliyun-number-rate,
--tencent-number-rate). Each provider's rules below cite the page they come
from; "observed" marks a reply seen from the live service in a public report
where the documentation gives none, "assumed" one that neither shows.
SIGTERM stops it.
"""
import argparse
import base64
import calendar
import collections
import hashlib
import hmac
import http.server
import json
import os
import random
import re
import ssl
import sys
import threading
import time
import urllib.parse
import uuid

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
    def __init__(self, method, path, query, headers, raw, raw_query=""):
        self.method = method
        self.path = path
        self.query = query          # name -> value, percent- and plus-decoded
        self.raw_query = raw_query  # the query string as sent
        self.headers = headers      # lower-case name -> value
        self.raw = raw              # the body's bytes
        self.body = parse_json(raw)
        # The (name, value) pairs of an application/x-www-form-urlencoded
        # body, percent- and plus-decoded; None for any other body.
        self.form_pairs = None
        if media_type(headers.get("content-type", ""))[0] == "application/x-www-form-urlencoded":
            self.form_pairs = urllib.parse.parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)

    def logged_body(self):
        return self.body if self.body is not None or self.form_pairs is None else dict(self.form_pairs)


def parse_json(raw):
    """The body's JSON value; None when it is not UTF-8 JSON."""
    def no_constants(name):
        raise ValueError(name)
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=no_constants)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None


def media_type(value):
    """(the media type, [charset values]) of a Content-Type value, lower-cased."""
    kind, *params = [part.strip().lower() for part in value.split(";")]
    return kind, [p.partition("=")[2].strip('"') for p in params if p.startswith("charset=")]


def is_json_content_type(value):
    """application/json, with no charset or charset=utf-8."""
    kind, charsets = media_type(value)
    return kind == "application/json" and all(c in ("utf-8", "utf8") for c in charsets)


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
    default_rate = (20, 60)  # accepted requests per endpoint per seconds, without --rate

    def matches(self, path):
        raise NotImplementedError

    def claims(self, req):
        """Whether this provider takes the request (by its path, unless overridden)."""
        return self.matches(req.path)

    def reset(self):
        """Forget what /_control/reset forgets (besides the rate window)."""

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

    def scripted(self, code, req):
        """(HTTP status, reply) for /_control/errcode?code=CODE."""
        return 200, self.answer(code, self.message_for(code))

    def accept(self, req):
        """(reply, why refused or None) to a request that passed check() and the rate window."""
        return self.ok(), None

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


# --- SMS services ------------------------------------------------------------------------------

def percent_encode(text):
    """Alibaba Cloud's percentEncode: UTF-8 bytes, all but A-Z a-z 0-9 - _ . ~ as %XY (space %20, * %2A)."""
    return urllib.parse.quote(text, safe="-_.~")


def aliyun_string_to_sign(method, params):
    """StringToSign of an RPC request: `params` is (name, value) pairs, Signature excluded."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def aliyun_signature(secret, string_to_sign):
    """Base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign))."""
    digest = hmac.new((secret + "&").encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def tc3_string_to_sign(timestamp, date, service, canonical_request):
    return (f"TC3-HMAC-SHA256\n{timestamp}\n{date}/{service}/tc3_request\n"
            f"{sha256_hex(canonical_request.encode('utf-8'))}")


def tc3_signature(secret_key, date, service, string_to_sign):
    """Lower-case hex HMAC-SHA256 keyed with the key derived from "TC3" + SecretKey, date and service."""
    def mac(key, message):
        return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()
    key = mac(mac(mac(("TC3" + secret_key).encode("utf-8"), date), service), "tc3_request")
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def utc_date(unix_seconds):
    return time.strftime("%Y-%m-%d", time.gmtime(unix_seconds))


def parse_windows(value):
    """"N/SECONDS[,N/SECONDS...]" as [(count, seconds)]."""
    try:
        windows = []
        for part in value.split(","):
            count, _, seconds = part.partition("/")
            windows.append((int(count), float(seconds)))
        if all(c > 0 and s > 0 for c, s in windows):
            return windows
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{value!r} is not N/SECONDS[,N/SECONDS...]")


class NumberWindows:
    """The messages submitted to each number: at most count per seconds in each window.

    Only submissions the service took are counted (Alibaba: "短信提交成功就会计入短信发送
    流控", 什么是短信发送流控限制?, https://help.aliyun.com/document_detail/2881383.html).
    """

    def __init__(self, windows):
        self.windows = windows
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.times = collections.defaultdict(collections.deque)

    def full(self, keys):
        """The first window (count, seconds) that `keys` (one per window) would overflow, else None."""
        now = time.monotonic()
        with self.lock:
            for (count, seconds), key in zip(self.windows, keys):
                times = self.times[(count, seconds, key)]
                while times and now - times[0] >= seconds:
                    times.popleft()
                if len(times) >= count:
                    return count, seconds
            return None

    def record(self, keys):
        now = time.monotonic()
        with self.lock:
            for (count, seconds), key in zip(self.windows, keys):
                self.times[(count, seconds, key)].append(now)


# Mainland mobile numbers as both SMS APIs take them: 11 digits starting with 1, optionally
# prefixed "+", "+86", "0086" or "86" (SendSms of either service, see below).
MAINLAND_MOBILE = re.compile(r"(?:\+86|0086|86|\+)?(1\d{10})")


class AliyunSms(Provider):
    """Alibaba Cloud SMS (阿里云短信服务), Dysmsapi 2017-05-25 SendSms, RPC style.

    V2版本RPC风格请求体&签名机制, https://help.aliyun.com/document_detail/315526.html
    (the same text: https://help.aliyun.com/document_detail/157269.html): GET or POST
    to the endpoint's "/"; common parameters Action, Version, Format (JSON or XML,
    default XML), AccessKeyId, SignatureNonce ("签名唯一随机数，用于防止网络重放攻击"),
    Timestamp (yyyy-MM-ddTHH:mm:ssZ, UTC), SignatureMethod "HMAC-SHA1",
    SignatureVersion "1.0", Signature. StringToSign = method + "&" +
    percentEncode("/") + "&" + percentEncode(the sorted, percent-encoded name=value
    pairs joined by "&", every parameter but Signature); Signature =
    Base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)). Parameters are
    read from the query and from an application/x-www-form-urlencoded POST body,
    both signed alike (netwarden's aliyun_rpc_sign signs one string used either way).
    SendSms - 发送短信, https://help.aliyun.com/document_detail/55284.html
    (https://help.aliyun.com/en/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms):
    PhoneNumbers (mainland: +/+86/0086/86 or no prefix and 11 digits, comma
    separated, at most 1000), SignName, TemplateCode (both approved ones of the
    account), TemplateParam (a JSON string, the template's variables);
    success {"Message":"OK","RequestId":..,"Code":"OK","BizId":..}.
    申请短信模板, https://help.aliyun.com/document_detail/108088.html: "单个变量的长度
    限制为1~35个字符". API错误码, https://help.aliyun.com/document_detail/101346.html
    (the isv.* codes); the gateway's codes: 管控OpenAPI的客户端公用错误码,
    https://developer.aliyun.com/ask/278265 (a copy of the OpenAPI gateway's
    table on Alibaba's developer community), and
    https://help.aliyun.com/en/document_detail/434846.html (the same gateway's
    table under Mobile Push, with the 15-minute rule). The isv.* codes come with
    HTTP 200 (observed: the bodies quoted below); the gateway's with 4xx and
    "HostId" and "Recommend" besides (observed: developer.aliyun.com/ask/11111).
    """
    name = "aliyun_sms"
    version = "2017-05-25"
    default_rate = (5000, 1)  # "单用户 QPS 限制为 5000/秒" (SendSms, 55284)
    max_numbers = 1000        # SendSms (55284)
    max_variable = 35         # characters, 申请短信模板 (108088)
    max_skew = 15 * 60        # InvalidTimeStamp.Expired: "more than 15 minutes" (434846); the
                              # signature page (315526) gives the Timestamp 31 minutes.
    common = ("Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion",
              "SignatureNonce", "Timestamp", "Signature")
    required = ("PhoneNumbers", "SignName", "TemplateCode")  # SendSms (55284)
    errors = {
        # UnsupportedHTTPMethod, 400 (278265); the message is 51132's ("This http
        # method not supported.", https://help.aliyun.com/document_detail/51132.html).
        "method": (400, "UnsupportedHTTPMethod", "This http method not supported."),
        # Assumed: a parameter given twice (the gateway's canonical string would be ambiguous).
        "duplicate": (400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."),
        "action": (404, "InvalidApi.NotFound", "Specified api is not found, please check your url and method."),
        # Missing{ParameterName}, 400 (278265, 434846), e.g. MissingPhoneNumbers.
        "missing": (400, "Missing{name}", "{name} is mandatory for this action."),
        # Invalid{ParameterName}, 400 (278265).
        "version": (400, "InvalidVersion", "Specified parameter Version is not valid."),
        # InvalidParameter.Format, 400 (278265: "仅支持 XML/JSON"). Stricter than the
        # service, which answers a missing Format (or XML) in XML: send Format=JSON.
        "format": (400, "InvalidParameter.Format", "Specified parameter format is not valid."),
        # 404 (278265); 434846 gives 400 for the same code.
        "key": (404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."),
        "signature_method": (400, "InvalidSignatureMethod", "Specified signature method is not valid."),
        # Assumed by the Invalid{ParameterName} pattern (278265).
        "signature_version": (400, "InvalidSignatureVersion", "Specified parameter SignatureVersion is not valid."),
        "timestamp_format": (400, "InvalidTimeStamp.Format",
                             "Specified time stamp or date value is not well formatted."),
        "stale": (400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."),
        "nonce": (400, "SignatureNonceUsed", "Specified signature nonce was used already."),
        # 400 (278265; 51132 and others give 403 for other products' gateways). The
        # live message goes on with " server string to sign is:" and the gateway's
        # StringToSign (observed, and so here).
        "signature": (400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."),
        # Throttling.User, 400 (278265): the --rate window per AccessKeyId.
        "rate": (400, "Throttling.User", "Request was denied due to user flow control."),
        # 101346: "该账号下找不到对应签名" / "...模板" (the official answers
        # developer.aliyun.com/ask/646412 and /648540 word them alike).
        "sign_name": (200, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名"),
        "template": (200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板"),
        # A variable the template lacks: isv.SMS_TEMPLATE_ILLEGAL, "请检查模板传入的变量值
        # 个数和模板实际的变量个数是否相符 ... 变量名称是否与模板对应变量的名称相符" (the
        # official answer, developer.aliyun.com/ask/648540).
        "template_variables": (200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板"),
        # A variable of the template not given: isv.TEMPLATE_MISSING_PARAMETERS (101346).
        "missing_variables": (200, "isv.TEMPLATE_MISSING_PARAMETERS", "模板变量中存在未赋值变量"),
        # TemplateParam not a JSON object of strings: isv.INVALID_JSON_PARAM, "JSON参数不
        # 合法，只接受字符串值" (101346).
        "json_param": (200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值"),
        # A variable over 35 characters: isv.PARAM_LENGTH_LIMIT (101346; observed,
        # feiyu563/prometheusalert#12).
        "variable_length": (200, "isv.PARAM_LENGTH_LIMIT", "参数超出长度限制"),
        # An empty variable: isv.TEMPLATE_PARAMS_ILLEGAL is "传入的变量内容和实际申请模板时
        # 变量所选择的属性类型不配" (developer.aliyun.com/ask/651530); its use for an empty
        # value (申请短信模板: 1~35 characters) is assumed.
        "variable_empty": (200, "isv.TEMPLATE_PARAMS_ILLEGAL", "模板变量里包含非法关键字"),
        "mobile": (200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号"),
        "mobile_count": (200, "isv.MOBILE_COUNT_OVER_LIMIT", "手机号码数量超过限制"),
        # isv.BUSINESS_LIMIT_CONTROL (101346), HTTP 200 and messages as observed
        # ("触发天级流控Permits:10", blog.csdn.net/weixin_39646711/article/details/104970198;
        # "触发分钟级流控Permits:1", blog.csdn.net/weixin_38091174/article/details/85129475).
        "number_rate": (200, "isv.BUSINESS_LIMIT_CONTROL", "触发{level}级流控Permits:{permits}"),
    }
    # The --aliyun-number-rate default: 通知短信 "使用同一个签名和同一个短信模板Code，对同一个手机
    # 号码发送短信通知，最多支持50条/天" (2881383, above; netwarden sends notifications). For
    # 验证码 it is "1条/分钟，5条/小时，10条/天": --aliyun-number-rate 1/60,5/3600,10/86400.
    default_number_rate = "50/86400"

    def __init__(self, key_id, secret, sign_name, template, variables, number_windows):
        self.key_id = key_id
        self.secret = secret
        self.sign_name = sign_name
        self.template = template
        self.variables = variables  # the template's variable names
        self.numbers = NumberWindows(number_windows)
        self.nonces = set()
        self.nonce_lock = threading.Lock()

    def claims(self, req):
        return req.path == "/" and "Action" in dict(self.pairs(req))

    @staticmethod
    def pairs(req):
        return urllib.parse.parse_qsl(req.raw_query, keep_blank_values=True) + (req.form_pairs or [])

    def token(self, req):
        return dict(self.pairs(req)).get("AccessKeyId", "")

    def reset(self):
        self.numbers.reset()

    def answer(self, code, message, status=200):
        reply = {"RequestId": str(uuid.uuid4()).upper(), "Message": message, "Code": code}
        if status != 200:
            reply["HostId"] = "dysmsapi.aliyuncs.com"
            reply["Recommend"] = f"https://api.aliyun.com/troubleshoot?q={code}&product=Dysmsapi"
        return reply

    def refuse(self, kind, reason, **fields):
        status, code, message = self.errors[kind]
        code, message = code.format(**fields), message.format(**fields)
        if kind == "signature":
            message += " server string to sign is:" + fields["string_to_sign"]
        raise Rejected(reason, status, self.answer(code, message, status))

    def scripted(self, code, req):
        for status, known, message in self.errors.values():
            if known == code:
                return status, self.answer(code, message.format(level="天", permits=10), status)
        if code.startswith("Missing") and code != "Missing":
            return 400, self.answer(code, f"{code[len('Missing'):]} is mandatory for this action.", 400)
        return 200, self.answer(code, "scripted error")

    def ok(self):
        biz_id = f"{random.randrange(10**17, 10**18)}^0"
        return {"Message": "OK", "RequestId": str(uuid.uuid4()).upper(), "Code": "OK", "BizId": biz_id}

    def check(self, req):
        if req.method not in ("GET", "POST"):
            self.refuse("method", f"method {req.method}, not GET or POST")
        pairs = self.pairs(req)
        names = [name for name, _ in pairs]
        for name in names:
            if names.count(name) > 1:
                self.refuse("duplicate", f"parameter {name} given twice")
        params = dict(pairs)
        if params.get("Action") != "SendSms":
            self.refuse("action", f"Action {params.get('Action')!r}, not SendSms")
        for name in self.common + self.required:
            if name != "Format" and not params.get(name):
                self.refuse("missing", f"no {name}", name=name)
        if params["Version"] != self.version:
            self.refuse("version", f"Version {params['Version']!r}, not {self.version}")
        if params.get("Format") != "JSON":
            self.refuse("format", f"Format {params.get('Format')!r}, not JSON")
        if self.key_id is None or not hmac.compare_digest(params["AccessKeyId"], self.key_id):
            self.refuse("key", f"AccessKeyId {params['AccessKeyId']!r} unknown")
        if params["SignatureMethod"] != "HMAC-SHA1":
            self.refuse("signature_method", f"SignatureMethod {params['SignatureMethod']!r}, not HMAC-SHA1")
        if params["SignatureVersion"] != "1.0":
            self.refuse("signature_version", f"SignatureVersion {params['SignatureVersion']!r}, not 1.0")
        self.check_timestamp(params["Timestamp"])
        string_to_sign = aliyun_string_to_sign(req.method, [(k, v) for k, v in pairs if k != "Signature"])
        if not hmac.compare_digest(aliyun_signature(self.secret, string_to_sign), params["Signature"]):
            self.refuse("signature", "Signature does not match", string_to_sign=string_to_sign)
        with self.nonce_lock:
            if params["SignatureNonce"] in self.nonces:
                self.refuse("nonce", f"SignatureNonce {params['SignatureNonce']!r} used before")
            self.nonces.add(params["SignatureNonce"])
        self.check_message(params)

    def check_timestamp(self, timestamp):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", timestamp):
            self.refuse("timestamp_format", f"Timestamp {timestamp!r} is not yyyy-MM-ddTHH:mm:ssZ")
        try:
            seconds = calendar.timegm(time.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ"))
        except ValueError:
            self.refuse("timestamp_format", f"Timestamp {timestamp!r} is no date")
        if abs(time.time() - seconds) > self.max_skew:
            self.refuse("stale", f"Timestamp {timestamp} not within 15 minutes of now")

    def check_message(self, params):
        if params["SignName"] != self.sign_name:
            self.refuse("sign_name", f"SignName {params['SignName']!r}, not {self.sign_name!r}")
        if params["TemplateCode"] != self.template:
            self.refuse("template", f"TemplateCode {params['TemplateCode']!r}, not {self.template!r}")
        numbers = params["PhoneNumbers"].split(",")
        if len(numbers) > self.max_numbers:
            self.refuse("mobile_count", f"{len(numbers)} numbers, over {self.max_numbers}")
        for number in numbers:
            if not MAINLAND_MOBILE.fullmatch(number):
                self.refuse("mobile", f"{number!r} is not a mainland mobile number")
        self.check_variables(params.get("TemplateParam"))

    def check_variables(self, template_param):
        if template_param is None:
            if self.variables:
                self.refuse("missing_variables", "no TemplateParam for a template with variables")
            return
        values = parse_json(template_param.encode("utf-8"))
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            self.refuse("json_param", "TemplateParam is not a JSON object of strings")
        missing = [name for name in self.variables if name not in values]
        if missing:
            self.refuse("missing_variables", f"TemplateParam lacks {', '.join(missing)}")
        extra = [name for name in values if name not in self.variables]
        if extra:
            self.refuse("template_variables", f"TemplateParam has {', '.join(extra)}, not in the template")
        for name, value in values.items():
            if not value:
                self.refuse("variable_empty", f"variable {name} is empty")
            if len(value) > self.max_variable:
                self.refuse("variable_length", f"variable {name} of {len(value)} characters, over 35")

    def accept(self, req):
        params = dict(self.pairs(req))
        numbers = [MAINLAND_MOBILE.fullmatch(n).group(1) for n in params["PhoneNumbers"].split(",")]
        for number in numbers:
            full = self.numbers.full([number] * len(self.numbers.windows))
            if full:
                count, seconds = full
                level = "分钟" if seconds <= 60 else "小时" if seconds <= 3600 else "天"
                self.refuse("number_rate", f"number {number} over {count}/{seconds:g}s",
                            level=level, permits=count)
        for number in numbers:
            self.numbers.record([number] * len(self.numbers.windows))
        return self.ok(), None


class TencentSms(Provider):
    """Tencent Cloud SMS (腾讯云短信), SendSms of API 2021-01-11, signed TC3-HMAC-SHA256.

    SendSms, https://cloud.tencent.com/document/api/382/55981: POST JSON
    {"PhoneNumberSet": [E.164 "+8613812345678", at most 200; mainland also
    0086/86/none + 11 digits], "SmsSdkAppId", "TemplateId", "SignName" (required
    for mainland messages), "TemplateParamSet": [strings], "ExtendCode",
    "SessionContext" (under 512 bytes, echoed), "SenderId"}; headers X-TC-Action
    SendSms, X-TC-Version 2021-01-11, X-TC-Region; success {"Response":
    {"SendStatusSet": [{"SerialNo", "PhoneNumber", "Fee", "SessionContext", "Code":
    "Ok", "Message": "send success", "IsoCode": "CN"}], "RequestId"}}, one status a
    number; its failure example gives a template-parameter count mismatch per
    number: Code "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
    Message "request content does not match the template content", Fee 0,
    SerialNo and IsoCode "".
    签名方法 v3, https://cloud.tencent.com/document/api/382/52072: CanonicalRequest =
    "POST\\n/\\n\\n" + the signed headers as "name:value\\n" (both lower-cased and
    trimmed, sorted) + "\\n" + SignedHeaders (content-type and host at least) + "\\n"
    + hex(SHA256(body)); StringToSign = "TC3-HMAC-SHA256\\n" + X-TC-Timestamp +
    "\\n" + Date + "/sms/tc3_request\\n" + hex(SHA256(CanonicalRequest)), Date the
    UTC date of X-TC-Timestamp; the key HMAC("TC3" + SecretKey, Date) -> service ->
    "tc3_request"; Authorization "TC3-HMAC-SHA256 Credential=SecretId/Date/sms/
    tc3_request, SignedHeaders=..., Signature=hex".
    返回结果 (every API 3.0 product, e.g. https://cloud.tencent.com/document/api/628/45176):
    "只要请求被服务端正常处理了，响应的 HTTP 状态码均为200", errors as {"Response":
    {"Error": {"Code", "Message"}, "RequestId"}}. The codes: 错误码,
    https://cloud.tencent.com/document/api/382/52075 (common and SendSms codes).
    """
    name = "tencent_sms"
    version = "2021-01-11"
    default_rate = (3000, 1)  # "默认接口请求频率限制：3000次/秒" (55981)
    max_numbers = 200         # 55981
    max_skew = 300            # AuthFailure.SignatureExpire: "相差不得超过五分钟" (52075)
    fields = {"PhoneNumberSet": list, "SmsSdkAppId": str, "TemplateId": str, "SignName": str,
              "TemplateParamSet": list, "ExtendCode": str, "SessionContext": str, "SenderId": str}
    errors = {
        # Assumed: neither page says what another method gets.
        "method": (405, None, None),
        # The common codes and their 说明 (52075).
        "authorization": (200, "AuthFailure.InvalidAuthorization", "请求头部的 Authorization 不符合腾讯云标准。"),
        "secret_id": (200, "AuthFailure.SecretIdNotFound",
                      "密钥不存在。请在控制台检查密钥是否已被删除或者禁用，如状态正常，请检查密钥是否填写正确，注意前后不得有空格。"),
        "stale": (200, "AuthFailure.SignatureExpire",
                  "签名过期。Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。"),
        # The message: the example of 52075 and of 返回结果.
        "signature": (200, "AuthFailure.SignatureFailure",
                      "The provided credentials could not be validated. Please check your signature is correct."),
        "action": (200, "InvalidAction", "接口不存在。"),
        "version": (200, "NoSuchVersion", "接口版本不存在。"),
        # MissingParameter "缺少参数。" (52075); for a missing header it is assumed.
        "missing": (200, "MissingParameter", "缺少参数错误，必传参数没填：{name}。"),
        # Observed for a body that is not JSON: tencentcloud-sdk-nodejs#36. For another
        # Content-Type (TC3 takes application/json, 52072) it is assumed.
        "not_json": (200, "InternalError.JsonParseFail", "request json body parse fail"),
        "unknown": (200, "UnknownParameter", "未知参数错误，用户多传未定义的参数会导致错误：{name}。"),
        # InvalidParameter; the message as observed (cloud.tencent.com/developer/ask/254297).
        "type": (200, "InvalidParameter", "参数 `{name}` 取值类型错误。"),
        "session_context": (200, "InvalidParameterValue", "参数取值错误：SessionContext 长度需小于512字节。"),
        "empty_numbers": (200, "MissingParameter.EmptyPhoneNumberSet", "传入的号码列表为空，请确认您的参数中是否传入号码。"),
        "number_count": (200, "LimitExceeded.PhoneNumberCountLimit",
                         "调用接口单次提交的手机号个数超过200个，请遵守 API 接口输入参数 PhoneNumberSet 描述。"),
        "app_id": (200, "UnauthorizedOperation.SmsSdkAppIdVerifyFail",
                   "SmsSdkAppId 校验失败，请检查 SmsSdkAppId 是否属于云API密钥的关联账户。"),
        # In Response.Error, not per number: as reported for SignName
        # (TencentCloud/tencentcloud-sdk-python#55, raised by the SDK, which raises
        # only on Error); for TemplateId assumed alike.
        "sign_name": (200, "FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误。"),
        "template": (200, "FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配。"),
        # The --rate window per SecretId: RequestLimitExceeded "请求的次数超过了频率限制。" (52075).
        "rate": (200, "RequestLimitExceeded", "请求的次数超过了频率限制。"),
    }
    # Per number, in SendStatusSet (a request's other numbers go on): the codes of
    # 52075; the Messages are assumed unless noted.
    number_errors = {
        "InvalidParameterValue.IncorrectPhoneNumber": "incorrect phone number",
        # The failure example of 55981.
        "FailedOperation.TemplateParamSetNotMatchApprovedTemplate":
            "request content does not match the template content",
        # "单个模板变量字符数超过12个，企业认证用户不限制单个变量值字数" (52075). Per number is
        # assumed, like TemplateParameterFormatError, observed per number
        # (overtrue/easy-sms#317, "Verification code template parameter format error").
        "InvalidParameterValue.TemplateParameterLengthLimit": "template parameter length limit",
        "InvalidParameterValue.TemplateParameterFormatError": "Verification code template parameter format error",
        # Per number as public client code reads them (SendStatusSet[i].Code); not
        # shown by the pages, so assumed, like the Messages.
        "LimitExceeded.PhoneNumberThirtySecondLimit": "phone number thirty second limit",
        "LimitExceeded.PhoneNumberOneHourLimit": "phone number one hour limit",
        "LimitExceeded.PhoneNumberDailyLimit": "phone number daily limit",
        "FailedOperation.PhoneNumberInBlacklist": "phone number in blacklist",
        "FailedOperation.InsufficientBalanceInSmsPackage": "insufficient balance in SMS package",
    }
    # The --tencent-number-rate default, 短信默认的频率限制: "同一号码同一内容30秒内最多发送1条；
    # 同一手机号一个自然日最多发送10条" (https://cloud.tencent.com/developer/techpedia/1295/8938;
    # enterprise accounts can change them in the console). A window of at most 30 s counts one number's
    # messages of the same content (template parameters) and refuses with
    # ...ThirtySecondLimit, one of at most an hour with ...OneHourLimit, longer ones
    # with ...DailyLimit (a sliding 24 h here, a calendar day there).
    default_number_rate = "1/30,10/86400"

    def __init__(self, secret_id, secret_key, app_id, sign_name, template, variable_count, variable_max,
                 number_windows):
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.app_id = app_id
        self.sign_name = sign_name
        self.template = template
        self.variable_count = variable_count
        # "个人认证用户创建的短信正文模板每个变量取值最多支持12个字。企业认证用户没有变量取值长度限制"
        # (正文模板审核标准, https://www.tencentcloud.com/zh/document/product/382/40659; the
        # cloud.tencent.com edition, 382/39023, refers to the console). 0: no limit.
        self.variable_max = variable_max
        self.numbers = NumberWindows(number_windows)

    def claims(self, req):
        return req.path == "/" and "x-tc-action" in req.headers

    def credential(self, req):
        match = re.fullmatch(r"TC3-HMAC-SHA256 Credential=([^/,\s]+)/([^/,\s]*)/([^/,\s]*)/tc3_request,\s*"
                             r"SignedHeaders=([^,\s]+),\s*Signature=([0-9A-Fa-f]+)",
                             req.headers.get("authorization", "").strip())
        return match and match.groups()  # (SecretId, date, service, signed headers, signature)

    def token(self, req):
        credential = self.credential(req)
        return credential[0] if credential else ""

    def reset(self):
        self.numbers.reset()

    def answer(self, code, message):
        return {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": str(uuid.uuid4())}}

    def refuse(self, kind, reason, **fields):
        status, code, message = self.errors[kind]
        raise Rejected(reason, status, None if code is None else self.answer(code, message.format(**fields)))

    def scripted(self, code, req):
        if code in self.number_errors:
            body = req.body if isinstance(req.body, dict) else {}
            numbers = body.get("PhoneNumberSet") if isinstance(body.get("PhoneNumberSet"), list) else []
            session = body.get("SessionContext", "") if isinstance(body.get("SessionContext"), str) else ""
            statuses = [self.status(str(n), code, session) for n in numbers or ["+8613800000000"]]
            return 200, {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}}
        return 200, self.answer(code, self.message_for(code).format(name="X"))

    def check(self, req):
        if req.method != "POST":
            self.refuse("method", f"method {req.method}, not POST")
        credential = self.credential(req)
        if not credential:
            self.refuse("authorization",
                        "Authorization is not TC3-HMAC-SHA256 Credential=.., SignedHeaders=.., Signature=..")
        secret_id, date, service, signed_headers, signature = credential
        if self.secret_id is None or not hmac.compare_digest(secret_id, self.secret_id):
            self.refuse("secret_id", f"SecretId {secret_id!r} unknown")
        timestamp = req.headers.get("x-tc-timestamp", "")
        if not is_digits(timestamp):
            self.refuse("missing", "no X-TC-Timestamp (integer seconds)", name="X-TC-Timestamp")
        if abs(time.time() - int(timestamp)) > self.max_skew:
            self.refuse("stale", f"X-TC-Timestamp {timestamp} not within 5 minutes of now")
        self.check_signature(req, int(timestamp), date, service, signed_headers, signature)
        if req.headers["x-tc-action"] != "SendSms":
            self.refuse("action", f"X-TC-Action {req.headers['x-tc-action']!r}, not SendSms")
        if req.headers.get("x-tc-version") != self.version:
            self.refuse("version", f"X-TC-Version {req.headers.get('x-tc-version')!r}, not {self.version}")
        if not req.headers.get("x-tc-region"):
            self.refuse("missing", "no X-TC-Region", name="X-TC-Region")
        if not is_json_content_type(req.headers.get("content-type", "")) or not isinstance(req.body, dict):
            self.refuse("not_json", "body is not a UTF-8 JSON object sent as application/json")
        self.check_message(req.body)

    def check_signature(self, req, timestamp, date, service, signed_headers, signature):
        names = signed_headers.split(";")
        if names != sorted(set(names)) or not {"content-type", "host"} <= set(names):
            self.refuse("signature", f"SignedHeaders {signed_headers!r}: not sorted and unique, "
                        "or without content-type and host")
        if date != utc_date(timestamp) or service != "sms":
            self.refuse("signature", f"credential scope {date}/{service}, not {utc_date(timestamp)}/sms "
                        "(the UTC date of X-TC-Timestamp)")
        if any(name not in req.headers for name in names):
            self.refuse("signature", "a signed header is missing")
        canonical_headers = "".join(f"{name}:{req.headers[name].strip().lower()}\n" for name in names)
        canonical_request = f"POST\n/\n\n{canonical_headers}\n{signed_headers}\n{sha256_hex(req.raw)}"
        string_to_sign = tc3_string_to_sign(timestamp, date, "sms", canonical_request)
        expected = tc3_signature(self.secret_key, date, "sms", string_to_sign)
        if not hmac.compare_digest(expected, signature):
            self.refuse("signature", "Signature does not match; the receiver's StringToSign: "
                        + string_to_sign.replace("\n", "\\n"))

    def check_message(self, body):
        for name, value in body.items():
            if name not in self.fields:
                self.refuse("unknown", f"unknown parameter {name}", name=name)
            if not isinstance(value, self.fields[name]):
                self.refuse("type", f"{name} is not a {self.fields[name].__name__}", name=name)
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if not isinstance(item, str):
                        self.refuse("type", f"{name}.{i} is not a string", name=f"{name}.{i}")
        for name in ("PhoneNumberSet", "SmsSdkAppId", "TemplateId"):
            if name not in body:
                self.refuse("missing", f"no {name}", name=name)
        if len(body.get("SessionContext", "").encode("utf-8")) >= 512:
            self.refuse("session_context", "SessionContext of 512 bytes or more")
        if not body["PhoneNumberSet"]:
            self.refuse("empty_numbers", "PhoneNumberSet is empty")
        if len(body["PhoneNumberSet"]) > self.max_numbers:
            self.refuse("number_count", f"{len(body['PhoneNumberSet'])} numbers, over {self.max_numbers}")
        if self.app_id is None or body["SmsSdkAppId"] != self.app_id:
            self.refuse("app_id", f"SmsSdkAppId {body['SmsSdkAppId']!r}, not {self.app_id!r}")
        if body.get("SignName") != self.sign_name:
            self.refuse("sign_name", f"SignName {body.get('SignName')!r}, not {self.sign_name!r}")
        if body["TemplateId"] != self.template:
            self.refuse("template", f"TemplateId {body['TemplateId']!r}, not {self.template!r}")

    def status(self, number, code, session):
        ok = code == "Ok"
        return {"SerialNo": f"2645:{random.randrange(10**27, 10**28)}" if ok else "", "PhoneNumber": number,
                "Fee": 1 if ok else 0, "SessionContext": session, "Code": code,
                "Message": "send success" if ok else self.number_errors[code], "IsoCode": "CN" if ok else ""}

    def template_error(self, params):
        if len(params) != self.variable_count:
            return "FailedOperation.TemplateParamSetNotMatchApprovedTemplate"
        if self.variable_max and any(len(p) > self.variable_max for p in params):
            return "InvalidParameterValue.TemplateParameterLengthLimit"
        return None

    def window_code(self, seconds):
        if seconds <= 30:
            return "LimitExceeded.PhoneNumberThirtySecondLimit"
        return "LimitExceeded.PhoneNumberOneHourLimit" if seconds <= 3600 else "LimitExceeded.PhoneNumberDailyLimit"

    def accept(self, req):
        body = req.body
        params = body.get("TemplateParamSet", [])
        content = json.dumps(params, ensure_ascii=False)
        session = body.get("SessionContext", "")
        template_error = self.template_error(params)
        statuses = []
        for given in body["PhoneNumberSet"]:
            match = MAINLAND_MOBILE.fullmatch(given)
            # A bare or 0086/86 number is answered as +86 (55981: "前缀默认为+86").
            number = "+86" + match.group(1) if match else given
            code = "InvalidParameterValue.IncorrectPhoneNumber" if not match else template_error
            if code is None:
                keys = [(number, content) if s <= 30 else number for _, s in self.numbers.windows]
                full = self.numbers.full(keys)
                if full:
                    code = self.window_code(full[1])
                else:
                    self.numbers.record(keys)
                    code = "Ok"
            statuses.append(self.status(number, code, session))
        refused = [f"{s['PhoneNumber']}: {s['Code']}" for s in statuses if s["Code"] != "Ok"]
        reply = {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}}
        return reply, "; ".join(refused) or None


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
        """`rate`: a RateWindow for every endpoint, or None for each provider's default_rate."""
        super().__init__(("127.0.0.1", 0), Handler)
        self.providers = providers
        self.rates = {p.name: rate or RateWindow(*p.default_rate) for p in providers}
        self.log = log
        self.script = Script()

    def route(self, req):
        return next((p for p in self.providers if p.claims(req)), None)

    def reset(self):
        self.script.reset()
        for window in set(self.rates.values()):
            window.reset()
        for provider in self.providers:
            provider.reset()

    def decide(self, provider, req):
        """The reply to a provider request: (HTTP status, JSON or None, why refused or None)."""
        status = self.script.take("fail")
        if status is not None:
            return status, None, "scripted failure"
        code = self.script.take("errcode")
        if code is not None:
            status, reply = provider.scripted(code, req)
            return status, reply, f"scripted errcode {code}"
        try:
            provider.check(req)
            if not self.rates[provider.name].admit((provider.name, provider.token(req))):
                provider.refuse("rate", "rate limited")
            reply, reason = provider.accept(req)
        except Rejected as refusal:
            return refusal.status, refusal.reply, refusal.reason
        return 200, reply, reason

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
        req = Request(self.command, url.path, query, {k.lower(): v for k, v in self.headers.items()}, raw, url.query)
        provider = self.server.route(req)
        if provider is None:
            status, reply, reason = 404, None, "no such endpoint"
        else:
            status, reply, reason = self.server.decide(provider, req)
        self.server.log.write({
            "provider": provider and provider.name, "accepted": reason is None, "reason": reason,
            "path": req.path, "query": req.query, "headers": req.headers,
            "body": req.logged_body(), "received_at": int(time.time() * 1000)})
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
                # A number for the robots, the Code string for the SMS services.
                code = query["code"]
                script.set("errcode", count, int(code) if re.fullmatch(r"-?\d+", code) else code)
            elif action == "hold":
                script.set("hold", count, float(query["seconds"]))
            elif action == "reset":
                self.server.reset()
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
    parser.add_argument("--aliyun-key-id", help="the AccessKeyId Alibaba Cloud SMS knows")
    parser.add_argument("--aliyun-secret", default="", help="its AccessKeySecret")
    parser.add_argument("--aliyun-sign-name", help="the approved SignName")
    parser.add_argument("--aliyun-template", help="the approved TemplateCode")
    parser.add_argument("--aliyun-template-vars", default="",
                        help="the template's variable names, comma separated (default: none)")
    parser.add_argument("--aliyun-number-rate", type=parse_windows, default=AliyunSms.default_number_rate,
                        help="messages per number per sliding window, N/SECONDS[,...] "
                             f"(default {AliyunSms.default_number_rate}, notification templates)")
    parser.add_argument("--tencent-secret-id", help="the SecretId Tencent Cloud SMS knows")
    parser.add_argument("--tencent-secret-key", default="", help="its SecretKey")
    parser.add_argument("--tencent-app-id", help="the SmsSdkAppId")
    parser.add_argument("--tencent-sign-name", help="the approved SignName")
    parser.add_argument("--tencent-template", help="the approved TemplateId")
    parser.add_argument("--tencent-template-vars", type=int, default=0,
                        help="how many parameters the template takes (default 0)")
    parser.add_argument("--tencent-var-max", type=int, default=12,
                        help="characters per template parameter, 0 for no limit (default 12, a "
                             "personal account's; enterprise accounts have none)")
    parser.add_argument("--tencent-number-rate", type=parse_windows, default=TencentSms.default_number_rate,
                        help="messages per number per sliding window, N/SECONDS[,...] "
                             f"(default {TencentSms.default_number_rate})")
    parser.add_argument("--rate", type=parse_rate,
                        help="accepted requests per endpoint per sliding window (default 20/60 for the "
                             "robots, 5000/1 for Alibaba SMS, 3000/1 for Tencent SMS)")
    args = parser.parse_args()
    if not args.no_tls and not (args.cert and args.key):
        parser.error("--cert and --key are required without --no-tls")

    aliyun_vars = [name.strip() for name in args.aliyun_template_vars.split(",") if name.strip()]
    providers = [WeCom(args.wecom_key), DingTalk(args.dingtalk_token, args.dingtalk_secret),
                 Feishu(args.feishu_token, args.feishu_secret), Webhook(args.webhook_secret),
                 TencentSms(args.tencent_secret_id, args.tencent_secret_key, args.tencent_app_id,
                            args.tencent_sign_name, args.tencent_template, args.tencent_template_vars,
                            args.tencent_var_max, args.tencent_number_rate),
                 AliyunSms(args.aliyun_key_id, args.aliyun_secret, args.aliyun_sign_name, args.aliyun_template,
                           aliyun_vars, args.aliyun_number_rate)]
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
