package io.courier.cli;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One shell command: its names, what it takes, one line of help, and how its arguments become a {@link Command}. */
record CommandSpec(String name, List<String> aliases, String section, String summary, List<Param> params,
                   Function<Args, Command> build) {

    /** One argument. {@code REST} takes the rest of the line, spaces and colons included. */
    record Param(String label, Kind kind, boolean required) {
        enum Kind { WORD, PEER, REST }

        String synopsis() {
            return required ? "<" + label + ">" : "[" + label + "]";
        }
    }

    static Param word(String label) {
        return new Param(label, Param.Kind.WORD, true);
    }

    static Param optionalWord(String label) {
        return new Param(label, Param.Kind.WORD, false);
    }

    /** A user, or a group as {@code g:<gid>}: in colon syntax {@code g:5} stays one argument. */
    static Param peer() {
        return new Param("user|g:gid", Param.Kind.PEER, true);
    }

    static Param rest(String label) {
        return new Param(label, Param.Kind.REST, true);
    }

    static Param optionalRest(String label) {
        return new Param(label, Param.Kind.REST, false);
    }

    String synopsis() {
        return params.isEmpty() ? name
                : name + " " + params.stream().map(Param::synopsis).collect(Collectors.joining(" "));
    }

    /** The same in MPIM's colon form, e.g. {@code chat:<user|g:gid>:<text...>}. */
    String colonSynopsis() {
        return params.isEmpty() ? name
                : name + ":" + params.stream().map(Param::synopsis).collect(Collectors.joining(":"));
    }

    long requiredCount() {
        return params.stream().filter(Param::required).count();
    }
}
