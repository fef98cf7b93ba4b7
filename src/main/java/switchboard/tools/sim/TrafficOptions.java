package switchboard.tools.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The traffic options {@code demo} and {@code loadtest} share: {@code --agents N}, {@code --handle-time SECONDS},
 * {@code --patience SECONDS}, {@code --spike FACTOR@AT+FOR} (e.g. {@code 3@20+30}: three times the rate from
 * second 20 for 30 s). {@link #parse} takes them out of a command line and leaves the rest; {@link #apply}
 * changes a profile accordingly. Bad values: {@link IllegalArgumentException} with a one-line message.
 */
public record TrafficOptions(List<String> consumed, List<String> rest, UnaryOperator<TrafficModel.Profile> modifier) {
  public static final String USAGE = "--agents N, --handle-time SECONDS, --patience SECONDS, --spike FACTOR@AT+FOR";
  private static final Pattern SPIKE = Pattern.compile("([0-9.]+)@([0-9.]+)\\+([0-9.]+)");

  public TrafficModel.Profile apply(TrafficModel.Profile profile) {
    return modifier.apply(profile);
  }

  public static TrafficOptions parse(List<String> args) {
    var consumed = new ArrayList<String>();
    var rest = new ArrayList<String>();
    UnaryOperator<TrafficModel.Profile> mod = p -> p;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!List.of("--agents", "--handle-time", "--patience", "--spike").contains(a)) {
        rest.add(a);
        continue;
      }
      if (i + 1 >= args.size()) throw new IllegalArgumentException(a + " needs a value");
      String v = args.get(++i);
      consumed.add(a);
      consumed.add(v);
      UnaryOperator<TrafficModel.Profile> step = switch (a) {
        case "--agents" -> {
          int n = wholeNumber(a, v);
          yield p -> p.withAgents(n);
        }
        case "--handle-time" -> {
          double s = positive(a, v);
          yield p -> p.withHandleTime(s);
        }
        case "--patience" -> {
          double s = positive(a, v);
          yield p -> p.withPatience(s);
        }
        default -> {
          var spike = spike(v);
          yield p -> p.withSpike(spike);
        }
      };
      var before = mod;
      mod = p -> step.apply(before.apply(p));
    }
    return new TrafficOptions(List.copyOf(consumed), List.copyOf(rest), mod);
  }

  private static int wholeNumber(String option, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) return n;
    } catch (NumberFormatException e) {
      // falls through to the one-line error
    }
    throw new IllegalArgumentException(option + " needs a whole number of at least 1, got '" + v + "'");
  }

  private static double positive(String option, String v) {
    try {
      double d = Double.parseDouble(v);
      if (d > 0 && Double.isFinite(d)) return d;
    } catch (NumberFormatException e) {
      // falls through to the one-line error
    }
    throw new IllegalArgumentException(option + " needs a number of seconds above 0, got '" + v + "'");
  }

  private static TrafficModel.Spike spike(String v) {
    var m = SPIKE.matcher(v);
    String error = "--spike needs FACTOR@AT+FOR (e.g. 3@20+30: 3 times the rate from second 20 for 30 s), got '" + v + "'";
    if (!m.matches()) throw new IllegalArgumentException(error);
    try {
      return new TrafficModel.Spike(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)));
    } catch (IllegalArgumentException e) { // NumberFormatException ("1.2.3") or a zero factor / length
      throw new IllegalArgumentException(error);
    }
  }
}
