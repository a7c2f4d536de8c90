"""An IDLE client hears about mail delivered over SMTP. Prints OK.
usage: imap_idle.py IMAPS_PORT SMTP_PORT USER PASSWORD"""
import imaplib
import re
import sys
import time

from common import deliver, tls_context

imaps_port, smtp_port = int(sys.argv[1]), int(sys.argv[2])
user, password = sys.argv[3:5]
M = imaplib.IMAP4_SSL("127.0.0.1", imaps_port, ssl_context=tls_context())
M.login(user, password)
typ, data = M.select("INBOX")
exists = int(data[0])
M.send(b"i1 IDLE\r\n")
line = M.readline()
assert line.startswith(b"+"), line
deliver(smtp_port, user, "idle test")
M.sock.settimeout(20)
seen = None
while seen is None:
    line = M.readline()
    assert line, "connection closed during IDLE"
    m = re.match(rb"\* (\d+) EXISTS", line)
    if m:
        seen = int(m.group(1))
assert seen == exists + 1, (seen, exists)
M.send(b"DONE\r\n")
while True:
    line = M.readline()
    if line.startswith(b"i1 "):
        assert line.startswith(b"i1 OK"), line
        break
M.logout()
print("OK")
