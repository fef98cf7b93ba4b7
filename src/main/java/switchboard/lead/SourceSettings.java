package switchboard.lead;

import com.typesafe.config.ConfigValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import switchboard.common.SettingsReader;

/**
 * Where a lead came from ({@code switchboard.sources}): the lead source of each dialled number (DID), and the
 * channel variable the dialplan may set instead (it wins over the DID map).
 *
 * @param byDid DID digits (see {@link #digitsOf}) → source
 */
public record SourceSettings(Map<String, LeadSource> byDid, String channelVariable) {

    public static SourceSettings read(SettingsReader r) {
        var byDid = new LinkedHashMap<String, LeadSource>();
        for (var e : r.block("dids").root().entrySet()) {
            String key = "dids." + e.getKey();
            if (e.getValue().valueType() != ConfigValueType.STRING) throw r.bad(key, "must be a lead source name");
            String name = (String) e.getValue().unwrapped();
            LeadSource source = LeadSource.parse(name)
                    .orElseThrow(() -> r.bad(
                            key,
                            "unknown lead source '" + name + "', expected one of " + List.of(LeadSource.values())));
            byDid.put(digitsOf(e.getKey()), source);
        }
        return new SourceSettings(Map.copyOf(byDid), r.string("channel-variable"));
    }

    /** DIDs are matched on their digits only, so "+1 (800) 555-0100" and "18005550100" are one key. */
    public static String digitsOf(String did) {
        return did == null ? "" : did.replaceAll("[^0-9]", "");
    }
}
