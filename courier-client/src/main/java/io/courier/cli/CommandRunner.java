package io.courier.cli;

/** Runs a {@link Command} with the handler of its family; the same for the shell and for scripts. */
final class CommandRunner {
    private final Account account;
    private final AccountCommands accounts;
    private final FriendCommands friends;
    private final ChatCommands chats;
    private final GroupCommands groups;

    CommandRunner(Account account, AccountCommands accounts, FriendCommands friends, ChatCommands chats,
                  GroupCommands groups) {
        this.account = account;
        this.accounts = accounts;
        this.friends = friends;
        this.chats = chats;
        this.groups = groups;
    }

    /** The handlers of every family, sharing one account, name cache and output. */
    static CommandRunner create(Account account, NameResolver names, Output out, Prompter prompter, TimeText times,
                                boolean connectOnLogin) {
        return new CommandRunner(account,
                new AccountCommands(account, names, out, prompter, connectOnLogin),
                new FriendCommands(account, names, out, times),
                new ChatCommands(account, names, out, times),
                new GroupCommands(account, names, out, times));
    }

    void run(Command command) {
        if (command.needsSession()) {
            account.requireSession();
        }
        try {
            switch (command) {
                case AccountCommand a -> accounts.run(a);
                case FriendCommand f -> friends.run(f);
                case ChatCommand c -> chats.run(c);
                case GroupCommand g -> groups.run(g);
                case ShellCommand s -> throw new UsageException("Only the interactive shell knows " + s);
            }
        } catch (RuntimeException e) {
            if (command.needsSession() && Failure.endsSession(e)) {
                account.sessionEnded();
            }
            throw e;
        }
    }
}
