package io.cuckoocache.textproto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Base64 keys: standard encoding, and memcached's lenient decoder. */
class Base64KeyTest {
    private static String decode(String s) {
        byte[] src = Wire.bytes(s);
        byte[] dst = new byte[src.length];
        int n = Base64Key.decode(src, 0, src.length, dst);
        return n == 0 ? null : Wire.text(Arrays.copyOf(dst, n));
    }

    @Test
    void roundTripsLikeTheJdk() {
        Random r = new Random(42);
        for (int len = 1; len <= 187; len++) {
            byte[] key = new byte[len];
            r.nextBytes(key);
            ByteBuf out = Unpooled.buffer();
            Base64Key.encode(key, 0, len, out);
            String encoded = out.toString(StandardCharsets.ISO_8859_1);
            assertEquals(Base64.getEncoder().encodeToString(key), encoded);
            byte[] src = Wire.bytes(encoded);
            byte[] dst = new byte[src.length];
            int n = Base64Key.decode(src, 0, src.length, dst);
            assertArrayEquals(key, Arrays.copyOf(dst, n), "length " + len);
        }
    }

    @Test
    void decodesAsMemcachedDoes() {
        assertEquals("foo", decode("Zm9v"));
        assertEquals("foo", decode("Zm9v!"), "bytes outside the alphabet are skipped");
        assertEquals("foo", decode("Z m9v"));
        assertEquals("a", decode("YQ=="));
        assertEquals("ab", decode("YWI="));
        assertEquals("a", decode("YQ==Zm9v"), "decoding stops after a padded group");
        assertEquals(null, decode("Y==="), "three pads");
        assertEquals(null, decode("abc"), "not a multiple of four");
        assertEquals(null, decode("!!!!"));
        assertEquals(null, decode("===="));
    }
}
