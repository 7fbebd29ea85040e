package io.courier.core.user;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The shape of valid account fields. Usernames are case-insensitive: they are stored in lower case
 * so that "Alice" and "alice" cannot both exist; the nickname keeps the spelling a person chose.
 */
public final class AccountRules {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{2,31}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private AccountRules() {
    }

    public static String canonicalUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw CourierException.field(ErrorCode.USERNAME_INVALID, "username", ErrorCode.USERNAME_INVALID.message());
        }
        return username.toLowerCase(Locale.ROOT);
    }

    public static void checkPassword(String password, String field) {
        if (password == null || password.length() < 6 || password.length() > 72) {
            throw CourierException.field(ErrorCode.PASSWORD_INVALID, field, ErrorCode.PASSWORD_INVALID.message());
        }
    }

    public static String checkNickname(String nickname) {
        if (nickname == null) {
            return null;
        }
        String trimmed = nickname.strip();
        if (trimmed.isEmpty() || trimmed.length() > 64 || hasControlCharacter(trimmed)) {
            throw CourierException.field(ErrorCode.NICKNAME_INVALID, "nickname", ErrorCode.NICKNAME_INVALID.message());
        }
        return trimmed;
    }

    public static String checkEmail(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        String trimmed = email.strip();
        if (trimmed.length() > 254 || !EMAIL.matcher(trimmed).matches()) {
            throw CourierException.field(ErrorCode.EMAIL_INVALID, "email", ErrorCode.EMAIL_INVALID.message());
        }
        return trimmed;
    }

    /** An avatar is a URL the clients load; an empty string clears it. */
    public static String checkAvatar(String avatar) {
        if (avatar == null || avatar.isEmpty()) {
            return avatar;
        }
        boolean web = avatar.startsWith("https://") || avatar.startsWith("http://");
        if (!web || avatar.length() > 512 || hasControlCharacter(avatar) || avatar.contains(" ")) {
            throw CourierException.field(ErrorCode.AVATAR_INVALID, "avatar", ErrorCode.AVATAR_INVALID.message());
        }
        return avatar;
    }

    public static String checkSignature(String signature) {
        if (signature == null) {
            return null;
        }
        if (signature.length() > 256 || hasControlCharacter(signature.replace('\n', ' '))) {
            throw CourierException.field(ErrorCode.SIGNATURE_INVALID, "signature", ErrorCode.SIGNATURE_INVALID.message());
        }
        return signature;
    }

    public static String checkDeviceId(String deviceId) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw CourierException.field(ErrorCode.DEVICE_ID_INVALID, "device_id", ErrorCode.DEVICE_ID_INVALID.message());
        }
        return deviceId;
    }

    private static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }
}
