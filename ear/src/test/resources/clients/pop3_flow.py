"""A POP3 session as a mail client does it, with Python's poplib; asserts what it sees, prints OK.
usage: pop3_flow.py POP3_PORT POP3S_PORT SMTP_PORT USER PASSWORD"""
import poplib
import socket
import sys
import time
import uuid

from common import deliver, tls_context

pop3_port, pop3s_port, smtp_port = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
user, password = sys.argv[4:6]
sent = [deliver(smtp_port, user, "pop " + uuid.uuid4().hex) for _ in range(3)]

P = poplib.POP3("127.0.0.1", pop3_port, timeout=30)
caps = P.capa()
assert "STLS" in caps and "UIDL" in caps and "TOP" in caps, caps
try:
    P.user(user)
    P.pass_(password)
    raise AssertionError("password accepted before STLS")
except poplib.error_proto:
    pass
P.stls(context=tls_context())
P.user(user)
try:
    P.pass_("wrong-" + password)
    raise AssertionError("wrong password accepted")
except poplib.error_proto as e:
    assert b"[AUTH]" in e.args[0], e
P.user(user)
P.pass_(password)

# a second session while this one holds the maildrop is refused
Q = poplib.POP3_SSL("127.0.0.1", pop3s_port, context=tls_context(), timeout=30)
Q.user(user)
try:
    Q.pass_(password)
    raise AssertionError("second session got the maildrop")
except poplib.error_proto as e:
    assert b"[IN-USE]" in e.args[0], e
Q.quit()

count, octets = P.stat()
assert count >= 3, count
resp, listings, _ = P.list()
assert len(listings) == count, listings
resp, uidls, _ = P.uidl()
uidl_by_number = dict(line.decode().split(" ", 1) for line in uidls)
assert len(set(uidl_by_number.values())) == count, uidls
last = count
resp, lines, size = P.retr(last)
got = b"\r\n".join(lines) + b"\r\n"
assert got.endswith(sent[-1]), got[-200:]
resp, head, _ = P.top(last, 0)
assert any(l.startswith(b"Subject: pop ") for l in head) and b"" in head, head
assert not any(l.startswith(b"Hello") for l in head), head
deleted_uidl = uidl_by_number[str(last)]
P.dele(last)
try:
    P.retr(last)
    raise AssertionError("deleted message still readable")
except poplib.error_proto:
    pass
P.quit()

# deletion applied at QUIT; a dropped session applies nothing
R = poplib.POP3_SSL("127.0.0.1", pop3s_port, context=tls_context(), timeout=30)
R.user(user)
R.pass_(password)
count2, _ = R.stat()
assert count2 == count - 1, (count, count2)
resp, uidls, _ = R.uidl()
assert deleted_uidl not in [line.decode().split(" ", 1)[1] for line in uidls], uidls
R.dele(1)
R.sock.shutdown(socket.SHUT_RDWR)  # the connection drops without QUIT: nothing is deleted
R.sock.close()

# the server notices the closed connection asynchronously: the maildrop may be busy for a moment
for attempt in range(50):
    S = poplib.POP3_SSL("127.0.0.1", pop3s_port, context=tls_context(), timeout=30)
    S.user(user)
    try:
        S.pass_(password)
        break
    except poplib.error_proto as e:
        assert b"[IN-USE]" in e.args[0], e
        S.quit()
        time.sleep(0.2)
count3, _ = S.stat()
assert count3 == count2, (count2, count3)
S.quit()
print("OK")
