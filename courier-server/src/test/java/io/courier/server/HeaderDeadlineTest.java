package io.courier.server;

import io.courier.server.HttpApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Headers that trickle in are cut off; idle keep-alive connections and WebSockets are not. */
class HeaderDeadlineTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("http.header-timeout", "1s"));

    @Test
    void tricklingHeadersGet408AndTheConnectionCloses() throws Exception {
        try (Socket slow = socket()) {
            write(slow, "GET /health/live HTTP/1.1\r\nHost: courier\r\n");
            write(slow, "X-Slow: 1\r\n"); // more bytes, never the blank line
            String answer = readUntilClosed(slow);
            assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout").contains("did not arrive within 1 s");
        }
    }

    @Test
    void anIdleKeepAliveConnectionAndAWebSocketOutliveTheDeadline() throws Exception {
        Account pia = server.api.account("pia");
        try (Socket keepAlive = socket(); WsClient ws = WsClient.connect(server.node().httpPort(), pia.token())) {
            write(keepAlive, "GET /health/live HTTP/1.1\r\nHost: courier\r\n\r\n");
            assertThat(readResponse(keepAlive)).startsWith("HTTP/1.1 200");
            // Another connection that trickles is cut: the deadline has passed for all three.
            try (Socket slow = socket()) {
                write(slow, "GET /health/live HTTP/1.1\r\n");
                assertThat(readUntilClosed(slow)).startsWith("HTTP/1.1 408");
            }
            write(keepAlive, "GET /health/live HTTP/1.1\r\nHost: courier\r\n\r\n");
            assertThat(readResponse(keepAlive)).startsWith("HTTP/1.1 200");
            ws.sendText("{\"type\":99,\"request_id\":5}");
            assertThat(ws.awaitReply(99, 5).path("type").asInt()).isEqualTo(99);
        }
    }

    private static Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", server.node().httpPort());
        s.setSoTimeout(15_000);
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection; it sent: " + all);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** One response with a Content-Length body. */
    private static String readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed after: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = Integer.parseInt(headers.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .findFirst().orElseThrow().substring("content-length:".length()).strip());
        in.readNBytes(length);
        return headers;
    }
}
