"""Public folders (the IMAP "Shared/" namespace) as mail clients see them, with Python's imaplib over TLS;
asserts what each user sees, prints OK. The administrator has already created the folder and set its ACL.

usage: shared_folders.py access IMAPS_PORT FOLDER WRITER PASSWORD READER PASSWORD STRANGER PASSWORD DOMAIN
         WRITER has lrswipkxtea on Shared/FOLDER, READER only what "anyone" has (lrs), STRANGER is of another
         domain; DOMAIN is the folder's domain (its pseudo-account "@DOMAIN" must not log in)
       shared_folders.py gone IMAPS_PORT FOLDER USER PASSWORD
         the folder was deleted: USER neither lists nor selects it"""
import imaplib
import re
import sys
import uuid

from common import tls_context


def connect(port, user, password):
    m = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=tls_context())
    m.login(user, password)
    return m


def listed(m, pattern):
    typ, lines = m.list('""', pattern)
    assert typ == "OK", lines
    names = []
    for line in lines:
        if line is None:
            continue
        match = re.match(rb'\((.*?)\) (?:"(.)"|NIL) "?([^"]*)"?$', line)
        assert match, line
        names.append(match.group(3).decode())
    return names


def refused(result, code=None):
    typ, data = result
    assert typ == "NO", (typ, data)
    if code:
        assert code in data[0], (code, data)


def access(port, folder, writer, writer_pw, reader, reader_pw, stranger, stranger_pw, domain):
    mailbox = "Shared/" + folder
    quoted = '"' + mailbox + '"'

    # --- the writer: NAMESPACE, LIST, APPEND with the "i" right
    w = connect(port, writer, writer_pw)
    typ, data = w.namespace()
    assert typ == "OK", data
    assert b'(("Shared/" "/"))' in data[0], data
    assert mailbox in listed(w, "Shared/*"), listed(w, "Shared/*")
    typ, data = w.myrights(quoted)
    assert typ == "OK" and b"i" in data[0].split()[-1], data
    subject = "Public " + uuid.uuid4().hex
    message = ("From: " + writer + "\r\nTo: team@" + domain + "\r\nSubject: " + subject + "\r\n"
               "Message-ID: <" + uuid.uuid4().hex + "@" + domain + ">\r\n\r\nPosted to the public folder.\r\n").encode()
    typ, data = w.append(quoted, None, None, message)
    assert typ == "OK" and b"APPENDUID" in data[0], data
    appended_uid = re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1)
    # only administrators create top-level public folders
    refused(w.create('"Shared/New ' + uuid.uuid4().hex[:6] + '"'))
    w.logout()

    # --- another user of the domain (anyone: lrs) sees, fetches and searches it, but cannot add to it
    r = connect(port, reader, reader_pw)
    assert mailbox in listed(r, "Shared/*"), listed(r, "Shared/*")
    typ, data = r.select(quoted)
    assert typ == "OK", data
    typ, data = r.uid("SEARCH", None, "SUBJECT", '"' + subject + '"')
    assert typ == "OK" and data[0].split() == [appended_uid], (data, appended_uid)
    typ, data = r.uid("FETCH", appended_uid, "(FLAGS RFC822.SIZE BODY.PEEK[])")
    assert typ == "OK" and data[0][1] == message, data
    typ, data = r.uid("SEARCH", None, "BODY", "public")
    assert appended_uid in data[0].split(), data
    # imaplib answers [QUOTAROOT lines, QUOTA lines]. The public folders' root "Shared" has no limit (none can
    # be set yet), and a root without a limit is not reported; the user's own INBOX names its limited root ""
    typ, data = r.getquotaroot(quoted)
    assert typ == "OK", data
    assert data == [[b'"' + mailbox.encode() + b'"'], [None]], data
    typ, data = r.getquotaroot("INBOX")
    assert typ == "OK" and data[0] in ([b'INBOX ""'], [b'"INBOX" ""']), data
    assert data[1][0].startswith(b'"" (STORAGE '), data
    typ, data = r.append(quoted, None, None, b"Subject: not allowed\r\n\r\nno i right\r\n")
    assert typ == "NO", data
    refused(r.create('"Shared/New ' + uuid.uuid4().hex[:6] + '"'))
    r.logout()

    # --- a user of another domain: nothing to see, and the name does not reach the other domain's folder
    s = connect(port, stranger, stranger_pw)
    typ, data = s.namespace()
    assert typ == "OK" and b'(("Shared/" "/"))' in data[0], data
    assert listed(s, "Shared/*") == [], listed(s, "Shared/*")
    assert listed(s, "*") and all(not n.startswith("Shared") for n in listed(s, "*")), listed(s, "*")
    typ, data = s.select(quoted)
    assert typ == "NO" and b"[NONEXISTENT]" in data[0], data
    typ, data = s.status(quoted, "(MESSAGES)")
    assert typ == "NO", data
    s.logout()

    # --- the pseudo-account that owns the folders is no login, whatever the password
    for password in ("x", writer_pw, "!"):
        p = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=tls_context())
        try:
            p.login("@" + domain, password)
            raise AssertionError("the public folders' pseudo-account logged in with " + repr(password))
        except imaplib.IMAP4.error as e:
            assert "AUTHENTICATIONFAILED" in str(e), e  # a NO; a BAD would say "command error: BAD"
        finally:
            try:
                p.logout()
            except Exception:
                pass


def gone(port, folder, user, password):
    mailbox = "Shared/" + folder
    m = connect(port, user, password)
    assert mailbox not in listed(m, "Shared/*"), listed(m, "Shared/*")
    typ, data = m.select('"' + mailbox + '"')
    assert typ == "NO" and b"[NONEXISTENT]" in data[0], data
    m.logout()


if __name__ == "__main__":
    mode, port, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "access":
        access(port, folder, *sys.argv[4:11])
    elif mode == "gone":
        gone(port, folder, *sys.argv[4:6])
    else:
        raise SystemExit("unknown mode " + mode)
    print("OK")
