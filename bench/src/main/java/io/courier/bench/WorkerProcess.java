package io.courier.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The parent's handle on one worker process: starts it, forwards its stderr to the run's log with
 * its name in front, turns its stdout into {@link WorkerMessage}s, and waits for each one with a
 * deadline, so that a worker that dies or goes silent becomes a fault that says so, never a hang.
 */
final class WorkerProcess {
    /** In the inbox after the last message: the worker closed its stdout, i.e. it exited. */
    private static final Object EXITED = new Object();

    final String name;
    private final Process process;
    private final PrintStream log;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Thread stderr;
    private volatile String lastWords;

    private WorkerProcess(String name, Process process, PrintStream log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stderr = daemon(name + "-stderr", process.getErrorStream(), line -> {
            lastWords = line.strip();
            log.println("  [" + name + "] " + line.strip());
        }, () -> { });
        daemon(name + "-stdout", process.getInputStream(), line -> {
            try {
                inbox.add(WorkerMessage.parse(line));
            } catch (IOException e) {
                log.println("  [" + name + "] not a protocol line on stdout: " + line);
            }
        }, () -> inbox.add(EXITED));
    }

    static WorkerProcess start(String name, List<String> command, PrintStream log) throws IOException {
        return new WorkerProcess(name, new ProcessBuilder(command).start(), log);
    }

    /** A thread that hands each line of {@code in} to {@code lines}, then runs {@code atEnd}. */
    private static Thread daemon(String threadName, InputStream in, Consumer<String> lines, Runnable atEnd) {
        return Thread.ofPlatform().daemon().name(threadName).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.accept(line);
                }
            } catch (IOException e) {
                // the process is gone: the same as the end of its output
            }
            atEnd.run();
        });
    }

    long pid() {
        return process.pid();
    }

    /**
     * Writes one message to the worker's stdin. The assignment can be megabytes, more than a pipe
     * holds, so the write may wait for the worker to read: it runs on its own thread, and a worker
     * that never reads is caught by the deadline of the answer the parent waits for.
     */
    void send(WorkerMessage m) {
        Thread.ofVirtual().name(name + "-stdin").start(() -> {
            try {
                OutputStream in = process.getOutputStream();
                synchronized (in) {
                    in.write((WorkerMessage.line(m) + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                }
            } catch (IOException e) {
                // it exited: the parent learns that, with its exit code, from the end of its stdout
            }
        });
    }

    /** The worker's next message, which must be a {@code type} and come before the deadline. */
    <T extends WorkerMessage> T await(Class<T> type, long deadlineNanos, Duration allowed) throws Failed, InterruptedException {
        String what = type.getSimpleName().toLowerCase();
        Object m = inbox.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (m == null) {
            throw new Failed(name + " (pid " + pid() + ") did not report " + what + " within " + allowed.toSeconds() + " s");
        }
        if (m == EXITED) {
            throw new Failed(name + " (pid " + pid() + ") " + exitStatus() + " before it reported " + what + lastWords());
        }
        if (!type.isInstance(m)) {
            throw new Failed(name + " (pid " + pid() + ") sent " + m.getClass().getSimpleName().toLowerCase()
                    + " where " + what + " was due");
        }
        return type.cast(m);
    }

    private String exitStatus() throws InterruptedException {
        return process.waitFor(5, TimeUnit.SECONDS) ? "exited with code " + process.exitValue() : "closed its stdout";
    }

    private String lastWords() throws InterruptedException {
        stderr.join(Duration.ofSeconds(2)); // its stderr may still hold the line that says why
        return lastWords == null ? "" : "; its last words: " + lastWords;
    }

    /** Closes its stdin, which tells a worker that is still working to stop (see {@link Worker}). */
    void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Waits for the exit until the deadline, then kills it. */
    void awaitExit(long deadlineNanos) throws InterruptedException {
        if (!process.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            log.println("  [" + name + "] did not exit in time: killing it");
            kill();
        }
    }

    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** A worker that can no longer take part in the run, and why. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }
}
