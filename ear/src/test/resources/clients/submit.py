"""Submits one message the way a mail client does (smtplib): port 587 with STARTTLS, or 465 with implicit TLS,
AUTH PLAIN, then MAIL/RCPT/DATA. Prints "OK <reply>" or "REFUSED <code> <text>" and exits 0 either way, so the
test can assert on the server's answer; exits 2 when the connection itself failed.

usage: submit.py starttls|implicit PORT USER PASSWORD MAIL_FROM HEADER_FROM RCPT[,RCPT...] SUBJECT [--no-from]
"""
import smtplib
import sys
import uuid

import common

mode, port, user, password, mail_from, header_from, rcpts, subject = sys.argv[1:9]
no_from = "--no-from" in sys.argv[9:]
rcpt_list = rcpts.split(",")
headers = []
if not no_from:
    headers.append("From: " + header_from)
headers.append("To: " + ", ".join(rcpt_list))
headers.append("Subject: " + subject)
# no Message-ID and no Date on purpose: the submission server adds them (RFC 6409 section 8)
body = "Hello from the submission test.\r\nA second line, and a dot line follows.\r\n.\r\nEnd.\r\n"
data = ("\r\n".join(headers) + "\r\n\r\n" + body).encode("utf-8")
try:
    if mode == "implicit":
        smtp = smtplib.SMTP_SSL("127.0.0.1", int(port), context=common.tls_context(), timeout=60)
        smtp.ehlo("client.example")
    else:
        smtp = smtplib.SMTP("127.0.0.1", int(port), timeout=60)
        smtp.ehlo("client.example")
        if not smtp.has_extn("starttls"):
            print("NO-STARTTLS")
            sys.exit(3)
        if smtp.has_extn("auth"):
            print("AUTH-BEFORE-TLS")
            sys.exit(3)
        smtp.starttls(context=common.tls_context())
        smtp.ehlo("client.example")
    smtp.login(user, password)
    try:
        refused = smtp.sendmail(mail_from, rcpt_list, data)
        print("OK", "refused=" + repr(refused))
    except smtplib.SMTPRecipientsRefused as e:
        code, text = list(e.recipients.values())[0]
        print("REFUSED", code, text.decode(errors="replace"))
    except smtplib.SMTPResponseException as e:
        print("REFUSED", e.smtp_code, e.smtp_error.decode(errors="replace"))
    smtp.quit()
except smtplib.SMTPAuthenticationError as e:
    print("REFUSED", e.smtp_code, e.smtp_error.decode(errors="replace"))
except (OSError, smtplib.SMTPException) as e:
    print("FAILED", repr(e))
    sys.exit(2)
