package io.courier.server;

import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded fuzz of every route: random and mutated bodies, odd path parameters and query strings,
 * with and without a token. Whatever arrives, the answer is never a 5xx, and the node keeps serving.
 */
class NoInputProduces500Test {
    private static final long SEED = 20261124L;
    private static final int ROUNDS_PER_ROUTE = 40;

    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    private static final String[] SEEDS = {
            "{\"username\":\"fuzzer\",\"password\":\"secret1\"}",
            "{\"user_id\":1,\"message\":\"hi\"}",
            "{\"nickname\":\"n\",\"avatar\":\"https://a.b/c\",\"signature\":\"s\"}",
            "{\"old_password\":\"secret1\",\"new_password\":\"secret2\"}",
            "{\"refresh_token\":\"x.y.z\"}",
            "{\"device_id\":\"d\",\"username\":\"u\",\"password\":\"p\"}",
    };
    private static final String[] ODD_SEGMENTS = {"0", "-1", "1e3", "%00", "%2F", "9223372036854775808", "abc", "1.5", "%F0%9F%98%80", "..", "1"};
    private static final String[] ODD_QUERIES = {"", "?keyword=%25", "?keyword=_", "?limit=-1", "?limit=99999999999",
            "?offset=abc", "?direction=", "?keyword=" + "k".repeat(100), "?token=abc", "?keyword=a&keyword=b", "?keyword=%C0%AF"};

    @Test
    void noRouteAnswersAServerErrorWhateverItIsSent() {
        Random random = new Random(SEED);
        HttpApi.Account account = server.api.account("fuzzvictim");
        List<String> failures = new ArrayList<>();
        for (String route : server.node().routeTable()) {
            String method = route.substring(0, route.indexOf(' '));
            String template = route.substring(route.indexOf(' ') + 1);
            if (template.equals("/api/user/logout") || template.equals("/api/user/change-password")) {
                continue; // they would end the fuzzing session; their bodies are fuzzed through other routes' shapes
            }
            for (int i = 0; i < ROUNDS_PER_ROUTE; i++) {
                String path = template.replaceAll("\\{[^}]+}", ODD_SEGMENTS[random.nextInt(ODD_SEGMENTS.length)])
                        + ODD_QUERIES[random.nextInt(ODD_QUERIES.length)];
                byte[] body = body(random);
                Reply r = server.api.send(method, path, body, random.nextBoolean() ? account.token() : null);
                if (r.status() >= 500 && !(r.status() == 503 && r.code() == 1007)) {
                    failures.add(method + " " + path + " with " + new String(body, StandardCharsets.UTF_8) + " -> " + r);
                }
            }
        }
        assertThat(failures).as("requests answered with a server error (seed %d)", SEED).isEmpty();
        assertThat(server.api.get("/health", null).status()).isEqualTo(200);
    }

    private static byte[] body(Random random) {
        byte[] seed = SEEDS[random.nextInt(SEEDS.length)].getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(5)) {
            case 0 -> seed;
            case 1 -> { // flip a few bytes
                byte[] b = seed.clone();
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                yield b;
            }
            case 2 -> java.util.Arrays.copyOf(seed, random.nextInt(seed.length)); // truncated
            case 3 -> { // random bytes
                byte[] b = new byte[random.nextInt(64)];
                random.nextBytes(b);
                yield b;
            }
            default -> { // values of the wrong kinds
                String[] values = {"null", "true", "-1", "1e308", "[]", "{}", "\"\"", "\"" + "z".repeat(300) + "\"", "0.5"};
                String v = values[random.nextInt(values.length)];
                yield ("{\"username\":" + v + ",\"password\":" + v + ",\"user_id\":" + v + ",\"nickname\":" + v
                        + ",\"refresh_token\":" + v + ",\"message\":" + v + "}").getBytes(StandardCharsets.UTF_8);
            }
        };
    }
}
