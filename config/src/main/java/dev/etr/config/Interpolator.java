package dev.etr.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${NAME}} and {@code ${NAME:-default}} in the string values of a JSON tree, in place.
 * {@code $${...}} stands for a literal {@code ${...}}. As in the shell, {@code :-} also applies when the
 * variable is set but empty. A value whose placeholders resolve to nothing becomes null, so
 * {@code apiKey: "${KEY:-}"} means "no key" rather than an empty key. Values from the environment
 * are inserted as-is, never interpolated again.
 */
final class Interpolator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> env;

    Interpolator(Function<String, String> env) {
        this.env = env;
    }

    /** Rewrites the tree; each unresolvable value is reported and replaced by null. */
    void interpolate(JsonNode node, String path, List<String> errors) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String childPath = path.isEmpty() ? name : path + "." + name;
                JsonNode child = object.get(name);
                if (child.isTextual()) {
                    object.set(name, resolve(child.asText(), childPath, errors));
                } else {
                    interpolate(child, childPath, errors);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String childPath = path + "[" + i + "]";
                JsonNode child = array.get(i);
                if (child.isTextual()) {
                    array.set(i, resolve(child.asText(), childPath, errors));
                } else {
                    interpolate(child, childPath, errors);
                }
            }
        }
    }

    private JsonNode resolve(String text, String path, List<String> errors) {
        StringBuilder out = new StringBuilder();
        boolean placeholders = false;
        boolean failed = false;
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    errors.add(path + ": unterminated ${ in " + Checks.quote(text));
                    return NullNode.instance;
                }
                String body = text.substring(i + 2, end);
                int separator = body.indexOf(":-");
                String name = separator < 0 ? body : body.substring(0, separator);
                if (!NAME.matcher(name).matches()) {
                    errors.add(path + ": " + Checks.quote("${" + body + "}")
                            + " is not a ${NAME} or ${NAME:-default} placeholder");
                    return NullNode.instance;
                }
                String value = env.apply(name);
                if (separator >= 0 && (value == null || value.isEmpty())) {
                    value = body.substring(separator + 2);
                }
                if (value == null) {
                    errors.add(path + ": environment variable " + name + " is not set"
                            + " (write ${" + name + ":-default} to make it optional)");
                    failed = true;
                } else {
                    out.append(value);
                }
                placeholders = true;
                i = end + 1;
            } else {
                out.append(text.charAt(i));
                i++;
            }
        }
        if (failed || (placeholders && out.length() == 0)) {
            return NullNode.instance;
        }
        return TextNode.valueOf(out.toString());
    }
}
