package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.client.CourierClient;
import io.courier.client.TlsTrust;
import io.courier.client.Transport;
import io.courier.client.http.CourierHttp;
import io.courier.gateway.net.SelfSignedCertificate;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Login;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * TLS over real sockets: HTTPS, WSS and the native protocol with the certificate the server made
 * (tls.self-signed), the MPIM port plain unless asked, a plain client refused on a TLS port, a
 * renewed certificate picked up without a restart, and a TLS setting without a certificate
 * refused at start in one line.
 */
class TlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static HttpResponse<String> post(HttpClient client, String url, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpsWssAndNativeTlsWithTheSelfSignedCertificate() throws Exception {
        try (TestNode node = TestNode.start(dir, Map.of("tls.self-signed", "true"))) {
            Path cert = dir.resolve("tls/cert.pem");
            SSLContext tls = TlsTrust.trusting(cert);
            HttpClient https = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
            String base = "https://127.0.0.1:" + node.node().httpPort();

            assertThat(https.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
            assertThat(post(https, base + "/api/register", "{\"username\":\"tess\",\"password\":\"secret1\"}").statusCode()).isEqualTo(200);
            JsonNode login = JSON.readTree(post(https, base + "/api/login", "{\"username\":\"tess\",\"password\":\"secret1\"}").body()).get("data");
            String token = login.get("token").asText();
            assertThat(login.get("websocket_url").asText()).isEqualTo("wss://127.0.0.1:" + node.node().httpPort() + "/ws");

            // WSS: the login frame arrives over TLS
            CompletableFuture<String> first = new CompletableFuture<>();
            WebSocket ws = https.newWebSocketBuilder().buildAsync(URI.create(login.get("websocket_url").asText() + "?token=" + token),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            first.complete(data.toString());
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            assertThat(JSON.readTree(first.get(30, TimeUnit.SECONDS)).get("type").asInt()).isEqualTo(101);
            ws.abort();

            // the native protocol over TLS
            try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", node.node().tcpPort())) {
                s.setSoTimeout(30_000);
                assertThat(nativeLogin(s, token).hasLoginOk()).isTrue();
                assertThat(s.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            }

            // a plain client on the TLS port gets no answer, only the end of the connection
            try (Socket plain = new Socket("127.0.0.1", node.node().tcpPort())) {
                plain.setSoTimeout(30_000);
                DataOutputStream out = new DataOutputStream(plain.getOutputStream());
                byte[] frame = Envelope.newBuilder().setRequestId(1).setLogin(Login.newBuilder().setToken(token)).build().toByteArray();
                out.writeInt(frame.length);
                out.write(frame);
                out.flush();
                assertThat(answersLogin(plain.getInputStream())).as("a plain-text login is not answered on a TLS port").isFalse();
            }

            // MPIM stays plain unless tls.mpim: MPIM's own client speaks plain TCP
            try (Socket mpim = new Socket("127.0.0.1", node.node().mpimPort())) {
                mpim.setSoTimeout(30_000);
                assertThat(new BufferedReader(new InputStreamReader(mpim.getInputStream(), StandardCharsets.UTF_8)).readLine())
                        .startsWith("+OK welcome");
            }
        }
    }

    @Test
    void theSdkTalksTlsOverTcpAndWebSocketAndChecksTheServersName() throws Exception {
        try (TestNode node = TestNode.start(dir, Map.of("tls.self-signed", "true"))) {
            SSLContext trust = TlsTrust.trusting(dir.resolve("tls/cert.pem"));
            URI base = URI.create("https://localhost:" + node.node().httpPort());
            try (CourierHttp http = new CourierHttp(base, Duration.ofSeconds(15), java.time.Clock.systemUTC(), trust)) {
                http.register("sdk_ann", "secret1", null).join();
                http.register("sdk_ben", "secret1", null).join();
                var ann = http.login("sdk_ann", "secret1", "laptop").join();
                var ben = http.login("sdk_ben", "secret1", "phone").join();
                SdkRecorder heard = new SdkRecorder();
                try (CourierClient a = CourierClient.builder("localhost").httpPort(node.node().httpPort()).tcpPort(node.node().tcpPort())
                        .tls(trust).transport(Transport.TCP).tokens(http.tokens(ann)).build();
                     CourierClient b = CourierClient.builder("localhost").httpPort(node.node().httpPort()).tcpPort(node.node().tcpPort())
                        .tls(trust).transport(Transport.WEBSOCKET).tokens(http.tokens(ben)).listener(heard).build()) {
                    a.connect().join();
                    b.connect().join();
                    a.sendText(ben.userId(), "over tls").join();
                    heard.await("the message over TLS", Duration.ofSeconds(30), r -> r.messages.stream()
                            .anyMatch(m -> m.getContent().getText().getText().equals("over tls")));
                }
                // a client that trusts another certificate does not get in
                SSLContext other = TlsTrust.trusting(SelfSignedCertificate.in(dir.resolve("other")).cert());
                try (CourierClient stranger = CourierClient.builder("localhost").tcpPort(node.node().tcpPort())
                        .tls(other).tokens(http.tokens(ann)).build()) {
                    assertThatThrownBy(() -> stranger.connect().join()).hasMessageContaining("SSLHandshakeException");
                }
            }
        }
    }

    @Test
    void aRenewedCertificateIsUsedByNewConnectionsWithoutARestart() throws Exception {
        Path first = SelfSignedCertificate.in(dir.resolve("first")).cert();
        Path second = SelfSignedCertificate.in(dir.resolve("second")).cert();
        Path live = Files.createDirectories(dir.resolve("live"));
        Files.copy(first, live.resolve("cert.pem"));
        Files.copy(dir.resolve("first/key.pem"), live.resolve("key.pem"));
        try (TestNode node = TestNode.start(dir.resolve("data"), Map.of("tls.enabled", "true",
                "tls.cert", live.resolve("cert.pem").toString(), "tls.key", live.resolve("key.pem").toString(),
                "tls.reload-interval", "100ms"))) {
            assertThat(presented(node, first)).isEqualTo(certificate(first));

            // the renewal: key, then certificate, each replaced whole
            Files.copy(dir.resolve("second/key.pem"), live.resolve("key.pem.new"));
            Files.move(live.resolve("key.pem.new"), live.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.copy(second, live.resolve("cert.pem.new"));
            Files.move(live.resolve("cert.pem.new"), live.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            Certificate renewed = certificate(second);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> presented(node, second).equals(renewed));
        }
    }

    @Test
    void tlsWithoutACertificateStopsTheStartInOneLine() {
        assertThatThrownBy(() -> TestNode.start(dir, Map.of("tls.enabled", "true")))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("tls.cert").hasMessageContaining("tls.keystore");
        assertThatThrownBy(() -> TestNode.start(dir, Map.of("tls.enabled", "true", "tls.cert", dir.resolve("none.pem").toString(),
                "tls.key", dir.resolve("none.key").toString())))
                .isInstanceOf(StartupException.class).hasMessageContaining("none.pem");
    }

    /** The certificate the server presents to a client that trusts {@code trusted}. */
    private static Certificate presented(TestNode node, Path trusted) throws Exception {
        try (SSLSocket s = (SSLSocket) TlsTrust.trusting(trusted).getSocketFactory().createSocket("127.0.0.1", node.node().tcpPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return s.getSession().getPeerCertificates()[0];
        }
    }

    private static Envelope nativeLogin(Socket s, String token) throws Exception {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        byte[] frame = Envelope.newBuilder().setRequestId(1).setLogin(Login.newBuilder().setToken(token)).build().toByteArray();
        out.writeInt(frame.length);
        out.write(frame);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] answer = new byte[in.readInt()];
        in.readFully(answer);
        return Envelope.parseFrom(answer);
    }

    /** Whether what the server sends until it closes is a framed LoginOk. */
    private static boolean answersLogin(InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (java.io.IOException reset) {
            return false; // closed with a reset
        }
        if (bytes.length < 4) {
            return false;
        }
        int length = java.nio.ByteBuffer.wrap(bytes).getInt();
        try {
            return length > 0 && length <= bytes.length - 4
                    && Envelope.parseFrom(java.util.Arrays.copyOfRange(bytes, 4, 4 + length)).hasLoginOk();
        } catch (com.google.protobuf.InvalidProtocolBufferException notAnEnvelope) {
            return false;
        }
    }
}
