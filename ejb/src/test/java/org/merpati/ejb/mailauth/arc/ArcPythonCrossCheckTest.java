package org.merpati.ejb.mailauth.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.mailauth.dkim.DkimTestKeys;

/** dkimpy's arc_verify (Debian's python3-dkim) validates the chains we seal. Skipped when it is not installed. */
class ArcPythonCrossCheckTest {

    /** The chains are sealed by ArcTest's fixtures, used here rather than inherited so its tests run once. */
    private final ArcTest chains = new ArcTest();

    @TempDir
    Path temp;

    private static final String SCRIPT = """
            import sys, dkim
            records = {'arc._domainkey.hop1.example': sys.argv[2], 'arc._domainkey.hop2.example': sys.argv[3]}
            def dnsfunc(name, timeout=5):
                name = name.decode() if isinstance(name, bytes) else name
                record = records.get(name.rstrip('.'))
                return record.encode() if record else None
            cv, results, comment = dkim.arc_verify(open(sys.argv[1], 'rb').read(), dnsfunc=dnsfunc)
            print(cv.decode(), comment)
            """;

    private String arcVerify(String message) throws Exception {
        Path script = temp.resolve("arccheck.py");
        Files.writeString(script, SCRIPT);
        Path file = Files.createTempFile(temp, "m", ".eml");
        Files.writeString(file, message, StandardCharsets.ISO_8859_1);
        Process process = new ProcessBuilder("/usr/bin/python3", script.toString(), file.toString(),
                DkimTestKeys.rsaRecord(), DkimTestKeys.rsaRecord()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out.strip();
    }

    private static boolean dkimpyInstalled() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return false;
        }
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import dkim").redirectErrorStream(true).start();
        return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }

    @Test
    void dkimpyValidatesOurTwoHopChain() throws Exception {
        assumeTrue(dkimpyInstalled(), "python3-dkim is not installed");
        chains.temp = temp;
        String message = chains.twoHops();
        assertEquals("pass", arcVerify(message).split(" ")[0], arcVerify(message));
        for (String tampered : List.of(message.replace("spf=pass", "spf=fail"), message.replace("Noon", "Midnight"))) {
            assertEquals("fail", arcVerify(tampered).split(" ")[0]);
        }
    }
}
