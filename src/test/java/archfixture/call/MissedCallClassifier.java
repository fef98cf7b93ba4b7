package archfixture.call;

/** A policy the architecture names, left unmarked. */
public final class MissedCallClassifier {}
