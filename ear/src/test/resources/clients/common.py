"""Helpers shared by the client scripts the end-to-end tests run (Python standard library only)."""
import smtplib
import ssl
import uuid


def tls_context():
    # the server's certificate is self-signed in tests
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def message(to, subject):
    """A multipart message with an attachment, CRLF line ends, as bytes."""
    boundary = "b-" + uuid.uuid4().hex
    return ("From: Sender <sender@example.org>\r\n"
            "To: " + to + "\r\n"
            "Subject: " + subject + "\r\n"
            "Message-ID: <" + uuid.uuid4().hex + "@example.org>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n"
            "\r\n"
            "--" + boundary + "\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "Hello, the quarterly numbers are attached.\r\n"
            ".a line that starts with a dot\r\n"
            "--" + boundary + "\r\n"
            "Content-Type: application/octet-stream; name=\"numbers.bin\"\r\n"
            "Content-Disposition: attachment; filename=\"numbers.bin\"\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "\r\n"
            "AAECAwQFBgcICQ==\r\n"
            "--" + boundary + "--\r\n").encode("ascii")


def deliver(smtp_port, to, subject):
    """Sends a message over SMTP (the MX port, no authentication needed for a local recipient)."""
    data = message(to, subject)
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as s:
        s.sendmail("sender@example.org", [to], data)
    return data
