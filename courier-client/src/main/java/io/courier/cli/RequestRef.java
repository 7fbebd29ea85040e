package io.courier.cli;

/**
 * A friend request as typed: {@code #<request id>} (as {@code requests} lists them), or the user
 * on the other side of it (a username or a user id).
 */
sealed interface RequestRef {
    record ById(long requestId) implements RequestRef {
    }

    record ByUser(UserRef user) implements RequestRef {
    }

    static RequestRef parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("#")) {
            try {
                return new ById(Long.parseLong(t.substring(1)));
            } catch (NumberFormatException e) {
                throw new UsageException("Not a request id: " + text);
            }
        }
        return new ByUser(UserRef.parse(t));
    }
}
