package switchboard.booking;

import java.util.List;
import java.util.Set;
import switchboard.common.DecisionLogic;
import switchboard.lead.Qualification.CustomerStatus;
import switchboard.lead.Qualification.Urgency;
import switchboard.qualify.ServiceMenu.Kind;

/**
 * The contractor's booking rules: an ordered table, the first rule whose conditions all hold decides the flow.
 * A condition left out (null) matches anything. The table is the contractor's (HOCON, changeable through the API);
 * {@link #defaults()} is what ships: outside the area or not offered → NOT_SERVICEABLE, emergencies now, "someone
 * else" and incomplete answers to a person, members first, installs and quotes to sales, no free window to a
 * person, everything else booked into the next free window. Whatever the table says, a situation no rule matches
 * goes to {@link Flow#HUMAN_REVIEW}: a caller is never left undecided.
 */
@DecisionLogic
public record BookingRules(List<Rule> rules) {

    /** Everything the rules may look at, gathered by the caller of {@link #decide}. */
    public record Situation(
            String service,
            Kind kind,
            boolean serviceOffered,
            String zip,
            Boolean inServiceArea,
            Urgency urgency,
            CustomerStatus customer,
            OpenHours.State hours,
            boolean freeWindow) {

        /** Service and ZIP known: enough to book. */
        public boolean complete() {
            return service != null && zip != null;
        }
    }

    /** Conditions; null means "any". */
    public record When(
            Set<String> services,
            Set<Kind> kinds,
            Boolean offered,
            Boolean inArea,
            Set<Urgency> urgency,
            Set<CustomerStatus> customer,
            Set<OpenHours.State> hours,
            Boolean freeWindow,
            Boolean complete) {

        public static When any() {
            return new When(null, null, null, null, null, null, null, null, null);
        }

        public boolean matches(Situation s) {
            return (services == null || (s.service() != null && services.contains(s.service())))
                    && (kinds == null || (s.kind() != null && kinds.contains(s.kind())))
                    && (offered == null || (s.service() != null && offered == s.serviceOffered()))
                    && (inArea == null || (s.inServiceArea() != null && inArea.equals(s.inServiceArea())))
                    && (urgency == null || (s.urgency() != null && urgency.contains(s.urgency())))
                    && (customer == null || (s.customer() != null && customer.contains(s.customer())))
                    && (hours == null || (s.hours() != null && hours.contains(s.hours())))
                    && (freeWindow == null || freeWindow == s.freeWindow())
                    && (complete == null || complete == s.complete());
        }
    }

    public record Rule(String name, When when, Flow then) {
        public Rule {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("every booking rule has a name");
            if (when == null) when = When.any();
            if (then == null) throw new IllegalArgumentException("booking rule " + name + " needs a flow (then)");
        }
    }

    /** The flow and the rule that chose it (shown on the lead, so a person can see why). */
    public record Decision(Flow flow, String rule) {}

    public static final String NO_RULE_MATCHED = "no-rule-matched";

    public BookingRules {
        rules = List.copyOf(rules);
        var names = new java.util.HashSet<String>();
        for (var r : rules)
            if (!names.add(r.name()))
                throw new IllegalArgumentException("booking rule " + r.name() + " is named twice");
    }

    public Decision decide(Situation s) {
        for (var r : rules) if (r.when().matches(s)) return new Decision(r.then(), r.name());
        return new Decision(Flow.HUMAN_REVIEW, NO_RULE_MATCHED);
    }

    public static BookingRules defaults() {
        var any = When.any();
        return new BookingRules(List.of(
                new Rule(
                        "service-not-offered",
                        new When(null, null, false, null, null, null, null, null, null),
                        Flow.NOT_SERVICEABLE),
                new Rule(
                        "outside-service-area",
                        new When(null, null, null, false, null, null, null, null, null),
                        Flow.NOT_SERVICEABLE),
                new Rule(
                        "emergency",
                        new When(null, null, null, null, Set.of(Urgency.EMERGENCY), null, null, null, null),
                        Flow.EMERGENCY),
                new Rule(
                        "someone-else",
                        new When(null, Set.of(Kind.OTHER), null, null, null, null, null, null, null),
                        Flow.HUMAN_REVIEW),
                new Rule(
                        "incomplete",
                        new When(null, null, null, null, null, null, null, null, false),
                        Flow.HUMAN_REVIEW),
                new Rule(
                        "members-first",
                        new When(null, null, null, null, null, Set.of(CustomerStatus.MEMBER), null, null, null),
                        Flow.MEMBERSHIP),
                new Rule(
                        "install",
                        new When(null, Set.of(Kind.INSTALL), null, null, null, null, null, null, null),
                        Flow.INSTALL),
                new Rule(
                        "quote",
                        new When(null, null, null, null, Set.of(Urgency.QUOTE), null, null, null, null),
                        Flow.ESTIMATE),
                new Rule(
                        "no-free-window",
                        new When(null, null, null, null, null, null, null, false, null),
                        Flow.HUMAN_REVIEW),
                new Rule("book-service", any, Flow.BOOK_SERVICE)));
    }
}
