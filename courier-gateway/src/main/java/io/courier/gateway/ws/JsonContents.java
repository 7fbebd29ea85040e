package io.courier.gateway.ws;

import static io.courier.gateway.ws.JsonWrite.trueIfSet;
import static io.courier.gateway.ws.JsonWrite.uint32IfSet;
import static io.courier.gateway.ws.JsonWrite.uint64IfSet;
import static io.courier.gateway.ws.JsonWrite.uint64sIfSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.v1.Card;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Custom;
import io.courier.protocol.v1.File;
import io.courier.protocol.v1.Image;
import io.courier.protocol.v1.Location;
import io.courier.protocol.v1.Text;
import io.courier.protocol.v1.Video;
import io.courier.protocol.v1.Voice;

import java.util.Map;

/**
 * The {@code content} object of chat frames (types 0-2 and 4-10) and the proto {@link Content} it
 * stands for, both ways. Field names are the proto's; SimpleIM's {@code file_size} and
 * {@code file_name} (what its web app sends) are read as {@code size} and {@code name}.
 */
final class JsonContents {
    static final int TEXT = 1;
    static final int GROUP_TEXT = 2;
    static final int IMAGE = 4;
    static final int VOICE = 5;
    static final int VIDEO = 6;
    static final int FILE = 7;
    static final int LOCATION = 8;
    static final int CARD = 9;
    static final int CUSTOM = 10;
    /** Group events are types 20 (created) to 28 (dissolved), in the order of GroupEvent.Type. */
    static final int FIRST_EVENT = 20;

    private static final Map<String, String> ALIASES = Map.of("size", "file_size", "name", "file_name");

    private JsonContents() {
    }

    // ---- JSON → proto ----------------------------------------------------------------------

    /** The content of a chat frame of {@code type} (0, 1, 2 or 4-10). */
    static Content decode(int type, JsonFields content) {
        Content.Builder out = Content.newBuilder();
        switch (type) {
            case 0, TEXT, GROUP_TEXT -> out.setText(text(content));
            case IMAGE -> out.setImage(fields(Image.newBuilder(), content));
            case VOICE -> out.setVoice(fields(Voice.newBuilder(), content));
            case VIDEO -> out.setVideo(fields(Video.newBuilder(), content));
            case FILE -> out.setFile(fields(File.newBuilder(), content));
            case LOCATION -> out.setLocation(fields(Location.newBuilder(), content));
            case CARD -> out.setCard(fields(Card.newBuilder(), content));
            case CUSTOM -> out.setCustom(custom(content));
            default -> throw new IllegalArgumentException("Not a chat frame type: " + type);
        }
        return out.build();
    }

    private static Text text(JsonFields c) {
        return Text.newBuilder()
                .setText(c.requiredString("text"))
                .addAllAtUserIds(c.uint64List("at_user_ids"))
                .setAtAll(c.bool("at_all", false))
                .build();
    }

    /**
     * Reads a kind's fields by the proto's own names and types, so a field added to the .proto is
     * mapped without code here. SimpleIM's {@code file_size} and {@code file_name} are accepted for
     * {@code size} and {@code name}.
     */
    private static <B extends Message.Builder> B fields(B builder, JsonFields c) {
        for (FieldDescriptor f : builder.getDescriptorForType().getFields()) {
            String name = f.getName();
            String alias = ALIASES.get(name);
            Object value = switch (f.getType()) {
                case STRING -> alias == null ? c.string(name) : c.string(name, alias);
                case UINT32 -> c.uint32(name);
                case UINT64 -> alias == null ? c.uint64(name) : c.uint64(name, alias);
                case DOUBLE -> c.number(name);
                case BOOL -> c.bool(name, false);
                default -> throw new IllegalStateException("No JSON mapping for " + f.getFullName() + " of type " + f.getType());
            };
            builder.setField(f, value);
        }
        return builder;
    }

    /** {@code data} is a string, or JSON (an object or an array) kept as its compact text. */
    private static Custom custom(JsonFields c) {
        JsonNode data = c.raw("data");
        String text;
        if (data == null) {
            text = "";
        } else if (data.isTextual()) {
            text = data.textValue();
        } else if (data.isContainerNode()) {
            text = data.toString(); // compact JSON; the parser bounds its depth
        } else {
            throw c.invalid("data", "must be a string, an object or an array");
        }
        return Custom.newBuilder().setType(c.string("type")).setData(text).build();
    }

    // ---- proto → JSON ----------------------------------------------------------------------

    /** The frame type of a message with this content: 1 (2 in a group) for text or no content, else 4-10. */
    static int type(Content content, boolean inGroup) {
        return switch (content.getBodyCase()) {
            case TEXT, BODY_NOT_SET -> inGroup ? GROUP_TEXT : TEXT;
            case IMAGE -> IMAGE;
            case VOICE -> VOICE;
            case VIDEO -> VIDEO;
            case FILE -> FILE;
            case LOCATION -> LOCATION;
            case CARD -> CARD;
            case CUSTOM -> CUSTOM;
            case EVENT -> FIRST_EVENT + content.getEvent().getTypeValue() - 1;
        };
    }

    static ObjectNode encode(Content content) {
        return switch (content.getBodyCase()) {
            case TEXT -> text(content.getText());
            case IMAGE -> JsonProto.toJson(content.getImage());
            case VOICE -> JsonProto.toJson(content.getVoice());
            case VIDEO -> JsonProto.toJson(content.getVideo());
            case FILE -> JsonProto.toJson(content.getFile());
            case LOCATION -> JsonProto.toJson(content.getLocation());
            case CARD -> JsonProto.toJson(content.getCard());
            case CUSTOM -> JsonProto.toJson(content.getCustom());
            case EVENT -> JsonProto.toJson(content.getEvent());
            case BODY_NOT_SET -> JsonWrite.object();
        };
    }

    private static ObjectNode text(Text t) {
        ObjectNode o = JsonWrite.object();
        o.put("text", t.getText()); // always: SimpleIM clients read content.text
        uint64sIfSet(o, "at_user_ids", t.getAtUserIdsList());
        trueIfSet(o, "at_all", t.getAtAll());
        return o;
    }


}
