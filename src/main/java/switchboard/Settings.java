package switchboard;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import switchboard.lead.LeadSource;

/**
 * Everything the node reads from configuration, validated once at start-up.
 *
 * <p>Precedence: environment variables (see {@link #ENV}) over the {@code --config FILE}, over the defaults in
 * {@code application.conf}. A bad value raises {@link SettingsException} naming the key.
 */
public record Settings(
    String nodeName,
    Http http,
    Db db,
    ClusterNode cluster,
    List<Pbx> pbxes,
    Calls calls,
    Sources sources,
    ReadSide readSide,
    Callbacks callbacks,
    Overflow overflow) {

  public record Http(String host, int port, String apiToken) {}

  public record Db(String url, String user, String password, int poolSize) {
    public boolean isPostgres() {
      return url.startsWith("jdbc:postgresql:");
    }
  }

  public record ClusterNode(String host, int port, List<String> seedNodes) {}

  public Settings withHttp(Http http) {
    return new Settings(nodeName, http, db, cluster, pbxes, calls, sources, readSide, callbacks, overflow);
  }

  public Settings withDb(Db db) {
    return new Settings(nodeName, http, db, cluster, pbxes, calls, sources, readSide, callbacks, overflow);
  }

  public Settings withPbxes(List<Pbx> pbxes) {
    return new Settings(nodeName, http, db, cluster, List.copyOf(pbxes), calls, sources, readSide, callbacks, overflow);
  }

  public Settings withOverflow(Overflow overflow) {
    return new Settings(nodeName, http, db, cluster, pbxes, calls, sources, readSide, callbacks, overflow);
  }

  public Settings withCallbacks(Callbacks callbacks) {
    return new Settings(nodeName, http, db, cluster, pbxes, calls, sources, readSide, callbacks, overflow);
  }

  /**
   * These settings attached to one simulated PBX on 127.0.0.1 instead of the configured ones (demo, loadtest):
   * the primary PBX's id, tenant, region and zone, our dialplan's inbound context, the simulator's CDR file.
   */
  public Settings withSimulatedPbx(int amiPort, String amiSecret, Path cdrFile, Duration backfillWindow) {
    var p = pbx();
    var sim = new Pbx(p.id(), p.tenant(), p.region(), p.zone(), List.of("from-carrier"), new Ami("127.0.0.1", amiPort, "switchboard", amiSecret), cdrFile.toString(),
        backfillWindow);
    return new Settings(nodeName, http, db, cluster, List.of(sim), calls, sources, readSide, callbacks, overflow);
  }

  /** The primary PBX: the one the environment variables configure, and whose tenant the API defaults to. */
  public Pbx pbx() {
    return pbxes.get(0);
  }

  /** The contractor's PBX this node attaches to. AMI host empty = no PBX link (API and read side only). */
  /** @param inboundContexts dialplan contexts where inbound calls arrive: a channel created there is a caller */
  /**
   * @param cdrFile Asterisk's switchboard-cdr.csv (asterisk-config/cdr_custom.conf) for recovering calls that
   *     happened while the AMI link was down; empty = no backfill
   * @param backfillWindow how far back the first connect after start-up looks in the CDR file
   */
  public record Pbx(String id, String tenant, String region, ZoneId zone, List<String> inboundContexts, Ami ami, String cdrFile, Duration backfillWindow) {}

  public record Ami(String host, int port, String user, String secret) {
    public boolean configured() {
      return !host.isBlank();
    }

    @Override
    public String toString() { // never print the secret
      return "Ami[host=" + host + ", port=" + port + ", user=" + user + ", secret=" + (secret.isEmpty() ? "" : "***") + "]";
    }
  }

  /** maxSignalsInFlight: PBX signals being stored at once, all calls together (see CallSignals). */
  public record Calls(Duration shortAbandonThreshold, int maxSignalsInFlight) {}

  public record Sources(Map<String, LeadSource> byDid, String channelVariable) {}

  public record ReadSide(Duration refreshInterval) {}

  /**
   * Callbacks of missed callers (the governor). {@code dial}: the Originate channel with {@code {number}} for the
   * customer's E.164 number, e.g. {@code PJSIP/{number}@carrier}; {@code queue}: the queue of the CSRs who take
   * callbacks (the sb-callback context puts the answered customer there).
   */
  public record Callbacks(boolean enabled, Duration gracePeriod, String queue, String dial, String callerId, Duration ringTimeout,
      switchboard.callback.Governor.Limits limits, switchboard.callback.CallingWindow.Range window, Map<java.time.DayOfWeek, switchboard.callback.CallingWindow.Range> businessHours,
      switchboard.callback.RetrySchedule.Policy retry, String dncFile, Duration poll, boolean amd, Duration queueTimeout) {}

  /**
   * Overflow rerouting of the first PBX's queues: the policies per queue (changeable at run time through the API),
   * how long a fresh agent ring protects a caller from being moved, and at most how many moves per second.
   */
  public record Overflow(boolean enabled, Duration ringGrace, double maxMovesPerSecond, Duration poll, List<switchboard.overflow.OverflowPolicy> policies) {}

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
    Config merged = ConfigFactory.parseMap(fromEnv, "environment").withFallback(file).withFallback(defaults);
    try {
      merged = merged.resolve();
    } catch (ConfigException e) {
      throw new SettingsException("configuration: " + oneLine(e.getMessage()));
    }
    return from(merged.getConfig("switchboard"), env);
  }

  /** Reads and validates {@code switchboard { … }}. */
  public static Settings from(Config c, Map<String, String> env) {
    var r = new Reader(c);
    String dbUrl = r.string("db.url");
    if (!dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
      throw r.bad("db.url", "must start with jdbc:postgresql: or jdbc:h2:, got '" + dbUrl + "'");
    }
    if (dbUrl.startsWith("jdbc:h2:") && !dbUrl.contains("DATABASE_TO_UPPER")) {
      dbUrl = dbUrl + ";DATABASE_TO_UPPER=false"; // the journal's H2 DDL uses quoted lower-case names
    }
    if (dbUrl.startsWith("jdbc:h2:file:") && !dbUrl.toUpperCase().contains("WRITE_DELAY")) {
      // H2 writes commits to its file up to 500 ms late by default: a killed process loses them. A callback attempt
      // must be on disk before its Originate goes out (CallbackCrashTest caught a double dial without this).
      dbUrl = dbUrl + ";WRITE_DELAY=0";
    }
    var db = new Db(dbUrl, r.string("db.user"), r.string("db.password"), r.intIn("db.pool-size", 2, 200));

    String token = r.string("http.api-token");
    String tokenFile = r.string("http.api-token-file");
    if (token.isEmpty() && !tokenFile.isEmpty()) token = r.readSecretFile("http.api-token-file", tokenFile);
    var http = new Http(r.string("http.host"), r.intIn("http.port", 0, 65535), token);

    var cluster = new ClusterNode(r.string("cluster.host"), r.intIn("cluster.port", 0, 65535), r.stringList("cluster.seed-nodes"));

    var pbx = pbx(r, "pbx.");
    // More PBXes (a contractor with two sites): each entry falls back to the primary pbx block's values.
    var pbxes = new ArrayList<Pbx>(List.of(pbx));
    List<? extends Config> more;
    try {
      more = c.getConfigList("more-pbxes");
    } catch (ConfigException e) {
      throw r.bad("more-pbxes", "must be a list of PBX blocks like pbx { … }");
    }
    for (int i = 0; i < more.size(); i++) {
      var extra = pbx(new Reader(entryConfig(more.get(i), c.getConfig("pbx"), i)), "more-pbxes." + i + ".");
      if (pbxes.stream().anyMatch(p -> p.id().equals(extra.id()))) throw r.bad("more-pbxes." + i + ".id", "PBX id '" + extra.id() + "' is used twice");
      pbxes.add(extra);
    }


    var calls = new Calls(r.durationIn("calls.short-abandon-threshold", Duration.ZERO, Duration.ofMinutes(5)), r.intIn("calls.max-signals-in-flight", 1, 100_000));

    var byDid = new LinkedHashMap<String, LeadSource>();
    Config dids = c.getConfig("sources.dids");
    for (var e : dids.root().entrySet()) {
      String key = "sources.dids." + e.getKey();
      if (e.getValue().valueType() != ConfigValueType.STRING) throw r.bad(key, "must be a lead source name");
      String name = (String) e.getValue().unwrapped();
      LeadSource source = LeadSource.parse(name).orElseThrow(() -> r.bad(key, "unknown lead source '" + name + "', expected one of " + List.of(LeadSource.values())));
      byDid.put(digitsOf(e.getKey()), source);
    }
    var sources = new Sources(Map.copyOf(byDid), r.string("sources.channel-variable"));

    var readSide = new ReadSide(r.durationIn("read-side.refresh-interval", Duration.ofMillis(10), Duration.ofSeconds(10)));

    return new Settings(r.string("node-name"), http, db, cluster, List.copyOf(pbxes), calls, sources, readSide, callbacks(r, c), overflow(r, c));
  }

  private static Overflow overflow(Reader r, Config c) {
    boolean enabled = Boolean.parseBoolean(r.string("overflow.enabled"));
    double perSecond;
    try {
      perSecond = Double.parseDouble(r.string("overflow.max-moves-per-second"));
    } catch (NumberFormatException e) {
      throw r.bad("overflow.max-moves-per-second", "must be a number, got '" + r.string("overflow.max-moves-per-second") + "'");
    }
    if (!(perSecond > 0 && perSecond <= 1000)) throw r.bad("overflow.max-moves-per-second", "must be above 0 and at most 1000, got " + perSecond);
    var policies = new java.util.ArrayList<switchboard.overflow.OverflowPolicy>();
    Config qs = c.getConfig("overflow.queues");
    for (var e : new java.util.TreeMap<>(qs.root()).entrySet()) {
      String key = "overflow.queues." + e.getKey();
      if (e.getValue().valueType() != ConfigValueType.OBJECT) throw r.bad(key, "must be a block such as { max-wait = 45s, to = \"queue:overflow\" }");
      Config q = qs.getConfig(ConfigUtilQuote.quote(e.getKey()));
      try {
        policies.add(switchboard.overflow.OverflowPolicy.parse(e.getKey(), !q.hasPath("enabled") || q.getBoolean("enabled"), q.hasPath("max-wait") ? q.getString("max-wait") : null,
            q.hasPath("max-waiting") ? q.getInt("max-waiting") : 0, q.hasPath("when-no-member-available") && q.getBoolean("when-no-member-available"),
            q.hasPath("sources") ? q.getStringList("sources") : List.of(), q.hasPath("hours") ? q.getString("hours") : null,
            q.hasPath("to") ? q.getString("to") : null));
      } catch (IllegalArgumentException | ConfigException bad) {
        throw r.bad(key, bad.getMessage());
      }
    }
    return new Overflow(enabled, r.durationIn("overflow.ring-grace", Duration.ZERO, Duration.ofMinutes(1)), perSecond,
        r.durationIn("overflow.poll", Duration.ofMillis(50), Duration.ofSeconds(10)), List.copyOf(policies));
  }

  /** Quotes a HOCON path element (queue names may contain dots). */
  private static final class ConfigUtilQuote {
    static String quote(String s) {
      return com.typesafe.config.ConfigUtil.joinPath(s);
    }
  }

  private static Callbacks callbacks(Reader r, Config c) {
    String dial = r.string("callbacks.dial");
    if (!dial.contains("{number}")) throw r.bad("callbacks.dial", "must contain {number}, e.g. PJSIP/{number}@carrier, got '" + dial + "'");
    var release = switch (r.string("callbacks.release").toLowerCase()) {
      case "when-agent-free" -> switchboard.callback.Governor.Release.WHEN_AGENT_FREE;
      case "customer-first" -> switchboard.callback.Governor.Release.CUSTOMER_FIRST;
      case "agent-first" -> switchboard.callback.Governor.Release.AGENT_FIRST;
      default -> throw r.bad("callbacks.release", "must be when-agent-free, customer-first or agent-first, got '" + r.string("callbacks.release") + "'");
    };
    double perSecond;
    try {
      perSecond = Double.parseDouble(r.string("callbacks.max-attempts-per-second"));
    } catch (NumberFormatException e) {
      throw r.bad("callbacks.max-attempts-per-second", "must be a number, got '" + r.string("callbacks.max-attempts-per-second") + "'");
    }
    if (!(perSecond > 0 && perSecond <= 1000)) throw r.bad("callbacks.max-attempts-per-second", "must be above 0 and at most 1000, got " + perSecond);
    var limits = new switchboard.callback.Governor.Limits(r.intIn("callbacks.max-concurrent", 1, 10_000), perSecond, release, r.intIn("callbacks.overshoot", 0, 1000),
        r.durationIn("callbacks.inbound-reserve-wait", Duration.ZERO, Duration.ofHours(1)));
    var window = range(r, "callbacks.calling-window", r.string("callbacks.calling-window"));
    var hours = new java.util.EnumMap<java.time.DayOfWeek, switchboard.callback.CallingWindow.Range>(java.time.DayOfWeek.class);
    Config bh = c.getConfig("callbacks.business-hours");
    for (var e : bh.root().entrySet()) {
      String key = "callbacks.business-hours." + e.getKey();
      java.time.DayOfWeek day;
      try {
        day = java.time.DayOfWeek.valueOf(e.getKey().toUpperCase());
      } catch (IllegalArgumentException bad) {
        throw r.bad(key, "is not a weekday (monday … sunday)");
      }
      if (e.getValue().valueType() != ConfigValueType.STRING) throw r.bad(key, "must be a range such as \"07:00-18:00\" or \"closed\"");
      String v = ((String) e.getValue().unwrapped()).trim();
      if (!v.equalsIgnoreCase("closed")) hours.put(day, range(r, key, v));
    }
    if (bh.root().isEmpty()) for (var d : java.time.DayOfWeek.values()) hours.put(d, new switchboard.callback.CallingWindow.Range(java.time.LocalTime.MIN, java.time.LocalTime.MAX));
    var delays = new java.util.EnumMap<switchboard.callback.RetrySchedule.Outcome, List<Duration>>(switchboard.callback.RetrySchedule.Outcome.class);
    for (var o : switchboard.callback.RetrySchedule.Outcome.values()) {
      String key = "callbacks.retry." + o.name().toLowerCase().replace('_', '-');
      List<Duration> list;
      try {
        list = c.getDurationList(key);
      } catch (ConfigException e) {
        throw r.bad(key, "must be a list of durations such as [3m, 10m, 30m]");
      }
      if (list.isEmpty() || list.stream().anyMatch(d -> d.isNegative() || d.isZero())) throw r.bad(key, "must list at least one positive duration");
      delays.put(o, list);
    }
    double factor, jitter;
    try {
      factor = Double.parseDouble(r.string("callbacks.retry.backoff-factor"));
      jitter = Double.parseDouble(r.string("callbacks.retry.jitter"));
    } catch (NumberFormatException e) {
      throw r.bad("callbacks.retry", "backoff-factor and jitter must be numbers");
    }
    if (factor < 1 || factor > 10) throw r.bad("callbacks.retry.backoff-factor", "must be between 1 and 10, got " + factor);
    if (jitter < 0 || jitter >= 1) throw r.bad("callbacks.retry.jitter", "must be at least 0 and below 1, got " + jitter);
    var retry = new switchboard.callback.RetrySchedule.Policy(delays, factor, jitter, r.durationIn("callbacks.retry.max-delay", Duration.ofSeconds(1), Duration.ofDays(7)),
        r.intIn("callbacks.retry.max-attempts", 1, 100), r.intIn("callbacks.retry.max-attempts-per-day", 1, 100));
    String amdValue = r.string("callbacks.amd").toLowerCase();
    if (!amdValue.equals("true") && !amdValue.equals("false")) throw r.bad("callbacks.amd", "must be true or false, got '" + r.string("callbacks.amd") + "'");
    boolean amd = amdValue.equals("true");
    // In agent-first mode a CSR is already on the line when the customer answers: there is nobody to spare the greeting.
    if (amd && release == switchboard.callback.Governor.Release.AGENT_FIRST) throw r.bad("callbacks.amd", "works with release = customer-first or when-agent-free, not agent-first");
    String queue = r.string("callbacks.queue");
    if (queue.isEmpty()) throw r.bad("callbacks.queue", "must name the queue of the CSRs who take callbacks");
    return new Callbacks(Boolean.parseBoolean(r.string("callbacks.enabled")), r.durationIn("callbacks.grace-period", Duration.ZERO, Duration.ofHours(24)), queue, dial,
        r.string("callbacks.caller-id"), r.durationIn("callbacks.ring-timeout", Duration.ofSeconds(5), Duration.ofMinutes(2)), limits, window, java.util.Map.copyOf(hours), retry,
        r.string("callbacks.dnc-file"), r.durationIn("callbacks.poll", Duration.ofMillis(50), Duration.ofSeconds(30)), amd,
        r.durationIn("callbacks.queue-timeout", Duration.ofSeconds(5), Duration.ofMinutes(30)));
  }

  private static switchboard.callback.CallingWindow.Range range(Reader r, String key, String v) {
    var m = java.util.regex.Pattern.compile("(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})").matcher(v);
    if (!m.matches()) throw r.bad(key, "must be a range such as \"08:00-21:00\", got '" + v + "'");
    try {
      var from = java.time.LocalTime.parse(pad(m.group(1)));
      var to = m.group(2).equals("24:00") ? java.time.LocalTime.MAX : java.time.LocalTime.parse(pad(m.group(2)));
      return new switchboard.callback.CallingWindow.Range(from, to);
    } catch (RuntimeException e) {
      throw r.bad(key, e instanceof IllegalArgumentException ? e.getMessage() : "not a time range: '" + v + "'");
    }
  }

  private static String pad(String hhmm) {
    return hhmm.length() == 4 ? "0" + hhmm : hhmm;
  }

  /** The config of {@code more-pbxes[i]}, under the key path its errors name, with the primary pbx as fallback. */
  private static Config entryConfig(Config entry, Config primary, int i) {
    Config inherited = primary.withoutPath("id").withoutPath("ami").withoutPath("cdr-file");
    Config ami = ConfigFactory.parseMap(Map.of("port", 5038, "user", "switchboard", "secret", "", "secret-file", "", "host", ""));
    Config full = entry.withFallback(inherited).withFallback(ConfigFactory.parseMap(Map.of("cdr-file", ""))).withFallback(ConfigFactory.empty().withValue("ami", ami.root()));
    return ConfigFactory.empty().withValue("more-pbxes", ConfigFactory.empty().withValue(Integer.toString(i), full.root()).root());
  }

  private static Pbx pbx(Reader r, String p) {
    String secret = r.string(p + "ami.secret");
    String secretFile = r.string(p + "ami.secret-file");
    if (secret.isEmpty() && !secretFile.isEmpty()) secret = r.readSecretFile(p + "ami.secret-file", secretFile);
    var ami = new Ami(r.string(p + "ami.host"), r.intIn(p + "ami.port", 1, 65535), r.string(p + "ami.user"), secret);
    if (ami.configured() && ami.secret().isEmpty()) {
      throw r.bad(p + "ami.secret", "is required when " + p + "ami.host is set (or give " + p + "ami.secret-file)");
    }
    String pbxId = r.string(p + "id");
    if (!pbxId.matches("[A-Za-z0-9_-]{1,32}")) throw r.bad(p + "id", "must be 1-32 letters, digits, '-' or '_', got '" + pbxId + "'");
    String tenant = r.string(p + "tenant");
    if (!tenant.matches("[a-z0-9_-]{1,32}")) throw r.bad(p + "tenant", "must be 1-32 lower-case letters, digits, '-' or '_', got '" + tenant + "'");
    String region = r.string(p + "region").toUpperCase();
    if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
      throw r.bad(p + "region", "must be an ISO 3166 region code such as US or CA, got '" + region + "'");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(r.string(p + "time-zone"));
    } catch (RuntimeException e) {
      throw r.bad(p + "time-zone", "is not a time zone id such as America/New_York: '" + r.string(p + "time-zone") + "'");
    }
    var inbound = r.stringList(p + "inbound-contexts");
    if (inbound.isEmpty()) throw r.bad(p + "inbound-contexts", "must name at least one dialplan context");
    return new Pbx(pbxId, tenant, region, zone, List.copyOf(inbound), ami, r.string(p + "cdr-file"),
        r.durationIn(p + "backfill-window", Duration.ZERO, Duration.ofDays(7)));
  }

  /** DIDs are matched on their digits only, so "+1 (800) 555-0100" and "18005550100" are one key. */
  public static String digitsOf(String did) {
    return did == null ? "" : did.replaceAll("[^0-9]", "");
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ');
  }

  /** Typed access that turns every problem into one line naming the key and its env variable. */
  private record Reader(Config c) {
    SettingsException bad(String key, String problem) {
      String full = "switchboard." + key;
      String envVar = ENV.entrySet().stream().filter(e -> e.getValue().equals(full)).map(Map.Entry::getKey).findFirst().map(v -> " (env " + v + ")").orElse("");
      return new SettingsException(full + envVar + ": " + problem);
    }

    String string(String key) {
      try {
        return c.getString(key).trim();
      } catch (ConfigException.Missing e) {
        throw bad(key, "is missing");
      } catch (ConfigException.WrongType e) {
        throw bad(key, "must be a string");
      }
    }

    List<String> stringList(String key) {
      try {
        return c.getStringList(key);
      } catch (ConfigException e) {
        throw bad(key, "must be a list of strings");
      }
    }

    int intIn(String key, int min, int max) {
      String raw = string(key);
      int v;
      try {
        v = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        throw bad(key, "must be a whole number, got '" + raw + "'");
      }
      if (v < min || v > max) throw bad(key, "must be between " + min + " and " + max + ", got " + v);
      return v;
    }

    Duration durationIn(String key, Duration min, Duration max) {
      Duration d;
      try {
        d = c.getDuration(key);
      } catch (ConfigException e) {
        throw bad(key, "must be a duration such as 10s or 500ms");
      }
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) throw bad(key, "must be between " + min + " and " + max + ", got " + d);
      return d;
    }

    String readSecretFile(String key, String file) {
      try {
        return Files.readString(Path.of(file)).trim();
      } catch (IOException | RuntimeException e) {
        throw bad(key, "cannot read " + file);
      }
    }
  }
}
