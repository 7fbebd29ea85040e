package io.courier.cli;

import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.GroupEvent;
import io.courier.protocol.v1.Message;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How messages read on screen: {@code [alice] hello} for a 1:1 message, {@code [group 5 alice] hi}
 * in a group, {@code [group 5] alice added bob} for a group's events; history adds the time and the
 * message's {@code #seq}. Text from the wire is made safe to print: a message cannot move the
 * cursor or recolour the terminal.
 */
final class MessageText {
    private final NameResolver names;
    private final long me;
    private final TimeText times;

    MessageText(NameResolver names, long me, TimeText times) {
        this.names = names;
        this.me = me;
        this.times = times;
    }

    /** As it arrives: {@code [alice] hello}. */
    Line live(Message m) {
        Line line = new Line();
        label(line, m);
        return line.add(body(m));
    }

    /** With its time: {@code 2025-11-24 12:00:01 [alice] hello}. */
    Line stamped(Message m) {
        Line line = Line.of(Tone.DIM, time(m.getServerTs()) + " ");
        label(line, m);
        return line.add(body(m));
    }

    /** With its number, which {@code recall} takes: {@code #3 2025-11-24 12:00:01 [alice] hello}. */
    Line numbered(Message m) {
        Line line = Line.of(Tone.DIM, "#" + m.getSeq() + " " + time(m.getServerTs()) + " ");
        label(line, m);
        return line.add(body(m));
    }

    String time(long epochMillis) {
        return times.of(epochMillis);
    }

    String name(long userId) {
        return userId == me ? "you" : names.name(userId);
    }

    private void label(Line line, Message m) {
        boolean mine = m.getSenderId() == me;
        if (m.getGroupId() != 0) {
            String who = m.getContent().hasEvent() ? "" : " " + name(m.getSenderId());
            line.add(Tone.GROUP, "[group " + m.getGroupId() + who + "]");
        } else if (mine) {
            line.add(Tone.SELF, "[you → " + names.name(m.getToUserId()) + "]");
        } else {
            line.add(Tone.PEER, "[" + names.name(m.getSenderId()) + "]");
        }
        line.add(" ");
    }

    String body(Message m) {
        if (m.getRecalled()) {
            return "(recalled)";
        }
        Content c = m.getContent();
        return switch (c.getBodyCase()) {
            case TEXT -> safe(c.getText().getText());
            case IMAGE -> "(image) " + safe(c.getImage().getUrl());
            case VOICE -> "(voice, " + c.getVoice().getDurationMs() / 1000 + " s) " + safe(c.getVoice().getUrl());
            case VIDEO -> "(video, " + c.getVideo().getDurationMs() / 1000 + " s) " + safe(c.getVideo().getUrl());
            case FILE -> "(file " + safe(c.getFile().getName()) + ") " + safe(c.getFile().getUrl());
            case LOCATION -> "(location " + c.getLocation().getLatitude() + ", " + c.getLocation().getLongitude()
                    + ") " + safe(c.getLocation().getName());
            case CARD -> "(contact card) " + names.name(c.getCard().getUserId());
            case CUSTOM -> "(" + safe(c.getCustom().getType()) + ") " + safe(c.getCustom().getData());
            case EVENT -> event(c.getEvent());
            case BODY_NOT_SET -> "(empty)";
        };
    }

    private String event(GroupEvent e) {
        String by = name(e.getOperatorId());
        String targets = e.getTargetIdsList().stream().map(this::name).collect(Collectors.joining(", "));
        return switch (e.getType()) {
            case CREATED -> by + " created the group" + (targets.isEmpty() ? "" : " with " + targets);
            case JOINED -> e.getTargetIdsList().equals(List.of(e.getOperatorId())) ? by + " joined"
                    : targets + " joined (added by " + by + ")";
            case LEFT -> targets + " left";
            case KICKED -> by + " removed " + targets;
            case ROLE_CHANGED -> switch (e.getExtra()) {
                case "owner" -> by + " handed the group to " + targets;
                case "admin" -> by + " made " + targets + " an admin";
                default -> by + " made " + targets + " a member";
            };
            case MUTED -> e.getExtra().equals("0") ? by + " unmuted " + targets
                    : by + " muted " + targets + " until " + mutedUntil(e.getExtra());
            case MUTE_ALL -> e.getExtra().equals("true") ? by + " muted everyone but the owner and admins"
                    : by + " let everyone speak again";
            case INFO_CHANGED -> by + " changed the group's " + e.getExtra().replace(",", ", ");
            case DISSOLVED -> by + " dissolved the group";
            case TYPE_UNSPECIFIED, UNRECOGNIZED -> by + " changed the group";
        };
    }

    private String mutedUntil(String epochMillis) {
        try {
            return time(Long.parseLong(epochMillis));
        } catch (NumberFormatException e) {
            return safe(epochMillis);
        }
    }

    /**
     * Control characters (escape sequences above all) become U+FFFD; a line break stays, with the
     * next line indented so it still reads as part of this message.
     */
    static String safe(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\n') {
                b.append("\n    ");
            } else if (cp == '\t') {
                b.append(' ');
            } else if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
                b.append('\uFFFD');
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
