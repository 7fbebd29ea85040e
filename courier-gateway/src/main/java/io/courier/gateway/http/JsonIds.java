package io.courier.gateway.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonGeneratorDecorator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.math.BigInteger;

/**
 * Ids in Courier's JSON (DESIGN.md §9): written as strings, read from a string or a number. Ids are
 * 64-bit (message ids pass 2^53, which a JavaScript number cannot hold exactly) and SimpleIM's
 * clients treat every id as a string, as Discord's API does with its snowflakes.
 *
 * <p>Which fields are ids is decided by name, in one place for every JSON protocol: {@code id},
 * {@code from}, {@code to}, and any name ending in {@code _id} or {@code _ids} (the elements of
 * the array). Counters beside them ({@code seq}, {@code unread}, sizes, times) stay numbers. One
 * exception: a WebSocket frame's own top-level {@code request_id} is the client's correlation
 * number, not an id the server made, and is echoed as a number.
 */
public final class JsonIds {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private JsonIds() {
    }

    /** Whether a field of this name holds an id (or, for {@code …_ids}, an array of them). */
    public static boolean isIdName(String name) {
        return name != null && (name.equals("id") || name.equals("from") || name.equals("to")
                || name.endsWith("_id") || name.endsWith("_ids"));
    }

    /**
     * An id written as a string: the digits of a non-negative integer below 2^64, nothing else (no
     * sign, no spaces, no leading zeros but "0"). Returns its bits in a long (as protobuf keeps a
     * uint64), or throws {@link NumberFormatException}.
     */
    public static long parse(String text) {
        if (text.isEmpty() || text.length() > 20 || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new NumberFormatException(text);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(text);
            }
        }
        BigInteger value = new BigInteger(text);
        if (value.compareTo(UINT64_MAX) > 0) {
            throw new NumberFormatException(text);
        }
        return value.longValue();
    }

    /** For the client-facing mapper: id numbers are written as strings. */
    static JsonGeneratorDecorator writer() {
        return (factory, generator) -> new IdsAsStrings(generator);
    }

    /** For the client-facing mapper: an id field of a request body ({@code Long}, {@code List<Long>}) takes a string too. */
    static SimpleModule reader() {
        return new SimpleModule("courier-json-ids").addDeserializer(Long.class, new IdOrLong());
    }

    /** Whether the value about to be written, or just read, sits in an id field (or an id array). */
    private static boolean inIdField(JsonStreamContext context, boolean writing) {
        if (context.inObject()) {
            boolean frameRequestId = writing && context.getParent().inRoot() && "request_id".equals(context.getCurrentName());
            return !frameRequestId && isIdName(context.getCurrentName());
        }
        return context.inArray() && context.getParent() != null && context.getParent().inObject()
                && isIdName(context.getParent().getCurrentName());
    }

    private static final class IdsAsStrings extends JsonGeneratorDelegate {
        IdsAsStrings(JsonGenerator generator) {
            super(generator, false);
        }

        @Override
        public void writeNumber(short v) throws IOException {
            writeNumber((long) v);
        }

        @Override
        public void writeNumber(int v) throws IOException {
            writeNumber((long) v);
        }

        @Override
        public void writeNumber(long v) throws IOException {
            if (inIdField(getOutputContext(), true)) {
                delegate.writeString(Long.toString(v));
            } else {
                delegate.writeNumber(v);
            }
        }

        @Override
        public void writeNumber(BigInteger v) throws IOException {
            if (v != null && inIdField(getOutputContext(), true)) {
                delegate.writeString(v.toString()); // a uint64 above 2^63
            } else {
                delegate.writeNumber(v);
            }
        }
    }

    /**
     * {@code Long} as the strict mapper reads it (an integer token, nothing coerced), and in an id
     * field also a string of digits.
     */
    private static final class IdOrLong extends StdScalarDeserializer<Long> {
        IdOrLong() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return p.getLongValue();
            }
            if (p.currentToken() == JsonToken.VALUE_STRING && inIdField(p.getParsingContext(), false)) {
                String text = p.getText();
                try {
                    long id = parse(text);
                    if (id >= 0) { // a request's ids are ours, below 2^63
                        return id;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                return (Long) ctxt.handleWeirdStringValue(Long.class, text, "not an id: digits of a non-negative integer expected");
            }
            return (Long) ctxt.handleUnexpectedToken(Long.class, p);
        }
    }
}
