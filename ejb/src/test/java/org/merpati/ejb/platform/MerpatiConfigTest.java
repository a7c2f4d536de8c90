package org.merpati.ejb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MerpatiConfigTest {

    @Test
    void defaults() {
        MerpatiConfig config = MerpatiConfig.of(Map.of());
        assertEquals("localhost", config.primaryDomain());
        assertEquals(1_073_741_824L, config.defaultQuotaBytes());
        assertEquals(452, config.overQuotaReplyCode());
        assertTrue(config.adminPassword().isEmpty());
        assertTrue(config.dataDir().endsWith("merpati"));
        assertEquals(config.dataDir().resolve("blobs"), config.blobDir());
    }

    @Test
    void explicitValues() {
        MerpatiConfig config = MerpatiConfig.of(Map.of("MERPATI_DATA_DIR", "/srv/mail", "MERPATI_PRIMARY_DOMAIN",
                "Example.ORG", "MERPATI_DEFAULT_QUOTA", "0", "MERPATI_OVERQUOTA_REPLY", "552",
                "MERPATI_ADMIN_PASSWORD", "s3cret-pass", "MERPATI_HOSTNAME", "mx.example.org"));
        assertEquals(Path.of("/srv/mail"), config.dataDir());
        assertEquals("example.org", config.primaryDomain());
        assertEquals(0, config.defaultQuotaBytes());
        assertEquals(552, config.overQuotaReplyCode());
        assertEquals("s3cret-pass", config.adminPassword().orElseThrow());
        assertEquals("mx.example.org", config.hostname());
    }

    @Test
    void badValuesFailFast() {
        assertThrows(IllegalArgumentException.class, () -> MerpatiConfig.of(Map.of("MERPATI_OVERQUOTA_REPLY", "450")));
        assertThrows(IllegalArgumentException.class, () -> MerpatiConfig.of(Map.of("MERPATI_DEFAULT_QUOTA", "1GB")));
        assertThrows(IllegalArgumentException.class, () -> MerpatiConfig.of(Map.of("MERPATI_DEFAULT_QUOTA", "-1")));
    }

    @Test
    void systemPropertyNameFollowsTheEnvironmentKey() {
        assertEquals("merpati.data.dir", MerpatiConfig.propertyName("MERPATI_DATA_DIR"));
    }
}
