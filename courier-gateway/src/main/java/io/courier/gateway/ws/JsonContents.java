package io.courier.gateway.ws;

import static io.courier.gateway.ws.JsonWrite.numberIfSet;
import static io.courier.gateway.ws.JsonWrite.stringIfSet;
import static io.courier.gateway.ws.JsonWrite.trueIfSet;
import static io.courier.gateway.ws.JsonWrite.uint32IfSet;
import static io.courier.gateway.ws.JsonWrite.uint64IfSet;
import static io.courier.gateway.ws.JsonWrite.uint64sIfSet;

import com.fasterxml.jackson.databind.JsonNode;
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

    private JsonContents() {
    }

    // ---- JSON → proto ----------------------------------------------------------------------

    /** The content of a chat frame of {@code type} (0, 1, 2 or 4-10). */
    static Content decode(int type, JsonFields content) {
        Content.Builder out = Content.newBuilder();
        switch (type) {
            case 0, TEXT, GROUP_TEXT -> out.setText(text(content));
            case IMAGE -> out.setImage(image(content));
            case VOICE -> out.setVoice(voice(content));
            case VIDEO -> out.setVideo(video(content));
            case FILE -> out.setFile(file(content));
            case LOCATION -> out.setLocation(location(content));
            case CARD -> out.setCard(card(content));
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

    private static Image image(JsonFields c) {
        return Image.newBuilder()
                .setUrl(c.string("url"))
                .setFileId(c.string("file_id"))
                .setWidth(c.uint32("width"))
                .setHeight(c.uint32("height"))
                .setSize(c.uint64("size", "file_size"))
                .setMimeType(c.string("mime_type"))
                .setThumbnailUrl(c.string("thumbnail_url"))
                .build();
    }

    private static Voice voice(JsonFields c) {
        return Voice.newBuilder()
                .setUrl(c.string("url"))
                .setFileId(c.string("file_id"))
                .setDurationMs(c.uint32("duration_ms"))
                .setSize(c.uint64("size", "file_size"))
                .setMimeType(c.string("mime_type"))
                .build();
    }

    private static Video video(JsonFields c) {
        return Video.newBuilder()
                .setUrl(c.string("url"))
                .setFileId(c.string("file_id"))
                .setDurationMs(c.uint32("duration_ms"))
                .setWidth(c.uint32("width"))
                .setHeight(c.uint32("height"))
                .setSize(c.uint64("size", "file_size"))
                .setMimeType(c.string("mime_type"))
                .setThumbnailUrl(c.string("thumbnail_url"))
                .build();
    }

    private static File file(JsonFields c) {
        return File.newBuilder()
                .setUrl(c.string("url"))
                .setFileId(c.string("file_id"))
                .setName(c.string("name", "file_name"))
                .setSize(c.uint64("size", "file_size"))
                .setMimeType(c.string("mime_type"))
                .build();
    }

    private static Location location(JsonFields c) {
        return Location.newBuilder()
                .setLatitude(c.number("latitude"))
                .setLongitude(c.number("longitude"))
                .setName(c.string("name"))
                .setAddress(c.string("address"))
                .build();
    }

    private static Card card(JsonFields c) {
        return Card.newBuilder()
                .setUserId(c.uint64("user_id"))
                .setNickname(c.string("nickname"))
                .setAvatar(c.string("avatar"))
                .build();
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
        };
    }

    static ObjectNode encode(Content content) {
        return switch (content.getBodyCase()) {
            case TEXT -> text(content.getText());
            case IMAGE -> image(content.getImage());
            case VOICE -> voice(content.getVoice());
            case VIDEO -> video(content.getVideo());
            case FILE -> file(content.getFile());
            case LOCATION -> location(content.getLocation());
            case CARD -> card(content.getCard());
            case CUSTOM -> custom(content.getCustom());
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

    private static ObjectNode image(Image i) {
        ObjectNode o = JsonWrite.object();
        stringIfSet(o, "url", i.getUrl());
        stringIfSet(o, "file_id", i.getFileId());
        uint32IfSet(o, "width", i.getWidth());
        uint32IfSet(o, "height", i.getHeight());
        uint64IfSet(o, "size", i.getSize());
        stringIfSet(o, "mime_type", i.getMimeType());
        stringIfSet(o, "thumbnail_url", i.getThumbnailUrl());
        return o;
    }

    private static ObjectNode voice(Voice v) {
        ObjectNode o = JsonWrite.object();
        stringIfSet(o, "url", v.getUrl());
        stringIfSet(o, "file_id", v.getFileId());
        uint32IfSet(o, "duration_ms", v.getDurationMs());
        uint64IfSet(o, "size", v.getSize());
        stringIfSet(o, "mime_type", v.getMimeType());
        return o;
    }

    private static ObjectNode video(Video v) {
        ObjectNode o = JsonWrite.object();
        stringIfSet(o, "url", v.getUrl());
        stringIfSet(o, "file_id", v.getFileId());
        uint32IfSet(o, "duration_ms", v.getDurationMs());
        uint32IfSet(o, "width", v.getWidth());
        uint32IfSet(o, "height", v.getHeight());
        uint64IfSet(o, "size", v.getSize());
        stringIfSet(o, "mime_type", v.getMimeType());
        stringIfSet(o, "thumbnail_url", v.getThumbnailUrl());
        return o;
    }

    private static ObjectNode file(File f) {
        ObjectNode o = JsonWrite.object();
        stringIfSet(o, "url", f.getUrl());
        stringIfSet(o, "file_id", f.getFileId());
        stringIfSet(o, "name", f.getName());
        uint64IfSet(o, "size", f.getSize());
        stringIfSet(o, "mime_type", f.getMimeType());
        return o;
    }

    private static ObjectNode location(Location l) {
        ObjectNode o = JsonWrite.object();
        numberIfSet(o, "latitude", l.getLatitude());
        numberIfSet(o, "longitude", l.getLongitude());
        stringIfSet(o, "name", l.getName());
        stringIfSet(o, "address", l.getAddress());
        return o;
    }

    private static ObjectNode card(Card c) {
        ObjectNode o = JsonWrite.object();
        uint64IfSet(o, "user_id", c.getUserId());
        stringIfSet(o, "nickname", c.getNickname());
        stringIfSet(o, "avatar", c.getAvatar());
        return o;
    }

    private static ObjectNode custom(Custom c) {
        ObjectNode o = JsonWrite.object();
        stringIfSet(o, "type", c.getType());
        stringIfSet(o, "data", c.getData());
        return o;
    }
}
