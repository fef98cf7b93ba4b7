package switchboard.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies our own DDL at start-up: the journal tables for the configured database and the read-side tables.
 * Every statement is idempotent and runs in auto-commit on its own, so a restart (or two nodes starting at
 * once) is harmless, and a real error is reported instead of swallowed.
 */
public final class Schema {
  private static final Logger log = LoggerFactory.getLogger(Schema.class);

  private Schema() {}

  public static void apply(DbSettings db) {
    var scripts = List.of(db.isPostgres() ? "db/postgres/001-journal.sql" : "db/h2/001-journal.sql", "db/002-read-side.sql");
    try (var c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      c.setAutoCommit(true);
      int n = 0;
      for (String script : scripts) {
        for (String statement : statements(script)) {
          try (var st = c.createStatement()) {
            st.execute(statement);
            n++;
          } catch (SQLException e) {
            throw new SchemaException(script + ": " + e.getMessage().lines().findFirst().orElse("") + " in: " + statement.lines().findFirst().orElse(""), e);
          }
        }
      }
      log.info("Schema ready ({} statements applied idempotently)", n);
    } catch (SQLException e) {
      throw new SchemaException("cannot connect to " + redact(db.url()) + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  /** The URL without credentials that a user may have put in it. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password|user)=[^&;]*", "$1=***");
  }

  static List<String> statements(String resource) {
    String text;
    try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource);
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    var out = new ArrayList<String>();
    var current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) continue;
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String s = current.toString().trim();
        out.add(s.substring(0, s.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) out.add(current.toString().trim());
    return out;
  }

  public static final class SchemaException extends RuntimeException {
    SchemaException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
