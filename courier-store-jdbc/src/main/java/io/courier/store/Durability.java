package io.courier.store;

/**
 * What an acknowledged write survives on the embedded database. Both keep every acknowledged write
 * through a crash of the server process (kill -9, an out-of-memory kill): a commit is in SQLite's
 * write-ahead log, in the operating system's page cache, before it returns.
 */
public enum Durability {
    /** Survives the process: the log is written at each commit and synced to the disk at checkpoints. */
    PROCESS("NORMAL"),
    /** Survives an operating-system crash or power cut as well: the log is synced at each commit. */
    POWER("FULL");

    private final String sqliteSynchronous;

    Durability(String sqliteSynchronous) {
        this.sqliteSynchronous = sqliteSynchronous;
    }

    /** SQLite's {@code PRAGMA synchronous} that gives this durability in WAL mode. */
    public String sqliteSynchronous() {
        return sqliteSynchronous;
    }

    public static Durability parse(String value) {
        for (Durability d : values()) {
            if (d.name().equalsIgnoreCase(value.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("expected process or power, got '" + value + "'");
    }
}
