package switchboard.booking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import switchboard.common.CborSerializable;
import switchboard.common.DecisionLogic;
import switchboard.lead.Qualification.CustomerStatus;
import switchboard.lead.Qualification.Urgency;
import switchboard.qualify.ServiceMenu.Kind;

/**
 * The booking-rule table as a contractor writes it — the shape of {@code switchboard.booking.rules} in HOCON and of
 * {@code PUT /api/booking/rules} — and its translation to and from {@link BookingRules}. Names are written in any
 * case ({@code kinds = [install]}, {@code then = BOOK_SERVICE}, {@code hours = [after-hours]}); a name that is not
 * known is a {@link BadRule} naming the rule's index and the field, e.g. {@code rules[2].when.urgency}. The written
 * form is also what the table-store keeps, so a stored table outlives a change of the classes it is read into.
 */
@DecisionLogic
public final class RuleTable {
    private RuleTable() {}

    /** Conditions as written; null = "any". Keys (HOCON and JSON): the field names with dashes ({@code in-area}). */
    public record When(
            List<String> services,
            List<String> kinds,
            Boolean offered,
            Boolean inArea,
            List<String> urgency,
            List<String> customer,
            List<String> hours,
            Boolean freeWindow,
            Boolean complete)
            implements CborSerializable {
        public When {
            services = copy(services);
            kinds = copy(kinds);
            urgency = copy(urgency);
            customer = copy(customer);
            hours = copy(hours);
        }

        boolean isAny() {
            return services == null
                    && kinds == null
                    && offered == null
                    && inArea == null
                    && urgency == null
                    && customer == null
                    && hours == null
                    && freeWindow == null
                    && complete == null;
        }
    }

    /** One rule as written: {@code { name = …, when { … }, then = FLOW }}; {@code when} null: always. */
    public record Written(String name, When when, String then) implements CborSerializable {}

    /** The condition keys of a rule's {@code when}, as written in HOCON and JSON. */
    public static final List<String> WHEN_KEYS = List.of(
            "services", "kinds", "offered", "in-area", "urgency", "customer", "hours", "free-window", "complete");

    /** The keys of a rule. */
    public static final List<String> RULE_KEYS = List.of("name", "when", "then");

    /** A table that is not a valid rule table: {@code field} names the rule and the field, e.g. {@code rules[2].then}. */
    public static final class BadRule extends IllegalArgumentException {
        private final String field;
        private final String problem;

        public BadRule(String field, String problem) {
            super(field + ": " + problem);
            this.field = field;
            this.problem = problem;
        }

        public String field() {
            return field;
        }

        public String problem() {
            return problem;
        }
    }

    /**
     * The rules of {@code table}, in order. {@code menu}: the service ids a rule may name (null: any well-formed id —
     * the configuration file, read before the menu is known to this class).
     */
    public static BookingRules parse(List<Written> table, Set<String> menu) {
        if (table == null) throw new BadRule("rules", "must be a list of rules (an empty list is allowed)");
        var rules = new ArrayList<BookingRules.Rule>();
        var names = new java.util.HashMap<String, Integer>();
        for (int i = 0; i < table.size(); i++) {
            String at = "rules[" + i + "]";
            var w = table.get(i);
            if (w == null) throw new BadRule(at, "must be a rule { name, when, then }");
            if (w.name() == null || w.name().isBlank()) throw new BadRule(at + ".name", "every rule needs a name");
            var earlier = names.putIfAbsent(w.name().strip(), i);
            if (earlier != null)
                throw new BadRule(at + ".name", "'" + w.name().strip() + "' already names rules[" + earlier + "]");
            if (w.then() == null || w.then().isBlank())
                throw new BadRule(at + ".then", "every rule needs a flow, one of " + names(Flow.class));
            var then = enumOf(at + ".then", Flow.class, w.then());
            rules.add(new BookingRules.Rule(w.name().strip(), when(at + ".when", w.when(), menu), then));
        }
        return new BookingRules(rules);
    }

    private static BookingRules.When when(String at, When w, Set<String> menu) {
        if (w == null) return null;
        Set<String> services = set(at + ".services", w.services(), s -> {
            if (!s.matches("[a-z0-9][a-z0-9_-]{0,39}"))
                throw new BadRule(
                        at + ".services", "'" + s + "' is not a service id (lower-case letters, digits, - _)");
            if (menu != null && !menu.contains(s))
                throw new BadRule(at + ".services", "'" + s + "' is not a service on the menu " + List.copyOf(menu));
            return s;
        });
        return new BookingRules.When(
                services,
                set(at + ".kinds", w.kinds(), s -> enumOf(at + ".kinds", Kind.class, s)),
                w.offered(),
                w.inArea(),
                set(at + ".urgency", w.urgency(), s -> enumOf(at + ".urgency", Urgency.class, s)),
                set(at + ".customer", w.customer(), s -> enumOf(at + ".customer", CustomerStatus.class, s)),
                set(at + ".hours", w.hours(), s -> enumOf(at + ".hours", OpenHours.State.class, s)),
                w.freeWindow(),
                w.complete());
    }

    /** {@code rules} in the written form (lower-case names, {@code then} in capitals, as the docs write them). */
    public static List<Written> write(BookingRules rules) {
        var out = new ArrayList<Written>();
        for (var r : rules.rules()) {
            var w = r.when();
            var written = new When(
                    w.services() == null ? null : w.services().stream().sorted().toList(),
                    names(w.kinds()),
                    w.offered(),
                    w.inArea(),
                    names(w.urgency()),
                    names(w.customer()),
                    names(w.hours()),
                    w.freeWindow(),
                    w.complete());
            out.add(new Written(
                    r.name(), written.isAny() ? null : written, r.then().name()));
        }
        return List.copyOf(out);
    }

    private static <E extends Enum<E>> List<String> names(Set<E> values) {
        if (values == null) return null;
        return values.stream()
                .sorted()
                .map(v -> v.name().toLowerCase(Locale.ROOT))
                .toList();
    }

    private static <T> Set<T> set(String at, List<String> written, Function<String, T> of) {
        if (written == null) return null;
        var out = new LinkedHashSet<T>();
        for (var s : written) {
            if (s == null || s.isBlank()) throw new BadRule(at, "must be a list of names, not blank ones");
            out.add(of.apply(s.strip()));
        }
        return Set.copyOf(out);
    }

    private static <E extends Enum<E>> E enumOf(String at, Class<E> type, String v) {
        try {
            return Enum.valueOf(type, v.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new BadRule(at, "'" + v + "' is not one of " + names(type));
        }
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList()
                .toString();
    }

    private static List<String> copy(List<String> l) {
        return l == null ? null : List.copyOf(l);
    }
}
