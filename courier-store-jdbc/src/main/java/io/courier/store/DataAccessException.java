package io.courier.store;

import io.courier.core.error.BackendException;

import java.sql.SQLException;

/**
 * A database failure. Stores turn the ones a client caused (a taken username) into domain errors
 * with {@link #isUniqueViolation()}; the rest (lost connection, full disk) reach the adapters as a
 * {@link BackendException}.
 */
public final class DataAccessException extends BackendException {
    public DataAccessException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    public boolean isUniqueViolation() {
        return Dialect.isUniqueViolation((SQLException) getCause());
    }
}
