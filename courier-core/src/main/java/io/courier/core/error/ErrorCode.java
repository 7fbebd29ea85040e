package io.courier.core.error;

/**
 * Every error a client can cause, with a stable number and a human message. Each protocol adapter
 * (HTTP, WebSocket, native TCP, line protocols) reports these same codes; {@link Kind} tells an
 * adapter which family of its own status codes to use. Numbers are never reused or renumbered:
 * clients and docs/protocol.md depend on them.
 */
public enum ErrorCode {
    // 1xxx: the request itself
    BAD_REQUEST(1000, Kind.INVALID, "The request is not valid"),
    MALFORMED_JSON(1001, Kind.INVALID, "The body is not valid JSON"),
    INVALID_FIELD(1002, Kind.INVALID, "A field has the wrong type or an invalid value"),
    MISSING_FIELD(1003, Kind.INVALID, "A required field is missing"),
    BODY_TOO_LARGE(1004, Kind.TOO_LARGE, "The request body is larger than the server accepts"),
    ROUTE_NOT_FOUND(1005, Kind.NOT_FOUND, "No such route"),
    METHOD_NOT_ALLOWED(1006, Kind.METHOD, "This route does not accept that method"),
    OVERLOADED(1007, Kind.UNAVAILABLE, "The server is busy; retry shortly"),
    UNSUPPORTED_FRAME(1008, Kind.INVALID, "Unknown or unsupported frame type"),
    NOT_LOGGED_IN(1009, Kind.UNAUTHORIZED, "Log in first: only a login or a heartbeat may come before the login"),
    ALREADY_LOGGED_IN(1010, Kind.INVALID, "This connection is already logged in"),
    FRAME_TOO_LARGE(1011, Kind.TOO_LARGE, "The frame is larger than the server accepts"),
    RATE_LIMITED(1012, Kind.TOO_MANY, "Too many requests of this kind; retry after the time given"),

    // 2xxx: authentication and sessions
    UNAUTHENTICATED(2001, Kind.UNAUTHORIZED, "An access token is required"),
    TOKEN_INVALID(2002, Kind.UNAUTHORIZED, "The token is not valid"),
    TOKEN_EXPIRED(2003, Kind.UNAUTHORIZED, "The token has expired"),
    TOKEN_REVOKED(2004, Kind.UNAUTHORIZED, "The token has been revoked; log in again"),
    WRONG_TOKEN_TYPE(2005, Kind.UNAUTHORIZED, "That kind of token cannot be used here"),
    BAD_CREDENTIALS(2006, Kind.UNAUTHORIZED, "Wrong username or password"),
    LOGIN_THROTTLED(2007, Kind.TOO_MANY, "Too many failed logins; try again later"),
    ACCOUNT_DISABLED(2008, Kind.FORBIDDEN, "This account is disabled"),
    WRONG_PASSWORD(2009, Kind.FORBIDDEN, "The current password is wrong"),

    // 3xxx: accounts and profiles
    USERNAME_INVALID(3001, Kind.INVALID,
            "A username is 3-32 characters: letters, digits, '_', '.' or '-', starting with a letter"),
    PASSWORD_INVALID(3002, Kind.INVALID, "A password is 6-72 characters"),
    USERNAME_TAKEN(3003, Kind.CONFLICT, "That username is taken"),
    USER_NOT_FOUND(3004, Kind.NOT_FOUND, "No such user"),
    NICKNAME_INVALID(3005, Kind.INVALID, "A nickname is 1-64 characters without control characters"),
    EMAIL_INVALID(3006, Kind.INVALID, "That is not a valid e-mail address"),
    AVATAR_INVALID(3007, Kind.INVALID, "An avatar is an http(s) URL of at most 512 characters"),
    SIGNATURE_INVALID(3008, Kind.INVALID, "A signature is at most 256 characters"),
    DEVICE_ID_INVALID(3009, Kind.INVALID,
            "A device id is 1-64 characters: letters, digits, '_', '.', ':' or '-'"),

