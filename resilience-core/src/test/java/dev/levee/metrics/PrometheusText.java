package dev.levee.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict little parser of the Prometheus text exposition format, as produced by
 * {@code PrometheusMeterRegistry.scrape()}: enough to assert exact families, label sets and values.
 */
final class PrometheusText {

    /** One sample line: {@code name{labels} value}. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    final List<Sample> samples = new ArrayList<>();
    /** Family name to its {@code # HELP} text. */
    final Map<String, String> help = new LinkedHashMap<>();
    /** Family name to its {@code # TYPE}. */
    final Map<String, String> type = new LinkedHashMap<>();

    private PrometheusText() {
    }

    static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.equals("# EOF")) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String rest = line.substring("# HELP ".length());
                int sp = rest.indexOf(' ');
                p.help.put(sp < 0 ? rest : rest.substring(0, sp), sp < 0 ? "" : rest.substring(sp + 1));
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring("# TYPE ".length()).split(" ");
                p.type.put(parts[0], parts[1]);
            } else if (line.startsWith("#")) {
                continue;
            } else {
                p.samples.add(sample(line));
            }
        }
        return p;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        String name;
        Map<String, String> labels = new TreeMap<>();
        int i;
        if (brace < 0) {
            int sp = line.indexOf(' ');
            name = line.substring(0, sp);
            i = sp;
        } else {
            name = line.substring(0, brace);
            i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("unquoted label value in: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(key, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + key + " twice in: " + line);
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" ");
        return new Sample(name, Map.copyOf(labels), Double.parseDouble(rest[0]));
    }

    /** The names of all samples. */
    java.util.Set<String> sampleNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Sample s : samples) {
            names.add(s.name());
        }
        return names;
    }

    /** Every series of one sample name: label set to value. Fails on a duplicate series. */
    Map<Map<String, String>, Double> series(String name) {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && out.put(s.labels(), s.value()) != null) {
                throw new IllegalStateException("duplicate series " + name + s.labels());
            }
        }
        return out;
    }

    /** Series of one sample name restricted to one upstream, keyed by the remaining labels. */
    Map<Map<String, String>, Double> series(String name, String upstream) {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        series(name).forEach((labels, value) -> {
            if (upstream.equals(labels.get(LeveeMeters.TAG_UPSTREAM))) {
                Map<String, String> rest = new TreeMap<>(labels);
                rest.remove(LeveeMeters.TAG_UPSTREAM);
                out.put(Map.copyOf(rest), value);
            }
        });
        return out;
    }

    /** Builds a label map from alternating keys and values. */
    static Map<String, String> labels(String... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Map.copyOf(m);
    }
}
