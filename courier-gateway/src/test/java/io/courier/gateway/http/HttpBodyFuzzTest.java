package io.courier.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.core.error.CourierException;
import io.courier.gateway.fuzz.Mutations;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.List;
import java.util.Map;

/**
 * Fuzzes the HTTP API's body reading ({@link ApiRequest#body}) for the body types the routes read,
 * with mutations of valid bodies: each is the record or a CourierException (MALFORMED_JSON,
 * INVALID_FIELD naming the field, ...), never any other exception. The routes' body records are
 * private to their API classes, so they are named here.
 */
class HttpBodyFuzzTest {
    private static final ObjectMapper JSON = Json.mapper();

    /** A route's body type and a valid body of it. */
    record Seed(Class<?> type, String body) {
    }

    private static final List<Seed> SEEDS = List.of(
            seed("AccountApi$RegisterBody", "{\"username\":\"alice\",\"password\":\"secret1\",\"nickname\":\"Alice\",\"email\":\"a@b.c\"}"),
            seed("AccountApi$LoginBody", "{\"username\":\"alice\",\"password\":\"secret1\",\"device_id\":\"phone\"}"),
            seed("AccountApi$RefreshBody", "{\"refresh_token\":\"eyJ.x.y\"}"),
            seed("AccountApi$ProfileBody", "{\"nickname\":\"A\",\"avatar\":\"https://x/a.png\",\"signature\":\"hi\"}"),
            seed("AccountApi$PasswordBody", "{\"old_password\":\"secret1\",\"new_password\":\"secret2\"}"),
            seed("FriendApi$RequestBody", "{\"user_id\":\"42\",\"username\":\"bob\",\"message\":\"hello\"}"),
            seed("GroupApi$CreateBody", "{\"name\":\"Book club\",\"member_ids\":[2,\"3\"],\"join_policy\":\"approval\"}"),
            seed("GroupApi$UpdateBody", "{\"name\":\"x\",\"announcement\":\"y\",\"join_policy\":\"OPEN\"}"),
            seed("GroupApi$KickBody", "{\"target_ids\":[\"7\",8]}"),
            seed("GroupApi$AdminBody", "{\"target_id\":7,\"is_admin\":true}"),
            seed("GroupApi$MuteBody", "{\"target_id\":\"7\",\"duration_s\":60}"),
            seed("MessageApi$SendBody", "{\"to_user_id\":\"2\",\"text\":\"Build 1234 passed\",\"client_msg_id\":\"b-1\",\"at_user_ids\":[3],\"at_all\":false}"),
            seed("MessageApi$AckBody", "{\"message_ids\":[\"254390018653552640\",1]}"));

    private static Seed seed(String apiClass, String body) {
        try {
            return new Seed(Class.forName("io.courier.gateway.api." + apiClass), body);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the fuzz test names a body type that is gone: " + apiClass, e);
        }
    }

    @Property
    void anyBodyIsReadOrRefusedWithACode(@ForAll("bodies") Seed input) {
        ApiRequest request = new ApiRequest("POST", "/fuzz", Map.of(), Map.of(), new DefaultHttpHeaders(),
                Mutations.utf8(input.body()), "127.0.0.1", JSON);
        try {
            request.body(input.type());
            Statistics.collect("read");
        } catch (CourierException refused) {
            Statistics.collect(refused.code().name()); // a 400 with its code and, where it can, the field
        }
    }

    @Provide
    Arbitrary<Seed> bodies() {
        return Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.randoms())
                .as((seed, r) -> new Seed(seed.type(), Mutations.mutate(seed.body(), r)));
    }
}
