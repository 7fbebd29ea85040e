package io.courier.store;

/** Where the database is and how many connections to keep open to it. */
public record DatabaseSettings(String url, String user, String password, int poolSize) {
}
