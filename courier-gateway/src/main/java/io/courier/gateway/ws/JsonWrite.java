package io.courier.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;

/**
 * Writes proto values into JSON objects of text frames. Unsigned protobuf integers (kept in Java's
 * signed types) come out as JSON numbers with their unsigned value. The {@code …IfSet} methods leave
 * out proto3 defaults (0, "", false) to keep frames compact.
 */
final class JsonWrite {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonWrite() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** A uint64 as a JSON number, 0 to 2^64-1. */
    static JsonNode uint64(long value) {
        return value >= 0 ? NODES.numberNode(value) : NODES.numberNode(new BigInteger(Long.toUnsignedString(value)));
    }

    static ArrayNode uint64s(List<Long> values) {
        ArrayNode out = array();
        values.forEach(value -> out.add(uint64(value)));
        return out;
    }

    static void uint64IfSet(ObjectNode object, String name, long value) {
        if (value != 0) {
            object.set(name, uint64(value));
        }
    }

    static void uint32IfSet(ObjectNode object, String name, int value) {
        if (value != 0) {
            object.put(name, Integer.toUnsignedLong(value));
        }
    }

    static void int64IfSet(ObjectNode object, String name, long value) {
        if (value != 0) {
            object.put(name, value);
        }
    }

    /** A double, left out when 0 or not finite (JSON has no NaN or infinity). */
    static void numberIfSet(ObjectNode object, String name, double value) {
        if (value != 0 && Double.isFinite(value)) {
            object.put(name, value);
        }
    }

    static void stringIfSet(ObjectNode object, String name, String value) {
        if (!value.isEmpty()) {
            object.put(name, value);
        }
    }

    static void trueIfSet(ObjectNode object, String name, boolean value) {
        if (value) {
            object.put(name, true);
        }
    }

    static void uint64sIfSet(ObjectNode object, String name, List<Long> values) {
        if (!values.isEmpty()) {
            object.set(name, uint64s(values));
        }
    }
}
