"""One IMAP step of the blob collection test (imaplib over TLS); the Java side watches the blob store between steps.

usage: blob_flow.py append IMAPS_PORT USER PASSWORD FILE      appends FILE's bytes to INBOX, prints its UID
       blob_flow.py expunge IMAPS_PORT USER PASSWORD UID      marks it \\Deleted and UID EXPUNGEs it, prints OK
       blob_flow.py fetch IMAPS_PORT USER PASSWORD UID FILE   BODY.PEEK[] must equal FILE's bytes, prints OK"""
import imaplib
import re
import sys

from common import tls_context

mode, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
M = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=tls_context())
M.login(user, password)
if mode == "append":
    with open(sys.argv[5], "rb") as f:
        content = f.read()
    typ, data = M.append("INBOX", None, None, content)
    assert typ == "OK" and b"APPENDUID" in data[0], data
    print(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1).decode())
elif mode == "expunge":
    uid = sys.argv[5]
    typ, data = M.select("INBOX")
    assert typ == "OK", data
    typ, data = M.uid("STORE", uid, "+FLAGS.SILENT", "(\\Deleted)")
    assert typ == "OK", data
    typ, data = M.uid("EXPUNGE", uid)
    assert typ == "OK", data
    typ, data = M.uid("SEARCH", None, "UID", uid)
    assert typ == "OK" and data[0].split() == [], data
    print("OK")
elif mode == "fetch":
    uid = sys.argv[5]
    with open(sys.argv[6], "rb") as f:
        content = f.read()
    typ, data = M.select("INBOX", readonly=True)
    assert typ == "OK", data
    typ, data = M.uid("FETCH", uid, "(RFC822.SIZE BODY.PEEK[])")
    assert typ == "OK" and data[0] is not None, data
    assert data[0][1] == content, (len(data[0][1]), len(content))
    print("OK")
else:
    raise SystemExit("unknown mode " + mode)
M.logout()
