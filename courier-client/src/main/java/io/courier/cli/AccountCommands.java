package io.courier.cli;

import io.courier.cli.AccountCommand.Login;
import io.courier.cli.AccountCommand.Logout;
import io.courier.cli.AccountCommand.Register;
import io.courier.cli.AccountCommand.WhoAmI;
import io.courier.client.http.Session;
import io.courier.client.http.UserProfile;

import java.util.Optional;

/** register, login, logout, whoami. */
final class AccountCommands {
    private final Account account;
    private final NameResolver names;
    private final Output out;
    private final Prompter prompter;
    private final boolean connectOnLogin;

    /** {@code connectOnLogin}: the shell connects at once, to receive messages and tell the unread count. */
    AccountCommands(Account account, NameResolver names, Output out, Prompter prompter, boolean connectOnLogin) {
        this.account = account;
        this.names = names;
        this.out = out;
        this.prompter = prompter;
        this.connectOnLogin = connectOnLogin;
    }

    void run(AccountCommand command) {
        switch (command) {
            case Register r -> register(r.username(), password(r.username(), r.password()));
            case Login l -> login(l.username(), password(l.username(), l.password()));
            case Logout l -> logout();
            case WhoAmI w -> whoAmI();
        }
    }

    /** As in MPIM, registering also logs in. */
    private void register(String username, String password) {
        UserProfile user = Await.result(account.http().register(username, password, null));
        names.remember(user);
        out.print(Tone.SUCCESS, "Registered " + user.username() + " (id " + user.userId() + ").");
        login(username, password);
    }

    private void login(String username, String password) {
        Session next = Await.result(account.http().login(username, password, account.server().deviceId()));
        // A login on the same device already ended the old session; any other would be left behind.
        Optional<String> leftBehind = account.session()
                .filter(old -> old.userId() != next.userId() || !old.deviceId().equals(next.deviceId()))
                .flatMap(old -> quietly(account::token));
        account.start(next);
        leftBehind.ifPresent(token -> quietly(() -> Await.result(account.http().logout(token))));
        names.remember(next.userId(), next.username());
        out.print(Tone.SUCCESS, "Logged in as " + next.username() + " (id " + next.userId() + ") on device "
                + next.deviceId() + ".");
        if (connectOnLogin) {
            account.connect().flatMap(Unread::summary).ifPresent(s -> out.print(Tone.NOTICE, s));
        }
    }

    private void logout() {
        Session s = account.requireSession();
        account.logout();
        out.print(Tone.SUCCESS, "Logged out " + s.username() + ".");
    }

    private void whoAmI() {
        Session s = account.requireSession();
        UserProfile me = Await.result(account.http().me(account.token()));
        String nickname = me.nickname() == null || me.nickname().equals(me.username()) ? ""
                : " \"" + MessageText.safe(me.nickname()) + "\"";
        out.print(me.username() + nickname + " (id " + me.userId() + ") on " + account.server().display()
                + ", device " + s.deviceId());
    }

    private String password(String username, String typed) {
        return typed != null ? typed : prompter.password("Password for " + username + ": ");
    }

    private static <T> Optional<T> quietly(java.util.function.Supplier<T> action) {
        try {
            return Optional.ofNullable(action.get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
