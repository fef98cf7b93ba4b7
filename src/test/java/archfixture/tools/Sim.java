package archfixture.tools;

public final class Sim {}
