package switchboard.common;

/** Marker for every message, event and state that crosses a serialization boundary (journal, cluster). */
public interface CborSerializable {}
