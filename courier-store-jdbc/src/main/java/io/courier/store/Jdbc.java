package io.courier.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Thin help over plain JDBC: statements with positional parameters, row mappers, and transactions
 * that pass their connection explicitly. Not an ORM; the SQL stays visible in each store.
 */
public final class Jdbc {
    /** A typed SQL NULL, since some drivers (PostgreSQL) cannot infer the type of a bare null. */
    public record Null(int sqlType) {
    }

    public static final Null NULL_STRING = new Null(Types.VARCHAR);

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * What makes a committed write survive a crash when the database's own commit does not: the
     * embedded database in journal mode stores its pages only when asked (the message journal's
     * checkpoints), so every write that is not journaled stores them before it returns ({@link Database}).
     */
    @FunctionalInterface
    public interface Persistence {
        Persistence BY_COMMIT = c -> { };

        void persist(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final Persistence persistence;
    /** Held by every write from its first statement to its commit (and store); null: writes may overlap. */
    private final ReentrantLock writeLock;

    public Jdbc(DataSource dataSource) {
        this(dataSource, Persistence.BY_COMMIT, false);
    }

    /**
     * {@code serialWrites}: one write at a time, and no store of the embedded database's pages while
     * one runs. H2 stores a table and each of its indexes as separate maps, one after the other, and
     * a transaction that commits in between is stored half: a row without its index entry, which
     * the next update of that row after a crash fails on ("Row not found when trying to delete from
     * index"). With the writes serialised, every store (the ones a commit or {@link #persist} asks
     * for, and the ones H2 starts itself inside a write when its unsaved pages pile up) sees whole
     * transactions. Readers are not held: H2 reads a snapshot. A server database needs none of this.
     */
    public Jdbc(DataSource dataSource, Persistence persistence, boolean serialWrites) {
        this.dataSource = dataSource;
        this.persistence = persistence;
        this.writeLock = serialWrites ? new ReentrantLock() : null;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(c -> query(c, sql, mapper, params));
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        return query(sql, mapper, params).stream().findFirst();
    }

    public int update(String sql, Object... params) {
        return write(c -> update(c, sql, params));
    }

    public long insertReturningId(String sql, Object... params) {
        return write(c -> insertReturningId(c, sql, params));
    }

    /** Runs writes in auto-commit mode; they are durable when it returns. */
    public <T> T write(Work<T> work) {
        return serially(c -> {
            T result = work.run(c);
            persistence.persist(c);
            return result;
        });
    }

    /** Runs {@code work} in one transaction: committed (and durable) when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        return serially(c -> {
            T result = transaction(c, work);
            persistence.persist(c);
            return result;
        });
    }

    /**
     * Like {@link #inTransaction}, but durable only once the database stores its pages (the message
     * journal's checkpoints, or any {@link #persist}): for a caller that made the same write durable
     * itself, the message journal. Same as {@code inTransaction} on a server database.
     */
    public <T> T inJournaledTransaction(Work<T> work) {
        return serially(c -> transaction(c, work));
    }

    /** Makes every committed write durable now (the embedded database stores its pages). */
    public void persist() {
        serially(c -> {
            persistence.persist(c);
            return null;
        });
    }

    /**
     * The lock is taken before the connection: a thread that held a connection while it waited for
     * the lock could starve the lock's holder of one, with a small pool.
     */
    private <T> T serially(Work<T> work) {
        if (writeLock == null) {
            return withConnection(work);
        }
        writeLock.lock();
        try {
            return withConnection(work);
        } finally {
            writeLock.unlock();
        }
    }

    private static <T> T transaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    public static long insertReturningId(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, params);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("The database returned no generated id for: " + sql);
                }
                return keys.getLong(1);
            }
        }
    }

    /**
     * Moves a forward-only value (a cursor, a last seq): runs {@code update} (which must only raise
     * the value), and when it touched nothing because the row does not exist yet, {@code insert}.
     * A concurrent insert of the same row is not an error: the update is tried once more. Returns
     * whether the value moved. Works inside a transaction (a savepoint keeps PostgreSQL's
     * transaction usable after the failed insert) and outside one.
     */
    public static boolean advance(Connection c, String update, Object[] updateParams, String insert, Object[] insertParams)
            throws SQLException {
        if (update(c, update, updateParams) > 0) {
            return true;
        }
        java.sql.Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        try {
            update(c, insert, insertParams);
            if (savepoint != null) {
                c.releaseSavepoint(savepoint);
            }
            return true;
        } catch (SQLException e) {
            if (savepoint != null) {
                c.rollback(savepoint);
            }
            if (!Dialect.isUniqueViolation(e)) {
                throw e;
            }
            return update(c, update, updateParams) > 0;
        }
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode: for reads (writes use {@link #write}). */
    public <T> T withConnection(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static RuntimeException translate(SQLException e) {
        return new DataAccessException("Database operation failed", e);
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Null n) {
                ps.setNull(i + 1, n.sqlType());
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }
}
