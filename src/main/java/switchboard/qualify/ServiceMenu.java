package switchboard.qualify;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import switchboard.common.DecisionLogic;

/**
 * The contractor's service menu, as the interview reads it out: one DTMF digit per service ("1 heating or cooling
 * repair, 2 maintenance, 3 a new system, …, 0 someone else"). The kind of each service is what the booking rules
 * look at; the id is what the lead, the board and the CRM see.
 */
@DecisionLogic
public record ServiceMenu(List<Option> options) {

    /** What a service is, for the booking rules. */
    public enum Kind {
        REPAIR,
        MAINTENANCE,
        INSTALL,
        /** "Someone else", or anything a person should sort out. */
        OTHER
    }

    /**
     * @param digit the key the caller presses
     * @param service the id (lower-case), e.g. {@code repair}
     * @param label what a person reads, e.g. "Heating or cooling repair"
     * @param prompt the sound file (without extension) that says "for …, press …"
     */
    public record Option(char digit, String service, String label, Kind kind, String prompt) {
        public Option {
            if (digit < '0' || digit > '9')
                throw new IllegalArgumentException("a menu digit is 0-9, got '" + digit + "' for " + service);
            if (service == null || !service.matches("[a-z0-9][a-z0-9_-]{0,39}"))
                throw new IllegalArgumentException(
                        "a service id is lower-case letters, digits, '-' or '_' (at most 40), got '" + service + "'");
            if (label == null || label.isBlank())
                throw new IllegalArgumentException("service " + service + " needs a label");
            if (kind == null) throw new IllegalArgumentException("service " + service + " needs a kind");
        }
    }

    public ServiceMenu {
        options = List.copyOf(options);
        if (options.isEmpty()) throw new IllegalArgumentException("the service menu needs at least one option");
        var digits = new HashSet<Character>();
        var ids = new HashSet<String>();
        for (var o : options) {
            if (!digits.add(o.digit()))
                throw new IllegalArgumentException("menu digit " + o.digit() + " is used twice");
            if (!ids.add(o.service()))
                throw new IllegalArgumentException("service id " + o.service() + " is used twice");
        }
    }

    /** The default HVAC-and-trades menu the shipped prompts speak. */
    public static ServiceMenu defaults() {
        return new ServiceMenu(List.of(
                new Option('1', "repair", "Heating or cooling repair", Kind.REPAIR, "switchboard/sb-service-1"),
                new Option('2', "maintenance", "Maintenance or tune-up", Kind.MAINTENANCE, "switchboard/sb-service-2"),
                new Option('3', "install", "New system or installation", Kind.INSTALL, "switchboard/sb-service-3"),
                new Option('4', "plumbing", "Plumbing", Kind.REPAIR, "switchboard/sb-service-4"),
                new Option('5', "electrical", "Electrical", Kind.REPAIR, "switchboard/sb-service-5"),
                new Option('0', "other", "Someone else", Kind.OTHER, "switchboard/sb-service-0")));
    }

    public Optional<Option> byDigit(String pressed) {
        if (pressed == null || pressed.length() != 1) return Optional.empty();
        return options.stream().filter(o -> o.digit() == pressed.charAt(0)).findFirst();
    }

    public Optional<Option> byService(String service) {
        return options.stream().filter(o -> o.service().equals(service)).findFirst();
    }

    /** Digits the caller may press at the menu, e.g. "123450". */
    public String validDigits() {
        var sb = new StringBuilder();
        options.forEach(o -> sb.append(o.digit()));
        return sb.toString();
    }
}
