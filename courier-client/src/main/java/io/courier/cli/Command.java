package io.courier.cli;

/**
 * What the user asked for, whichever way it was typed (a shell line in MPIM or space syntax, or
 * script arguments); {@link CommandRunner} runs it.
 */
sealed interface Command permits AccountCommand, FriendCommand, ChatCommand, GroupCommand, ShellCommand {
    /** Whether it needs a logged-in user. */
    default boolean needsSession() {
        return true;
    }
}
