"""Two-way sync with mbsync (isync) between a local Maildir and the server, across several folders, then
re-syncs after flag changes and deletions on both sides; asserts no duplicates and no losses. Prints OK.
usage: mbsync_flow.py IMAPS_PORT SMTP_PORT USER PASSWORD WORKDIR"""
import imaplib
import os
import re
import smtplib
import subprocess
import sys
import uuid

from common import message, tls_context

imaps_port, smtp_port = int(sys.argv[1]), int(sys.argv[2])
user, password, work = sys.argv[3], sys.argv[4], sys.argv[5]
INBOX_COUNT, WORK_COUNT, LOCAL_COUNT = 200, 60, 40
os.makedirs(work, exist_ok=True)
maildir = os.path.join(work, "mail")

# the server's self-signed certificate, which mbsync must be told to trust
pem = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % imaps_port, "-showcerts"],
                     input=b"", capture_output=True, timeout=30).stdout
cert = re.search(rb"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", pem, re.S).group(0)
with open(os.path.join(work, "server.pem"), "wb") as f:
    f.write(cert + b"\n")
with open(os.path.join(work, "mbsyncrc"), "w") as f:
    f.write("""IMAPAccount merpati
Host 127.0.0.1
Port %d
User %s
Pass %s
SSLType IMAPS
CertificateFile %s

IMAPStore remote
Account merpati

MaildirStore local
Path %s/
Inbox %s/INBOX
SubFolders Verbatim

Channel all
Far :remote:
Near :local:
Patterns INBOX Work Local
Create Both
Expunge Both
SyncState *
""" % (imaps_port, user, password, os.path.join(work, "server.pem"), maildir, maildir))


def mbsync():
    r = subprocess.run(["mbsync", "-c", os.path.join(work, "mbsyncrc"), "-a"], capture_output=True, timeout=600)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)


def local_files(folder):
    d = os.path.join(maildir, folder)
    return [os.path.join(d, sub, n) for sub in ("cur", "new") if os.path.isdir(os.path.join(d, sub))
            for n in os.listdir(os.path.join(d, sub))]


def message_id(path):
    with open(path, "rb") as f:
        for line in f:
            if line.lower().startswith(b"message-id:"):
                return line.split(b":", 1)[1].strip()
            if line in (b"\r\n", b"\n"):
                return None


def server_ids(M, folder):
    typ, data = M.select(folder)
    assert typ == "OK", (folder, data)
    typ, data = M.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    result = {}
    for item in data:
        if isinstance(item, tuple):
            mid = item[1].split(b":", 1)[1].strip()
            assert mid not in result, ("duplicate on server", folder, mid)
            result[mid] = item[0]
    return result


def assert_same(M, folder, expected):
    remote = server_ids(M, folder)
    local = [message_id(p) for p in local_files(folder)]
    assert len(local) == len(set(local)), ("duplicate in Maildir", folder)
    assert set(local) == set(remote), (folder, len(local), len(remote))
    assert len(local) == expected, (folder, len(local), expected)
    return remote


# mail on the server: INBOX by SMTP, Work by APPEND; mail only in the Maildir: Local
with smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as s:
    for i in range(INBOX_COUNT):
        s.sendmail("sender@example.org", [user], message(user, "inbox %d %s" % (i, uuid.uuid4().hex)))
M = imaplib.IMAP4_SSL("127.0.0.1", imaps_port, ssl_context=tls_context())
M.login(user, password)
M.create("Work")
for i in range(WORK_COUNT):
    M.append("Work", None, None, message(user, "work %d" % i))
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(maildir, "Local", sub), exist_ok=True)
for i in range(LOCAL_COUNT):
    with open(os.path.join(maildir, "Local", "cur", "%d.%s.local:2,S" % (i, uuid.uuid4().hex)), "wb") as f:
        f.write(message(user, "local %d" % i))

mbsync()
assert_same(M, "INBOX", INBOX_COUNT)
assert_same(M, "Work", WORK_COUNT)
assert_same(M, "Local", LOCAL_COUNT)

# changes on the server: flag 10, delete 5 in INBOX
M.select("INBOX")
typ, data = M.uid("SEARCH", None, "ALL")
uids = data[0].split()
M.uid("STORE", b",".join(uids[:10]).decode(), "+FLAGS", "(\\Flagged)")
M.uid("STORE", b",".join(uids[10:15]).decode(), "+FLAGS", "(\\Deleted)")
M.expunge()
flagged_ids = set()
typ, data = M.uid("FETCH", b",".join(uids[:10]).decode(), "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
for item in data:
    if isinstance(item, tuple):
        flagged_ids.add(item[1].split(b":", 1)[1].strip())
# changes in the Maildir: mark 10 of Work seen, delete 5 of Work
work_files = sorted(local_files("Work"))
seen_ids = set()
for p in work_files[:10]:
    seen_ids.add(message_id(p))
    base = p.split(":2,")[0] if ":2," in p else p
    flags = p.split(":2,")[1] if ":2," in p else ""
    target = os.path.join(maildir, "Work", "cur", os.path.basename(base) + ":2," + "".join(sorted(set(flags + "S"))))
    os.rename(p, target)
for p in work_files[10:15]:
    os.remove(p)

mbsync()
inbox = assert_same(M, "INBOX", INBOX_COUNT - 5)
work_remote = assert_same(M, "Work", WORK_COUNT - 5)
for p in local_files("INBOX"):
    if message_id(p) in flagged_ids:
        assert ":2," in p and "F" in p.split(":2,")[1], p
for mid in seen_ids:
    assert b"\\Seen" in work_remote[mid], (mid, work_remote[mid])

# a third run changes nothing
mbsync()
assert_same(M, "INBOX", INBOX_COUNT - 5)
assert_same(M, "Work", WORK_COUNT - 5)
assert_same(M, "Local", LOCAL_COUNT)
M.logout()
print("OK")
