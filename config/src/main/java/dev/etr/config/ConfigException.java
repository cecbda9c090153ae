package dev.etr.config;

import java.util.List;

/**
 * Everything wrong with a configuration, found in one pass. Each error names the path of the bad
 * value and echoes it, e.g. {@code experts[2].backend.baseUrl: "htp:/x" is not an http(s) URL}.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    /** @param source what was being read (a file name), or null */
    public ConfigException(String source, List<String> errors) {
        super(message(source, errors));
        this.errors = List.copyOf(errors);
    }

    public ConfigException(List<String> errors) {
        this(null, errors);
    }

    /** The individual errors, in the order found; never empty. */
    public List<String> errors() {
        return errors;
    }

    private static String message(String source, List<String> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        String prefix = source == null ? "" : source + ": ";
        return errors.size() == 1
                ? prefix + errors.get(0)
                : prefix + errors.size() + " errors\n  " + String.join("\n  ", errors);
    }
}
