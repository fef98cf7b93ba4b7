package switchboard.tools.bench;

/** Command-line values shared by the benchmark commands; every mistake is a one-line error naming the command. */
final class BenchArgs {
  private BenchArgs() {}

  static int positive(String command, String name, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) return n;
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(command + ": " + name + " must be a positive whole number, got '" + v + "'");
  }
}