    // 4xxx: friends and blocks
    TARGET_IS_SELF(4001, Kind.INVALID, "You cannot do that to yourself"),
    ALREADY_FRIENDS(4002, Kind.CONFLICT, "You are already friends"),
    FRIEND_REQUEST_EXISTS(4003, Kind.CONFLICT, "A friend request to this user is already pending"),
    FRIEND_REQUEST_NOT_FOUND(4004, Kind.NOT_FOUND, "No such friend request"),
    FRIEND_REQUEST_NOT_PENDING(4005, Kind.CONFLICT, "That friend request has already been answered"),
    NOT_FRIENDS(4006, Kind.NOT_FOUND, "This user is not your friend"),
    YOU_BLOCKED_USER(4007, Kind.CONFLICT, "You have blocked this user; unblock them first"),
    FRIEND_MESSAGE_INVALID(4008, Kind.INVALID, "A friend request message is at most 256 characters"),

    // 5xxx: messages and conversations
    MESSAGE_EMPTY(5001, Kind.INVALID, "The message has no content"),
    MESSAGE_TOO_LONG(5002, Kind.TOO_LARGE, "The message text is longer than the server accepts"),
    RECIPIENT_BLOCKED_YOU(5003, Kind.FORBIDDEN, "The recipient does not accept messages from you"),
    NOT_FRIENDS_CANNOT_SEND(5004, Kind.FORBIDDEN, "This server only delivers messages between friends"),
    CONVERSATION_NOT_FOUND(5005, Kind.NOT_FOUND, "No such conversation, or you are not part of it"),
    MESSAGE_NOT_FOUND(5006, Kind.NOT_FOUND, "No such message"),
    RECALL_NOT_ALLOWED(5007, Kind.FORBIDDEN, "Only the sender may recall a message"),
    RECALL_WINDOW_PASSED(5008, Kind.FORBIDDEN, "The message is too old to recall"),
    CLIENT_MSG_ID_INVALID(5009, Kind.INVALID, "A client message id is 1-64 printable ASCII characters"),
    CONTENT_INVALID(5010, Kind.INVALID, "The message content is not valid for its kind"),

    // 6xxx: groups
    GROUP_NOT_FOUND(6001, Kind.NOT_FOUND, "No such group"),
    NOT_GROUP_MEMBER(6002, Kind.FORBIDDEN, "You are not a member of this group"),
    GROUP_ROLE_FORBIDDEN(6003, Kind.FORBIDDEN, "Your role in this group does not allow that"),
    MEMBER_MUTED(6004, Kind.FORBIDDEN, "You are muted in this group"),
    GROUP_MUTED_ALL(6005, Kind.FORBIDDEN, "Only the owner and admins may speak in this group now"),
    GROUP_DISSOLVED(6006, Kind.CONFLICT, "This group has been dissolved"),
    GROUP_FULL(6007, Kind.CONFLICT, "This group is full"),
    ALREADY_GROUP_MEMBER(6008, Kind.CONFLICT, "Already a member of this group"),
    OWNER_MUST_TRANSFER(6009, Kind.CONFLICT, "The owner must transfer the group before leaving it"),
    JOIN_REQUEST_EXISTS(6010, Kind.CONFLICT, "A request or invitation to join this group is already pending"),
    JOIN_REQUEST_NOT_FOUND(6011, Kind.NOT_FOUND, "No such join request or invitation"),
    JOIN_REQUEST_NOT_PENDING(6012, Kind.CONFLICT, "That join request or invitation has already been answered"),
    GROUP_INVITE_ONLY(6013, Kind.FORBIDDEN, "This group can only be joined by invitation"),
    GROUP_NAME_INVALID(6014, Kind.INVALID, "A group name is 1-64 characters"),
    GROUP_FIELD_INVALID(6015, Kind.INVALID, "A group field is too long or not valid"),
    TARGET_NOT_MEMBER(6016, Kind.NOT_FOUND, "That user is not a member of this group"),

    // 9xxx: the server
    INTERNAL(9000, Kind.INTERNAL, "Internal server error"),
    UNAVAILABLE(9001, Kind.UNAVAILABLE, "A backing service is unavailable; retry shortly");

    /** Families of errors; each protocol adapter maps a kind to its own status (HTTP 400, 401, ...). */
    public enum Kind { INVALID, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, METHOD, CONFLICT, TOO_LARGE, TOO_MANY, UNAVAILABLE, INTERNAL }

    private final int code;
    private final Kind kind;
    private final String message;

    ErrorCode(int code, Kind kind, String message) {
        this.code = code;
        this.kind = kind;
        this.message = message;
    }

    public int code() { return code; }

    public Kind kind() { return kind; }

    public String message() { return message; }
}
