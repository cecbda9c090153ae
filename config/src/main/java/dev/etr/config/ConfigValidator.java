package dev.etr.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.etr.config.Checks.isBlank;
import static dev.etr.config.Checks.quote;

/**
 * The rules a configuration must satisfy, checked in one pass that reports every problem. Each
 * error names the path of the bad value and echoes it (secrets excepted), in the style
 * {@code experts[2].backend.baseUrl: "htp:/x" is not an http(s) URL}.
 *
 * <p>The records themselves only reject what cannot be represented (null list elements): range and
 * cross-field rules live here, because a constructor that throws would stop Jackson at the first
 * bad value and the user would fix their file one error at a time.
 */
public final class ConfigValidator {

    /** LangChain4j's PoolingMode values, which the router looks up upper-cased. */
    private static final Set<String> ONNX_POOLING = Set.of("cls", "mean");

    private final List<String> errors = new ArrayList<>();

    private ConfigValidator() {
    }

    /** @throws ConfigException listing every problem */
    public static void validate(EtrConfig config) {
        ConfigValidator v = new ConfigValidator();
        v.config(config);
        v.throwIfAny();
    }

    /**
     * Checks one expert on its own, e.g. one registered at runtime; paths are relative to the expert
     * ({@code backend.baseUrl: ...}). Whether the name is already taken is the caller's business.
     *
     * @throws ConfigException listing every problem
     */
    public static void validate(ExpertConfig expert) {
        ConfigValidator v = new ConfigValidator();
        v.name(expert.name(), "name");
        v.expert(expert, "");
        v.throwIfAny();
    }

