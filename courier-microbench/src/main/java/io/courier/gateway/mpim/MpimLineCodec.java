package io.courier.gateway.mpim;

import io.courier.protocol.v1.Message;

/**
 * The line codec's two steps that touch no connection, opened to the benchmarks.
 *
 * @implNote {@link MsgLines} and {@link CommandLine} are package-private because nothing outside the MPIM
 * adapter should use them; this class shares their package (from the benchmark jar, on the class path) so
 * the benchmarks measure the real code without the gateway widening its API for them.
 */
public final class MpimLineCodec {
    /** A parsed {@code SEND <to> <text>} line: what the adapter knows before it calls the core. */
    public record ParsedSend(String word, long to, String text) {
    }

    private MpimLineCodec() {
    }

    /** The MSG line a message is pushed as. */
    public static String msgLine(Message message) {
        return MsgLines.msg(message);
    }

    /** Splits a received line as the adapter does for SEND and SENDGROUP: command word, id, then the text. */
    public static ParsedSend parseSend(String received) {
        CommandLine line = CommandLine.parse(received);
        return new ParsedSend(line.word(), CommandLine.id(line.first()), line.afterFirst());
    }
}
