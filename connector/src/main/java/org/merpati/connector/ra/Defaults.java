package org.merpati.connector.ra;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/** Defaults that depend on where the server runs. */
final class Defaults {

    private Defaults() {
    }

    /** This machine's host name as the OS reports it, or "localhost". */
    static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            return "localhost";
        }
    }

    /**
     * {@code ${jboss.server.data.dir}/merpati/<inData>} inside WildFly, else {@code java.io.tmpdir/<outside>}
     * (tests, other containers).
     */
    static String dataPath(String inData, String outside) {
        String data = System.getProperty("jboss.server.data.dir");
        return data != null
            ? Path.of(data, "merpati").resolve(inData).toString()
            : Path.of(System.getProperty("java.io.tmpdir")).resolve(outside).toString();
    }
}
