package io.courier.cli;

import java.util.List;

/** What {@code help} prints, made from the {@link CommandCatalog}. */
final class ShellHelp {
    private final CommandCatalog catalog;
    private final Output out;

    ShellHelp(CommandCatalog catalog, Output out) {
        this.catalog = catalog;
        this.out = out;
    }

    void print(String topic) {
        if (topic == null) {
            all();
        } else {
            CommandSpec spec = catalog.find(topic).orElseThrow(() ->
                    new UsageException("No command " + topic + ". Type help to see the commands"));
            one(spec);
        }
    }

    private void all() {
        int width = catalog.all().stream().mapToInt(s -> s.synopsis().length()).max().orElse(0) + 3;
        String section = "";
        for (CommandSpec spec : catalog.all()) {
            if (!spec.section().equals(section)) {
                section = spec.section();
                out.print(Tone.NOTICE, section);
            }
            out.print(new Line().add("  " + pad(spec.synopsis(), width)).add(Tone.DIM, spec.summary()));
        }
        out.print("A user is a username or a numeric id; a group conversation is g:<gid>, e.g. history g:5.");
        out.print("Every command also takes MPIM's colon form: register:alice:secret1, chat:bob:Hi: how are you?,");
        out.print("sendgroup:5:hello. The last argument of a command (a message, say) takes the rest of the line.");
    }

    private void one(CommandSpec spec) {
        out.print(new Line().add(Tone.NOTICE, spec.synopsis()).add(Tone.DIM, "   or   " + spec.colonSynopsis()));
        out.print("  " + spec.summary());
        List<String> aliases = spec.aliases();
        if (!aliases.isEmpty()) {
            out.print("  also: " + String.join(", ", aliases));
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
