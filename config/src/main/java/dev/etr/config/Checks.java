package dev.etr.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small value helpers shared by the records, the validator and the defaults. */
final class Checks {

    static final String MASK = "***";

    private Checks() {
    }

    /**
     * Immutable copy that rejects null elements. The message starts with the component name so the
     * loader can prefix the path of the enclosing record ({@code experts[0].examples[2]: must not be null}).
     */
    static <T> List<T> copyWithoutNulls(List<T> list, String component) {
        if (list == null) {
            return List.of();
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new IllegalArgumentException(component + "[" + i + "]: must not be null");
            }
        }
        return List.copyOf(list);
    }

    /** Like {@link #copyWithoutNulls(List, String)}, keeping insertion order so configs write back stably. */
    static Map<String, String> copyWithoutNulls(Map<String, String> map, String component) {
        if (map == null) {
            return Map.of();
        }
        map.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException(component + "." + key + ": must not be null");
            }
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    static boolean isHttpUrl(String s) {
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme();
            return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    && uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** A string echoed in an error message, quoted and escaped so blanks and quotes stay visible. */
    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    static String mask(String secret) {
        return secret == null ? "null" : MASK;
    }

    static String mask(List<String> secrets) {
        return Collections.nCopies(secrets.size(), MASK).toString();
    }

    static String mask(Map<String, String> headers) {
        Map<String, String> masked = new LinkedHashMap<>();
        headers.keySet().forEach(name -> masked.put(name, MASK));
        return masked.toString();
    }

    /** Prints a list of examples as its size: a config dump should not be hundreds of lines long. */
    static String count(List<?> items) {
        return "[" + items.size() + (items.size() == 1 ? " item]" : " items]");
    }

    static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
