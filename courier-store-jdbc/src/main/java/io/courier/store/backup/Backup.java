package io.courier.store.backup;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.store.Database;
import io.courier.store.Dialect;
import io.courier.store.Jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole database as one portable file, and back: {@code ./courier export} and {@code ./courier
 * import}, for backups, for moving between the embedded database and MariaDB or PostgreSQL, and for
 * the upgrade of an H2 data directory. The file is JSON lines: a header, then for each table a line
 * naming its columns followed by one array per row, then a trailer with the row count, so that a
 * cut-off file is refused rather than half imported.
 *
 * <p>Every table of the schema is listed here, in an order where nothing refers to a later table;
 * {@code BackupTest} fails when a migration adds a table this list lacks.
 */
public final class Backup {
    public static final String FORMAT = "courier-export";
    public static final int VERSION = 1;

    /** Table → the columns that order its rows (its primary key). */
    static final Map<String, String> TABLES = orderedTables();
    /** Tables whose id the database generates: their counters are moved past the imported ids. */
    private static final List<String> GENERATED_IDS = List.of("users", "friend_requests", "chat_groups", "group_join_requests");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Backup() {
    }

    private static Map<String, String> orderedTables() {
        Map<String, String> t = new java.util.LinkedHashMap<>();
        t.put("users", "id");
        t.put("user_sessions", "id");
        t.put("friend_requests", "id");
        t.put("friendships", "user_id, friend_id");
        t.put("user_blocks", "user_id, blocked_id");
        t.put("chat_groups", "id");
        t.put("group_members", "group_id, user_id");
        t.put("group_join_requests", "id");
        t.put("messages", "conversation_id, seq");
        t.put("delivery_cursors", "user_id, device_id, conversation_id");
        t.put("read_cursors", "user_id, conversation_id");
        t.put("user_conversations", "user_id, conversation_id");
        return Collections.unmodifiableMap(t);
    }

    /** What an export or import moved. */
    public record Summary(String schemaVersion, Map<String, Long> rows) {
        public long total() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Writes every row of every table to {@code out} (left open), from one consistent snapshot where the database gives one. */
    public static Summary export(Database database, OutputStream out) {
        return database.jdbc().inReadTransaction(c -> {
            Map<String, Long> counts = new java.util.LinkedHashMap<>();
            String schema = schemaVersion(c, database.dialect());
            try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                json.setRootValueSeparator(null);
                ObjectNode header = JSON.createObjectNode().put("format", FORMAT).put("version", VERSION).put("schema", schema)
                        .put("exported_at", System.currentTimeMillis());
                line(json, header);
                long total = 0;
                for (Map.Entry<String, String> table : TABLES.entrySet()) {
                    long rows = exportTable(c, table.getKey(), table.getValue(), json);
                    counts.put(table.getKey(), rows);
                    total += rows;
                }
                line(json, JSON.createObjectNode().put("end", true).put("rows", total));
            } catch (IOException e) {
                throw new UncheckedIOException("Writing the export failed", e);
            }
            return new Summary(schema, counts);
        });
    }

