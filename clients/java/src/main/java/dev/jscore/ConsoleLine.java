package dev.jscore;

/**
 * One line of a script's console output.
 *
 * @param level {@code "log"}, {@code "info"}, {@code "warn"}, {@code "error"}, {@code "debug"}
 *     or {@code "trace"}
 * @param text the formatted text of the line
 */
public record ConsoleLine(String level, String text) {}
