package switchboard.booking;

/**
 * Where a caller goes when a person (or the on-call tech) takes over: a queue of the PBX, or a dial string.
 * Written {@code queue:NAME} or {@code number:DIALSTRING} (e.g. {@code number:PJSIP/+15551234567@carrier}), as the
 * overflow destinations are.
 */
public sealed interface Handover {

    String text();

    record ToQueue(String queue) implements Handover {
        public String text() {
            return "queue:" + queue;
        }
    }

    record ToNumber(String dial) implements Handover {
        public String text() {
            return "number:" + dial;
        }
    }

    /** Throws IllegalArgumentException with a message for a person. */
    static Handover parse(String s) {
        String v = s == null ? "" : s.trim();
        if (v.startsWith("queue:") && v.substring(6).matches("[A-Za-z0-9_.-]+")) return new ToQueue(v.substring(6));
        if (v.startsWith("number:") && v.substring(7).matches("[A-Za-z0-9_+/@.:-]+"))
            return new ToNumber(v.substring(7));
        throw new IllegalArgumentException(
                "must be queue:NAME or number:DIALSTRING (e.g. number:PJSIP/+15551234567@carrier), got '" + s + "'");
    }
}
