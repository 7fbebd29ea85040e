package io.courier.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
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

    private final DataSource dataSource;
    private final Dialect dialect;
    /** Held by every write from its first statement to its commit; null: writes may overlap. */
    private final ReentrantLock writeLock;

    /**
     * The embedded databases ({@link Dialect#isEmbedded}) take one write at a time. SQLite lets one
     * connection write at a time and answers a second with SQLITE_BUSY, which it can only retry by
     * sleeping; waiting on a lock here instead hands the database over the moment it is free. H2
     * stores a table and each of its indexes as separate maps, one after another, and a transaction
     * that commits in between can be stored half (a row without its index entry). Readers are not
     * held: both read a snapshot. A server database needs none of this.
     */
    public Jdbc(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.writeLock = dialect.isEmbedded() ? new ReentrantLock() : null;
    }

    /** The end of a SELECT that locks what it reads until the transaction ends ({@link Dialect#forUpdate}). */
    public String forUpdate() {
        return dialect.forUpdate();
    }

    public Dialect dialect() {
        return dialect;
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

    /**
     * Runs writes in auto-commit mode; they are durable when it returns: the database's own log has
     * them (SQLite's write-ahead log, InnoDB's redo log, PostgreSQL's WAL), to the degree of the
     * configured durability ({@link Durability}).
     */
    public <T> T write(Work<T> work) {
        return serially(work);
    }

    /** Runs {@code work} in one transaction: committed (and durable) when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        return serially(c -> transaction(c, work));
    }

    /**
     * Runs reads in one transaction that sees one snapshot of the database, without holding up its
     * writers (an export of a live server). Rolled back at the end: it writes nothing.
     */
    public <T> T inReadTransaction(Work<T> work) {
        return withConnection(c -> {
            int isolation = c.getTransactionIsolation();
            if (dialect != Dialect.SQLITE) { // SQLite's transactions are snapshots already, and it knows no other levels
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                if (dialect != Dialect.SQLITE) {
                    c.setTransactionIsolation(isolation);
                }
            }
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
        Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
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

    /**
     * {@link #advance} for many rows at once: one batch of updates, then one batch of inserts for the
     * rows no update touched. A row another writer inserted meanwhile, or a driver that does not
     * count a batch's updates, is done again one row at a time. Inside a transaction.
     */
    public static void advanceAll(Connection c, String update, List<Object[]> updates, String insert, List<Object[]> inserts)
            throws SQLException {
        if (updates.isEmpty()) {
            return;
        }
        int[] counts = batch(c, update, updates);
        List<Integer> untouched = new ArrayList<>();
        List<Integer> unknown = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                untouched.add(i);
            } else if (counts[i] < 0) {
                unknown.add(i); // Statement.SUCCESS_NO_INFO
            }
        }
        for (int i : unknown) {
            advance(c, update, updates.get(i), insert, inserts.get(i));
        }
        if (untouched.isEmpty()) {
            return;
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            batch(c, insert, untouched.stream().map(inserts::get).toList());
            c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            c.rollback(savepoint);
            if (!Dialect.isUniqueViolation(e)) {
                throw e;
            }
            for (int i : untouched) {
                advance(c, update, updates.get(i), insert, inserts.get(i));
            }
        }
    }

    /** One statement run for each row of parameters, sent as one batch; the update count of each. */
    public static int[] batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            return ps.executeBatch();
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
