package io.courier.gateway.ws;

import io.courier.core.error.CourierException;
import io.courier.gateway.fuzz.Mutations;
import io.courier.gateway.http.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.List;

/**
 * Fuzzes the WebSocket JSON decoder with mutations of real client frames (and plain noise): every
 * text is either a request or a CourierException with its code, never any other exception, and
 * the request id of a refused frame can always be asked for. An exception of another kind fails
 * the property, with the seed that reproduces it.
 */
class JsonFramesFuzzTest {
    private static final JsonFrames FRAMES = new JsonFrames(Json.mapper());

    static final List<String> SEEDS = List.of(
            "{\"type\":1,\"request_id\":7,\"to\":\"42\",\"message_id\":\"m-1\",\"content\":{\"text\":\"hi\",\"at_user_ids\":[3,\"4\"],\"at_all\":true}}",
            "{\"type\":2,\"group_id\":66,\"content\":{\"text\":\"@all\"}}",
            "{\"type\":4,\"to\":2,\"content\":{\"url\":\"https://x/y.png\",\"width\":640,\"height\":480,\"size\":1024}}",
            "{\"type\":8,\"to\":2,\"content\":{\"latitude\":52.5,\"longitude\":13.4,\"address\":\"Berlin\"}}",
            "{\"type\":10,\"to\":2,\"content\":{\"data\":{\"a\":[1,2,{\"b\":null}]}}}",
            "{\"type\":30,\"content\":{\"message_id\":\"c-7\",\"status\":\"delivered\"}}",
            "{\"type\":31,\"content\":{\"conversation_id\":\"p:1:2\",\"seq\":17}}",
            "{\"type\":32,\"conversation_id\":\"g:5\",\"seq\":3}",
            "{\"type\":33,\"to\":9,\"content\":{\"typing\":true}}",
            "{\"type\":34,\"request_id\":2,\"content\":{\"conversation_id\":\"p:1:2\",\"seq\":8}}",
            "{\"type\":40,\"content\":{\"known\":{\"p:1:2\":2,\"g:5\":0}}}",
            "{\"type\":41,\"content\":{\"conversation_id\":\"p:1:2\",\"after_seq\":1002,\"limit\":200}}",
            "{\"type\":42,\"content\":{\"conversation_id\":\"g:1\",\"before_seq\":9}}",
            "{\"type\":50,\"content\":{\"user_ids\":[1,2,\"3\"]}}",
            "{\"type\":60,\"request_id\":9,\"content\":{\"create\":{\"name\":\"Book club\",\"member_ids\":[2,3],\"join_policy\":\"approval\"}}}",
            "{\"type\":60,\"content\":{\"group_id\":5,\"kick\":{\"user_ids\":[7]}}}",
            "{\"type\":99,\"timestamp\":1700000000000}");

    @Property
    void anyTextIsARequestOrARefusalWithACode(@ForAll("frames") String text) {
        try {
            FRAMES.decode(text);
            Statistics.collect("decoded");
        } catch (CourierException refused) {
            FRAMES.requestIdOf(text); // the error frame answers the request when it can: this never throws
            Statistics.collect(refused.code().name());
        }
    }

    @Provide
    Arbitrary<String> frames() {
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.randoms()).as(Mutations::mutate);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, mutated),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(200)));
    }
}
