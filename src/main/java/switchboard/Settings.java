package switchboard;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import switchboard.booking.BookingSettings;
import switchboard.call.CallSettings;
import switchboard.callback.CallbackSettings;
import switchboard.common.SettingsException;
import switchboard.common.SettingsReader;
import switchboard.db.DbSettings;
import switchboard.http.HttpSettings;
import switchboard.intake.IntakeSettings;
import switchboard.lead.SourceSettings;
import switchboard.overflow.OverflowSettings;
import switchboard.pbx.PbxSettings;
import switchboard.qualify.QualifySettings;
import switchboard.readside.ReadSideSettings;

/**
 * Everything the node reads from configuration, validated once at start-up. Each feature owns its settings record
 * and reads its own block ({@code XSettings.read}); this class only layers the sources and composes them.
 *
 * <p>Precedence: environment variables (see {@link #ENV}) over the {@code --config FILE}, over the defaults in
 * {@code switchboard-defaults.conf}. A bad value raises {@link SettingsException} naming the key.
 */
public record Settings(
        String nodeName,
        HttpSettings http,
        DbSettings db,
        ClusterNode cluster,
        List<PbxSettings> pbxes,
        CallSettings calls,
        SourceSettings sources,
        ReadSideSettings readSide,
        CallbackSettings callbacks,
        OverflowSettings overflow,
        QualifySettings qualify,
        BookingSettings booking,
        IntakeSettings intake) {

    /** This node's address in the Pekko cluster, and the seed nodes it joins (none: a cluster of one). */
    public record ClusterNode(String host, int port, List<String> seedNodes) {}

    /** Where a node keeps the API token it made when none is configured (relative to the working directory). */
    public static final java.nio.file.Path KEPT_API_TOKEN = java.nio.file.Path.of("data", "api-token");

    /** No token configured: the one kept in {@link #KEPT_API_TOKEN} (made on the first start), so restarts keep working. */
    public Settings withKeptApiToken(java.io.PrintStream err) throws java.io.IOException {
        return withHttp(http.orTokenKeptIn(KEPT_API_TOKEN, err));
    }

    public Settings withHttp(HttpSettings http) {
        return new Settings(
                nodeName, http, db, cluster, pbxes, calls, sources, readSide, callbacks, overflow, qualify, booking,
                intake);
    }

    public Settings withDb(DbSettings db) {
        return new Settings(
                nodeName, http, db, cluster, pbxes, calls, sources, readSide, callbacks, overflow, qualify, booking,
                intake);
    }

    public Settings withPbxes(List<PbxSettings> pbxes) {
        return new Settings(
                nodeName,
                http,
                db,
                cluster,
                List.copyOf(pbxes),
                calls,
                sources,
                readSide,
                callbacks,
                overflow,
                qualify,
                booking,
                intake);
    }

    public Settings withOverflow(OverflowSettings overflow) {
        return new Settings(
                nodeName, http, db, cluster, pbxes, calls, sources, readSide, callbacks, overflow, qualify, booking,
                intake);
    }

    public Settings withCallbacks(CallbackSettings callbacks) {
        return new Settings(
                nodeName, http, db, cluster, pbxes, calls, sources, readSide, callbacks, overflow, qualify, booking,
                intake);
    }

    /** These settings attached to one simulated PBX on 127.0.0.1 instead of the configured ones (demo, loadtest). */
    public Settings withSimulatedPbx(int amiPort, String amiSecret, Path cdrFile, Duration backfillWindow) {
        return withPbxes(List.of(pbx().simulatedAt(amiPort, amiSecret, cdrFile, backfillWindow)));
    }

    /** The primary PBX: the one the environment variables configure, and whose tenant the API defaults to. */
    public PbxSettings pbx() {
        return pbxes.get(0);
    }

    /** Environment variable → configuration key. Also the configuration table of the README. */
    public static final Map<String, String> ENV = envMap();

    private static Map<String, String> envMap() {
        var m = new LinkedHashMap<String, String>();
        m.put("SWITCHBOARD_DB_URL", "switchboard.db.url");
        m.put("SWITCHBOARD_DB_USER", "switchboard.db.user");
        m.put("SWITCHBOARD_DB_PASSWORD", "switchboard.db.password");
        m.put("SWITCHBOARD_DB_POOL_SIZE", "switchboard.db.pool-size");
        m.put("SWITCHBOARD_HTTP_HOST", "switchboard.http.host");
        m.put("SWITCHBOARD_HTTP_PORT", "switchboard.http.port");
        m.put("SWITCHBOARD_API_TOKEN", "switchboard.http.api-token");
        m.put("SWITCHBOARD_API_TOKEN_FILE", "switchboard.http.api-token-file");
        m.put("SWITCHBOARD_INTAKE_TOKEN", "switchboard.intake.token");
        m.put("SWITCHBOARD_INTAKE_TOKEN_FILE", "switchboard.intake.token-file");
        m.put("SWITCHBOARD_INTAKE_SECRET", "switchboard.intake.secret");
        m.put("SWITCHBOARD_INTAKE_SECRET_FILE", "switchboard.intake.secret-file");
        m.put("SWITCHBOARD_AMI_HOST", "switchboard.pbx.ami.host");
        m.put("SWITCHBOARD_AMI_PORT", "switchboard.pbx.ami.port");
        m.put("SWITCHBOARD_AMI_USER", "switchboard.pbx.ami.user");
        m.put("SWITCHBOARD_AMI_SECRET", "switchboard.pbx.ami.secret");
        m.put("SWITCHBOARD_AMI_SECRET_FILE", "switchboard.pbx.ami.secret-file");
        m.put("SWITCHBOARD_PBX_ID", "switchboard.pbx.id");
        m.put("SWITCHBOARD_CDR_FILE", "switchboard.pbx.cdr-file");
        m.put("SWITCHBOARD_TENANT", "switchboard.pbx.tenant");
        m.put("SWITCHBOARD_REGION", "switchboard.pbx.region");
        m.put("SWITCHBOARD_CLUSTER_HOST", "switchboard.cluster.host");
        m.put("SWITCHBOARD_CLUSTER_PORT", "switchboard.cluster.port");
        return Map.copyOf(m);
    }

    /** Loads defaults, then the optional file, then the environment. */
    public static Settings load(Path configFile, Map<String, String> env) {
        Config defaults = ConfigFactory.parseResources("switchboard-defaults.conf");
        Config file = ConfigFactory.empty();
        if (configFile != null) {
            if (!Files.isReadable(configFile)) {
                throw new SettingsException("--config: cannot read file " + configFile);
            }
            try {
                file = ConfigFactory.parseFile(configFile.toFile());
            } catch (ConfigException e) {
                throw new SettingsException("--config " + configFile + ": not valid HOCON: " + oneLine(e.getMessage()));
            }
        }
        var fromEnv = new LinkedHashMap<String, Object>();
        ENV.forEach((var, key) -> {
            String v = env.get(var);
            if (v != null) fromEnv.put(key, v);
        });
        Config merged = ConfigFactory.parseMap(fromEnv, "environment")
                .withFallback(file)
                .withFallback(defaults);
        try {
            merged = merged.resolve();
        } catch (ConfigException e) {
            throw new SettingsException("configuration: " + oneLine(e.getMessage()));
        }
        return from(merged.getConfig("switchboard"));
    }

    /** Reads and validates {@code switchboard { … }}: each feature its own block. */
    public static Settings from(Config c) {
        var r = new SettingsReader(c, Settings::envVarOf);
        var cluster = new ClusterNode(
                r.string("cluster.host"), r.intIn("cluster.port", 0, 65535), r.stringList("cluster.seed-nodes"));
        var callbacks = CallbackSettings.read(r.at("callbacks"));
        var qualify = QualifySettings.read(r.at("qualify"));
        if (callbacks.qualify() && !qualify.enabled())
            throw r.at("callbacks").bad("qualify", "needs the interview: set switchboard.qualify.enabled = true");
        return new Settings(
                r.string("node-name"),
                HttpSettings.read(r.at("http")),
                DbSettings.read(r.at("db")),
                cluster,
                PbxSettings.readAll(r),
                CallSettings.read(r.at("calls")),
                SourceSettings.read(r.at("sources")),
                ReadSideSettings.read(r.at("read-side")),
                callbacks,
                OverflowSettings.read(r.at("overflow")),
                qualify,
                BookingSettings.read(r.at("booking")),
                IntakeSettings.read(r.at("intake")));
    }

    private static String envVarOf(String key) {
        return ENV.entrySet().stream()
                .filter(e -> e.getValue().equals(key))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }
}
