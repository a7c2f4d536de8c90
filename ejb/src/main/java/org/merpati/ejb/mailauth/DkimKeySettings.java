package org.merpati.ejb.mailauth;

import java.nio.file.Path;
import org.merpati.ejb.platform.MerpatiConfig;

/**
 * Settings of DKIM signing.
 *
 * <ul>
 * <li>{@code MERPATI_DKIM_MASTER_KEY}: base64 of 32 bytes, the AES-256 key that encrypts private keys in the
 * database. Default: generated on first use into {@code <data dir>/dkim-master.key}. Set it explicitly when several
 * nodes share a database, and keep a copy: without it the stored keys cannot be used.</li>
 * <li>{@code MERPATI_DKIM_CACHE_SECONDS}: how long a node keeps a domain's decrypted keys (default 60); key changes
 * reach the other nodes after at most this long.</li>
 * <li>{@code MERPATI_HOSTNAME} (read through {@link MerpatiConfig#hostname()}): the MX and SPF records suggested.</li>
 * </ul>
 */
public record DkimKeySettings(String masterKey, Path masterKeyFile, long cacheSeconds, String hostname) {

    public static DkimKeySettings from(MerpatiConfig config) {
        String cache = config.value("MERPATI_DKIM_CACHE_SECONDS");
        return new DkimKeySettings(config.value("MERPATI_DKIM_MASTER_KEY"), config.dataDir().resolve("dkim-master.key"),
                cache == null ? 60 : Long.parseLong(cache), config.hostname());
    }
}
