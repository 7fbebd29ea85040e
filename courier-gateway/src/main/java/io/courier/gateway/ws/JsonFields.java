package io.courier.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.gateway.http.JsonIds;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict reads of the fields of one JSON object of a text frame. No coercion, except that an id
 * field ({@link JsonIds#isIdName}) takes a string of digits as well as a JSON integer; a number
 * is never a fraction, a counter never a string. A field that is absent or JSON {@code null} counts as
 * absent; errors name the field with its path ({@code content.text}).
 *
 * <p>A reader may have a fallback (the frame's top level for {@code content}): a field absent here
 * is looked up there.
 */
final class JsonFields {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private final ObjectNode node;
    private final String prefix;
    private final JsonFields fallback;

    private JsonFields(ObjectNode node, String prefix, JsonFields fallback) {
        this.node = node;
        this.prefix = prefix;
        this.fallback = fallback;
    }

    /** The frame itself. */
    static JsonFields of(ObjectNode frame) {
        return new JsonFields(frame, "", null);
    }

    /** The object under {@code name} (an empty one when absent); INVALID_FIELD when it is no object. */
    JsonFields object(String name) {
        return new JsonFields(optionalObject(name), prefix + name + ".", null);
    }

    /** Like {@link #object}, but fields absent there are read from this object. */
    JsonFields objectWithFallback(String name) {
        return new JsonFields(optionalObject(name), prefix + name + ".", this);
    }

    /** The object under {@code name}; MISSING_FIELD when absent. */
    JsonFields requiredObject(String name) {
        if (!has(name)) {
            throw missing(name);
        }
        return object(name);
    }

    boolean has(String name) {
        return value(name) != null;
    }

    // ---- strings ---------------------------------------------------------------------------

    /** A string, or "" when absent. */
    String string(String name) {
        Value value = value(name);
        if (value == null) {
            return "";
        }
        if (!value.json.isTextual()) {
            throw invalidAt(value.field, "must be a string");
        }
        return value.json.textValue();
    }

    /** A string under {@code name}, else under {@code alias}; "" when neither is present. */
    String string(String name, String alias) {
        return has(name) || !has(alias) ? string(name) : string(alias);
    }

    /** A non-empty string; MISSING_FIELD when absent or empty. */
    String requiredString(String name) {
        String value = string(name);
        if (value.isEmpty()) {
            throw missing(name);
        }
        return value;
    }

    // ---- numbers ---------------------------------------------------------------------------

    /** A uint64 (in a Java long with the same bits, as protobuf keeps it), 0 when absent. */
    long uint64(String name) {
        Value value = value(name);
        return value == null ? 0 : uint64(value.json, value.field, JsonIds.isIdName(name));
    }

    /** A uint64 under {@code name}, else under {@code alias}; 0 when neither is present. */
    long uint64(String name, String alias) {
        return has(name) || !has(alias) ? uint64(name) : uint64(alias);
    }

    /** A uint64 that must be present. */
    long requiredUint64(String name) {
        if (!has(name)) {
            throw missing(name);
        }
        return uint64(name);
    }

    /** A positive id that must be present. */
    long requiredId(String name) {
        long id = requiredUint64(name);
        if (id == 0) {
            throw invalidAt(value(name).field, "must be a positive integer id");
        }
        return id;
    }

    /** A uint32 (in a Java int with the same bits), 0 when absent. */
    int uint32(String name) {
        Value value = value(name);
        if (value == null) {
            return 0;
        }
        BigInteger number = integer(value.json, value.field);
        if (number.signum() < 0 || number.bitLength() > 32) {
            throw invalidAt(value.field, "must be an integer from 0 to " + UINT32_MAX);
        }
        return (int) number.longValue();
    }

    /** An int64, 0 when absent. */
    long int64(String name) {
        Value value = value(name);
        if (value == null) {
            return 0;
        }
        BigInteger number = integer(value.json, value.field);
        if (number.bitLength() > 63) {
            throw invalidAt(value.field, "must be a 64-bit integer");
        }
        return number.longValue();
    }

    /** A finite number, 0 when absent. */
    double number(String name) {
        Value value = value(name);
        if (value == null) {
            return 0;
        }
        if (!value.json.isNumber() || !Double.isFinite(value.json.doubleValue())) {
            throw invalidAt(value.field, "must be a finite number");
        }
        return value.json.doubleValue();
    }

    boolean bool(String name, boolean absent) {
        Value value = value(name);
        if (value == null) {
            return absent;
        }
        if (!value.json.isBoolean()) {
            throw invalidAt(value.field, "must be true or false");
        }
        return value.json.booleanValue();
    }

    /** An array of uint64s, empty when absent. */
    List<Long> uint64List(String name) {
        Value value = value(name);
        if (value == null) {
            return List.of();
        }
        if (!value.json.isArray()) {
            throw invalidAt(value.field, "must be an array of integers");
        }
        List<Long> out = new ArrayList<>(value.json.size());
        for (int i = 0; i < value.json.size(); i++) {
            out.add(uint64(value.json.get(i), value.field + "[" + i + "]", JsonIds.isIdName(name)));
        }
        return out;
    }

    /** An object of string → uint64, empty when absent. */
    Map<String, Long> uint64Map(String name) {
        Value value = value(name);
        if (value == null) {
            return Map.of();
        }
        if (!value.json.isObject()) {
            throw invalidAt(value.field, "must be an object of integers");
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.json.properties()) {
            out.put(entry.getKey(), uint64(entry.getValue(), value.field + "." + entry.getKey(), false));
        }
        return out;
    }

    /** The JSON value under {@code name}, or null when absent; for fields of more than one shape. */
    JsonNode raw(String name) {
        Value value = value(name);
        return value == null ? null : value.json;
    }

    // ---- errors ----------------------------------------------------------------------------

    /** MISSING_FIELD for a field of this object. */
    CourierException missing(String name) {
        String field = prefix + name;
        return CourierException.field(ErrorCode.MISSING_FIELD, field, "Field '" + field + "' is required");
    }

    /** INVALID_FIELD for a field of this object (or its fallback, wherever the value is). */
    CourierException invalid(String name, String what) {
        Value value = value(name);
        return invalidAt(value == null ? prefix + name : value.field, what);
    }

    private static CourierException invalidAt(String field, String what) {
        return CourierException.field(ErrorCode.INVALID_FIELD, field, "Field '" + field + "' " + what);
    }

    // ---- internals -------------------------------------------------------------------------

    /** A present value and the full name of the field that holds it. */
    private record Value(JsonNode json, String field) {
    }

    private Value value(String name) {
        JsonNode json = node.get(name);
        if (json != null && !json.isNull()) {
            return new Value(json, prefix + name);
        }
        return fallback == null ? null : fallback.value(name);
    }

    private ObjectNode optionalObject(String name) {
        JsonNode json = node.get(name);
        if (json == null || json.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!json.isObject()) {
            throw invalidAt(prefix + name, "must be an object");
        }
        return (ObjectNode) json;
    }

    private static long uint64(JsonNode json, String field, boolean id) {
        if (id && !json.isIntegralNumber()) {
            try {
                if (json.isTextual()) {
                    return JsonIds.parse(json.textValue());
                }
            } catch (NumberFormatException e) {
                // the same answer as for any other wrong value
            }
            throw invalidAt(field, "must be an id: a non-negative integer below 2^64, as a number or a string of digits");
        }
        BigInteger number = integer(json, field);
        if (number.signum() < 0 || number.compareTo(UINT64_MAX) > 0) {
            throw invalidAt(field, "must be a non-negative integer below 2^64");
        }
        return number.longValue();
    }

    /** A JSON integer literal: no fraction, no exponent, no string. */
    private static BigInteger integer(JsonNode json, String field) {
        if (!json.isIntegralNumber()) {
            throw invalidAt(field, "must be an integer");
        }
        return json.bigIntegerValue();
    }
}
