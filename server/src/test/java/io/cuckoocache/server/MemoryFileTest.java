package io.cuckoocache.server;

import io.cuckoocache.store.Item;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Mode;
import io.cuckoocache.store.Outcome;
import io.cuckoocache.store.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The warm-restart file in process: round trips, and every kind of damage refused (the server-level cases: WarmRestartTest). */
class MemoryFileTest {
    private static final String SETTINGS = "maxbytes=67108864 item_size_max=4194304 use_cas=true";

    private static ItemStore newStore() {
        return ItemStore.builder().memoryLimit(64L << 20).itemSizeMax(4 << 20).build();
    }

    /** A server's settings with {@link #newStore()}'s limits and the memory file {@code file}. */
    private static ServerConfig.Builder serverWith(Path file) {
        return CacheServer.builder().memoryLimit(64L << 20).itemSizeMax(4 << 20).memoryFile(file);
    }

    private static byte[] key(int i) {
        return ("key:" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] value(int i, int length) {
        byte[] v = new byte[length];
        for (int j = 0; j < length; j++) v[j] = (byte) (i * 31 + j);
        return v;
    }

    /** {@code n} items of 100-byte values (flags and TTLs varied) and, if asked, one of 1.5 MB: more than a block. */
    private static ItemStore filled(int n, boolean large) {
        ItemStore s = newStore();
        Outcome out = new Outcome();
        for (int i = 0; i < n; i++) {
            byte[] k = key(i);
            assertEquals(Status.STORED, s.store(Mode.SET, k, 0, k.length, value(i, 100), i % 3 == 0 ? 0 : i * 7919,
                    i % 2 == 0 ? 0 : 3600, out));
        }
        if (large) {
            byte[] k = key(-1);
            assertEquals(Status.STORED, s.store(Mode.SET, k, 0, k.length, value(-1, 1_500_000), 9, 0, out));
        }
        return s;
    }

    @Test
    void everyItemComesBackWithItsFlagsCasAndExpiry(@TempDir Path dir) throws Exception {
        ItemStore saved = filled(20_000, true);
        Path file = dir.resolve("cache");
        MemoryFile.Result w = MemoryFile.write(saved, file, SETTINGS);
        assertEquals(20_001, w.items);
        assertEquals(Files.size(file), w.bytes);
        assertFalse(Files.exists(dir.resolve("cache.tmp")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        ItemStore restored = newStore();
        MemoryFile.Result r = MemoryFile.read(restored, file, SETTINGS);
        assertEquals(20_001, r.items);
        assertEquals(0, r.expired);
        for (int i = -1; i < 20_000; i++) {
            byte[] k = key(i);
            byte[] a = saved.get(k, 0, k.length);
            byte[] b = restored.get(k, 0, k.length);
            assertNotNull(b, "key " + i);
            assertArrayEquals(Item.value(a), Item.value(b));
            assertEquals(Item.flags(a), Item.flags(b));
            assertEquals(Item.cas(a), Item.cas(b));
            assertEquals(Item.expiresAt(a), Item.expiresAt(b));
        }
        assertEquals(saved.stats().get("bytes"), restored.stats().get("bytes"));
    }

    @Test
    void aPendingDelayedFlushTravelsAsTheItemsExpiry(@TempDir Path dir) throws Exception {
        ItemStore saved = filled(10, false);
        long flushAt = System.currentTimeMillis() / 1000 + 600;
        saved.flushAll(flushAt);
        Path file = dir.resolve("cache");
        MemoryFile.write(saved, file, SETTINGS);
        ItemStore restored = newStore();
        assertEquals(10, MemoryFile.read(restored, file, SETTINGS).items);
        for (int i = 0; i < 10; i++) {
            byte[] k = key(i);
            long expected = i % 2 == 0 ? flushAt : Math.min(flushAt, Item.expiresAt(saved.get(k, 0, k.length)));
            assertEquals(expected, Item.expiresAt(restored.get(k, 0, k.length)), "key " + i);
        }
    }

    @Test
    void theCasCounterComesBackSoADeletedItemsUniqueIsNotHandedOutAgain(@TempDir Path dir) throws Exception {
        ItemStore saved = filled(100, false);
        Outcome out = new Outcome();
        byte[] k = key(99);
        long deletedCas = Item.cas(saved.get(k, 0, k.length));
        assertEquals(Status.DELETED, saved.delete(k, 0, k.length, out));
        Path file = dir.resolve("cache");
        MemoryFile.write(saved, file, SETTINGS);
        ItemStore restored = newStore();
        MemoryFile.read(restored, file, SETTINGS);
        assertEquals(deletedCas, restored.casCounter(0));
        assertEquals(Status.STORED, restored.store(Mode.SET, k, 0, k.length, value(0, 1), 0, 0, out));
        assertEquals(deletedCas + 1, Item.cas(out.item()));
    }

    @Test
    void anEmptyStoreMakesAFileThatRestoresNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cache");
        assertEquals(0, MemoryFile.write(newStore(), file, SETTINGS).items);
        ItemStore s = newStore();
        assertEquals(0, MemoryFile.read(s, file, SETTINGS).items);
        assertEquals(0L, s.stats().get("curr_items"));
    }

    /** A small file, so that every byte and every length can be tried. */
    private static byte[] smallFile(Path dir) throws Exception {
        Path file = dir.resolve("small");
        MemoryFile.write(filled(3, false), file, SETTINGS);
        return Files.readAllBytes(file);
    }

    private static String refusal(Path dir, byte[] content, String settings) throws Exception {
        Path file = dir.resolve("damaged");
        Files.write(file, content);
        try {
            MemoryFile.read(newStore(), file, settings);
        } catch (MemoryFile.Refused e) {
            return e.getMessage();
        }
        return fail("restored a damaged file");
    }

    @Test
    void everyFlippedByteIsRefused(@TempDir Path dir) throws Exception {
        byte[] good = smallFile(dir);
        for (int i = 0; i < good.length; i++) {
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) mask;
                assertNotNull(refusal(dir, bad, SETTINGS), "byte " + i);
            }
        }
    }

