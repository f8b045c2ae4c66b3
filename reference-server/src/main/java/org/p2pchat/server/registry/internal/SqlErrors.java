package org.p2pchat.server.registry.internal;

import java.sql.SQLException;
import org.p2pchat.server.registry.RegistryUrl;

/** Turns a driver error into one line an operator can act on, without credentials or a stack trace. */
final class SqlErrors {
  private SqlErrors() {}

  /** Why the first connection, migration or rights check failed. */
  static String atStart(String where, RegistryUrl url, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String user = "'" + url.user() + "'";
    String db = "'" + url.database() + "'";
    if (state.equals("28P01") || state.equals("28000")) {
      return where + " refused the login of user " + user + " to database " + db
          + " (wrong password, no such user, or not allowed by pg_hba.conf)";
    }
    if (state.equals("08004") && !url.hasPassword()) {
      return where + " wants a password for user " + user + ": set " + RegistryUrl.PASSWORD_ENV
          + " or add &password=P to --registry";
    }
    if (state.equals("3D000")) {
      return where + " has no database " + db + ": create it (createdb) or fix --registry";
    }
    if (state.equals("42501")) {
      return "user " + user + " lacks rights in database " + db + " at " + where.substring("PostgreSQL at ".length())
          + ": " + firstLine(e.getMessage()) + " (grant CREATE on the schema for the first start, then "
          + "SELECT, INSERT, UPDATE, DELETE on its tables)";
    }
    if (state.startsWith("08") || state.equals("57P03")) {
      return "cannot reach " + where + ": " + firstLine(e.getMessage()) + causeOf(e);
    }
    return where + ", database " + db + ": " + describe(e);
  }

  /** The driver's first line and SQLState, for a RegistryUnavailable. */
  static String describe(SQLException e) {
    return firstLine(e.getMessage()) + causeOf(e) + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
  }

  private static String causeOf(SQLException e) {
    Throwable cause = e.getCause();
    if (cause == null || cause instanceof SQLException) {
      return "";
    }
    return " [" + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
        + firstLine(cause.getMessage())) + "]";
  }

  static String firstLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
