package switchboard.pbx;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import switchboard.common.SettingsReader;

/**
 * One contractor's PBX this node attaches to ({@code switchboard.pbx}, and each entry of
 * {@code switchboard.more-pbxes}). AMI host empty = no PBX link (API and read side only).
 *
 * @param inboundContexts dialplan contexts where inbound calls arrive: a channel created there is a caller
 * @param cdrFile Asterisk's switchboard-cdr.csv (asterisk-config/cdr_custom.conf) for recovering calls that
 *     happened while the AMI link was down; empty = no backfill
 * @param backfillWindow how far back the first connect after start-up looks in the CDR file
 */
public record PbxSettings(
        String id,
        String tenant,
        String region,
        ZoneId zone,
        List<String> inboundContexts,
        Ami ami,
        String cdrFile,
        Duration backfillWindow) {

    /** The AMI login. */
    public record Ami(String host, int port, String user, String secret) {
        public boolean configured() {
            return !host.isBlank();
        }

        @Override
        public String toString() { // never print the secret
            return "Ami[host=" + host + ", port=" + port + ", user=" + user + ", secret="
                    + (secret.isEmpty() ? "" : "***") + "]";
        }
    }

    /**
     * These settings attached to a simulated PBX on 127.0.0.1 instead (demo, loadtest, benchmarks): the same id,
     * tenant, region and zone, the simulator's inbound context (our dialplan's {@code from-carrier}) and CDR file.
     */
    public PbxSettings simulatedAt(int amiPort, String amiSecret, Path simulatorCdrFile, Duration backfill) {
        return new PbxSettings(
                id,
                tenant,
                region,
                zone,
                List.of("from-carrier"),
                new Ami("127.0.0.1", amiPort, "switchboard", amiSecret),
                simulatorCdrFile.toString(),
                backfill);
    }

    /**
     * The primary {@code pbx} block, then every {@code more-pbxes} entry (a contractor with two sites); each entry
     * falls back to the primary block's values but for its id, AMI login and CDR file.
     *
     * @param r the reader of the whole {@code switchboard} block
     */
    public static List<PbxSettings> readAll(SettingsReader r) {
        var primary = read(r.at("pbx"));
        var all = new ArrayList<PbxSettings>(List.of(primary));
        var more = r.blocks("more-pbxes");
        Config primaryBlock = r.block("pbx");
        for (int i = 0; i < more.size(); i++) {
            var extra = read(r.over(entryConfig(more.get(i), primaryBlock, i)).at("more-pbxes." + i));
            if (all.stream().anyMatch(p -> p.id().equals(extra.id())))
                throw r.bad("more-pbxes." + i + ".id", "PBX id '" + extra.id() + "' is used twice");
            all.add(extra);
        }
        return List.copyOf(all);
    }

    /** The config of {@code more-pbxes[i]}, under the key path its errors name, with the primary pbx as fallback. */
    private static Config entryConfig(Config entry, Config primary, int i) {
        Config inherited = primary.withoutPath("id").withoutPath("ami").withoutPath("cdr-file");
        Config ami = ConfigFactory.parseMap(
                Map.of("port", 5038, "user", "switchboard", "secret", "", "secret-file", "", "host", ""));
        Config full = entry.withFallback(inherited)
                .withFallback(ConfigFactory.parseMap(Map.of("cdr-file", "")))
                .withFallback(ConfigFactory.empty().withValue("ami", ami.root()));
        return ConfigFactory.empty()
                .withValue(
                        "more-pbxes",
                        ConfigFactory.empty()
                                .withValue(Integer.toString(i), full.root())
                                .root());
    }

    static PbxSettings read(SettingsReader r) {
        var ami = new Ami(
                r.string("ami.host"),
                r.intIn("ami.port", 1, 65535),
                r.string("ami.user"),
                r.secret("ami.secret", "ami.secret-file"));
        if (ami.configured() && ami.secret().isEmpty()) {
            throw r.bad(
                    "ami.secret",
                    "is required when " + r.fullKey("ami.host").substring("switchboard.".length()) + " is set (or give "
                            + r.fullKey("ami.secret-file").substring("switchboard.".length()) + ")");
        }
        String id = r.string("id");
        if (!id.matches("[A-Za-z0-9_-]{1,32}"))
            throw r.bad("id", "must be 1-32 letters, digits, '-' or '_', got '" + id + "'");
        String tenant = r.string("tenant");
        if (!tenant.matches("[a-z0-9_-]{1,32}"))
            throw r.bad("tenant", "must be 1-32 lower-case letters, digits, '-' or '_', got '" + tenant + "'");
        String region = r.string("region").toUpperCase();
        if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
            throw r.bad("region", "must be an ISO 3166 region code such as US or CA, got '" + region + "'");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(r.string("time-zone"));
        } catch (RuntimeException e) {
            throw r.bad("time-zone", "is not a time zone id such as America/New_York: '" + r.string("time-zone") + "'");
        }
        var inbound = r.stringList("inbound-contexts");
        if (inbound.isEmpty()) throw r.bad("inbound-contexts", "must name at least one dialplan context");
        return new PbxSettings(
                id,
                tenant,
                region,
                zone,
                List.copyOf(inbound),
                ami,
                r.string("cdr-file"),
                r.durationIn("backfill-window", Duration.ZERO, Duration.ofDays(7)));
    }
}
