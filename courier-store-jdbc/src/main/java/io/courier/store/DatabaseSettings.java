package io.courier.store;

import java.nio.file.Path;

/**
 * Where the database is and how many connections to keep open to it. {@code journaled}: the embedded
 * database stores its pages in the background instead of at every commit, because the messages'
 * own journal makes them durable ({@link Database#open}); only for the embedded database.
 */
public record DatabaseSettings(String url, String user, String password, int poolSize, boolean journaled) {
    public DatabaseSettings(String url, String user, String password, int poolSize) {
        this(url, user, password, poolSize, false);
    }

    /** The embedded database under the data directory. */
    public static DatabaseSettings embedded(Path dataDir, int poolSize, boolean journaled) {
        return new DatabaseSettings(journaled ? Database.journaledEmbeddedUrl(dataDir) : Database.embeddedUrl(dataDir), "", "",
                poolSize, journaled);
    }
}