    private void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }

    private void config(EtrConfig c) {
        server(c.server());
        router(c.router());
        if (c.generalist() == null) {
            add("generalist", "must be set (it answers when no expert fits)");
        } else {
            backend(c.generalist().backend(), "generalist.backend");
            examples(c.generalist().examples(), c.generalist().examplesFile(), "generalist", false);
        }
        Map<String, Integer> firstUse = new HashMap<>();
        for (int i = 0; i < c.experts().size(); i++) {
            ExpertConfig e = c.experts().get(i);
            String path = "experts[" + i + "]";
            if (name(e.name(), path + ".name")) {
                Integer previous = firstUse.putIfAbsent(e.name(), i);
                if (previous != null) {
                    add(path + ".name", quote(e.name()) + " is already used by experts[" + previous + "]");
                }
            }
            expert(e, path);
        }
    }

    private void server(ServerConfig s) {
        if (s.port() < 0 || s.port() > 65535) {
            add("server.port", s.port() + " is not in 0..65535");
        }
        if (s.maxBodyBytes() <= 0) {
            add("server.maxBodyBytes", s.maxBodyBytes() + " must be > 0");
        }
        for (int i = 0; i < s.apiKeys().size(); i++) {
            if (s.apiKeys().get(i).isBlank()) {
                add("server.apiKeys[" + i + "]", "must not be blank");
            }
        }
        if (s.adminKey() != null && s.adminKey().isBlank()) {
            add("server.adminKey", "must not be blank (leave it out to disable the admin API)");
        }
    }

    private void router(RouterConfig r) {
        if (!(r.threshold() >= 0 && r.threshold() <= 1)) { // written so that NaN fails too
            add("router.threshold", r.threshold() + " is not in [0, 1]");
        }
        if (r.historyTurns() < 0) {
            add("router.historyTurns", r.historyTurns() + " must be >= 0");
        }
        MetaModelConfig m = r.metaModel();
        String path = "router.metaModel";
        switch (m.type()) {
            case embedded -> { }
            case onnx -> {
                requiredFile(m.modelPath(), path + ".modelPath", "onnx");
                requiredFile(m.tokenizerPath(), path + ".tokenizerPath", "onnx");
                if (m.pooling() != null && !ONNX_POOLING.contains(m.pooling().toLowerCase(Locale.ROOT))) {
                    add(path + ".pooling", quote(m.pooling()) + " is not one of cls, mean");
                }
            }
            case openai_embeddings -> {
                requiredUrl(m.baseUrl(), path + ".baseUrl", "openai-embeddings");
                required(m.model(), path + ".model", "openai-embeddings");
            }
        }
        if (m.maxTokens() != null && m.maxTokens() <= 0) {
            add(path + ".maxTokens", m.maxTokens() + " must be > 0");
        }
    }

    /** Checks the name's form; returns whether it is well-formed (so worth checking for duplicates). */
    private boolean name(String name, String path) {
        if (isBlank(name)) {
            add(path, "must not be blank");
        } else if (!ExpertConfig.NAME_PATTERN.matcher(name).matches()) {
            add(path, quote(name) + " must match " + ExpertConfig.NAME_PATTERN.pattern());
        } else if (ExpertConfig.RESERVED_NAMES.contains(name)) {
            add(path, quote(name) + " is reserved");
        } else {
            return true;
        }
        return false;
    }

    private void expert(ExpertConfig e, String path) {
        backend(e.backend(), join(path, "backend"));
        examples(e.examples(), e.examplesFile(), path, true);
    }

    private void backend(BackendConfig b, String path) {
        if (b == null) {
            add(path, "must be set");
            return;
        }
        if (b.type() == BackendConfig.Type.openai) {
            requiredUrl(b.baseUrl(), path + ".baseUrl", "openai");
            required(b.model(), path + ".model", "openai");
        } else if (!isBlank(b.baseUrl())) {
            url(b.baseUrl(), path + ".baseUrl");
        }
        if (b.timeout().isZero() || b.timeout().isNegative()) {
            add(path + ".timeout", Durations.format(b.timeout()) + " must be > 0");
        }
        if (b.headers().keySet().stream().anyMatch(String::isBlank)) {
            add(path + ".headers", "header names must not be blank");
        }
        resilience(b.resilience(), path + ".resilience");
    }

    private void resilience(ResilienceConfig r, String path) {
        if (r.firstByteTimeout() != null) {
            positive(r.firstByteTimeout(), path + ".firstByteTimeout");
        }
        positive(r.totalTimeout(), path + ".totalTimeout");
        ResilienceConfig.Retry retry = r.retry();
        String rp = path + ".retry";
        if (retry.maxAttempts() < 1) {
            add(rp + ".maxAttempts", retry.maxAttempts() + " must be >= 1 (1: no retry)");
        }
        notNegative(retry.initialBackoff(), rp + ".initialBackoff");
        notNegative(retry.maxBackoff(), rp + ".maxBackoff");
        notNegative(retry.maxRetryAfter(), rp + ".maxRetryAfter");
        if (!(retry.multiplier() >= 1)) {
            add(rp + ".multiplier", retry.multiplier() + " must be >= 1");
        }
        if (!(retry.jitter() >= 0 && retry.jitter() < 1)) {
            add(rp + ".jitter", retry.jitter() + " is not in [0, 1)");
        }
        ResilienceConfig.CircuitBreaker cb = r.circuitBreaker();
        String cp = path + ".circuitBreaker";
        percentage(cb.failureRateThreshold(), cp + ".failureRateThreshold");
        percentage(cb.slowCallRateThreshold(), cp + ".slowCallRateThreshold");
        positive(cb.slowCallDuration(), cp + ".slowCallDuration");
        positive(cb.waitInOpenState(), cp + ".waitInOpenState");
        atLeastOne(cb.slidingWindowSize(), cp + ".slidingWindowSize");
        atLeastOne(cb.minimumNumberOfCalls(), cp + ".minimumNumberOfCalls");
        atLeastOne(cb.halfOpenCalls(), cp + ".halfOpenCalls");
        atLeastOne(r.bulkhead().maxConcurrentCalls(), path + ".bulkhead.maxConcurrentCalls");
        for (int i = 0; i < r.fallback().size(); i++) {
            String name = r.fallback().get(i);
            if (name.isBlank()) {
                add(path + ".fallback[" + i + "]", "must not be blank");
            } else if (name.equals("generalist")) {
                add(path + ".fallback[" + i + "]", "\"generalist\" always comes last by itself: leave it out");
            }
        }
    }

    private void positive(java.time.Duration d, String path) {
        if (d.isZero() || d.isNegative()) {
            add(path, Durations.format(d) + " must be > 0");
        }
    }

    private void notNegative(java.time.Duration d, String path) {
        if (d.isNegative()) {
            add(path, Durations.format(d) + " must be >= 0");
        }
    }

    private void percentage(double value, String path) {
        if (!(value > 0 && value <= 100)) {
            add(path, value + " is not in (0, 100]");
        }
    }

    private void atLeastOne(int value, String path) {
        if (value < 1) {
            add(path, value + " must be >= 1");
        }
    }

    private void examples(List<String> inline, String file, String path, boolean required) {
        for (int i = 0; i < inline.size(); i++) {
            if (inline.get(i).isBlank()) {
                add(join(path, "examples[" + i + "]"), "must not be blank");
            }
        }
        String filePath = join(path, "examplesFile");
        if (file != null) {
            Path p = existingFile(file, filePath);
            if (p != null) {
                readExamples(p, filePath);
            }
        } else if (required && inline.isEmpty()) {
            add(path, "needs examples or examplesFile");
        }
    }

    private void readExamples(Path file, String path) {
        try {
            if (ExamplesFile.read(file).isEmpty()) {
                add(path, quote(file.toString()) + " has no examples");
            }
        } catch (ConfigException e) {
            e.errors().forEach(error -> add(path, error));
        }
    }

    private void required(String value, String path, String type) {
        if (isBlank(value)) {
            add(path, "must be set for type " + type);
        }
    }

    private void requiredUrl(String value, String path, String type) {
        required(value, path, type);
        if (!isBlank(value)) {
            url(value, path);
        }
    }

    private void url(String value, String path) {
        if (!Checks.isHttpUrl(value)) {
            add(path, quote(value) + " is not an http(s) URL");
        }
    }

    private void requiredFile(String value, String path, String type) {
        required(value, path, type);
        if (!isBlank(value)) {
            existingFile(value, path);
        }
    }

    /** The path if it names a regular file; otherwise reports why not and returns null. */
    private Path existingFile(String value, String path) {
        if (value.isBlank()) {
            add(path, "must not be blank");
            return null;
        }
        try {
            Path p = Path.of(value);
            if (Files.isRegularFile(p)) {
                return p;
            }
            add(path, quote(value) + (Files.exists(p) ? " is not a regular file" : " does not exist"));
        } catch (InvalidPathException e) {
            add(path, quote(value) + " is not a valid path");
        }
        return null;
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }

    private void add(String path, String message) {
        errors.add(path.isEmpty() ? message : path + ": " + message);
    }
}
