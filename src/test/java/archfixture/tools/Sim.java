package archfixture.tools;

/** Breaks "tools never call back into Main": a tool that reaches for the command line that started it. */
public final class Sim {
    public static final String TOKEN = archfixture.Main.token();
}
