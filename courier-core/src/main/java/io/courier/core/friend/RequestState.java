package io.courier.core.friend;

import java.util.Locale;

/** Life of a friend request: pending until the recipient accepts or declines it, or the sender cancels it. */
public enum RequestState {
    PENDING, ACCEPTED, DECLINED, CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RequestState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
