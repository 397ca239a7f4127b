package dev.levee.examples.quickstart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The quickstart's command-line options. Bad input fails with a message naming the option, the value and what is allowed. */
record Options(int rate, int threads, List<Phase> phases, boolean help) {

    static final String USAGE = String.join("\n",
            "Levee quickstart: two upstreams on loopback, driven with steady load through Levee;",
            "'pricing' goes slow, then hard down, then recovers, while 'catalog' stays healthy.",
            "",
            "Options:",
            "  --rate=N        requests per second to each upstream (1-500, default 40)",
            "  --threads=N     caller threads shared by both upstreams (2-500, default 32)",
            "  --phases=LIST   pricing's phases in order, name:duration, default",
            "                  healthy:10s,slow:10s,down:10s,recovered:15s",
            "                  names: healthy, slow (answers after 2 s), down (connection resets), recovered;",
            "                  durations like 10s or 500ms, each 500ms-120s",
            "  --help          print this and exit");

    static final String DEFAULT_PHASES = "healthy:10s,slow:10s,down:10s,recovered:15s";

    /** One phase of the pricing upstream. */
    enum Kind {
        HEALTHY("healthy", "answers in ~10 ms"),
        SLOW("slow", "answers after 2 s, far above its 250 ms timeout"),
        DOWN("down", "resets every connection"),
        RECOVERED("recovered", "answers in ~10 ms again");

        final String label;
        final String description;

        Kind(String label, String description) {
            this.label = label;
            this.description = description;
        }
    }

    record Phase(Kind kind, Duration duration) {
    }

    static Options parse(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Options(40, 32, phases(DEFAULT_PHASES), true);
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; expected --rate=N, --threads=N, --phases=LIST or --help");
            }
            String key = arg.substring(2, eq);
            if (!List.of("rate", "threads", "phases").contains(key)) {
                throw new IllegalArgumentException("unknown option '--" + key + "'; expected --rate, --threads, --phases or --help");
            }
            given.put(key, arg.substring(eq + 1));
        }
        return new Options(integer("--rate", given.getOrDefault("rate", "40"), 1, 500),
                integer("--threads", given.getOrDefault("threads", "32"), 2, 500),
                phases(given.getOrDefault("phases", DEFAULT_PHASES)), false);
    }

    private static int integer(String option, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max + ", but was '" + value + "'");
    }

    private static List<Phase> phases(String list) {
        List<Phase> phases = new ArrayList<>();
        for (String item : list.split(",")) {
            String[] parts = item.trim().split(":");
            Kind kind = null;
            for (Kind k : Kind.values()) {
                if (parts.length == 2 && k.label.equals(parts[0])) {
                    kind = k;
                }
            }
            Duration d = parts.length == 2 ? duration(parts[1]) : null;
            if (kind == null || d == null || d.toMillis() < 500 || d.toSeconds() > 120) {
                throw new IllegalArgumentException("--phases must be a list of name:duration with names healthy, slow, down,"
                        + " recovered and durations from 500ms to 120s, but had '" + item + "'");
            }
            phases.add(new Phase(kind, d));
        }
        return List.copyOf(phases);
    }

    private static Duration duration(String text) {
        if (text.matches("[0-9]{1,6}ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.matches("[0-9]{1,4}s")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return null;
    }
}
