package archfixture.pbx;

public final class Link {}
