package switchboard.overflow;

import java.time.Duration;
import java.time.LocalTime;
import java.util.Set;
import switchboard.common.DecisionLogic;
import switchboard.lead.LeadSource;

/**
 * When to move a caller out of one queue, and where to. Any trigger moves: the caller's wait reaching
 * {@code maxWait}; more than {@code maxWaiting} callers waiting (the ones beyond that position move); no member who
 * could answer ({@code whenNoMemberAvailable}). Optionally only for some lead sources and within some hours (in
 * the contractor's zone). Immutable; replaced as a whole at run time.
 */
@DecisionLogic
public record OverflowPolicy(
        String queue,
        boolean enabled,
        Duration maxWait,
        int maxWaiting,
        boolean whenNoMemberAvailable,
        Set<LeadSource> sources,
        Hours hours,
        Destination to) {

    /** A daily time range, [from, to). */
    public record Hours(LocalTime from, LocalTime to) {
        public Hours {
            if (from == null || to == null || !to.isAfter(from))
                throw new IllegalArgumentException(
                        "hours must be a range such as 07:00-19:00 that ends after it starts");
        }

        public boolean contains(LocalTime t) {
            return !t.isBefore(from) && t.isBefore(to);
        }
    }

    /** Where a moved caller goes. */
    public sealed interface Destination {
        /** The text form used in configuration and the API: {@code queue:NAME}, {@code number:DIAL}, {@code offer-callback}, {@code qualify}. */
        String text();

        static Destination parse(String s) {
            if (s == null)
                throw new IllegalArgumentException(
                        "a destination is required: queue:NAME, number:DIALSTRING, offer-callback or qualify");
            String v = s.trim();
            if (v.startsWith("queue:") && v.length() > 6 && v.substring(6).matches("[A-Za-z0-9_.-]+"))
                return new ToQueue(v.substring(6));
            if (v.startsWith("number:") && v.length() > 7 && v.substring(7).matches("[A-Za-z0-9_+/@.:-]+"))
                return new ToNumber(v.substring(7));
            if (v.equals("offer-callback")) return new OfferCallback();
            if (v.equals("qualify")) return new Qualify();
            throw new IllegalArgumentException(
                    "destination must be queue:NAME, number:DIALSTRING (e.g. number:PJSIP/+15551234567@carrier), offer-callback or qualify, got '"
                            + s + "'");
        }
    }

    /** Another queue (a backup CSR group). */
    public record ToQueue(String queue) implements Destination {
        public String text() {
            return "queue:" + queue;
        }
    }

    /** An external number over a trunk (answering service, on-call tech): a dial string. */
    public record ToNumber(String dial) implements Destination {
        public String text() {
            return "number:" + dial;
        }
    }

    /** Offer a callback: press 1 to keep your place and hang up; otherwise back to the queue. */
    public record OfferCallback() implements Destination {
        public String text() {
            return "offer-callback";
        }
    }

    /** The qualifying interview ([sb-qualify]): booked by itself, or to a CSR with what is known. */
    public record Qualify() implements Destination {
        public String text() {
            return "qualify";
        }
    }

    public OverflowPolicy {
        if (queue == null || !queue.matches("[A-Za-z0-9_.-]+"))
            throw new IllegalArgumentException("queue must be a queue name, got '" + queue + "'");
        if (maxWait != null && (maxWait.isNegative() || maxWait.isZero()))
            throw new IllegalArgumentException("maxWait must be positive");
        if (maxWaiting < 0) throw new IllegalArgumentException("maxWaiting must not be negative (0 = off)");
        if (to == null) throw new IllegalArgumentException("a destination is required");
        if (to instanceof ToQueue q && q.queue().equals(queue))
            throw new IllegalArgumentException("a queue cannot overflow into itself");
        if (enabled && maxWait == null && maxWaiting == 0 && !whenNoMemberAvailable)
            throw new IllegalArgumentException(
                    "an enabled policy needs a trigger: maxWait, maxWaiting or whenNoMemberAvailable");
        sources = sources == null ? Set.of() : Set.copyOf(sources);
    }

    /**
     * A policy from its text form (configuration file or API): {@code maxWait} "45s" / "2m" / "500ms" / seconds
     * (null or empty = off), {@code hours} "07:00-19:00" (null or empty = all day), {@code to} as in
     * {@link Destination#parse}. Throws IllegalArgumentException with a message for a person.
     */
    public static OverflowPolicy parse(
            String queue,
            boolean enabled,
            String maxWait,
            int maxWaiting,
            boolean whenNoMemberAvailable,
            java.util.List<String> sources,
            String hours,
            String to) {
        Duration wait = maxWait == null || maxWait.isBlank() ? null : duration(maxWait.trim());
        var srcs = new java.util.HashSet<LeadSource>();
        if (sources != null) {
            for (String s : sources)
                srcs.add(LeadSource.parse(s)
                        .orElseThrow(() -> new IllegalArgumentException("unknown lead source '" + s
                                + "', expected one of " + java.util.List.of(LeadSource.values()))));
        }
        Hours h = null;
        if (hours != null && !hours.isBlank()) {
            var m = java.util.regex.Pattern.compile("(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})")
                    .matcher(hours.trim());
            if (!m.matches())
                throw new IllegalArgumentException("hours must be a range such as 07:00-19:00, got '" + hours + "'");
            try {
                h = new Hours(
                        LocalTime.parse(pad(m.group(1))),
                        m.group(2).equals("24:00") ? LocalTime.MAX : LocalTime.parse(pad(m.group(2))));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("hours must be a range such as 07:00-19:00, got '" + hours + "'");
            }
        }
        return new OverflowPolicy(
                queue, enabled, wait, maxWaiting, whenNoMemberAvailable, srcs, h, Destination.parse(to));
    }

    private static String pad(String hhmm) {
        return hhmm.length() == 4 ? "0" + hhmm : hhmm;
    }

    static Duration duration(String s) {
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h)?").matcher(s);
        if (!m.matches())
            throw new IllegalArgumentException("maxWait must be a duration such as 45s, 2m or 500ms, got '" + s + "'");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** The policy in its text form: the API's JSON fields, and what {@link OverflowPolicyStore} keeps. */
    public record Spec(
            String queue,
            boolean enabled,
            String maxWait,
            int maxWaiting,
            boolean whenNoMemberAvailable,
            java.util.List<String> sources,
            String hours,
            String to)
            implements switchboard.common.CborSerializable {
        public Spec {
            sources = sources == null ? java.util.List.of() : java.util.List.copyOf(sources);
        }

        public OverflowPolicy toPolicy() {
            return parse(queue, enabled, maxWait, maxWaiting, whenNoMemberAvailable, sources, hours, to);
        }
    }

    public Spec spec() {
        String wait = maxWait == null
                ? null
                : maxWait.toMillis() % 1000 == 0 ? maxWait.toSeconds() + "s" : maxWait.toMillis() + "ms";
        String h = hours == null
                ? null
                : hours.from() + "-"
                        + (hours.to().equals(LocalTime.MAX)
                                ? "24:00"
                                : hours.to().toString());
        return new Spec(
                queue,
                enabled,
                wait,
                maxWaiting,
                whenNoMemberAvailable,
                sources.stream().map(Enum::name).sorted().toList(),
                h,
                to.text());
    }

    /** Whether callers from this lead source are moved (all when no sources are chosen). */
    public boolean appliesTo(LeadSource source) {
        return sources.isEmpty() || (source != null && sources.contains(source));
    }
}
