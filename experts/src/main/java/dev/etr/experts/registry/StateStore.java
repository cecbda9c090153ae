package dev.etr.experts.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.etr.config.ConfigException;
import dev.etr.config.ConfigValidator;
import dev.etr.config.ExpertConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The runtime experts, persisted in {@code <state dir>/experts.json}.
 *
 * <p>Crash-safe: {@link #save} writes a temporary file in the same directory, forces it to disk, renames it over the
 * old file atomically and forces the directory, so a process killed at any moment leaves the old state or the new
 * one, never a mix. {@link #load} refuses a file it cannot fully read ({@link ConfigException} naming the path and
 * what is wrong) rather than silently dropping experts.
 *
 * <p>The file holds the runtime experts' backends, API keys included (they are needed after a restart), so it is
 * created readable by its owner only.
 */
public final class StateStore {

    public static final String FILE_NAME = "experts.json";
    /** The layout of the file; a newer one is refused rather than misread. */
    public static final int FORMAT = 1;

    /**
     * One runtime expert: its configuration (examples inline) and the report of its last training.
     *
     * @param report as the admin API showed it; opaque here
     */
    public record RuntimeExpert(ExpertConfig config, JsonNode report) {
    }

    /**
     * Everything persisted.
     *
     * @param router the routing head trained for these experts (opaque here; the gateway writes and reads it), or null
     */
    public record State(int format, List<RuntimeExpert> experts, JsonNode router) {
        public State {
            experts = experts == null ? List.of() : List.copyOf(experts);
        }

        public static State empty() {
            return new State(FORMAT, List.of(), null);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path dir;
    private final Path file;

    public StateStore(Path dir) {
        this.dir = dir.toAbsolutePath();
        this.file = this.dir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /**
     * The persisted state; empty when there is no file yet.
     *
     * @throws ConfigException naming the file and everything wrong with it
     */
    public State load() {
        if (!Files.exists(file)) {
            return State.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw corrupt("cannot read (" + e + ")");
        }
        if (bytes.length == 0) {
            throw corrupt("the file is empty (truncated?)");
        }
        State state;
        try {
            state = JSON.readValue(bytes, State.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": ";
            String path = e instanceof JsonMappingException m ? pathOf(m) : "";
            throw corrupt(path + where + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getOriginalMessage().contains("end-of-input") ? " (the file is truncated)" : ""));
        } catch (IOException e) {
            throw corrupt("cannot read (" + e + ")");
        }
        if (state == null) {
            throw corrupt("expected a JSON object, got null");
        }
        if (state.format() != FORMAT) {
            throw corrupt("format " + state.format() + " is not the " + FORMAT + " this etr reads");
        }
        List<String> errors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < state.experts().size(); i++) {
            RuntimeExpert expert = state.experts().get(i);
            String at = "experts[" + i + "]";
            if (expert == null || expert.config() == null) {
                errors.add(at + ": missing \"config\"");
                continue;
            }
            try {
                ConfigValidator.validate(expert.config());
            } catch (ConfigException e) {
                e.errors().forEach(error -> errors.add(at + "." + error));
            }
            if (expert.config().name() != null && !names.add(expert.config().name())) {
                errors.add(at + ".name: \"" + expert.config().name() + "\" appears twice");
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(file.toString(), errors.stream()
                    .map(error -> error + suffix()).collect(Collectors.toList()));
        }
        return state;
    }

    /** Replaces the persisted state, crash-safely (see the class comment). Blocks: call it on a worker thread. */
    public void save(State state) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE_NAME + ".tmp");
            byte[] bytes = JSON.writeValueAsBytes(state);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ownerOnly(tmp);
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file + ": " + e.getMessage(), e);
        }
    }

    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms (Windows) cannot open a directory; the rename is still atomic there
        }
    }

    private static void ownerOnly(Path path) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | FileSystemException e) {
            // not a POSIX file system
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ConfigException corrupt(String what) {
        return new ConfigException(file.toString(), List.of(what + suffix()));
    }

    private String suffix() {
        return "; etr will not start without the runtime experts this file holds: fix it, restore it from a backup,"
                + " or move it away to start without them";
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "" : path + ": ";
    }
}
