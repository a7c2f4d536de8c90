package org.merpati.ejb.outbound.smtp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

import org.merpati.ejb.platform.MerpatiConfig;

/**
 * Configuration of the outbound SMTP client.
 *
 * <table>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>MERPATI_HOSTNAME</td><td>(MerpatiConfig)</td><td>the name given in EHLO</td></tr>
 * <tr><td>MERPATI_OUTBOUND_PORT</td><td>25</td><td>port of the remote MX hosts</td></tr>
 * <tr><td>MERPATI_OUTBOUND_CONNECT_TIMEOUT_SECONDS</td><td>30</td><td>TCP connect, per address</td></tr>
 * <tr><td>MERPATI_OUTBOUND_COMMAND_TIMEOUT_SECONDS</td><td>300</td><td>greeting and each command reply
 *     (RFC 5321 4.5.3.2: 5 minutes)</td></tr>
 * <tr><td>MERPATI_OUTBOUND_DATA_TIMEOUT_SECONDS</td><td>180</td><td>each block written during DATA (3 minutes)</td></tr>
 * <tr><td>MERPATI_OUTBOUND_FINAL_DOT_TIMEOUT_SECONDS</td><td>600</td><td>the reply after the final dot (10 minutes)</td></tr>
 * <tr><td>MERPATI_SMARTHOST</td><td>(none)</td><td>host[:port]: relay every message through it, no MX lookup</td></tr>
 * <tr><td>MERPATI_SMARTHOST_USER / _PASSWORD</td><td>(none)</td><td>AUTH PLAIN (or LOGIN) credentials</td></tr>
 * <tr><td>MERPATI_SMARTHOST_TLS</td><td>STARTTLS</td><td>STARTTLS (required), IMPLICIT (TLS from the first byte)
 *     or NONE</td></tr>
 * <tr><td>MERPATI_SMARTHOST_TLS_VERIFY</td><td>true</td><td>verify the smarthost's certificate and name</td></tr>
 * <tr><td>MERPATI_OUTBOUND_MTA_STS</td><td>true</td><td>honour MTA-STS policies (RFC 8461)</td></tr>
 * <tr><td>MERPATI_OUTBOUND_TRUSTSTORE / _PASSWORD</td><td>(JDK trust store)</td><td>PKCS12 trust store for the
 *     verified cases (smarthost, MTA-STS) instead of the JDK's cacerts</td></tr>
 * </table>
 *
 * @param heloName               the name sent in EHLO/HELO
 * @param port                   port of MX hosts
 * @param connectTimeout         per address
 * @param commandTimeout         greeting and command replies
 * @param dataBlockTimeout       each write of message data
 * @param finalDotTimeout        reply to the final dot
 * @param smarthost              the relay, or null for MX delivery
 * @param mtaSts                 whether MTA-STS policies are looked up and applied
 * @param trustStore             trust store for verified TLS, or null for the JDK's
 * @param trustStorePassword     its password, or null
 * @param maxRecipientsPerTransaction recipients sent in one transaction before starting another (RFC 5321
 *                               4.5.3.1.8: servers must accept at least 100)
 */