    @Test
    void everyTruncationAndAnyTrailingByteIsRefused(@TempDir Path dir) throws Exception {
        byte[] good = smallFile(dir);
        for (int n = 0; n < good.length; n++) {
            String why = refusal(dir, Arrays.copyOf(good, n), SETTINGS);
            assertTrue(why.startsWith("truncated: "), n + ": " + why);
        }
        assertEquals("1 bytes after the trailer", refusal(dir, Arrays.copyOf(good, good.length + 1), SETTINGS));
    }

    @Test
    void anotherVersionOrOtherSettingsAreRefusedByName(@TempDir Path dir) throws Exception {
        byte[] good = smallFile(dir);
        byte[] v2 = good.clone();
        ByteBuffer.wrap(v2).putInt(8, 2);
        // with a header checksum that matches, so that the version is what refuses it
        int settingsLength = ByteBuffer.wrap(v2).getShort(12) & 0xFFFF;
        int crcAt = 14 + settingsLength + 8;
        CRC32C c = new CRC32C();
        c.update(v2, 0, crcAt);
        ByteBuffer.wrap(v2).putInt(crcAt, (int) c.getValue());
        assertEquals("format version 2, this server reads version 1", refusal(dir, v2, SETTINGS));

        String other = "maxbytes=134217728 item_size_max=4194304 use_cas=true";
        assertEquals("saved with settings \"" + SETTINGS + "\", this server runs with \"" + other + "\"",
                refusal(dir, good, other));
        assertEquals("not a cuckoocache memory file (no CUCKOO-E magic)",
                refusal(dir, "memcached meta\n".getBytes(StandardCharsets.US_ASCII), SETTINGS));
    }

    /**
     * The server's start: a damaged last block is met after the first block's items are in the store; that store is
     * dropped and the server gets a new, empty one; the file is moved aside, with one log line.
     */
    @Test
    void aLateBadBlockDropsWhatWasLoaded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cache");
        ServerConfig config = serverWith(file).build();
        MemoryFile.write(filled(30_000, false), file, MemoryFile.settings(config));
        byte[] content = Files.readAllBytes(file);
        assertTrue(content.length > 3 * MemoryFile.BLOCK, "several blocks");
        content[content.length - 100] ^= 1;
        Files.write(file, content);

        ItemStore[] made = new ItemStore[2];
        int[] calls = {0};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ItemStore served = MemoryFile.restoreOrColdStart(config, () -> made[calls[0]++] = newStore(),
                new Log(0, new PrintStream(log, true)));
        assertEquals(2, calls[0]);
        assertNotSame(made[0], served);
        assertTrue(made[0].stats().get("curr_items") > 20_000, "the early blocks had been loaded");
        assertEquals(0L, served.stats().get("curr_items"));
        String line = log.toString().trim();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.matches("\\[restart] .*cache refused: block 3 at byte \\d+: checksum mismatch; starting with"
                + " a clean cache \\(file moved to .*cache\\.rejected\\)"), line);
        assertFalse(Files.exists(file));
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("cache.rejected")));
    }

    @Test
    void aRestoredFileIsRemovedAndALeftoverTmpIsCleared(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cache");
        ServerConfig config = serverWith(file).build();
        MemoryFile.write(filled(100, false), file, MemoryFile.settings(config));
        Files.writeString(dir.resolve("cache.tmp"), "a save that was cut off");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ItemStore s = MemoryFile.restoreOrColdStart(config, MemoryFileTest::newStore, new Log(0, new PrintStream(log)));
        assertEquals(100L, s.stats().get("curr_items"));
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("cache.tmp")));
        assertTrue(log.toString().contains("[restart] restored 100 items from " + file), log.toString());
    }

    /** The file is consumed before listening: a server that then cannot listen writes the items back. */
    @Test
    void aServerThatCannotListenAfterARestoreWritesTheItemsBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cache");
        ServerConfig.Builder b = serverWith(file).mode(CacheServer.Mode.SINGLE);
        MemoryFile.write(filled(1000, false), file, MemoryFile.settings(b.build()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            b.port(taken.getLocalPort()).logTo(new PrintStream(log, true));
            assertThrows(java.net.BindException.class, b::start);
        }
        assertTrue(log.toString().contains("[restart] restored 1000 items"), log.toString());
        assertTrue(log.toString().contains("[restart] saved 1000 items to " + file), log.toString());
        ItemStore again = newStore();
        assertEquals(1000, MemoryFile.read(again, file, MemoryFile.settings(b.build())).items);
    }

    @Test
    void aFailedSaveIsLoggedAndLeavesNoFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("missing-dir").resolve("cache");
        ServerConfig config = CacheServer.builder().memoryFile(file).build();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        MemoryFile.save(filled(10, false), config, new Log(0, new PrintStream(log)));
        assertTrue(log.toString().startsWith("[restart] saving to " + file + " failed ("), log.toString());
        assertFalse(Files.exists(file));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> MemoryFile.write(newStore(), file, SETTINGS));
    }

    @Test
    void anEmbeddersOwnStoreCannotHaveAMemoryFile(@TempDir Path dir) {
        ServerConfig.Builder b = CacheServer.builder().store(newStore()).memoryFile(dir.resolve("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("ItemStore.restore"), e.getMessage());
    }
}
