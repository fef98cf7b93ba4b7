package archfixture;

/** The fixture's composition root: may see every feature. */
public final class Root {
    public static final Class<?> CALLS = archfixture.call.CallReachingOut.class;
}
