package io.courier.server;

import io.courier.protocol.v1.Envelope;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback TCP proxy in front of a real server port that a test can make misbehave: cut every
 * connection at once, refuse new ones for a while, or (on the native port, whose frames it
 * understands) silently lose chosen server-to-client frames — a network that drops pushes.
 */
final class ChaosProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final boolean nativeFrames;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean refusing;
    private volatile Predicate<Envelope> lose = e -> false;
    private volatile boolean frozen;

    /** {@code nativeFrames}: the target speaks length-prefixed Envelopes, so frames can be lost one by one. */
    ChaosProxy(int targetPort, boolean nativeFrames) throws IOException {
        this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.target = targetPort;
        this.nativeFrames = nativeFrames;
        Thread.ofVirtual().name("chaos-accept").start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** How many client connections the proxy has accepted (refused ones included). */
    int accepted() {
        return accepted.get();
    }

    /** Closes every open connection, both sides, as a network failure would. */
    void cutAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** While true, new connections are accepted and closed at once (the server looks down). */
    void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /**
     * While true, every byte in both directions is swallowed but no connection is closed: a peer
     * that went silent (a dead route), which only heartbeats can find out.
     */
    void freeze(boolean freeze) {
        this.frozen = freeze;
    }

    /** Server-to-client frames matching this are dropped (native port only). */
    void lose(Predicate<Envelope> predicate) {
        this.lose = predicate;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                server.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                open.add(client);
                open.add(server);
                Thread.ofVirtual().start(() -> pipe(client, server, false));
                Thread.ofVirtual().start(() -> pipe(server, client, nativeFrames));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean frames) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            if (frames) {
                DataInputStream data = new DataInputStream(in);
                while (true) {
                    int length = data.readInt();
                    byte[] body = new byte[length];
                    data.readFully(body);
                    if (frozen || lose.test(Envelope.parseFrom(body))) {
                        continue;
                    }
                    byte[] frame = new byte[4 + length];
                    frame[0] = (byte) (length >>> 24);
                    frame[1] = (byte) (length >>> 16);
                    frame[2] = (byte) (length >>> 8);
                    frame[3] = (byte) length;
                    System.arraycopy(body, 0, frame, 4, length);
                    out.write(frame);
                    out.flush();
                }
            } else {
                byte[] buffer = new byte[16 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (frozen) {
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (EOFException e) {
            // the other side closed
        } catch (IOException e) {
            // cut, or closed by the other side
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
    }
}
