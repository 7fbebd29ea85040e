package io.courier.gateway.mpim;

import io.courier.core.error.BackendException;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The lines the server answers with. The fixed ones are MPIM's, character for character (clients and
 * its benchmark compare them). Every other failure is one line of the general form
 * {@code -ERR <command word in lower case>: <Courier's message>}, for example
 * {@code -ERR register: A password is 6-72 characters}.
 */
final class Replies {
    private static final Logger log = LoggerFactory.getLogger(Replies.class);

    static final String GREETING = "+OK welcome. Commands: REGISTER/LOGIN/SEND/PULL";
    static final String UNKNOWN_COMMAND = "-ERR unknown cmd";
    static final String NOT_LOGGED_IN = "-ERR not login";
    static final String LINE_TOO_LONG = "-ERR line too long";

    static final String USAGE_REGISTER = "-ERR REGISTER <user> <pwd>";
    static final String USERNAME_TAKEN = "-ERR exists";
    static final String USAGE_LOGIN = "-ERR LOGIN <user> <pwd>";
    static final String BAD_CREDENTIALS = "-ERR auth bad cred";
    static final String USAGE_SEND = "-ERR SEND <toUid> <text>";
    static final String BAD_TO_UID = "-ERR bad toUid";
    static final String PULL_DONE = "+OK pull_done";
    static final String LOGGED_OUT = "+OK logout success";
    static final String USAGE_ADD_FRIEND = "-ERR ADDFRIEND <friend_id>";
    static final String BAD_FRIEND_ID = "-ERR bad friend_id";
    static final String ALREADY_FRIENDS = "-ERR already friends";
    static final String FRIEND_NOT_FOUND = "-ERR friend not found";
    static final String FRIEND_ADDED = "+OK friend added";
    /** Courier's: ADDFRIEND asked, the other user has not asked back yet. */
    static final String FRIEND_REQUEST_SENT = "+OK friend request sent";
    static final String USAGE_CREATE_GROUP = "-ERR CREATEGROUP <group_name> [description]";
    static final String USAGE_JOIN_GROUP = "-ERR JOINGROUP <group_id>";
    static final String BAD_GROUP_ID = "-ERR bad group_id";
    static final String JOINED_GROUP = "+OK joined group";
    /** Courier's: a group whose owner approves members got a join request, not a member. */
    static final String JOIN_REQUESTED = "+OK join requested";
    static final String USAGE_SEND_GROUP = "-ERR SENDGROUP <group_id> <text>";

    private Replies() {
    }

    /** A command's failure in the general form; only bugs are logged with their stack trace. */
    static String failure(String word, Throwable failure) {
        CourierException e;
        if (failure instanceof CourierException c) {
            e = c;
        } else if (failure instanceof BackendException b) {
            log.warn("A line-protocol command failed on a backing service: {}", b.getMessage());
            e = CourierException.of(ErrorCode.UNAVAILABLE);
        } else {
            log.error("A line-protocol command failed", failure);
            e = CourierException.of(ErrorCode.INTERNAL);
        }
        String message = e.getMessage().replace('\r', ' ').replace('\n', ' ');
        if (e.retryAfterSeconds() > 0) {
            message += " (retry in " + e.retryAfterSeconds() + " s)";
        }
        return "-ERR " + word.toLowerCase(Locale.ROOT) + ": " + message;
    }

    /** An answer that ends a command early: thrown by the command, written as its one line. */
    static final class Answer extends RuntimeException {
        private final String line;

        Answer(String line) {
            super(line, null, false, false);
            this.line = line;
        }

        String line() {
            return line;
        }
    }

    static Answer answer(String line) {
        return new Answer(line);
    }
}
