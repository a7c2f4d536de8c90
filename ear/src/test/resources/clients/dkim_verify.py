"""Verifies every DKIM-Signature (or, with --arc, the ARC chain) of a message file with python3-dkim (Debian's dkimpy), asking the test DNS
server for the keys. Prints one "d=<domain> a=<algorithm> pass|fail" line per signature; exits 0 only when there
is at least one signature and all pass. Run with /usr/bin/python3 (the Debian interpreter that has the module).

usage: dkim_verify.py MESSAGE_FILE DNS_PORT [--arc]
"""
import sys

import dkim
import dns.resolver

path, dns_port = sys.argv[1], int(sys.argv[2])
resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = ["127.0.0.1"]
resolver.port = dns_port


def dnsfunc(name, timeout=5):
    name = name.decode() if isinstance(name, bytes) else name
    try:
        answer = resolver.resolve(name, "TXT", lifetime=timeout)
    except dns.exception.DNSException:
        return None
    return b"".join(b"".join(r.strings) for r in answer)


with open(path, "rb") as f:
    message = f.read()
if "--arc" in sys.argv[3:]:
    cv, results, comment = dkim.arc_verify(message, dnsfunc=dnsfunc)
    print("arc cv=" + cv.decode(), comment)
    sys.exit(0 if cv == dkim.CV_Pass else 1)
d = dkim.DKIM(message)
signatures = [v for (k, v) in d.headers if k.lower() == b"dkim-signature"]
if not signatures:
    print("no DKIM-Signature")
    sys.exit(1)
ok = True
for i in range(len(signatures)):
    tags = dkim.util.parse_tag_value(signatures[i].replace(b"\r\n", b""))
    result = dkim.DKIM(message).verify(idx=i, dnsfunc=dnsfunc)
    print("d=" + tags[b"d"].decode(), "a=" + tags[b"a"].decode(), "pass" if result else "fail")
    ok = ok and result
sys.exit(0 if ok else 1)
