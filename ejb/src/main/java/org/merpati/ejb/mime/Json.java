package org.merpati.ejb.mime;

import java.util.Map;

/** The few JSON writing helpers the structure serialization needs (no library in the EJB module for this). */
final class Json {

    private Json() {
    }

    static void string(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static void field(StringBuilder out, String name, String value) {
        string(out, name);
        out.append(':');
        string(out, value);
    }

    static void field(StringBuilder out, String name, long value) {
        string(out, name);
        out.append(':').append(value);
    }

    static void object(StringBuilder out, Map<String, String> values) {
        if (values == null) {
            out.append("null");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            field(out, e.getKey(), e.getValue());
        }
        out.append('}');
    }
}
