package io.courier.gateway.mpim;

import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupEvent;
import io.courier.protocol.v1.Message;

import java.util.stream.Collectors;

/**
 * What the server pushes on the line protocol: every message as one {@code MSG} line, whatever its
 * kind, and the line that announces a kick. The line protocol has no words for read receipts, typing,
 * presence, recalls or heartbeats; those pushes are not written.
 */
final class MsgLines {
    private MsgLines() {
    }

    /** The line for a push, or null for one the line protocol cannot express. */
    static Object encode(Envelope push) {
        return switch (push.getBodyCase()) {
            case MESSAGE -> msg(push.getMessage());
            case KICKED -> "-ERR kicked: " + push.getKicked().getReason();
            default -> null;
        };
    }

    /**
     * {@code MSG id=<message id> from=<sender> ts=<epoch ms> [group=<group id>] text=<text>}: MPIM's format,
     * with the real message id; {@code text=} stays last, so the text may hold spaces and "=".
     */
    static String msg(Message m) {
        StringBuilder line = new StringBuilder(64)
                .append("MSG id=").append(Long.toUnsignedString(m.getMessageId()))
                .append(" from=").append(Long.toUnsignedString(m.getSenderId()))
                .append(" ts=").append(m.getServerTs());
        if (m.getGroupId() != 0) {
            line.append(" group=").append(Long.toUnsignedString(m.getGroupId()));
        }
        return line.append(" text=").append(oneLine(text(m))).toString();
    }

    /** A MSG line must stay one line: line breaks become the two characters backslash and n. */
    static String oneLine(String text) {
        return text.replace("\r\n", "\\n").replace('\r', '\n').replace("\n", "\\n");
    }

    /** The text of a message; other kinds get a readable stand-in so that a line client sees that something came. */
    static String text(Message m) {
        if (m.getRecalled()) {
            return "[recalled]";
        }
        Content c = m.getContent();
        return switch (c.getBodyCase()) {
            case TEXT -> c.getText().getText();
            case IMAGE -> words("[image]", reference(c.getImage().getUrl(), c.getImage().getFileId()));
            case VOICE -> words("[voice]", reference(c.getVoice().getUrl(), c.getVoice().getFileId()));
            case VIDEO -> words("[video]", reference(c.getVideo().getUrl(), c.getVideo().getFileId()));
            case FILE -> words("[file]", c.getFile().getName(), reference(c.getFile().getUrl(), c.getFile().getFileId()));
            case LOCATION -> words("[location]", c.getLocation().getName(),
                    c.getLocation().getLatitude() + "," + c.getLocation().getLongitude());
            case CARD -> words("[card]", Long.toUnsignedString(c.getCard().getUserId()), c.getCard().getNickname());
            case CUSTOM -> words("[custom]", c.getCustom().getType());
            case EVENT -> event(c.getEvent());
            case BODY_NOT_SET -> "";
        };
    }

    private static String reference(String url, String fileId) {
        return url.isEmpty() ? fileId : url;
    }

    private static String words(String... parts) {
        return java.util.Arrays.stream(parts).filter(p -> !p.isEmpty()).collect(Collectors.joining(" "));
    }

    /** A group change in a few words, "* 5 joined": events are messages of the group's timeline, so they are written too. */
    static String event(GroupEvent e) {
        String op = Long.toUnsignedString(e.getOperatorId());
        String targets = e.getTargetIdsList().stream().map(Long::toUnsignedString).collect(Collectors.joining(","));
        return "* " + switch (e.getType()) {
            case CREATED -> op + " created the group";
            case JOINED -> targets + " joined";
            case LEFT -> targets + " left";
            case KICKED -> targets + " removed by " + op;
            case ROLE_CHANGED -> targets + " is now " + e.getExtra();
            case MUTED -> "0".equals(e.getExtra()) ? targets + " unmuted by " + op : targets + " muted by " + op + " until " + e.getExtra();
            case MUTE_ALL -> op + ("true".equals(e.getExtra()) ? " muted everyone" : " unmuted everyone");
            case INFO_CHANGED -> op + " changed " + e.getExtra();
            case DISSOLVED -> op + " dissolved the group";
            case TYPE_UNSPECIFIED, UNRECOGNIZED -> "the group changed";
        };
    }
}
