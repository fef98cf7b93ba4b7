package switchboard.db;

import switchboard.common.SettingsReader;

/** The database of the journal and the read side ({@code switchboard.db}): PostgreSQL, or embedded H2 by default. */
public record DbSettings(String url, String user, String password, int poolSize) {

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    public static DbSettings read(SettingsReader r) {
        String url = r.string("url");
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            throw r.bad("url", "must start with jdbc:postgresql: or jdbc:h2:, got '" + url + "'");
        }
        if (url.startsWith("jdbc:h2:") && !url.contains("DATABASE_TO_UPPER")) {
            url = url + ";DATABASE_TO_UPPER=false"; // the journal's H2 DDL uses quoted lower-case names
        }
        if (url.startsWith("jdbc:h2:file:") && !url.toUpperCase().contains("WRITE_DELAY")) {
            // H2 writes commits to its file up to 500 ms late by default: a killed process loses them. A callback
            // attempt
            // must be on disk before its Originate goes out (CallbackCrashTest caught a double dial without this).
            url = url + ";WRITE_DELAY=0";
        }
        return new DbSettings(url, r.string("user"), r.string("password"), r.intIn("pool-size", 2, 200));
    }

    @Override
    public String toString() { // never print the password
        return "DbSettings[url=" + Schema.redact(url) + ", user=" + user + ", password="
                + (password.isEmpty() ? "" : "***") + ", poolSize=" + poolSize + "]";
    }
}
