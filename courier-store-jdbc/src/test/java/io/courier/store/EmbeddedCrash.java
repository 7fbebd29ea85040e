package io.courier.store;

/** A crash of the embedded database, for the tests of what survives one. */
public final class EmbeddedCrash {
    private EmbeddedCrash() {
    }

    /**
     * Closes the database file as a killed process leaves it: H2's {@code SHUTDOWN IMMEDIATELY}
     * stores nothing committed since the last store.
     */
    public static void crash(Database database) {
        try {
            database.jdbc().withConnection(c -> c.createStatement().execute("SHUTDOWN IMMEDIATELY"));
        } catch (RuntimeException closedUnderIt) {
            // H2 reports its own connection closed by the shutdown
        }
        database.close();
    }
}
