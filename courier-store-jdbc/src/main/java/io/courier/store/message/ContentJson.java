package io.courier.store.message;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.courier.protocol.v1.Content;

/**
 * Message content is stored as the protobuf JSON of {@link Content}: readable in the database,
 * the same on every dialect, and free to gain new kinds and fields without a migration.
 */
final class ContentJson {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private ContentJson() {
    }

    static String write(Content content) {
        try {
            return PRINTER.print(content);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Content cannot be printed as JSON", e);
        }
    }

    static Content read(String json) {
        Content.Builder b = Content.newBuilder();
        try {
            PARSER.merge(json, b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Stored message content is not valid: " + json, e);
        }
        return b.build();
    }
}
