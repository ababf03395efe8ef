#!/usr/bin/python3
"""A real SMTP server (aiosmtpd) on loopback for netwarden's tests.

Started by tests/support/smtp_server.cc. Every accepted message is saved in
--dir as NNNNNN.eml (the bytes received after DATA, dot-unstuffed, CRLF line
ends) with NNNNNN.envelope beside it (MAIL FROM on the first line, one RCPT
TO per following line). The .envelope is written first and the .eml is
renamed into place before the 250 reply, so a client that was told "sent"
finds the file. --dir/ready appears once the port is bound. SIGTERM stops it.
"""
import argparse
import asyncio
import logging
import os
import signal
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    def __init__(self, directory, reject_recipients, defer_data, hold_reply):
        self.directory = directory
        self.reject_recipients = reject_recipients
        self.defer_data = defer_data
        self.hold_reply = hold_reply
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_recipients:
            return "550 5.1.1 <%s>: Recipient address rejected" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.defer_data:
            return "451 4.3.0 Temporary failure, try again later"
        self.count += 1
        base = os.path.join(self.directory, "%06d" % self.count)
        with open(base + ".envelope", "w", encoding="utf-8") as f:
            f.write("\n".join([envelope.mail_from] + envelope.rcpt_tos) + "\n")
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        # Saved but not yet acknowledged: a client killed now never learns
        # that the message went through.
        await asyncio.sleep(self.hold_reply)
        return "250 2.0.0 OK queued as %06d" % self.count


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False)  # let aiosmtpd send 535 on failure
    return authenticate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth", help="user:password; AUTH PLAIN/LOGIN is then required")
    parser.add_argument("--reject-recipients", action="store_true")
    parser.add_argument("--defer-data", action="store_true")
    parser.add_argument("--hold-reply", type=float, default=0.0,
                        help="seconds between saving a message and the 250 reply")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    handler = Recorder(args.dir, args.reject_recipients, args.defer_data, args.hold_reply)
    smtp_options = {"hostname": "localhost"}  # no getfqdn(): it may wait on DNS
    if context and not args.implicit_tls:
        smtp_options.update(tls_context=context, require_starttls=args.require_starttls)
    if args.auth:
        user, _, password = args.auth.partition(":")
        # aiosmtpd only knows of TLS it started itself (STARTTLS); with
        # implicit TLS every connection is encrypted already.
        smtp_options.update(authenticator=authenticator_for(user, password), auth_required=True,
                            auth_require_tls=context is not None and not args.implicit_tls)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, loop=loop, **smtp_options), host="127.0.0.1", port=args.port,
        ssl=context if args.implicit_tls else None))
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    with open(os.path.join(args.dir, "ready"), "w") as f:
        f.write(str(args.port))
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
