package io.courier.cli;

/** Group ids as typed: positive numbers. */
final class GroupIds {
    private GroupIds() {
    }

    static long parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.regionMatches(true, 0, "g:", 0, 2)) {
            t = t.substring(2);
        }
        try {
            long id = Long.parseLong(t);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("Not a group id: " + text + " (group ids are numbers, see groups)");
    }
}
