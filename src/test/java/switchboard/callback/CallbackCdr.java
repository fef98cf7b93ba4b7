package switchboard.callback;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import switchboard.lead.LeadEntity;
import switchboard.pbx.CdrBackfill;

/** What Asterisk's own CDR file says about callback channels (their Uniqueid is the attempt's ChannelId). */
public final class CallbackCdr {
    private CallbackCdr() {}

    /** Every CDR row of a callback channel (one per leg it dialled). */
    public static List<CdrBackfill.Row> rows(Path cdr) throws Exception {
        var out = new ArrayList<CdrBackfill.Row>();
        if (!Files.exists(cdr)) return out;
        for (String line : Files.readAllLines(cdr)) {
            var row = CdrBackfill.parse(line.strip());
            if (row != null && row.uniqueId().startsWith(LeadEntity.CALLBACK_CHANNEL_PREFIX)) out.add(row);
        }
        return out;
    }

    /** The channel id of attempt {@code n} of the first recovery of the lead of {@code number} (tenant "default"). */
    public static String channelOf(String number, int n) {
        return LeadEntity.channelIdOf("default:" + number + "#1/" + n);
    }
}
