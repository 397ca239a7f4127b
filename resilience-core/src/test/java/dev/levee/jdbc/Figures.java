package dev.levee.jdbc;

import java.util.Locale;

/**
 * The measured figures of the JDBC tests, printed only when asked for ({@code -Dlevee.jdbc.figures=true}):
 * the README's recipe quotes them, and a normal build stays quiet.
 */
final class Figures {

    private static final boolean PRINT = Boolean.getBoolean("levee.jdbc.figures");

    private Figures() {
    }

    static void print(String scenario, String format, Object... args) {
        if (PRINT) {
            System.out.printf(Locale.ROOT, "FIGURES java=%s %s: %s%n", Runtime.version().feature(), scenario,
                    String.format(Locale.ROOT, format, args));
        }
    }
}
