package io.courier.core.user;

/** A partial profile change: a null field stays as it is. */
public record ProfileUpdate(String nickname, String avatar, String signature) {
    public boolean isEmpty() {
        return nickname == null && avatar == null && signature == null;
    }
}
