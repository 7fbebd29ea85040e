package io.courier.cli;

/**
 * A user as typed: a numeric id or a username. Usernames start with a letter, so a number is
 * always an id.
 */
record UserRef(String text) {

    static UserRef parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("@")) {
            t = t.substring(1);
        }
        if (t.isEmpty()) {
            throw new UsageException("A user is a username or a numeric user id");
        }
        if (Character.isDigit(t.charAt(0)) && !isId(t)) {
            throw new UsageException("Not a user id: " + text);
        }
        return new UserRef(t);
    }

    boolean isId() {
        return isId(text);
    }

    long id() {
        return Long.parseLong(text);
    }

    private static boolean isId(String t) {
        if (!t.chars().allMatch(Character::isDigit) || t.length() > 18) {
            return false;
        }
        return Long.parseLong(t) > 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
