package switchboard.callback;

import com.typesafe.config.ConfigValueType;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import switchboard.common.SettingsReader;

/**
 * Callbacks of missed callers, run by the governor ({@code switchboard.callbacks}).
 *
 * @param dial the Originate channel with {@code {number}} for the customer's E.164 number, e.g. {@code PJSIP/{number}@carrier}
 * @param queue the queue of the CSRs who take callbacks (the sb-callback context puts the answered customer there)
 */
public record CallbackSettings(
        boolean enabled,
        Duration gracePeriod,
        String queue,
        String dial,
        String callerId,
        Duration ringTimeout,
        Governor.Limits limits,
        CallingWindow.Range window,
        Map<DayOfWeek, CallingWindow.Range> businessHours,
        RetrySchedule.Policy retry,
        String dncFile,
        Duration poll,
        boolean amd,
        Duration queueTimeout,
        boolean qualify) {

    public static CallbackSettings read(SettingsReader r) {
        String dial = r.string("dial");
        if (!dial.contains("{number}"))
            throw r.bad("dial", "must contain {number}, e.g. PJSIP/{number}@carrier, got '" + dial + "'");
        var release = switch (r.string("release").toLowerCase()) {
            case "when-agent-free" -> Governor.Release.WHEN_AGENT_FREE;
            case "customer-first" -> Governor.Release.CUSTOMER_FIRST;
            case "agent-first" -> Governor.Release.AGENT_FIRST;
            default ->
                throw r.bad(
                        "release",
                        "must be when-agent-free, customer-first or agent-first, got '" + r.string("release") + "'");
        };
        double perSecond = r.doubleAbove("max-attempts-per-second", 0, 1000);
        var limits = new Governor.Limits(
                r.intIn("max-concurrent", 1, 10_000),
                perSecond,
                release,
                r.intIn("overshoot", 0, 1000),
                r.durationIn("inbound-reserve-wait", Duration.ZERO, Duration.ofHours(1)));
        var window = range(r, "calling-window", r.string("calling-window"));
        var hours = new EnumMap<DayOfWeek, CallingWindow.Range>(DayOfWeek.class);
        var bh = r.block("business-hours");
        for (var e : bh.root().entrySet()) {
            String key = "business-hours." + e.getKey();
            DayOfWeek day;
            try {
                day = DayOfWeek.valueOf(e.getKey().toUpperCase());
            } catch (IllegalArgumentException bad) {
                throw r.bad(key, "is not a weekday (monday … sunday)");
            }
            if (e.getValue().valueType() != ConfigValueType.STRING)
                throw r.bad(key, "must be a range such as \"07:00-18:00\" or \"closed\"");
            String v = ((String) e.getValue().unwrapped()).trim();
            if (!v.equalsIgnoreCase("closed")) hours.put(day, range(r, key, v));
        }
        if (bh.root().isEmpty())
            for (var d : DayOfWeek.values()) hours.put(d, new CallingWindow.Range(LocalTime.MIN, LocalTime.MAX));
        var delays = new EnumMap<RetrySchedule.Outcome, List<Duration>>(RetrySchedule.Outcome.class);
        for (var o : RetrySchedule.Outcome.values()) {
            String key = "retry." + o.name().toLowerCase().replace('_', '-');
            List<Duration> list = r.durationList(key);
            if (list.isEmpty() || list.stream().anyMatch(d -> d.isNegative() || d.isZero()))
                throw r.bad(key, "must list at least one positive duration");
            delays.put(o, list);
        }
        double factor = r.doubleIn("retry.backoff-factor", 1, 10, true, "between 1 and 10");
        double jitter = r.doubleIn("retry.jitter", 0, 1, false, "at least 0 and below 1");
        var retry = new RetrySchedule.Policy(
                delays,
                factor,
                jitter,
                r.durationIn("retry.max-delay", Duration.ofSeconds(1), Duration.ofDays(7)),
                r.intIn("retry.max-attempts", 1, 100),
                r.intIn("retry.max-attempts-per-day", 1, 100));
        boolean amd = r.bool("amd");
        // In agent-first mode a CSR is already on the line when the customer answers: there is nobody to spare the
        // greeting.
        if (amd && release == Governor.Release.AGENT_FIRST)
            throw r.bad("amd", "works with release = customer-first or when-agent-free, not agent-first");
        boolean qualify = r.bool("qualify");
        // The interview runs on the customer's leg once they answer; agent-first has a CSR on the line by then.
        if (qualify && release == Governor.Release.AGENT_FIRST)
            throw r.bad("qualify", "works with release = customer-first or when-agent-free, not agent-first");
        String queue = r.string("queue");
        if (queue.isEmpty()) throw r.bad("queue", "must name the queue of the CSRs who take callbacks");
        return new CallbackSettings(
                Boolean.parseBoolean(r.string("enabled")),
                r.durationIn("grace-period", Duration.ZERO, Duration.ofHours(24)),
                queue,
                dial,
                r.string("caller-id"),
                r.durationIn("ring-timeout", Duration.ofSeconds(5), Duration.ofMinutes(2)),
                limits,
                window,
                Map.copyOf(hours),
                retry,
                r.string("dnc-file"),
                r.durationIn("poll", Duration.ofMillis(50), Duration.ofSeconds(30)),
                amd,
                r.durationIn("queue-timeout", Duration.ofSeconds(5), Duration.ofMinutes(30)),
                qualify);
    }

    private static final Pattern RANGE = Pattern.compile("(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})");

    private static CallingWindow.Range range(SettingsReader r, String key, String v) {
        var m = RANGE.matcher(v);
        if (!m.matches()) throw r.bad(key, "must be a range such as \"08:00-21:00\", got '" + v + "'");
        try {
            var from = LocalTime.parse(pad(m.group(1)));
            var to = m.group(2).equals("24:00") ? LocalTime.MAX : LocalTime.parse(pad(m.group(2)));
            return new CallingWindow.Range(from, to);
        } catch (RuntimeException e) {
            throw r.bad(key, e instanceof IllegalArgumentException ? e.getMessage() : "not a time range: '" + v + "'");
        }
    }

    private static String pad(String hhmm) {
        return hhmm.length() == 4 ? "0" + hhmm : hhmm;
    }
}
