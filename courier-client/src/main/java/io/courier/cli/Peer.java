package io.courier.cli;

/** The other side of a conversation: a user, or a group written {@code g:<group id>}. */
sealed interface Peer {
    record User(UserRef user) implements Peer {
    }

    record Group(long groupId) implements Peer {
    }

    static Peer parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.regionMatches(true, 0, "g:", 0, 2)) {
            return new Group(GroupIds.parse(t.substring(2)));
        }
        return new User(UserRef.parse(t));
    }
}
