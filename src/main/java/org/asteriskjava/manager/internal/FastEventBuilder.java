package org.asteriskjava.manager.internal;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.asteriskjava.manager.event.CdrEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.event.UserEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.asteriskjava.util.AstUtil;
import org.asteriskjava.util.ReflectionUtil;

/**
 * Builds the same event objects as Asterisk-Java's {@link EventBuilderImpl} from the same header buffer, without
 * its per-header work: the library strips each header name with a regex, looks its setter up, inspects the setter's
 * parameter type and calls it reflectively — for every header of every event. Here that decision is taken once per
 * event class and header name and kept as a {@link Property}; each event then costs a map lookup and a direct
 * call (a function made by the JVM's LambdaMetafactory) per header.
 *
 * <p>The library stays the authority: an event type is first built by the library, which names its class (so
 * registration, user events and unknown types behave exactly as before); frames of unusual shape (Asterisk's
 * PeerEntry lists, a header Asterisk-Java converts through a constructor) and any value the fast path cannot
 * convert are handed to the library whole, so its conversions and its error logging apply unchanged.
 * {@code FastEventBuilderTest} checks the two agree on every property of every event in the recorded transcripts.
 */
final class FastEventBuilder {
    private final EventBuilderImpl library = new EventBuilderImpl();
    /** Event type (its Event header, or "UserEvent:" + the UserEvent header) → how to build it. */
    private final Map<String, EventType> types = new ConcurrentHashMap<>();
    /** No class is registered for the type: the library said so once and returns null for it. */
    private static final EventType NOT_REGISTERED = new EventType(null, null);
    /** A class this builder cannot construct itself: the library builds every one. */
    private static final EventType LIBRARY_ONLY = new EventType(null, null);

    private long libraryBuilds;

    void registerEventClass(Class<? extends ManagerEvent> eventClass) {
        library.registerEventClass(eventClass);
        types.clear();
    }

    void deregisterEventClass(Class<? extends ManagerEvent> eventClass) {
        library.deregisterEventClass(eventClass);
        types.clear();
    }

    ManagerEvent buildEvent(Object source, Map<String, Object> attributes) {
        var typeKey = typeKey(attributes);
        if (typeKey == null) return libraryBuild(source, attributes);
        var type = types.get(typeKey);
        if (type == null) {
            var event = libraryBuild(source, attributes);
            types.put(typeKey, event == null ? NOT_REGISTERED : EventType.of(event.getClass()));
            return event;
        }
        if (type == NOT_REGISTERED) return null;
        if (type == LIBRARY_ONLY) return libraryBuild(source, attributes);
        var event = type.build(source, attributes);
        return event != null ? event : libraryBuild(source, attributes);
    }

    /** How many events the library built (first of a type, odd frames): for tests, which check the fast path runs. */
    long libraryBuilds() {
        return libraryBuilds;
    }

    private ManagerEvent libraryBuild(Object source, Map<String, Object> attributes) {
        libraryBuilds++;
        return library.buildEvent(source, attributes);
    }

    private static String typeKey(Map<String, Object> attributes) {
        if (!(attributes.get("event") instanceof String name)) return null; // none, or a list (PeerEntry …)
        if (!"userevent".equalsIgnoreCase(name)) return name;
        return attributes.get("userevent") instanceof String userEvent ? "UserEvent:" + userEvent : null;
    }

    /** One event class: its constructor and, per header name seen so far, what that header does to it. */
    private record EventType(
            Class<? extends ManagerEvent> eventClass,
            Function<Object, ManagerEvent> constructor,
            Map<String, Property> properties) {
        EventType(Class<? extends ManagerEvent> eventClass, Function<Object, ManagerEvent> constructor) {
            this(eventClass, constructor, new ConcurrentHashMap<>());
        }

        static EventType of(Class<? extends ManagerEvent> eventClass) {
            try {
                var lookup = MethodHandles.lookup();
                var handle = lookup.findConstructor(eventClass, MethodType.methodType(void.class, Object.class));
                var site = LambdaMetafactory.metafactory(
                        lookup,
                        "apply",
                        MethodType.methodType(Function.class),
                        MethodType.methodType(Object.class, Object.class),
                        handle,
                        MethodType.methodType(eventClass, Object.class));
                @SuppressWarnings("unchecked")
                var constructor =
                        (Function<Object, ManagerEvent>) site.getTarget().invoke();
                return new EventType(eventClass, constructor);
            } catch (Throwable e) {
                return LIBRARY_ONLY; // not public: the library builds it (it makes its constructor accessible)
            }
        }

        /** The event, or null when some header needs the library's own handling. */
        ManagerEvent build(Object source, Map<String, Object> attributes) {
            if (constructor == null) return null;
            try {
                var event = constructor.apply(source);
                for (var header : attributes.entrySet()) {
                    var property = properties.get(header.getKey());
                    if (property == null)
                        property = properties.computeIfAbsent(header.getKey(), name -> Property.of(eventClass, name));
                    if (!property.apply(event, header.getKey(), header.getValue())) return null;
                }
                if (event instanceof ResponseEvent response && response.getActionId() != null) {
                    var actionId = response.getActionId();
                    response.setActionId(ManagerUtil.stripInternalActionId(actionId));
                    response.setInternalActionId(ManagerUtil.getInternalActionId(actionId));
                }
                return event;
            } catch (
                    RuntimeException
                            e) { // a value that does not parse, a setter that throws: the library logs it its way
                return null;
            }
        }
    }

    /** What one header does to one event class, decided by the library's rules (EventAttributesHelper). */
    private record Property(Kind kind, BiConsumer<Object, Object> setter) {
        enum Kind {
            IGNORE,
            CDR_DYNAMIC,
            BOOLEAN,
            STRING,
            MAP,
            DOUBLE,
            LONG,
            INTEGER,
            LIBRARY
        }

