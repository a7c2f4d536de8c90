package org.merpati.ejb.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place where Merpati reads configuration. A key {@code MERPATI_DATA_DIR} is looked up as the system
 * property {@code merpati.data.dir} first, then as the environment variable, then its default applies (the
 * same precedence as MicroProfile Config: system properties over environment).
 *
 * <p>Keys read here: {@code MERPATI_DATA_DIR}, {@code MERPATI_PRIMARY_DOMAIN}, {@code MERPATI_HOSTNAME},
 * {@code MERPATI_ADMIN_PASSWORD}, {@code MERPATI_DEFAULT_QUOTA}, {@code MERPATI_OVERQUOTA_REPLY},
 * {@code MERPATI_AUTH_CACHE_SECONDS}, {@code MERPATI_CLUSTER}, {@code MERPATI_NODE_ID}. The listener
 * keys ({@code MERPATI_SMTP_*}, {@code MERPATI_LMTP_*}, {@code MERPATI_TLS_*}) are resolved by WildFly in the
 * MDB activation properties.
 */
public final class MerpatiConfig {

    public static final long DEFAULT_QUOTA_BYTES = 1L << 30;

    private static volatile MerpatiConfig current;

    private final Path dataDir;
    private final String primaryDomain;
    private final String hostname;
    private final String adminPassword;
    private final long defaultQuotaBytes;
    private final int overQuotaReplyCode;
    private final long authCacheSeconds;
    private final boolean cluster;
    private final String nodeId;
    private final Function<String, String> lookup;

    private MerpatiConfig(Function<String, String> lookup) {
        this.lookup = lookup;
        String serverData = Optional.ofNullable(System.getProperty("jboss.server.data.dir"))
                .orElse(System.getProperty("user.dir") + "/data");
        this.dataDir = Path.of(value(lookup, "MERPATI_DATA_DIR", serverData + "/merpati"));
        this.primaryDomain = value(lookup, "MERPATI_PRIMARY_DOMAIN", "localhost").toLowerCase(Locale.ROOT);
        this.hostname = value(lookup, "MERPATI_HOSTNAME", localHostName());
        this.adminPassword = lookup.apply("MERPATI_ADMIN_PASSWORD");
        this.defaultQuotaBytes = parseLong("MERPATI_DEFAULT_QUOTA",
                value(lookup, "MERPATI_DEFAULT_QUOTA", Long.toString(DEFAULT_QUOTA_BYTES)));
        String reply = value(lookup, "MERPATI_OVERQUOTA_REPLY", "452");
        if (!reply.equals("452") && !reply.equals("552")) {
            throw new IllegalArgumentException("MERPATI_OVERQUOTA_REPLY must be 452 or 552, not " + reply);
        }
        this.overQuotaReplyCode = Integer.parseInt(reply);
        this.cluster = Boolean.parseBoolean(value(lookup, "MERPATI_CLUSTER", "false"));
        this.nodeId = value(lookup, "MERPATI_NODE_ID", "merpati-1");
        this.authCacheSeconds = parseLong("MERPATI_AUTH_CACHE_SECONDS", value(lookup, "MERPATI_AUTH_CACHE_SECONDS", "600"));
    }

    /** The configuration of this process, read once. */
    public static MerpatiConfig current() {
        MerpatiConfig config = current;
        if (config == null) {
            config = new MerpatiConfig(MerpatiConfig::fromSystem);
            current = config;
        }
        return config;
    }

    /** A configuration from explicit values (keys like {@code MERPATI_PRIMARY_DOMAIN}), for tests and tools. */
    public static MerpatiConfig of(Map<String, String> values) {
        return new MerpatiConfig(values::get);
    }

    private static String fromSystem(String envKey) {
        String property = System.getProperty(propertyName(envKey));
        return property != null ? property : System.getenv(envKey);
    }

    /** {@code MERPATI_DATA_DIR} → {@code merpati.data.dir}. */
    static String propertyName(String envKey) {
        return envKey.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static String value(Function<String, String> lookup, String key, String defaultValue) {
        String value = lookup.apply(key);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    private static long parseLong(String key, String value) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new IllegalArgumentException(key + " must not be negative: " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number of bytes: " + value, e);
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * A key that a feature's own settings class reads (e.g. {@code MERPATI_DNS_SERVERS}), or null when unset or
     * blank. Such classes document their keys; README lists all of them.
     */
    public String value(String key) {
        String value = lookup.apply(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path blobDir() {
        return dataDir.resolve("blobs");
    }

    public String primaryDomain() {
        return primaryDomain;
    }

    /** The name this server gives itself in Received headers and greetings. */
    public String hostname() {
        return hostname;
    }

    public Optional<String> adminPassword() {
        return Optional.ofNullable(adminPassword).filter(p -> !p.isEmpty());
    }

    /** Quota for accounts created without one; 0 means unlimited. */
    public long defaultQuotaBytes() {
        return defaultQuotaBytes;
    }

    /** 452 (temporary, RFC 5321 default: the sender retries) or 552 (permanent). */
    /** Whether mailbox change events go to the other nodes over the MerpatiChanges JMS topic. */
    public boolean cluster() {
        return cluster;
    }

    /** This server's node id (also the transaction node identifier); unique per node. */
    public String nodeId() {
        return nodeId;
    }

    /** How long a verified password is remembered (seconds; 0 = every login derives the key again). */
    public long authCacheSeconds() {
        return authCacheSeconds;
    }

    public int overQuotaReplyCode() {
        return overQuotaReplyCode;
    }
}
