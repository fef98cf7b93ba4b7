package switchboard.qualify;

import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import switchboard.common.SettingsReader;

/**
 * The qualifying interview ({@code switchboard.qualify}): whether it runs, where the node's FastAGI server listens
 * (the dialplan's {@code AGI(agi://HOST:PORT/qualify)}) and how many interviews it runs at once, how long to wait for
 * digits, how many failures at a step before a person takes over, the service menu, the service area and the
 * prompts.
 */
public record QualifySettings(
        boolean enabled,
        String agiHost,
        int agiPort,
        Duration digitTimeout,
        int maxFailures,
        ServiceMenu menu,
        ServiceArea area,
        Prompts prompts,
        int maxCalls) {

    public static QualifySettings read(SettingsReader r) {
        var options = new ArrayList<ServiceMenu.Option>();
        var blocks = r.blocks("menu");
        for (int i = 0; i < blocks.size(); i++) {
            var c = blocks.get(i);
            String key = "menu[" + i + "]";
            try {
                String digit = c.getString("digit").trim();
                if (digit.length() != 1)
                    throw new IllegalArgumentException("digit must be one key, 0-9, got '" + digit + "'");
                String service = c.getString("service").trim();
                options.add(new ServiceMenu.Option(
                        digit.charAt(0),
                        service,
                        c.getString("label"),
                        ServiceMenu.Kind.valueOf(c.getString("kind").trim().toUpperCase(Locale.ROOT)),
                        c.hasPath("prompt") ? c.getString("prompt") : "switchboard/sb-service-" + digit));
            } catch (IllegalArgumentException | ConfigException e) {
                throw r.bad(
                        key,
                        "is not a menu entry (" + e.getMessage()
                                + "); write { digit = 1, service = repair, label = \"Heating or cooling repair\", kind = REPAIR }");
            }
        }
        ServiceMenu menu;
        try {
            menu = options.isEmpty() ? ServiceMenu.defaults() : new ServiceMenu(options);
        } catch (IllegalArgumentException e) {
            throw r.bad("menu", e.getMessage());
        }
        var perService = new LinkedHashMap<String, List<String>>();
        var per = r.block("service-area.per-service");
        for (var service : new TreeMap<>(per.root()).keySet())
            perService.put(service, r.stringList("service-area.per-service." + service));
        ServiceArea area;
        try {
            area = new ServiceArea(r.stringList("service-area.everywhere"), perService);
        } catch (IllegalArgumentException e) {
            throw r.bad("service-area", e.getMessage());
        }
        for (var service : perService.keySet())
            if (menu.byService(service).isEmpty())
                throw r.bad("service-area.per-service." + service, "names a service that is not on the menu");
        var given = r.has("prompts") ? r.block("prompts") : null;
        if (given != null)
            for (var key : given.root().keySet())
                if (!Prompts.SHIPPED.containsKey(key))
                    throw r.bad("prompts." + key, "is not a prompt; the prompts are " + Prompts.SHIPPED.keySet());
        var prompts = Prompts.of(key -> {
            String name = given != null && given.hasPath(key) ? r.string("prompts." + key) : Prompts.SHIPPED.get(key);
            if (!Prompts.playable(name))
                throw r.bad(
                        "prompts." + key,
                        "must name a sound file as Asterisk plays it (e.g. switchboard/sb-zip, no extension), got '"
                                + name + "'");
            return name;
        });
        for (var o : menu.options())
            if (!Prompts.playable(o.prompt()))
                throw r.bad("menu", "the prompt of " + o.digit() + " must name a sound file, got '" + o.prompt() + "'");
        return new QualifySettings(
                r.bool("enabled"),
                r.string("agi.host"),
                r.intIn("agi.port", 0, 65535),
                r.durationIn("digit-timeout", Duration.ofSeconds(1), Duration.ofSeconds(30)),
                r.intIn("max-failures", 1, 5),
                menu,
                area,
                prompts,
                r.intIn("agi.max-calls", 1, 2000));
    }
}
