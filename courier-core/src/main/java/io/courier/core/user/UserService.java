package io.courier.core.user;

import io.courier.core.auth.PasswordHasher;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;

import io.courier.core.limit.RateLimits;

import java.time.Clock;
import java.util.List;

/** Registration, profiles and finding people. Blocking: never call it on an event loop. */
public final class UserService {
    /** The most users one search returns. */
    public static final int MAX_SEARCH_LIMIT = 100;

    private final UserStore users;
    private final PasswordHasher hasher;
    private final RateLimits limits;
    private final Clock clock;

    public UserService(UserStore users, PasswordHasher hasher, RateLimits limits, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.limits = limits;
        this.clock = clock;
    }

    /** Registers an account; {@code clientAddress} (may be null) counts against the registrations per address. */
    public User register(String username, String password, String nickname, String email, String clientAddress) {
        String canonical = AccountRules.canonicalUsername(username);
        AccountRules.checkPassword(password, "password");
        String nick = nickname == null || nickname.isBlank() ? username : AccountRules.checkNickname(nickname);
        String mail = AccountRules.checkEmail(email);
        if (users.findByUsername(canonical).isPresent()) {
            // Checked first to spare a hash; the store's unique key still decides a race.
            throw CourierException.field(ErrorCode.USERNAME_TAKEN, "username", ErrorCode.USERNAME_TAKEN.message());
        }
        limits.acquire(RateLimits.Kind.REGISTRATIONS, clientAddress); // after the checks: a typo costs no token
        long now = clock.millis();
        long id = users.create(new NewUser(canonical, hasher.hash(password), nick, mail, now));
        return new User(id, canonical, nick, "", "", mail, now);
    }

    public User get(long userId) {
        return users.findById(userId).orElseThrow(() -> CourierException.of(ErrorCode.USER_NOT_FOUND));
    }

    public User updateProfile(long userId, ProfileUpdate update) {
        ProfileUpdate checked = new ProfileUpdate(AccountRules.checkNickname(update.nickname()),
                AccountRules.checkAvatar(update.avatar()), AccountRules.checkSignature(update.signature()));
        if (!checked.isEmpty() && !users.updateProfile(userId, checked, clock.millis())) {
            throw CourierException.of(ErrorCode.USER_NOT_FOUND);
        }
        return get(userId);
    }

    /** A page of users matching {@code keyword}, and how many match in all. */
    public record SearchPage(long total, List<User> users) {
    }

    public SearchPage search(String keyword, int offset, int limit) {
        String k = keyword == null ? "" : keyword.strip();
        if (k.isEmpty()) {
            throw CourierException.field(ErrorCode.MISSING_FIELD, "keyword", "keyword is required");
        }
        if (k.length() > 64) {
            throw CourierException.field(ErrorCode.INVALID_FIELD, "keyword", "keyword is at most 64 characters");
        }
        int size = Math.clamp(limit, 1, MAX_SEARCH_LIMIT);
        return new SearchPage(users.countSearch(k), users.search(k, Math.max(0, offset), size));
    }
}