public record SmtpClientSettings(String heloName, int port, Duration connectTimeout, Duration commandTimeout,
                                 Duration dataBlockTimeout, Duration finalDotTimeout, Smarthost smarthost,
                                 boolean mtaSts, Path trustStore, String trustStorePassword,
                                 int maxRecipientsPerTransaction) {

    public enum TlsMode { STARTTLS, IMPLICIT, NONE }

    /**
     * A configured relay host.
     *
     * @param host     its name or address literal
     * @param port     its port (default 25; 465 for IMPLICIT)
     * @param user     AUTH user, or null for none
     * @param password AUTH password
     * @param tls      how TLS is used; STARTTLS means required
     * @param verify   whether the certificate must be trusted and name the host
     */
    public record Smarthost(String host, int port, String user, String password, TlsMode tls, boolean verify) {

        @Override
        public String toString() {
            return "Smarthost[" + host + ":" + port + ", user=" + user + ", tls=" + tls + ", verify=" + verify + "]";
        }
    }

    public SmtpClientSettings {
        if (maxRecipientsPerTransaction < 1) {
            throw new IllegalArgumentException("maxRecipientsPerTransaction must be positive");
        }
    }

    /** Defaults for MX delivery on {@code port}, as the tests use them. */
    public static SmtpClientSettings defaults(String heloName, int port) {
        return new SmtpClientSettings(heloName, port, Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofMinutes(3), Duration.ofMinutes(10), null, true, null, null, 100);
    }

    public SmtpClientSettings withSmarthost(Smarthost relay) {
        return new SmtpClientSettings(heloName, port, connectTimeout, commandTimeout, dataBlockTimeout,
                finalDotTimeout, relay, mtaSts, trustStore, trustStorePassword, maxRecipientsPerTransaction);
    }

    public SmtpClientSettings withTimeouts(Duration connect, Duration command, Duration dataBlock, Duration finalDot) {
        return new SmtpClientSettings(heloName, port, connect, command, dataBlock, finalDot, smarthost, mtaSts,
                trustStore, trustStorePassword, maxRecipientsPerTransaction);
    }

    public SmtpClientSettings withTrustStore(Path store, String password) {
        return new SmtpClientSettings(heloName, port, connectTimeout, commandTimeout, dataBlockTimeout,
                finalDotTimeout, smarthost, mtaSts, store, password, maxRecipientsPerTransaction);
    }

    public SmtpClientSettings withMaxRecipientsPerTransaction(int max) {
        return new SmtpClientSettings(heloName, port, connectTimeout, commandTimeout, dataBlockTimeout,
                finalDotTimeout, smarthost, mtaSts, trustStore, trustStorePassword, max);
    }

    /** The settings of this process. */
    public static SmtpClientSettings current() {
        MerpatiConfig config = MerpatiConfig.current();
        return fromConfig(config::value, config.hostname());
    }

    /** Reads the keys above through {@code config} (null or blank means unset). */
    public static SmtpClientSettings fromConfig(Function<String, String> config, String heloName) {
        int port = intValue(config, "MERPATI_OUTBOUND_PORT", 25);
        Smarthost smarthost = null;
        String relay = config.apply("MERPATI_SMARTHOST");
        if (relay != null && !relay.isBlank()) {
            String tlsName = text(config, "MERPATI_SMARTHOST_TLS", "STARTTLS").toUpperCase(Locale.ROOT);
            TlsMode tls;
            try {
                tls = TlsMode.valueOf(tlsName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MERPATI_SMARTHOST_TLS must be STARTTLS, IMPLICIT or NONE, not " + tlsName);
            }
            String[] hostPort = splitHostPort(relay.strip(), tls == TlsMode.IMPLICIT ? 465 : 25);
            String user = config.apply("MERPATI_SMARTHOST_USER");
            smarthost = new Smarthost(hostPort[0], Integer.parseInt(hostPort[1]),
                    user == null || user.isBlank() ? null : user.strip(),
                    config.apply("MERPATI_SMARTHOST_PASSWORD"), tls,
                    !"false".equalsIgnoreCase(text(config, "MERPATI_SMARTHOST_TLS_VERIFY", "true")));
        }
        String store = config.apply("MERPATI_OUTBOUND_TRUSTSTORE");
        return new SmtpClientSettings(heloName, port,
                seconds(config, "MERPATI_OUTBOUND_CONNECT_TIMEOUT_SECONDS", 30),
                seconds(config, "MERPATI_OUTBOUND_COMMAND_TIMEOUT_SECONDS", 300),
                seconds(config, "MERPATI_OUTBOUND_DATA_TIMEOUT_SECONDS", 180),
                seconds(config, "MERPATI_OUTBOUND_FINAL_DOT_TIMEOUT_SECONDS", 600),
                smarthost,
                !"false".equalsIgnoreCase(text(config, "MERPATI_OUTBOUND_MTA_STS", "true")),
                store == null || store.isBlank() ? null : Path.of(store.strip()),
                config.apply("MERPATI_OUTBOUND_TRUSTSTORE_PASSWORD"), 100);
    }

    /** {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 literal. */
    static String[] splitHostPort(String value, int defaultPort) {
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("MERPATI_SMARTHOST: unclosed [ in " + value);
            }
            String port = value.length() > end + 2 && value.charAt(end + 1) == ':' ? value.substring(end + 2)
                    : Integer.toString(defaultPort);
            return new String[] {value.substring(1, end), checkPort(port)};
        }
        int colon = value.indexOf(':');
        if (colon > 0 && colon == value.lastIndexOf(':')) {
            return new String[] {value.substring(0, colon), checkPort(value.substring(colon + 1))};
        }
        return new String[] {value, Integer.toString(defaultPort)};
    }

    private static String checkPort(String port) {
        int value = Integer.parseInt(port.strip());
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        return Integer.toString(value);
    }

    private static String text(Function<String, String> config, String key, String defaultValue) {
        String value = config.apply(key);
        return value == null || value.isBlank() ? defaultValue : value.strip();
    }

    private static int intValue(Function<String, String> config, String key, int defaultValue) {
        try {
            return Integer.parseInt(text(config, key, Integer.toString(defaultValue)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number", e);
        }
    }

    private static Duration seconds(Function<String, String> config, String key, int defaultSeconds) {
        int value = intValue(config, key, defaultSeconds);
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive");
        }
        return Duration.ofSeconds(value);
    }

    @Override
    public String toString() {
        return "SmtpClientSettings[helo=" + heloName + ", port=" + port + ", smarthost=" + smarthost + ", mtaSts=" + mtaSts + "]";
    }
}