    private static long exportTable(Connection c, String table, String orderBy, JsonGenerator json) throws SQLException, IOException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY " + orderBy)) {
            ResultSetMetaData meta = rs.getMetaData();
            ObjectNode head = JSON.createObjectNode().put("table", table);
            var columns = head.putArray("columns");
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i).toLowerCase());
            }
            line(json, head);
            long rows = 0;
            while (rs.next()) {
                json.writeStartArray();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    writeValue(json, rs, i, meta.getColumnType(i));
                }
                json.writeEndArray();
                json.writeRaw('\n');
                rows++;
            }
            return rows;
        }
    }

    private static void writeValue(JsonGenerator json, ResultSet rs, int column, int type) throws SQLException, IOException {
        switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
                long v = rs.getLong(column);
                if (rs.wasNull()) {
                    json.writeNull();
                } else {
                    json.writeNumber(v);
                }
            }
            case Types.BOOLEAN, Types.BIT -> {
                boolean v = rs.getBoolean(column);
                if (rs.wasNull()) {
                    json.writeNull();
                } else {
                    json.writeBoolean(v);
                }
            }
            default -> {
                String v = rs.getString(column);
                if (v == null) {
                    json.writeNull();
                } else {
                    json.writeString(v);
                }
            }
        }
    }

    private static void line(JsonGenerator json, JsonNode node) throws IOException {
        JSON.writeTree(json, node);
        json.writeRaw('\n');
    }

    /**
     * Reads an export into {@code database}, which must hold no users and no messages yet (a fresh
     * data directory or an empty database), in one transaction: an import that fails leaves nothing.
     */
    public static Summary importInto(Database database, InputStream in) {
        return database.jdbc().inTransaction(c -> {
            requireEmpty(c);
            String schema = schemaVersion(c, database.dialect());
            Map<String, Long> counts = new java.util.LinkedHashMap<>();
            try (MappingIterator<JsonNode> lines = JSON.readerFor(JsonNode.class).readValues(in)) {
                JsonNode header = lines.hasNext() ? lines.next() : null;
                if (header == null || !FORMAT.equals(header.path("format").asText()) || header.path("version").asInt() != VERSION) {
                    throw new IllegalArgumentException("Not a Courier export (version " + VERSION + "): the first line is " + header);
                }
                if (!schema.equals(header.path("schema").asText())) {
                    throw new IllegalArgumentException("The export has schema version " + header.path("schema").asText()
                            + ", this server's database " + schema + ": export it again with this release, or import it"
                            + " with the release that wrote it");
                }
                long total = 0;
                ImportTable current = null;
                boolean ended = false;
                while (lines.hasNext()) {
                    JsonNode line = lines.next();
                    if (line.isArray()) {
                        if (current == null) {
                            throw new IllegalArgumentException("A row before any table in the export");
                        }
                        current.add(line);
                        counts.merge(current.table, 1L, Long::sum);
                        total++;
                    } else if (line.has("table")) {
                        if (current != null) {
                            current.close();
                        }
                        current = ImportTable.open(c, line);
                        counts.putIfAbsent(current.table, 0L);
                    } else if (line.path("end").asBoolean()) {
                        if (line.path("rows").asLong() != total) {
                            throw new IllegalArgumentException("The export announces " + line.path("rows").asLong()
                                    + " rows and holds " + total);
                        }
                        ended = true;
                    }
                }
                if (current != null) {
                    current.close();
                }
                if (!ended) {
                    throw new IllegalArgumentException("The export ends before its last line: it was cut off; nothing was imported");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Reading the export failed", e);
            }
            advanceGeneratedIds(c, database.dialect());
            return new Summary(schema, counts);
        });
    }

    private static void requireEmpty(Connection c) throws SQLException {
        for (String table : List.of("users", "messages", "chat_groups")) {
            long rows = Jdbc.query(c, "SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1)).getFirst();
            if (rows > 0) {
                throw new IllegalStateException("The database already holds data (" + rows + " rows in " + table
                        + "); import into a new data directory or an empty database");
            }
        }
    }

    /** The newest migration applied, from Flyway's history table (whose lower-case names H2 keeps only when quoted). */
    static String schemaVersion(Connection c, Dialect dialect) throws SQLException {
        String q = dialect == Dialect.H2 ? "\"" : "";
        return Jdbc.query(c, "SELECT " + q + "version" + q + " FROM " + q + "flyway_schema_history" + q
                        + " WHERE " + q + "version" + q + " IS NOT NULL ORDER BY " + q + "installed_rank" + q + " DESC",
                rs -> rs.getString(1)).getFirst();
    }

    /**
     * Imported rows carry their ids; the next id the database generates must come after them.
     * SQLite's AUTOINCREMENT and MySQL's AUTO_INCREMENT follow explicit ids by themselves.
     */
    private static void advanceGeneratedIds(Connection c, Dialect dialect) throws SQLException {
        for (String table : GENERATED_IDS) {
            long max = Jdbc.query(c, "SELECT COALESCE(MAX(id), 0) FROM " + table, rs -> rs.getLong(1)).getFirst();
            if (max == 0) {
                continue;
            }
            switch (dialect) {
                case POSTGRESQL -> Jdbc.query(c, "SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), ?)", rs -> 0, max);
                case H2 -> Jdbc.update(c, "ALTER TABLE " + table + " ALTER COLUMN id RESTART WITH " + (max + 1));
                default -> { }
            }
        }
    }

    /** The insert of one table's rows, converted to the target's column types, sent in batches. */
    private static final class ImportTable implements AutoCloseable {
        private final String table;
        private final PreparedStatement insert;
        private final int[] types;
        private int batched;

        private ImportTable(String table, PreparedStatement insert, int[] types) {
            this.table = table;
            this.insert = insert;
            this.types = types;
        }

        static ImportTable open(Connection c, JsonNode head) throws SQLException {
            String table = head.path("table").asText();
            if (!TABLES.containsKey(table)) {
                throw new IllegalArgumentException("The export has a table this release does not know: " + table);
            }
            List<String> columns = new ArrayList<>();
            head.path("columns").forEach(n -> columns.add(n.asText()));
            Map<String, Integer> targetTypes = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
                ResultSetMetaData meta = rs.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    targetTypes.put(meta.getColumnLabel(i).toLowerCase(), meta.getColumnType(i));
                }
            }
            int[] types = new int[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                Integer type = targetTypes.get(columns.get(i));
                if (type == null) {
                    throw new IllegalArgumentException("The export's table " + table + " has a column this release does not know: "
                            + columns.get(i));
                }
                types[i] = type;
            }
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
            return new ImportTable(table, c.prepareStatement(sql), types);
        }

        void add(JsonNode row) throws SQLException {
            if (row.size() != types.length) {
                throw new IllegalArgumentException("A row of " + table + " has " + row.size() + " values, not " + types.length);
            }
            for (int i = 0; i < types.length; i++) {
                bind(i + 1, row.get(i), types[i]);
            }
            insert.addBatch();
            if (++batched == 1_000) {
                insert.executeBatch();
                batched = 0;
            }
        }

        private void bind(int index, JsonNode value, int type) throws SQLException {
            if (value.isNull()) {
                insert.setNull(index, type);
                return;
            }
            switch (type) {
                case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT ->
                        insert.setLong(index, value.isBoolean() ? (value.asBoolean() ? 1 : 0) : value.asLong());
                case Types.BOOLEAN, Types.BIT -> insert.setBoolean(index, value.isBoolean() ? value.asBoolean() : value.asLong() != 0);
                default -> insert.setString(index, value.asText());
            }
        }

        @Override
        public void close() throws SQLException {
            if (batched > 0) {
                insert.executeBatch();
            }
            insert.close();
        }
    }
}
