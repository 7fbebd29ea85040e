package io.courier.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.courier.server.HttpApi.Account;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input a client can send gets its 4xx with a stable code, the server logs no
 * stack trace for it, and it keeps serving.
 */
class BadInputTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("http.max-body", "2KiB"));
    static Account user;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    enum Auth { NONE, VALID, GARBAGE, TAMPERED, ALG_NONE, BASIC }

    record Case(String name, String method, String path, Object body, Auth auth, int status, int code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        byte[] invalidUtf8 = {'{', '"', 'u', 's', 'e', 'r', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
        return Stream.of(
                new Case("malformed JSON", "POST", "/api/register", "{\"username\": \"abc\", ", Auth.NONE, 400, 1001),
                new Case("invalid UTF-8", "POST", "/api/register", invalidUtf8, Auth.NONE, 400, 1001),
                // Which one wins differs between parsers: a proxy that checks the first and a server
                // that acts on the last would disagree about the request.
                new Case("duplicate key", "POST", "/api/register",
                        "{\"username\":\"alice\",\"username\":\"bob\",\"password\":\"secret1\"}", Auth.NONE, 400, 1001),
                new Case("duplicate key in a friend request", "POST", "/api/friends/requests",
                        "{\"user_id\":1,\"message\":\"hi\",\"message\":\"ho\"}", Auth.VALID, 400, 1001),
                new Case("number for a string", "POST", "/api/register", "{\"username\":123,\"password\":\"secret1\"}", Auth.NONE, 400, 1002),
                new Case("string for a number", "POST", "/api/messages", "{\"to_user_id\":2,\"text\":\"x\",\"at_all\":\"true\"}", Auth.VALID, 400, 1002),
                new Case("an id that is not one", "POST", "/api/friends/requests", "{\"user_id\":\"12x\"}", Auth.VALID, 400, 1002),
                new Case("fraction for an id", "POST", "/api/friends/requests", "{\"user_id\":1.5}", Auth.VALID, 400, 1002),
                new Case("object for a string", "POST", "/api/login", "{\"username\":{\"a\":1},\"password\":\"x\"}", Auth.NONE, 400, 1002),
                new Case("array body", "POST", "/api/register", "[1,2]", Auth.NONE, 400, 1002),
                new Case("string body", "POST", "/api/register", "\"just text\"", Auth.NONE, 400, 1002),
                new Case("null body", "POST", "/api/register", "null", Auth.NONE, 400, 1002),
                new Case("trailing garbage", "POST", "/api/register", "{\"username\":\"abc\"} x", Auth.NONE, 400, 1001),
                new Case("empty body", "POST", "/api/register", "", Auth.NONE, 400, 1003),
                new Case("missing password", "POST", "/api/register", "{\"username\":\"someone\"}", Auth.NONE, 400, 1003),
                new Case("missing refresh token", "POST", "/api/refresh-token", "{}", Auth.NONE, 400, 1003),
                new Case("short username", "POST", "/api/register", "{\"username\":\"ab\",\"password\":\"secret1\"}", Auth.NONE, 400, 3001),
                new Case("username with a space", "POST", "/api/register", "{\"username\":\"a b c\",\"password\":\"secret1\"}", Auth.NONE, 400, 3001),
                new Case("username starting with a digit", "POST", "/api/register", "{\"username\":\"1abc\",\"password\":\"secret1\"}", Auth.NONE, 400, 3001),
                new Case("short password", "POST", "/api/register", "{\"username\":\"shorty\",\"password\":\"12345\"}", Auth.NONE, 400, 3002),
                new Case("long password", "POST", "/api/register", "{\"username\":\"longpw\",\"password\":\"" + "x".repeat(73) + "\"}", Auth.NONE, 400, 3002),
                new Case("long nickname", "POST", "/api/register", "{\"username\":\"longnick\",\"password\":\"secret1\",\"nickname\":\"" + "n".repeat(65) + "\"}", Auth.NONE, 400, 3005),
                new Case("bad e-mail", "POST", "/api/register", "{\"username\":\"mailer\",\"password\":\"secret1\",\"email\":\"not-an-address\"}", Auth.NONE, 400, 3006),
                new Case("bad device id", "POST", "/api/login", "{\"username\":\"nobody\",\"password\":\"secret1\",\"device_id\":\"has spaces\"}", Auth.NONE, 400, 3009),
                new Case("blank nickname", "PUT", "/api/user/info", "{\"nickname\":\"   \"}", Auth.VALID, 400, 3005),
                new Case("long signature", "PUT", "/api/user/info", "{\"signature\":\"" + "s".repeat(257) + "\"}", Auth.VALID, 400, 3008),
                new Case("oversized body", "POST", "/api/register", "{\"username\":\"" + "x".repeat(3000) + "\"}", Auth.NONE, 413, 1004),
                new Case("unknown route", "GET", "/api/nothing-here", null, Auth.NONE, 404, 1005),
                new Case("unknown nested route", "GET", "/api/users/1/secrets", null, Auth.VALID, 404, 1005),
                new Case("wrong method", "DELETE", "/api/register", null, Auth.NONE, 405, 1006),
                new Case("no token", "GET", "/api/user/info", null, Auth.NONE, 401, 2001),
                new Case("garbage token", "GET", "/api/user/info", null, Auth.GARBAGE, 401, 2002),
                new Case("tampered token", "GET", "/api/user/info", null, Auth.TAMPERED, 401, 2002),
                new Case("unsigned token", "GET", "/api/user/info", null, Auth.ALG_NONE, 401, 2002),
                new Case("basic auth instead of bearer", "GET", "/api/friends", null, Auth.BASIC, 401, 2001),
                new Case("non-numeric id", "GET", "/api/users/abc", null, Auth.VALID, 400, 1002),
                new Case("negative id", "GET", "/api/users/-5", null, Auth.VALID, 400, 1002),
                new Case("id beyond long", "DELETE", "/api/friends/99999999999999999999999", null, Auth.VALID, 400, 1002),
                new Case("limit out of range", "GET", "/api/users?keyword=a&limit=1000", null, Auth.VALID, 400, 1002),
                new Case("limit not a number", "GET", "/api/users?keyword=a&limit=ten", null, Auth.VALID, 400, 1002),
                new Case("unknown direction", "GET", "/api/friends/requests?direction=sideways", null, Auth.VALID, 400, 1002)
        );
    }

    @BeforeAll
    static void start() {
        user = server.api.account("prober");
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsItsCodeAndNoStackTrace(Case c) {
        int before = logs.list.size();
        Reply r = server.api.send(c.method(), c.path(), c.body(), token(c.auth()));
        assertThat(r.status()).as(c.name() + ": " + r).isEqualTo(c.status());
        assertThat(r.json()).as("a JSON error body").isNotNull();
        assertThat(r.code()).as(c.name() + ": " + r).isEqualTo(c.code());
        assertThat(r.json().get("message").asText()).isNotBlank();
        assertThat(r.json().get("name").asText()).isNotBlank();
        List<ILoggingEvent> logged = logs.list.subList(before, logs.list.size());
        assertThat(logged).as("server log lines for " + c.name())
                .noneMatch(e -> e.getThrowableProxy() != null || e.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(server.api.get("/health", null).status()).isEqualTo(200);
    }

    @Test
    void wrongMethodNamesTheAllowedOnes() {
        Reply r = server.api.send("GET", "/api/register", null, null);
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("POST");
        Reply info = server.api.send("DELETE", "/api/user/info", null, user.token());
        assertThat(info.header("Allow")).contains("GET").contains("PUT");
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        Reply r = server.api.post("/api/register", "{\"username\":\"future\",\"password\":\"secret1\",\"shoe_size\":44}", null);
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void theTokenMayComeAsAQueryParameter() {
        assertThat(server.api.get("/api/user/info?token=" + user.token(), null).status()).isEqualTo(200);
    }

    @Test
    void aRequestThatIsNotHttpGets400AndTheServerLivesOn() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.node().httpPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("THIS IS NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":1000");
        }
        assertThat(server.api.get("/health", null).status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/api/users?keyword=%zz", "/api/us%ers", "/api/users/%", "/health?%"})
    void aBrokenlyEncodedUriGets400AndTheConnectionLives(String target) throws Exception {
        String request = "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\nGET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", server.node().httpPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answers).startsWith("HTTP/1.1 400").contains("\"code\":1000");
            assertThat(answers.indexOf("HTTP/1.1 200")).as("the keep-alive connection answers its next request").isPositive();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderTheyCame() throws Exception {
        // A database-backed route, then an instant 404, then an event-loop route: the later ones are
        // ready first, yet must wait their turn.
        String three = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", server.node().httpPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(three.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int health = answers.indexOf("\"checks\"");
            int missing = answers.indexOf("\"code\":1005");
            int live = answers.lastIndexOf("\"status\":\"ok\"");
            assertThat(health).as(answers).isNotNegative();
            assertThat(missing).as(answers).isGreaterThan(health);
            assertThat(live).as(answers).isGreaterThan(missing);
        }
    }

    private static String token(Auth auth) {
        String valid = user.token();
        return switch (auth) {
            case NONE -> null;
            case BASIC -> "Basic " + Base64.getEncoder().encodeToString("prober:password-prober".getBytes(StandardCharsets.UTF_8));
            case VALID -> valid;
            case GARBAGE -> "not.a.jwt";
            case TAMPERED -> {
                String[] parts = valid.split("\\.");
                char last = parts[2].charAt(5);
                parts[2] = parts[2].substring(0, 5) + (last == 'A' ? 'B' : 'A') + parts[2].substring(6);
                yield String.join(".", parts);
            }
            case ALG_NONE -> {
                String payload = valid.split("\\.")[1];
                String header = Base64.getUrlEncoder().withoutPadding()
                        .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
                yield header + "." + payload + ".";
            }
        };
    }
}
