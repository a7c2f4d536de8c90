package org.merpati.ejb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Message;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeEventTest {

    /** A JMS message that only keeps properties, which is all a change event uses. */
    static Message message(Map<String, Object> properties) {
        return (Message) Proxy.newProxyInstance(Message.class.getClassLoader(), new Class<?>[] {Message.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "propertyExists" -> properties.containsKey((String) args[0]);
                case "getStringProperty" -> (String) properties.get((String) args[0]);
                case "getLongProperty" -> ((Number) properties.get((String) args[0])).longValue();
                case "setStringProperty", "setLongProperty" -> {
                    properties.put((String) args[0], args[1]);
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            });
    }

    @Test
    void roundTripsThroughMessageProperties() throws Exception {
        Map<String, Object> props = new HashMap<>();
        new ChangeEvent("node-a", 42, 1234).writeTo(message(props));
        assertEquals(new ChangeEvent("node-a", 42, 1234), ChangeEvent.from(message(props)));
    }

    @Test
    void somethingElseOnTheTopicIsNotAnEvent() throws Exception {
        assertNull(ChangeEvent.from(message(new HashMap<>(Map.of("merpatiNode", "node-a")))));
        assertNull(ChangeEvent.from(message(new HashMap<>(Map.of("merpatiNode", " ", "merpatiMailbox", 1L,
            "merpatiModseq", 2L)))));
    }

    @Test
    void ownEventsAreRecognisedSoTheyAreNotPublishedTwice() {
        ChangeEvent event = new ChangeEvent("node-a", 1, 2);
        assertTrue(event.isFrom("node-a"));
        assertFalse(event.isFrom("node-b"));
        assertThrows(IllegalArgumentException.class, () -> new ChangeEvent("", 1, 2));
    }
}
