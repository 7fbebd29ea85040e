package io.courier.gateway.mpim;

import io.courier.core.error.CourierException;
import io.courier.gateway.fuzz.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

/**
 * Fuzzes the MPIM line parser with mutations of MPIM's own commands: any line is a command or a
 * CourierException (answered {@code -ERR}), nothing else; another exception fails the property.
 */
class MpimLineFuzzTest {
    static final List<String> COMMANDS = List.of("REGISTER alice secret1", "LOGIN alice secret1", "SEND 2 hello there",
            "SENDGROUP 5 see you at 8: bring water", "ADDFRIEND 3", "GETFRIENDS", "CREATEGROUP book club", "JOINGROUP 5",
            "GROUPS", "PULL", "ACK 254390018653552640", "PING", "LOGOUT", "QUIT");

    @Property
    void anyLineParsesOrIsRefusedWithACourierException(@ForAll("lines") String line) {
        try {
            CommandLine parsed = CommandLine.parse(line);
            if (parsed != null) { // what the commands read of a line: its words, its ids, its text
                parsed.words().forEach(CommandLine::id);
                CommandLine.id(parsed.first());
                parsed.afterFirst();
            }
        } catch (CourierException refused) {
            // the client's mistake, answered with -ERR
        }
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> commands = Combinators.combine(Arbitraries.of(COMMANDS), Arbitraries.randoms()).as(Mutations::mutate);
        return Arbitraries.frequencyOf(Tuple.of(8, commands), Tuple.of(1, Arbitraries.strings().ofMaxLength(300)));
    }
}
