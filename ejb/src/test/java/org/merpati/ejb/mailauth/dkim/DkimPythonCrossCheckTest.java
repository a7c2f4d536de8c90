package org.merpati.ejb.mailauth.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.mailauth.DkimResult;

/**
 * Interoperability with an independent implementation, dkimpy (Debian's python3-dkim): it verifies our
 * signatures, and we verify its. Keys are handed to it through a dnsfunc stub. Skipped when it is not installed.
 */
class DkimPythonCrossCheckTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = """
            import sys, dkim
            mode, message_file, selector, domain, record, key = sys.argv[1:7]
            message = open(message_file, 'rb').read()
            def dnsfunc(name, timeout=5):
                name = name.decode() if isinstance(name, bytes) else name
                return record.encode() if name.rstrip('.') == selector + '._domainkey.' + domain else None
            def verdict(d, i):
                try:
                    return 'pass' if d.verify(idx=i, dnsfunc=dnsfunc) else 'fail'
                except dkim.ValidationError:
                    return 'fail'
            if mode == 'verify':
                d = dkim.DKIM(message)
                count = len([l for l in message.split(b'\\r\\n\\r\\n')[0].split(b'\\r\\n') if l.lower().startswith(b'dkim-signature:')])
                print(' '.join(verdict(d, i) for i in range(count)))
            else:
                algorithm = b'ed25519-sha256' if mode == 'sign-ed25519' else b'rsa-sha256'
                signature = dkim.sign(message, selector.encode(), domain.encode(), key.encode(),
                                      canonicalize=(b'relaxed', b'simple'), signature_algorithm=algorithm,
                                      include_headers=[b'from', b'to', b'subject', b'date'])
                sys.stdout.write(signature.decode())
            """;

    private static Path script;

    @BeforeAll
    static void needsDkimpy(@TempDir Path temp) throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "no " + PYTHON);
        Process probe = new ProcessBuilder(PYTHON, "-c", "import dkim").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0, "python3-dkim is not installed");
        script = temp.resolve("dkimcheck.py");
        Files.writeString(script, SCRIPT);
    }

    private static String python(Path temp, String mode, String message, String selector, String domain,
                                 String record, String key) throws Exception {
        Path file = Files.createTempFile(temp, "msg", ".eml");
        Files.writeString(file, message, StandardCharsets.ISO_8859_1);
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), mode, file.toString(), selector,
                domain, record, key));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertEquals(true, process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    @Test
    void dkimpyVerifiesOurRsaAndEd25519Signatures(@TempDir Path temp) throws Exception {
        for (SigningKey key : List.of(DkimTestKeys.rsa("example.com", "s1"), DkimTestKeys.ed25519("example.com", "s1"))) {
            String record = key.algorithm() == DkimAlgorithm.RSA_SHA256 ? DkimTestKeys.rsaRecord() : DkimTestKeys.ed25519Record();
            String signed = DkimVerifierTest.sign(key, DkimTestMessages.SIMPLE);
            assertEquals("pass", python(temp, "verify", signed, "s1", "example.com", record, "-").strip(),
                    key.algorithm().tagValue());
            String tampered = signed.replace("Noon", "Midnight");
            assertEquals("fail", python(temp, "verify", tampered, "s1", "example.com", record, "-").strip());
        }
    }

    @Test
    void weVerifyDkimpySignatures(@TempDir Path temp) throws Exception {
        byte[] pkcs8 = DkimTestKeys.ED25519.getPrivate().getEncoded();
        String seed = Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
        String rsaPem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(DkimTestKeys.RSA_2048.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        MapKeyLookup keys = new MapKeyLookup()
                .put("py._domainkey.example.org", DkimTestKeys.ed25519Record())
                .put("pyrsa._domainkey.example.org", DkimTestKeys.rsaRecord());
        String edSignature = python(temp, "sign-ed25519", DkimTestMessages.SIMPLE, "py", "example.org", "-", seed);
        String rsaSignature = python(temp, "sign-rsa", DkimTestMessages.SIMPLE, "pyrsa", "example.org", "-", rsaPem);
        String signed = edSignature + rsaSignature + DkimTestMessages.SIMPLE;
        List<DkimResult> results = new DkimVerifier(keys).verify(new ByteArrayInputStream(signed.getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(2, results.size());
        for (DkimResult r : results) {
            assertEquals("pass", r.result(), r + "\n" + signed);
        }
        List<DkimResult> tampered = new DkimVerifier(keys).verify(new ByteArrayInputStream(
                signed.replace("Subject: Lunch", "Subject: Brunch").getBytes(StandardCharsets.ISO_8859_1)));
        for (DkimResult r : tampered) {
            assertEquals("fail", r.result());
        }
    }
}
