package archfixture;

/** The fixture's command line: starts the tools, as the product's Main does. */
public final class Main {
    public static final Class<?> SIM = archfixture.tools.Sim.class;

    public static String token() {
        return "";
    }
}
