package switchboard;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/** An ActorTestKit for EventSourcedBehaviorTestKit: in-memory journal and snapshots, our CBOR binding. */
public final class EntityTestKit {
    private EntityTestKit() {}

    public static Config config() {
        return ConfigFactory.parseString("""
            pekko.actor.serialization-bindings { "switchboard.common.CborSerializable" = jackson-cbor }
            pekko.loglevel = WARNING
            """).withFallback(EventSourcedBehaviorTestKit.config());
    }

    public static ActorTestKit create(String name) {
        return ActorTestKit.create(name, config());
    }
}
