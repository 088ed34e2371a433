package io.cuckoocache.server;

import io.cuckoocache.store.Item;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Outcome;
import io.cuckoocache.store.Status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * The warm-restart file (-e PATH): every live item, written on a graceful stop and restored at the next start.
 * <p>
 * Unlike memcached, whose -e maps its slab memory onto the file and saves only a little metadata beside it, the
 * items live on the Java heap here, so the file is a stream of them, written after the listeners and event loops
 * have stopped and read before the server listens: the store's own iteration out ({@link ItemStore#forEachLive}),
 * its restore in ({@link ItemStore#restore}), one buffer of {@value #BLOCK} bytes (or one item, if larger) between
 * them and the disk, never the whole cache in memory twice.
 *
 * <h2>Format (version 1, big-endian)</h2>
 * <pre>
 * header   magic "CUCKOO-E" (8 bytes), version (int), settings length (u16) and text (UTF-8, e.g.
 *          "maxbytes=67108864 item_size_max=1048576 use_cas=true"), created (long, Unix ms),
 *          CRC32C of the header's bytes before it (int)
 * block*   payload length (int, &gt; 0), items (int, &gt; 0), payload, CRC32C of length, items and payload (int);
 *          the payload is the items' records back to back:
 *          key length (u8, 1..250), flags (int), CAS (long), expiry (int: unsigned Unix second, 0 never),
 *          value length (int), key, value
 * trailer  -1 (int, where a block's length would be), items (long), blocks (long), the CAS counter (long: the
 *          last unique handed out), CRC32C of every byte of the file before it (int); then the end of the file
 * </pre>
 * The CAS counter is restored once the whole file has been checked, so no unique handed out before the save, not
 * even one of an item deleted since, is handed out again. Expiry is saved as wall-clock time, so an item's remaining
 * TTL after a restart is what it had less the time the server was down, and items that expired meanwhile are
 * dropped. A file is restored only whole: anything torn, truncated, flipped, of another version or saved under
 * other settings is refused and the server starts cold; since the server listens only after the load, nothing from
 * a refused file is ever served.
 */
final class MemoryFile {
    private static final byte[] MAGIC = "CUCKOO-E".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Payload bytes a block collects before it is written; also the read buffer. */
    static final int BLOCK = 1 << 20;
    private static final int RECORD_HEADER = 1 + 4 + 8 + 4 + 4;
    private static final int END = -1;
    private static final int SETTINGS_MAX = 4096;

    private MemoryFile() {
    }

    /** A file that cannot be restored; the message says why, for the log. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** What a save or a load did. */
    static final class Result {
        long items;
        /** Load only: saved items not restored because they expired meanwhile. */
        long expired;
        /** Load only: items the store refused (no room, too large); 0 with the settings the file was saved with. */
        long refused;
        long bytes;
        long nanos;
        /** Load only: when the file was written (Unix ms). */
        long created;

        String rate() {
            double s = nanos / 1e9;
            return String.format(java.util.Locale.ROOT, "%.1f MB in %.2f s (%.0f MB/s)", bytes / 1e6, s,
                    s > 0 ? bytes / 1e6 / s : 0);
        }
    }

    /** The settings a file must have been saved under: what decides whether the items fit as they did. */
    static String settings(ServerConfig c) {
        return "maxbytes=" + c.memoryLimit + " item_size_max=" + c.itemSizeMax + " use_cas=" + c.casEnabled;
    }

    static Path sibling(Path path, String suffix) {
        return path.resolveSibling(path.getFileName() + suffix);
    }

    // ---------------------------------------------------------------- the server's two moments

    /**
     * At start: a new store holding the file's items, or, when there is no file or it is refused, a new empty one
     * (a cold start), with one log line saying which. A restored file is deleted before the server listens, so a
     * crash later can never bring those items back; a refused one is moved aside to PATH.rejected.
     */
    static ItemStore restoreOrColdStart(ServerConfig config, Supplier<ItemStore> newStore, Log log) {
        Path path = config.memoryFile;
        Path tmp = sibling(path, ".tmp");
        try {
            if (Files.deleteIfExists(tmp)) log.notice("[restart] removed " + tmp + ", left by a save that did not end");
        } catch (IOException e) {
            log.notice("[restart] cannot remove " + tmp + ": " + e);
        }
        if (!Files.exists(path)) {
            log.notice("[restart] no memory file " + path + ", starting with a clean cache");
            return newStore.get();
        }
        if (!Files.isRegularFile(path)) {
            log.notice("[restart] " + path + " is not a regular file: not read, not moved; starting with a clean cache");
            return newStore.get();
        }
        ItemStore store = newStore.get();
        String refusal;
        try {
            Result r = read(store, path, settings(config));
            try {
                Files.delete(path);
                forceDirectory(path); // else a power cut could bring the entry back
            } catch (IOException e) {
                store.close();
                log.notice("[restart] " + path + " was read but cannot be removed (" + e + "), so a later crash would"
                        + " restore it again; starting with a clean cache");
                return newStore.get();
            }
            log.notice("[restart] restored " + r.items + " items from " + path + " (saved "
                    + Instant.ofEpochMilli(r.created) + "; " + r.expired + " expired meanwhile"
                    + (r.refused > 0 ? ", " + r.refused + " refused by the store" : "") + "): " + r.rate()
                    + "; file removed");
            return store;
        } catch (Refused e) {
            refusal = e.getMessage();
        } catch (IOException | RuntimeException e) {
            refusal = "cannot be read: " + e;
        }
        store.close();
        Path rejected = sibling(path, ".rejected");
        String where;
        try {
            Files.move(path, rejected, StandardCopyOption.REPLACE_EXISTING);
            where = "moved to " + rejected;
        } catch (IOException e) {
            where = "not moved: " + e;
        }
        log.notice("[restart] " + path + " refused: " + refusal + "; starting with a clean cache (file " + where + ")");
        return newStore.get();
    }

    /** At a graceful stop, once nothing serves: writes every live item to the file, with one log line. */
    static void save(ItemStore store, ServerConfig config, Log log) {
        Path path = config.memoryFile;
        try {
            Result r = write(store, path, settings(config));
            log.notice("[restart] saved " + r.items + " items to " + path + ": " + r.rate());
        } catch (IOException | RuntimeException e) {
            log.notice("[restart] saving to " + path + " failed (" + e + "); the next start will be cold");
        }
    }

    // ---------------------------------------------------------------- writing

    /** Writes PATH.tmp, forces it to disk, renames it to PATH and forces the directory: PATH is whole or absent. */
    static Result write(ItemStore store, Path path, String settings) throws IOException {
        long start = System.nanoTime();
        if (Files.exists(path) && !Files.isRegularFile(path)) throw new IOException(path + " is not a regular file");
        Path tmp = sibling(path, ".tmp");
        Files.deleteIfExists(tmp);
        Result r;
        try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), ownerOnly())) {
            Writer w = new Writer(ch);
            w.header(settings, System.currentTimeMillis());
            try {
                store.forEachLive(w);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            r = w.finish(store.casCounter(0));
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(path); // the rename itself survives a power cut
        r.nanos = System.nanoTime() - start;
        return r;
    }

    /** Forces the directory holding {@code path}, so that a rename or delete in it is on disk. */
    private static void forceDirectory(Path path) {
        try (FileChannel d = FileChannel.open(path.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some systems cannot open a directory; there, what the file system does on its own is all there is
        }
    }

    /** rw------- where the file system has POSIX permissions: the file holds every cached value. */
    private static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }

    /** Collects records into a block and writes full blocks; an item larger than a block is a block of its own. */
    private static final class Writer implements ObjLongConsumer<byte[]> {
        private final FileChannel ch;
        private final ByteBuffer block = ByteBuffer.allocate(BLOCK);
        private final ByteBuffer head = ByteBuffer.allocate(8);
        private final ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER);
        private final ByteBuffer tail = ByteBuffer.allocate(4);
        private final CRC32C blockCrc = new CRC32C();
        private final CRC32C fileCrc = new CRC32C();
        private final Result result = new Result();
        private int blockItems;
        private long blocks;

        Writer(FileChannel ch) {
            this.ch = ch;
        }

        void header(String settings, long created) throws IOException {
            byte[] s = settings.getBytes(StandardCharsets.UTF_8);
            ByteBuffer h = ByteBuffer.allocate(MAGIC.length + 4 + 2 + s.length + 8 + 4);
            h.put(MAGIC).putInt(VERSION).putShort((short) s.length).put(s).putLong(created);
            CRC32C c = new CRC32C();
            c.update(h.array(), 0, h.position());
            h.putInt((int) c.getValue()).flip();
            emit(h);
        }

        @Override
        public void accept(byte[] it, long expiresAt) {
            int size = RECORD_HEADER + Item.keyLength(it) + Item.valueLength(it);
            try {
                if (size > block.remaining()) flushBlock();
                if (size > block.capacity()) {
                    recordHeader(record.clear(), it, expiresAt).flip();
                    writeBlock(1, record, ByteBuffer.wrap(it, Item.keyOffset(it), Item.keyLength(it)),
                            ByteBuffer.wrap(it, Item.valueOffset(it), Item.valueLength(it)));
                } else {
                    recordHeader(block, it, expiresAt).put(it, Item.keyOffset(it), Item.keyLength(it))
                            .put(it, Item.valueOffset(it), Item.valueLength(it));
                    blockItems++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            result.items++;
        }

        private static ByteBuffer recordHeader(ByteBuffer b, byte[] it, long expiresAt) {
            return b.put((byte) Item.keyLength(it)).putInt(Item.flags(it)).putLong(Item.cas(it))
                    .putInt((int) expiresAt).putInt(Item.valueLength(it));
        }

        private void flushBlock() throws IOException {
            if (blockItems == 0) return;
            block.flip();
            writeBlock(blockItems, block);
            block.clear();
            blockItems = 0;
        }

        private void writeBlock(int items, ByteBuffer... payload) throws IOException {
            int length = 0;
            for (ByteBuffer p : payload) length += p.remaining();
            head.clear().putInt(length).putInt(items).flip();
            blockCrc.reset();
            blockCrc.update(head.duplicate());
            for (ByteBuffer p : payload) blockCrc.update(p.duplicate());
            tail.clear().putInt((int) blockCrc.getValue()).flip();
            emit(head);
            emit(payload);
            emit(tail);
            blocks++;
        }

        Result finish(long casCounter) throws IOException {
            flushBlock();
            ByteBuffer t = ByteBuffer.allocate(4 + 8 + 8 + 8);
            t.putInt(END).putLong(result.items).putLong(blocks).putLong(casCounter).flip();
            emit(t);
            emit(tail.clear().putInt((int) fileCrc.getValue()).flip());
            return result;
        }

        /** Writes the buffers whole, adding them to the file's checksum. */
        private void emit(ByteBuffer... bufs) throws IOException {
            for (ByteBuffer b : bufs) {
                fileCrc.update(b.duplicate());
                result.bytes += b.remaining();
            }
            long left = 0;
            for (ByteBuffer b : bufs) left += b.remaining();
            while (left > 0) left -= ch.write(bufs);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Restores the file's items into {@code store} (which should be new: see {@link ItemStore#restore}), checking
     * every block as it comes and the whole file at its end; on {@link Refused} or an I/O error the store holds a
     * part of the items and must be dropped.
     */
    static Result read(ItemStore store, Path path, String settings) throws IOException, Refused {
        long start = System.nanoTime();
        Result r = new Result();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            Reader in = new Reader(ch);
            r.created = in.header(settings);
            ByteBuffer buf = ByteBuffer.allocate(BLOCK);
            long largest = Math.max(BLOCK, RECORD_HEADER + ItemStore.KEY_MAX_LENGTH + (long) store.itemSizeMax());
            Outcome out = new Outcome();
            long blocks = 0;
            ByteBuffer head = ByteBuffer.allocate(8);
            while (true) { // each turn consumes at least 12 bytes of a file of known size
                long at = ch.position();
                in.read(head.clear(), "a block header at byte " + at);
                int length = head.getInt(0);
                int items = head.getInt(4);
                if (length == END) break;
                if (length <= 0 || length > largest || items <= 0 || items > length / RECORD_HEADER) {
                    throw new Refused("block " + blocks + " at byte " + at + " announces " + length + " bytes and "
                            + items + " items, which cannot be");
                }
                if (at + 8 + length + 4 > ch.size()) {
                    throw new Refused("truncated: block " + blocks + " at byte " + at + " needs " + (8 + length + 4)
                            + " bytes, the file ends at byte " + ch.size());
                }
                ByteBuffer payload = length <= BLOCK ? buf.clear().limit(length) : ByteBuffer.allocate(length);
                in.read(payload, "block " + blocks);
                ByteBuffer crc = in.read(ByteBuffer.allocate(4), "block " + blocks + "'s checksum");
                CRC32C c = new CRC32C();
                c.update(head.flip());
                c.update(payload.flip());
                if ((int) c.getValue() != crc.getInt(0)) {
                    throw new Refused("block " + blocks + " at byte " + at + ": checksum mismatch");
                }
                restoreBlock(store, payload.flip(), items, blocks, out, r);
                blocks++;
            }
            // The END mark came in a block header's place: its second int is the item count's upper half.
            ByteBuffer trailer = in.read(ByteBuffer.allocate(4 + 8 + 8), "the trailer");
            long items = ((long) head.getInt(4) << 32) | (trailer.getInt(0) & 0xFFFF_FFFFL);
            long announcedBlocks = trailer.getLong(4);
            long casCounter = trailer.getLong(12);
            int sum = (int) in.sum(); // every byte before the checksum itself
            if (sum != in.read(ByteBuffer.allocate(4), "the file checksum").getInt(0)) {
                throw new Refused("file checksum mismatch");
            }
            if (items != r.items + r.expired + r.refused || announcedBlocks != blocks) {
                throw new Refused("the trailer announces " + items + " items in " + announcedBlocks + " blocks, the"
                        + " file holds " + (r.items + r.expired + r.refused) + " in " + blocks);
            }
            if (ch.position() != ch.size()) throw new Refused((ch.size() - ch.position()) + " bytes after the trailer");
            store.casCounter(casCounter);
            r.bytes = ch.size();
        }
        r.nanos = System.nanoTime() - start;
        return r;
    }

    /** Parses one checked block's records into the store. */
    private static void restoreBlock(ItemStore store, ByteBuffer p, int items, long block, Outcome out, Result r)
            throws Refused {
        byte[] a = p.array();
        for (int i = 0; i < items; i++) {
            if (p.remaining() < RECORD_HEADER) throw new Refused("block " + block + ": record " + i + " is cut short");
            int klen = p.get() & 0xFF;
            int flags = p.getInt();
            long cas = p.getLong();
            long expiry = p.getInt() & 0xFFFF_FFFFL;
            int vlen = p.getInt();
            if (klen == 0 || vlen < 0 || vlen > p.remaining() - klen) {
                throw new Refused("block " + block + ": record " + i + " has a key of " + klen + " bytes and a value of "
                        + vlen + " with " + p.remaining() + " bytes left");
            }
            byte[] it = store.prepare(a, p.position(), klen, flags, vlen);
            System.arraycopy(a, p.position() + klen, it, Item.valueOffset(it), vlen);
            p.position(p.position() + klen + vlen);
            Status s = store.restore(it, cas, expiry, out);
            if (s == Status.STORED) {
                r.items++;
            } else if (s == Status.NOT_STORED) {
                r.expired++;
            } else {
                r.refused++;
            }
        }
        if (p.hasRemaining()) throw new Refused("block " + block + ": " + p.remaining() + " bytes after its records");
    }

    /** Reads whole buffers, adding every byte to the file's checksum; the end of the file is a refusal. */
    private static final class Reader {
        private final FileChannel ch;
        private final CRC32C file = new CRC32C();

        Reader(FileChannel ch) {
            this.ch = ch;
        }

        ByteBuffer read(ByteBuffer b, String what) throws IOException, Refused {
            int from = b.position();
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) throw new Refused("truncated: the file ends in " + what);
            }
            ByteBuffer done = b.duplicate().position(from).limit(b.position());
            file.update(done);
            return b;
        }

        long sum() {
            return file.getValue();
        }

        /** Checks the header; returns when the file was made. */
        long header(String settings) throws IOException, Refused {
            ByteBuffer fixed = read(ByteBuffer.allocate(MAGIC.length + 4 + 2), "the header");
            if (!Arrays.equals(fixed.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new Refused("not a cuckoocache memory file (no CUCKOO-E magic)");
            }
            int version = fixed.getInt(MAGIC.length);
            if (version != VERSION) {
                throw new Refused("format version " + version + ", this server reads version " + VERSION);
            }
            int length = fixed.getShort(MAGIC.length + 4) & 0xFFFF;
            if (length > SETTINGS_MAX) throw new Refused("a header of " + length + " bytes of settings");
            ByteBuffer rest = read(ByteBuffer.allocate(length + 8 + 4), "the header");
            CRC32C c = new CRC32C();
            c.update(fixed.array());
            c.update(rest.array(), 0, length + 8);
            if ((int) c.getValue() != rest.getInt(length + 8)) throw new Refused("header checksum mismatch");
            String saved = new String(rest.array(), 0, length, StandardCharsets.UTF_8);
            if (!saved.equals(settings)) {
                throw new Refused("saved with settings \"" + saved + "\", this server runs with \"" + settings + "\"");
            }
            return rest.getLong(length);
        }
    }
}
