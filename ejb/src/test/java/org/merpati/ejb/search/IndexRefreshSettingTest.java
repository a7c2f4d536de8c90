package org.merpati.ejb.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The index reader's refresh interval and the time PendingIndexWork keeps applied work pending must agree. */
class IndexRefreshSettingTest {

    @Test
    void persistenceXmlRefreshIntervalIsTheOnePendingIndexWorkAssumes() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/persistence.xml")) {
            assertNotNull(in);
            NodeList properties = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in)
                    .getElementsByTagName("property");
            String value = null;
            for (int i = 0; i < properties.getLength(); i++) {
                Element p = (Element) properties.item(i);
                if (p.getAttribute("name").equals("hibernate.search.backend.io.refresh_interval")) {
                    value = p.getAttribute("value");
                }
            }
            assertEquals(String.valueOf(PendingIndexWork.REFRESH_INTERVAL_MS), value);
            assertEquals(2 * PendingIndexWork.REFRESH_INTERVAL_MS, PendingIndexWork.VISIBILITY_GRACE_MS);
        }
    }
}
