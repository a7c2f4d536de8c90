"""An IMAP session as a mail client does it, with Python's imaplib; asserts what it sees, prints OK.
usage: imap_flow.py IMAP_PORT IMAPS_PORT SMTP_PORT USER PASSWORD OTHER_USER OTHER_PASSWORD"""
import imaplib
import re
import sys
import uuid

from common import deliver, tls_context

imap_port, imaps_port, smtp_port = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
user, password, other, other_password = sys.argv[4:8]

# --- no password before TLS on the STARTTLS port
M = imaplib.IMAP4("127.0.0.1", imap_port)
assert "LOGINDISABLED" in M.capabilities, M.capabilities
assert "STARTTLS" in M.capabilities, M.capabilities
try:
    M.login(user, password)
    raise AssertionError("LOGIN accepted before STARTTLS")
except imaplib.IMAP4.error:
    pass
M.starttls(ssl_context=tls_context())
assert "LOGINDISABLED" not in M.capabilities, M.capabilities
try:
    M.login(user, "wrong-" + password)
    raise AssertionError("wrong password accepted")
except imaplib.IMAP4.error as e:
    assert "AUTHENTICATIONFAILED" in str(e), e
M.login(user, password)
typ, caps = M.capability()
caps = caps[0].decode().upper().split()
for c in ("IMAP4REV1", "IMAP4REV2", "UIDPLUS", "MOVE", "IDLE", "SPECIAL-USE", "NAMESPACE", "LITERAL+"):
    assert c in caps, (c, caps)

# --- folders: INBOX and the special-use ones
typ, lines = M.list()
assert typ == "OK", lines
listing = {}
for line in lines:
    m = re.match(rb'\((.*?)\) (?:"(.)"|NIL) "?([^"]*)"?$', line)
    assert m, line
    listing[m.group(3).decode()] = m.group(1).decode()
for name, use in (("Sent", "\\Sent"), ("Drafts", "\\Drafts"), ("Trash", "\\Trash"), ("Junk", "\\Junk"),
                  ("Archive", "\\Archive")):
    assert name in listing and use in listing[name], (name, listing)
assert "INBOX" in listing, listing

# --- a delivered message is found, fetched byte for byte, flagged, copied, moved
subject = "Quarterly " + uuid.uuid4().hex
sent = deliver(smtp_port, user, subject)
typ, data = M.select("INBOX")
assert typ == "OK", data
typ, data = M.uid("SEARCH", None, "SUBJECT", '"' + subject + '"')
uids = data[0].split()
assert len(uids) == 1, data
uid = uids[0].decode()
typ, data = M.uid("FETCH", uid, "(FLAGS RFC822.SIZE BODY.PEEK[])")
body = data[0][1]
assert body.endswith(sent), body[-300:]
assert b"\\Seen" not in data[0][0], data[0][0]
size = int(re.search(rb"RFC822\.SIZE (\d+)", data[0][0]).group(1))
assert size == len(body), (size, len(body))
typ, data = M.uid("FETCH", uid, "(BODYSTRUCTURE ENVELOPE)")
meta = data[0].decode() if isinstance(data[0], bytes) else b"".join(
    p if isinstance(p, bytes) else p[0] + p[1] for p in data).decode()
assert '"MIXED"' in meta.upper(), meta
assert "numbers.bin" in meta, meta
assert subject in meta, meta
typ, data = M.uid("FETCH", uid, "(BODY[1])")
assert data[0][1] == b"Hello, the quarterly numbers are attached.\r\n.a line that starts with a dot", data
typ, data = M.uid("FETCH", uid, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
assert data[0][1].strip() == ("Subject: " + subject).encode(), data
typ, data = M.uid("FETCH", uid, "(BODY.PEEK[]<0.10>)")
assert data[0][1] == body[:10], data
typ, data = M.uid("FETCH", uid, "(FLAGS)")
assert b"\\Seen" in data[0], data  # BODY[1] without PEEK set \Seen
typ, data = M.uid("STORE", uid, "+FLAGS", "(\\Flagged $Important)")
assert typ == "OK" and b"\\Flagged" in data[0] and b"$Important" in data[0], data
typ, data = M.uid("SEARCH", None, "FLAGGED", "KEYWORD", "$Important")
assert uid.encode() in data[0].split(), data
typ, data = M.uid("SEARCH", None, "UNFLAGGED")
assert uid.encode() not in data[0].split(), data
typ, data = M.uid("SEARCH", None, "BODY", "quarterly")
assert uid.encode() in data[0].split(), data
typ, data = M.uid("COPY", uid, "Archive")
assert typ == "OK", data
typ, data = M.response("COPYUID")
assert data and data[0], data
typ, data = M.uid("MOVE", uid, "Trash")
assert typ == "OK", data
typ, data = M.uid("SEARCH", None, "SUBJECT", '"' + subject + '"')
assert data[0].split() == [], data
typ, data = M.status("Archive", "(MESSAGES UIDNEXT UNSEEN)")
assert typ == "OK" and b"MESSAGES 1" in data[0], data
typ, data = M.select("Trash")
typ, data = M.uid("SEARCH", None, "SUBJECT", '"' + subject + '"')
assert len(data[0].split()) == 1, data
trash_uid = data[0].split()[0].decode()
M.uid("STORE", trash_uid, "+FLAGS.SILENT", "(\\Deleted)")
typ, data = M.expunge()
assert typ == "OK" and data and data[0], data
typ, data = M.uid("SEARCH", None, "ALL")
assert trash_uid.encode() not in data[0].split(), data

# --- APPEND stores exactly the bytes given
draft = ("From: " + user + "\r\nSubject: draft " + uuid.uuid4().hex + "\r\n\r\nnot finished\r\n").encode()
typ, data = M.append("Drafts", "(\\Draft)", None, draft)
assert typ == "OK" and b"APPENDUID" in data[0], data
M.select("Drafts", readonly=True)
appended_uid = re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1).decode()
typ, data = M.uid("FETCH", appended_uid, "(FLAGS BODY.PEEK[])")
assert data[0][1] == draft and b"\\Draft" in data[0][0], data

# --- hierarchy
assert M.create("Projects/2026")[0] == "OK"
typ, lines = M.list('""', "Projects*")
text = b"\n".join(lines)
assert b"Projects/2026" in text and b"\\HasChildren" in text, lines
assert M.rename("Projects", "Clients")[0] == "OK"
typ, lines = M.list('""', "Clients/*")
assert b"Clients/2026" in b"\n".join(lines), lines
assert M.delete("Clients/2026")[0] == "OK"
typ, data = M.delete("INBOX")
assert typ == "NO", data
typ, data = M.select("NoSuchFolder")
assert typ == "NO", data
M.logout()

# --- another user sees none of it, whatever the name
O = imaplib.IMAP4_SSL("127.0.0.1", imaps_port, ssl_context=tls_context())
O.login(other, other_password)
O.select("INBOX")
typ, data = O.uid("SEARCH", None, "SUBJECT", '"' + subject + '"')
assert data[0].split() == [], data
typ, data = O.uid("FETCH", uid, "(BODY.PEEK[])")
assert data == [None] or all(subject.encode() not in (p[1] if isinstance(p, tuple) else p) for p in data), data
for name in ("Archive", "../" + user + "/Archive", "/" + user + "/Archive", user + "/Archive", "#Users/" + user):
    typ, data = O.select('"' + name + '"')
    if typ == "OK":
        typ, data = O.uid("SEARCH", None, "SUBJECT", '"' + subject + '"')
        assert data[0].split() == [], (name, data)
O.logout()
print("OK")
