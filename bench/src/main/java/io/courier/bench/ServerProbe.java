package io.courier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a server process's memory when the run knows its pid (same machine): resident set size from
 * /proc, and live heap after a full GC through {@code jcmd} (of the JDK running the bench).
 */
final class ServerProbe {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final long pid;

    ServerProbe(long pid) {
        this.pid = pid;
    }

    /** Resident set size in bytes, or -1. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Heap in use after a full collection, in bytes, or -1. */
    long liveHeapBytes() {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private String jcmd(String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
