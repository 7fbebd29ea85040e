package io.courier.store.message;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Text;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Message content is stored as the protobuf JSON of {@link Content}: readable in the database,
 * the same on every dialect, and free to gain new kinds and fields without a migration.
 *
 * @implNote Text, nearly every message, is written with Jackson's streaming generator: protobuf's
 * printer walks the message by reflection and formats through Gson, and was a fifth of the message
 * writer's time. The result is the same protobuf JSON (what {@link #read} and any protobuf JSON
 * parser reads back: {@code ContentJsonTest}); other kinds go through protobuf's printer.
 */
final class ContentJson {
    private static final JsonFactory JACKSON = new JsonFactory();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private ContentJson() {
    }

    static String write(Content content) {
        if (content.getBodyCase() == Content.BodyCase.TEXT && content.getUnknownFields().asMap().isEmpty()) {
            return writeText(content.getText());
        }
        try {
            return PRINTER.print(content);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Content cannot be printed as JSON", e);
        }
    }

    private static String writeText(Text text) {
        StringWriter out = new StringWriter(text.getText().length() + 32);
        try (JsonGenerator json = JACKSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("text");
            if (!text.getText().isEmpty()) {
                json.writeStringField("text", text.getText());
            }
            if (text.getAtUserIdsCount() > 0) {
                json.writeArrayFieldStart("at_user_ids");
                for (long id : text.getAtUserIdsList()) {
                    json.writeString(Long.toUnsignedString(id)); // protobuf JSON writes 64-bit integers as strings
                }
                json.writeEndArray();
            }
            if (text.getAtAll()) {
                json.writeBooleanField("at_all", true);
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
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
