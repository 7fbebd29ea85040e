package io.courier.core.message;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.protocol.v1.Content;

/**
 * What a message of each kind must carry. Text is bounded by the configured length; media and files
 * must reference their upload (a URL or a file id); strings that clients display are bounded.
 */
public final class ContentRules {
    private static final int MAX_URL = 2048;
    private static final int MAX_LABEL = 512;
    private static final int MAX_CUSTOM_DATA = 16 * 1024;
    private static final int MAX_MENTIONS = 100;

    private final int maxTextLength;

    public ContentRules(int maxTextLength) {
        this.maxTextLength = maxTextLength;
    }

    public void check(Content content) {
        switch (content.getBodyCase()) {
            case TEXT -> {
                String text = content.getText().getText();
                if (text.isBlank()) {
                    throw CourierException.of(ErrorCode.MESSAGE_EMPTY);
                }
                if (text.length() > maxTextLength) {
                    throw CourierException.of(ErrorCode.MESSAGE_TOO_LONG,
                            "The message text is longer than " + maxTextLength + " characters");
                }
                if (content.getText().getAtUserIdsCount() > MAX_MENTIONS) {
                    throw invalid("at most " + MAX_MENTIONS + " mentions");
                }
            }
            case IMAGE -> reference(content.getImage().getUrl(), content.getImage().getFileId());
            case VOICE -> reference(content.getVoice().getUrl(), content.getVoice().getFileId());
            case VIDEO -> reference(content.getVideo().getUrl(), content.getVideo().getFileId());
            case FILE -> {
                reference(content.getFile().getUrl(), content.getFile().getFileId());
                label(content.getFile().getName(), "file name");
            }
            case LOCATION -> {
                double lat = content.getLocation().getLatitude();
                double lon = content.getLocation().getLongitude();
                if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
                    throw invalid("a location's latitude is -90..90 and longitude -180..180");
                }
                label(content.getLocation().getName(), "location name");
                label(content.getLocation().getAddress(), "address");
            }
            case CARD -> {
                if (content.getCard().getUserId() <= 0) {
                    throw invalid("a card names a user_id");
                }
                label(content.getCard().getNickname(), "nickname");
                label(content.getCard().getAvatar(), "avatar");
            }
            case CUSTOM -> {
                if (content.getCustom().getType().isBlank()) {
                    throw invalid("a custom message names its type");
                }
                label(content.getCustom().getType(), "custom type");
                if (content.getCustom().getData().length() > MAX_CUSTOM_DATA) {
                    throw invalid("custom data is at most " + MAX_CUSTOM_DATA + " characters");
                }
            }
            case EVENT -> throw invalid("group events are written by the server, not sent");
            case BODY_NOT_SET -> throw CourierException.of(ErrorCode.MESSAGE_EMPTY);
        }
    }

    /** The kind's name as stored and as the text/JSON protocols name it: text, image, voice, ... */
    public static String kind(Content content) {
        return content.getBodyCase().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void reference(String url, String fileId) {
        if (url.isBlank() && fileId.isBlank()) {
            throw invalid("a media or file message carries a url or a file_id");
        }
        if (url.length() > MAX_URL || fileId.length() > 128) {
            throw invalid("a url is at most " + MAX_URL + " characters and a file_id at most 128");
        }
    }

    private static void label(String value, String what) {
        if (value.length() > MAX_LABEL) {
            throw invalid("a " + what + " is at most " + MAX_LABEL + " characters");
        }
    }

    private static CourierException invalid(String why) {
        return CourierException.of(ErrorCode.CONTENT_INVALID, "The message content is not valid: " + why);
    }
}
