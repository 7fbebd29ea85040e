package io.courier.store;

/**
 * The three databases Courier supports, as the tests reach them: embedded SQLite in a temporary
 * directory, and the MariaDB and PostgreSQL servers expected on this machine.
 */
public enum Backend {
    SQLITE("SQLite (embedded)", Dialect.SQLITE, null, null, null, null, null),
    MARIADB("MariaDB", Dialect.MYSQL,
            "127.0.0.1:3306", "jdbc:mariadb://127.0.0.1:3306/", "root", "",
            "bash .ci/services.sh  (starts MariaDB and PostgreSQL when down), or: sudo service mariadb start"),
    POSTGRESQL("PostgreSQL", Dialect.POSTGRESQL,
            "127.0.0.1:5432", "jdbc:postgresql://127.0.0.1:5432/", "postgres", "",
            "bash .ci/services.sh  (starts MariaDB and PostgreSQL when down), or: sudo service postgresql start");

    private final String displayName;
    private final Dialect dialect;
    private final String address;
    private final String urlPrefix;
    private final String user;
    private final String password;
    private final String startCommand;

    Backend(String displayName, Dialect dialect, String address, String urlPrefix, String user, String password,
            String startCommand) {
        this.displayName = displayName;
        this.dialect = dialect;
        this.address = address;
        this.urlPrefix = urlPrefix;
        this.user = user;
        this.password = password;
        this.startCommand = startCommand;
    }

    public String displayName() {
        return displayName;
    }

    /** The dialect {@link Database} must detect from this backend's URL. */
    public Dialect dialect() {
        return dialect;
    }

    boolean isServer() {
        return urlPrefix != null;
    }

    String address() {
        return address;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String startCommand() {
        return startCommand;
    }

    /** The URL of one database on the server. */
    String url(String database) {
        return urlPrefix + database;
    }

    /** Where an administrative connection goes to create and drop the test databases. */
    String adminUrl() {
        return switch (this) {
            case MARIADB -> urlPrefix + "?connectTimeout=2000";
            case POSTGRESQL -> urlPrefix + "postgres?connectTimeout=2";
            case SQLITE -> throw new IllegalStateException("SQLite has no server");
        };
    }

    String createDatabaseSql(String name) {
        return "CREATE DATABASE " + name;
    }

    String dropDatabaseSql(String name) {
        return switch (this) {
            case MARIADB -> "DROP DATABASE IF EXISTS " + name;
            // FORCE ends connections a test may have leaked, so the drop cannot hang or fail.
            case POSTGRESQL -> "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)";
            case SQLITE -> throw new IllegalStateException("SQLite has no server");
        };
    }
}
