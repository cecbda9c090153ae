package dev.etr.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads an {@link EtrConfig} from YAML or JSON.
 *
 * <p>In order: parse; resolve {@code ${ENV}} / {@code ${ENV:-default}} in string values; make relative
 * {@code examplesFile}, {@code modelPath} and {@code tokenizerPath} absolute against the config file's
 * directory; bind, rejecting unknown keys; then {@link ConfigValidator validate}. Problems of one stage
 * are all reported together in one {@link ConfigException}; validation only runs on a file that bound
 * cleanly, so it never reports the consequences of a typo as separate errors.
 *
 * <pre>{@code
 * EtrConfig config = new ConfigLoader().load(Path.of("etr.yaml"));
 * EtrConfig inTest = ConfigLoader.withEnv(Map.of("KEY", "k")).parse(yaml, Format.YAML);
 * }</pre>
 */
public final class ConfigLoader {

    /** The syntax of a configuration text. */
    public enum Format {
        YAML, JSON;

        /** JSON for names ending in {@code .json}, YAML otherwise (YAML also reads plain JSON). */
        public static Format ofFileName(String fileName) {
            return fileName.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 80.5 is not a port: fail rather than truncate
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Function<String, String> env;

    /** A loader reading the process environment. */
    public ConfigLoader() {
        this(System::getenv);
    }

    /** @param env looks up environment variables; returns null for unset ones */
    public ConfigLoader(Function<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** A loader whose environment is exactly {@code env} (for tests). */
    public static ConfigLoader withEnv(Map<String, String> env) {
        Map<String, String> copy = Map.copyOf(env);
        return new ConfigLoader(copy::get);
    }

    /**
     * Reads a config file, YAML or JSON by its extension (see {@link Format#ofFileName}).
     *
     * @throws ConfigException naming the file and listing every problem
     */
    public EtrConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("no such file"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read (" + e + ")"));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, Format.ofFileName(file.getFileName().toString()), dir, file.toString());
    }

    /** Parses config text; relative file paths in it resolve against the working directory. */
    public EtrConfig parse(String text, Format format) {
        return parse(text, format, Path.of("").toAbsolutePath());
    }

    /** Parses config text; relative file paths in it resolve against {@code baseDir}. */
    public EtrConfig parse(String text, Format format, Path baseDir) {
        return parse(text, format, baseDir.toAbsolutePath(), null);
    }

    private EtrConfig parse(String text, Format format, Path baseDir, String source) {
        JsonNode root;
        try {
            root = format == Format.JSON ? JSON.readTree(text) : readYaml(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of(syntaxError(e)));
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail this way", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JSON.createObjectNode(); // an empty file means "all defaults"
        }
        if (!root.isObject()) {
            throw new ConfigException(source, List.of("(root): expected an object, got " + root.getNodeType()));
        }
        List<String> errors = new ArrayList<>();
        new Interpolator(env).interpolate(root, "", errors);
        resolvePaths((ObjectNode) root, baseDir);

        EtrConfig config = bind((ObjectNode) root, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
        try {
            ConfigValidator.validate(config);
        } catch (ConfigException e) {
            throw new ConfigException(source, e.errors());
        }
        return config;
    }

    /**
     * Reads YAML keeping every scalar as the text the user wrote, so the target type decides what it
     * means. YAML's own typing would turn {@code name: no} into "false" and {@code model: 3.10} into
     * "3.1"; numbers and booleans still bind, by Jackson's coercion from text.
     */
    private static JsonNode readYaml(String text) throws IOException {
        try (JsonParser parser = YAML.createParser(text)) {
            return parser.nextToken() == null ? null : yamlNode(parser);
        }
    }

    private static JsonNode yamlNode(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = JSON.createObjectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    parser.nextToken();
                    object.set(key, yamlNode(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = JSON.createArrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(yamlNode(parser));
                }
                return array;
            }
            case VALUE_NULL -> {
                return NullNode.instance;
            }
            default -> {
                return TextNode.valueOf(parser.getText());
            }
        }
    }

    private static String syntaxError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        // YAML messages continue with a multi-line excerpt of the input; the first line is the point
        return where + e.getOriginalMessage().lines().findFirst().orElse("syntax error");
    }

    /** Paths in the file mean "next to the file", not "next to wherever etr was started". */
    private static void resolvePaths(ObjectNode root, Path baseDir) {
        resolvePath(root.path("generalist"), "examplesFile", baseDir);
        resolvePath(root.path("router").path("metaModel"), "modelPath", baseDir);
        resolvePath(root.path("router").path("metaModel"), "tokenizerPath", baseDir);
        JsonNode experts = root.path("experts");
        if (experts.isArray()) {
            experts.forEach(expert -> resolvePath(expert, "examplesFile", baseDir));
        }
    }

    private static void resolvePath(JsonNode holder, String field, Path baseDir) {
        if (holder instanceof ObjectNode object && object.path(field).isTextual()) {
            String value = object.get(field).asText();
            if (!value.isBlank()) {
                try {
                    object.put(field, baseDir.resolve(value).normalize().toString());
                } catch (InvalidPathException e) {
                    // left as written; the validator reports it with its path
                }
            }
        }
    }

    /**
     * Binds the tree, collecting every unknown key: Jackson stops at the first, so each one is
     * recorded, removed from the tree, and binding tried again. Any other failure ends binding.
     *
     * @return the config, or null when binding failed (then {@code errors} says why)
     */
    private static EtrConfig bind(ObjectNode root, List<String> errors) {
        while (true) {
            try {
                return JSON.treeToValue(root, EtrConfig.class);
            } catch (UnrecognizedPropertyException e) {
                errors.add(path(e.getPath()) + ": unknown key (known: " + knownKeys(e) + ")");
                if (!remove(root, e.getPath())) {
                    return null; // cannot happen for a path Jackson just walked; never loop on it
                }
            } catch (JsonMappingException e) {
                errors.add(bindingError(e));
                return null;
            } catch (JsonProcessingException e) {
                errors.add("(root): " + e.getOriginalMessage()); // not expected from a tree; still say something useful
                return null;
            }
        }
    }

    /** Record components in declaration order, which is how the docs list them. */
    private static String knownKeys(UnrecognizedPropertyException e) {
        Class<?> type = e.getReferringClass();
        return type.isRecord()
                ? Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.joining(", "))
                : e.getKnownPropertyIds().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** Removes the key at the end of {@code path} from the tree; false if the path leads nowhere. */
    private static boolean remove(JsonNode root, List<JsonMappingException.Reference> path) {
        JsonNode node = root;
        for (JsonMappingException.Reference ref : path.subList(0, path.size() - 1)) {
            node = ref.getFieldName() != null ? node.path(ref.getFieldName()) : node.path(ref.getIndex());
        }
        String key = path.get(path.size() - 1).getFieldName();
        return node instanceof ObjectNode object && key != null && object.remove(key) != null;
    }

    /** Describes a binding failure as {@code path: what is wrong}. */
    private static String bindingError(JsonMappingException e) {
        String path = path(e.getPath());
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException cause) {
            // thrown by a record constructor; its message starts with the component name
            return path.isEmpty() ? cause.getMessage() : path + "." + cause.getMessage();
        }
        String what;
        if (e instanceof InvalidFormatException f) {
            what = shown(f.getValue()) + (f.getTargetType().isEnum()
                    ? " is not one of " + enumNames(f.getTargetType())
                    : " is not " + typeName(f.getTargetType()));
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            what = "expected " + typeName(m.getTargetType());
        } else {
            what = e.getOriginalMessage();
        }
        return (path.isEmpty() ? "(root)" : path) + ": " + what;
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String shown(Object value) {
        return value instanceof String s ? Checks.quote(s) : String.valueOf(value);
    }

    /** The names as written in files, e.g. {@code openai-embeddings} rather than the Java constant. */
    private static String enumNames(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(constant -> JSON.convertValue(constant, String.class))
                .collect(Collectors.joining(", "));
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }
}