        private static final Property IGNORE = new Property(Kind.IGNORE, null);
        private static final Property CDR_DYNAMIC = new Property(Kind.CDR_DYNAMIC, null);
        private static final Property LIBRARY = new Property(Kind.LIBRARY, null);
        private static final int NULL_LITERAL_MAX_LENGTH = 16;

        static Property of(Class<?> eventClass, String header) {
            if (header.equals("event")) return IGNORE;
            var setters = ReflectionUtil.getSetters(eventClass);
            var name = ReflectionUtil.stripIllegalCharacters(header);
            if (name.equals("source")) name = "src";
            else if (name.equals("class")) name = "clazz";
            Method setter = setters.get(name);
            if (setter == null && !name.endsWith("s")) {
                setter = setters.get(name + "s");
                if (setter != null && !setter.getParameterTypes()[0].isAssignableFrom(Map.class)) setter = null;
            }
            if (setter == null) {
                if (UserEvent.class.isAssignableFrom(eventClass) || eventClass == ManagerResponse.class) return IGNORE;
                // The library warns "no setter" (off in logback.xml) and moves on; CDR events keep such headers.
                return CdrEvent.class.isAssignableFrom(eventClass) ? CDR_DYNAMIC : IGNORE;
            }
            var type = setter.getParameterTypes()[0];
            Kind kind;
            if (type == Boolean.class) kind = Kind.BOOLEAN;
            else if (type.isAssignableFrom(String.class)) kind = Kind.STRING;
            else if (type.isAssignableFrom(Map.class)) kind = Kind.MAP;
            else if (type.isAssignableFrom(double.class) || type.isAssignableFrom(Double.class)) kind = Kind.DOUBLE;
            else if (type.isAssignableFrom(long.class) || type.isAssignableFrom(Long.class)) kind = Kind.LONG;
            else if (type.isAssignableFrom(int.class) || type.isAssignableFrom(Integer.class)) kind = Kind.INTEGER;
            else return LIBRARY; // converted through a String constructor, with the library's own error handling
            try {
                return new Property(kind, setterFunction(setter));
            } catch (Throwable e) {
                return LIBRARY;
            }
        }

        /**
         * The setter as a plain function: a lambda made by the JVM's LambdaMetafactory calls it directly, where a
         * reflective or method-handle call costs several times more per header. Primitive parameters go through a
         * method handle (a null there is an error the library reports).
         */
        private static BiConsumer<Object, Object> setterFunction(Method setter) throws Throwable {
            var lookup = MethodHandles.lookup();
            var handle = lookup.unreflect(setter);
            if (setter.getParameterTypes()[0].isPrimitive()) {
                var exact = handle.asType(MethodType.methodType(void.class, Object.class, Object.class));
                return (target, value) -> {
                    try {
                        exact.invokeExact(target, value);
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                };
            }
            var site = LambdaMetafactory.metafactory(
                    lookup,
                    "accept",
                    MethodType.methodType(BiConsumer.class),
                    MethodType.methodType(void.class, Object.class, Object.class),
                    handle,
                    MethodType.methodType(void.class, setter.getDeclaringClass(), setter.getParameterTypes()[0]));
            @SuppressWarnings("unchecked")
            var function = (BiConsumer<Object, Object>) site.getTarget().invoke();
            return function;
        }

        /** Applies the header; false = leave this event to the library. */
        boolean apply(ManagerEvent event, String header, Object value) {
            switch (kind) {
                case IGNORE -> {}
                case LIBRARY -> {
                    return false;
                }
                case CDR_DYNAMIC -> ((CdrEvent) event).addDynamicProperties(header, value.toString());
                case BOOLEAN -> setter.accept(event, AstUtil.isTrue(value));
                case STRING -> setter.accept(event, stringValue(value));
                case MAP -> {
                    if (value instanceof String || value instanceof List) {
                        var map = buildMap(value instanceof String line ? List.of(line) : (List<?>) value);
                        if (map == null) return false;
                        setter.accept(event, map);
                    } else {
                        setter.accept(event, null);
                    }
                }
                case DOUBLE ->
                    setter.accept(event, isEmpty(value) ? null : Double.valueOf(Double.parseDouble((String) value)));
                case LONG -> setter.accept(event, isEmpty(value) ? null : Long.valueOf(Long.parseLong((String) value)));
                case INTEGER ->
                    setter.accept(event, isEmpty(value) ? null : Integer.valueOf(Integer.parseInt((String) value)));
            }
            return true;
        }

        private static boolean isEmpty(Object value) {
            return value == null
                    || ((String) value).isEmpty(); // a list here is a ClassCastException: the library's case
        }

        private static Object stringValue(Object value) {
            // AstUtil.isNull lower-cases the value to look it up among its null literals ("<unknown>", "(not set)", …,
            // none longer than 9 characters in 3.42.2): longer values, most of them, need not be looked up.
            if (value instanceof String text && text.length() > NULL_LITERAL_MAX_LENGTH) return text;
            if (AstUtil.isNull(value)) return null;
            if (!(value instanceof List<?> lines)) return value;
            var joined = new StringBuilder();
            for (var line : lines) {
                var text = (String) line;
                if (text != null && !text.isEmpty()) joined.append(text).append('\n');
            }
            return joined.toString();
        }

        private static Map<String, String> buildMap(List<?> lines) {
            var map = new LinkedHashMap<String, String>();
            for (var item : lines) {
                var line = (String) item;
                int equals = line.indexOf('=');
                if (equals > 0) map.put(line.substring(0, equals), line.substring(equals + 1));
                else return null; // a line without '=': the library warns about it, so it builds this event
            }
            return map;
        }
    }
}
