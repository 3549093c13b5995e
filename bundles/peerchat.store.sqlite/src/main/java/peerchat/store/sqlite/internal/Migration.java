package peerchat.store.sqlite.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * One step of the schema: applied to a database whose {@code PRAGMA user_version} is
 * {@code version - 1}, inside the transaction that then sets the user_version to {@code version}.
 */
record Migration(int version, String description, List<String> statements) {

    void apply(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
