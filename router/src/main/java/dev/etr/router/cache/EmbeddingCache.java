package dev.etr.router.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Embeddings already computed, keyed by meta-model id + a hash of the text, so repeated evaluations and restarts
 * do not re-encode. Two tiers: a bounded in-memory LRU, and optionally an append-only file per meta-model.
 *
 * <p>The file holds a header (magic, dimension, model id) then fixed-size records {@code [16-byte key][d floats]}.
 * A process killed mid-append leaves at most one partial record at the end; opening the file drops it. The file
 * stores vectors and hashes, never the texts. Thread-safe.
 */
public final class EmbeddingCache implements AutoCloseable {

    private static final int MAGIC = 0x45545245; // "ETRE"
    private static final int VERSION = 1;

    private final int dimension;
    private final Map<Key, float[]> memory;
    private final FileChannel file;
    private final Map<Key, Long> offsets = new HashMap<>();
    private final long recordBytes;
    private int hits;
    private int misses;

    private EmbeddingCache(int dimension, int memoryCapacity, FileChannel file) {
        this.dimension = dimension;
        this.file = file;
        this.recordBytes = 16L + 4L * dimension;
        this.memory = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, float[]> eldest) {
                return size() > memoryCapacity;
            }
        };
    }

    /** An in-memory cache of at most {@code capacity} vectors. */
    public static EmbeddingCache inMemory(int dimension, int capacity) {
        return new EmbeddingCache(dimension, capacity, null);
    }

    /**
     * A cache backed by a file in {@code directory} for the meta-model {@code modelId}; created when absent.
     *
     * @throws UncheckedIOException when the directory or file cannot be used
     */
    public static EmbeddingCache open(Path directory, String modelId, int dimension, int memoryCapacity) {
        Path path = directory.resolve(fileName(modelId));
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            EmbeddingCache cache = new EmbeddingCache(dimension, memoryCapacity, channel);
            cache.load(path, modelId);
            return cache;
        } catch (IOException e) {
            throw new UncheckedIOException("embedding cache " + path + " cannot be opened: " + e.getMessage(), e);
        }
    }

    static String fileName(String modelId) {
        return HexFormat.of().formatHex(sha256(modelId.getBytes(StandardCharsets.UTF_8)), 0, 8) + ".emb";
    }

    /** The cached vector for {@code text}, or null. */
    public synchronized float[] get(String text) {
        Key key = Key.of(text);
        float[] vector = memory.get(key);
        if (vector == null && file != null) {
            Long offset = offsets.get(key);
            if (offset != null) {
                vector = read(offset);
                memory.put(key, vector);
            }
        }
        if (vector == null) {
            misses++;
        } else {
            hits++;
        }
        return vector;
    }

    public synchronized void put(String text, float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector has dimension " + vector.length + ", cache holds " + dimension);
        }
        Key key = Key.of(text);
        memory.put(key, vector);
        if (file != null && !offsets.containsKey(key)) {
            append(key, vector);
        }
    }

    public synchronized int hits() {
        return hits;
    }

    public synchronized int misses() {
        return misses;
    }

    /** How many vectors the file holds (for an in-memory cache: how many the memory holds). */
    public synchronized int size() {
        return file == null ? memory.size() : offsets.size();
    }

    @Override
    public synchronized void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void load(Path path, String modelId) throws IOException {
        byte[] id = modelId.getBytes(StandardCharsets.UTF_8);
        long headerBytes = 12L + 4 + id.length;
        if (file.size() < headerBytes) {
            // New (or torn while being created): start the file afresh.
            file.truncate(0);
            ByteBuffer header = ByteBuffer.allocate((int) headerBytes).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(MAGIC).putInt(VERSION).putInt(dimension).putInt(id.length).put(id).flip();
            writeFully(header, 0);
            return;
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerBytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(header, 0);
        header.flip();
        int magic = header.getInt();
        int version = header.getInt();
        int dim = header.getInt();
        int idLength = header.getInt();
        byte[] storedId = new byte[Math.min(idLength, id.length)];
        header.get(storedId);
        if (magic != MAGIC || version != VERSION || dim != dimension || idLength != id.length
                || !java.util.Arrays.equals(storedId, id)) {
            throw new IOException("not an embedding cache for meta-model " + modelId + " with dimension " + dimension
                    + " (delete " + path + " to rebuild it)");
        }
        long records = (file.size() - headerBytes) / recordBytes;
        // Drop a partial record left by a process killed mid-append.
        file.truncate(headerBytes + records * recordBytes);
        ByteBuffer keyBuffer = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (long r = 0; r < records; r++) {
            long offset = headerBytes + r * recordBytes;
            keyBuffer.clear();
            readFully(keyBuffer, offset);
            keyBuffer.flip();
            offsets.put(new Key(keyBuffer.getLong(), keyBuffer.getLong()), offset);
        }
    }

    private float[] read(long offset) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * dimension).order(ByteOrder.LITTLE_ENDIAN);
        try {
            readFully(buffer, offset + 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.flip();
        float[] vector = new float[dimension];
        buffer.asFloatBuffer().get(vector);
        return vector;
    }

    private void append(Key key, float[] vector) {
        try {
            long offset = file.size();
            ByteBuffer buffer = ByteBuffer.allocate((int) recordBytes).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(key.high()).putLong(key.low());
            for (float v : vector) {
                buffer.putFloat(v);
            }
            buffer.flip();
            writeFully(buffer, offset);
            offsets.put(key, offset);
        } catch (IOException e) {
            throw new UncheckedIOException("embedding cache write failed: " + e.getMessage(), e);
        }
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of embedding cache file");
            }
        }
    }

    private void writeFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            file.write(buffer, position + buffer.position());
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The first 128 bits of the text's SHA-256. */
    record Key(long high, long low) {
        static Key of(String text) {
            ByteBuffer digest = ByteBuffer.wrap(sha256(text.getBytes(StandardCharsets.UTF_8)));
            return new Key(digest.getLong(), digest.getLong());
        }
    }
}
