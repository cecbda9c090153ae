package dev.etr.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration {@code ./etr serve} runs with when no config file is given: the in-process
 * meta-model, five demo experts (math, code, medicine, law, finance) with built-in example requests,
 * and a generalist.
 *
 * <p>Environment variables (unset or empty means the default):
 * <ul>
 *   <li>{@code ETR_HOST} ({@code 127.0.0.1}), {@code ETR_PORT} ({@code 8080});</li>
 *   <li>{@code ETR_ADMIN_KEY}: enables the admin API; {@code ETR_API_KEYS}: comma-separated client keys;</li>
 *   <li>{@code ETR_OPENAI_BASE_URL} ({@code http://127.0.0.1:11434/v1}, a local Ollama),
 *       {@code ETR_OPENAI_API_KEY} (none), {@code ETR_OPENAI_MODEL} ({@code llama3.1});</li>
 *   <li>{@code ETR_MODEL_<NAME>}, e.g. {@code ETR_MODEL_MATH} or {@code ETR_MODEL_GENERALIST}: the model
 *       for one expert instead of {@code ETR_OPENAI_MODEL}.</li>
 * </ul>
 * With {@code demo} every backend is a {@code mock}, so the gateway runs without any LLM server and
 * the backend variables are ignored.
 */
public final class EmbeddedDefaults {

    public static final String DEFAULT_BASE_URL = "http://127.0.0.1:11434/v1";
    public static final String DEFAULT_MODEL = "llama3.1";

    /** Name → description, in the order the experts are listed. */
    private static final Map<String, String> EXPERTS = demoExperts();

    private EmbeddedDefaults() {
    }

    private static Map<String, String> demoExperts() {
        Map<String, String> experts = new LinkedHashMap<>();
        experts.put("math", "Mathematics: arithmetic, algebra, calculus, probability, statistics and proofs");
        experts.put("code", "Programming: writing, explaining, reviewing and debugging code; tools and algorithms");
        experts.put("medicine", "Health and medicine: symptoms, conditions, drugs, anatomy and clinical questions");
        experts.put("law", "Law: contracts, rights, legal procedure, regulation and legal concepts");
        experts.put("finance", "Finance: personal money, investing, accounting, taxes, markets and economics");
        return experts;
    }

    /**
     * @param env  the environment, usually {@code System.getenv()}
     * @param demo mock backends instead of an OpenAI-compatible server
     * @throws ConfigException if an {@code ETR_*} variable holds an unusable value
     */
    public static EtrConfig config(Map<String, String> env, boolean demo) {
        List<String> errors = new ArrayList<>();
        Integer port = null;
        String portText = get(env, "ETR_PORT");
        if (portText != null) {
            try {
                port = Integer.valueOf(portText.trim());
            } catch (NumberFormatException e) {
                errors.add("ETR_PORT: " + Checks.quote(portText) + " is not an integer");
            }
        }
        String baseUrl = orDefault(env, "ETR_OPENAI_BASE_URL", DEFAULT_BASE_URL);
        // checked here, once, rather than reported by the validator for each of the six backends
        if (!demo && !Checks.isHttpUrl(baseUrl)) {
            errors.add("ETR_OPENAI_BASE_URL: " + Checks.quote(baseUrl) + " is not an http(s) URL");
        }
        if (!errors.isEmpty()) {
            throw new ConfigException("environment", errors);
        }

        List<String> apiKeys = get(env, "ETR_API_KEYS") == null ? List.of()
                : Arrays.stream(env.get("ETR_API_KEYS").split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList();
        ServerConfig server = new ServerConfig(get(env, "ETR_HOST"), port, apiKeys, null, get(env, "ETR_ADMIN_KEY"));

        String apiKey = get(env, "ETR_OPENAI_API_KEY");
        String model = orDefault(env, "ETR_OPENAI_MODEL", DEFAULT_MODEL);
        List<ExpertConfig> experts = new ArrayList<>();
        EXPERTS.forEach((name, description) -> experts.add(new ExpertConfig(name, description,
                backend(env, demo, name, baseUrl, model, apiKey), demoExamples(name), null, null)));
        // no generalist examples: the router ships its own general-purpose set
        GeneralistConfig generalist = new GeneralistConfig(
                backend(env, demo, "generalist", baseUrl, model, apiKey), null, null, null);

        EtrConfig config = new EtrConfig(server, RouterConfig.defaults(), generalist, experts);
        try {
            ConfigValidator.validate(config);
        } catch (ConfigException e) {
            throw new ConfigException("embedded default configuration (check the ETR_* variables)", e.errors());
        }
        return config;
    }

    private static BackendConfig backend(Map<String, String> env, boolean demo, String name,
            String baseUrl, String model, String apiKey) {
        if (demo) {
            return BackendConfig.mock();
        }
        return BackendConfig.openai(baseUrl, orDefault(env, "ETR_MODEL_" + name.toUpperCase(Locale.ROOT), model), apiKey);
    }

    /** The demo set of one expert, a JSON Lines resource next to this class. */
    private static List<String> demoExamples(String name) {
        String resource = "demo/" + name + ".jsonl";
        try (InputStream in = EmbeddedDefaults.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/etr/config/" + resource + " (broken build?)");
            }
            return ExamplesFile.read(in, "classpath:dev/etr/config/" + resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The variable's value; null when unset or blank, so that {@code ETR_X=} means "default". */
    private static String get(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static String orDefault(Map<String, String> env, String name, String fallback) {
        String value = get(env, name);
        return value == null ? fallback : value;
    }
}
