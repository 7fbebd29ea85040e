package io.courier.store;

import java.nio.file.Path;

/** Where the database is and how many connections to keep open to it. */
public record DatabaseSettings(String url, String user, String password, int poolSize) {

    /** The embedded database (SQLite) under the data directory, durable to the given degree. */
    public static DatabaseSettings embedded(Path dataDir, int poolSize, Durability durability) {
        return new DatabaseSettings(Database.embeddedUrl(dataDir, durability), "", "", poolSize);
    }
}
