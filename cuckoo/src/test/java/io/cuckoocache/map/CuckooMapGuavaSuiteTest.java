package io.cuckoocache.map;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import junit.framework.Test;
import junit.framework.TestSuite;
import org.junit.runner.RunWith;
import org.junit.runners.AllTests;

import java.util.Map;
import java.util.function.IntFunction;

/** guava-testlib's ConcurrentMap contract suites (and those of its views) over CuckooMap. */
@RunWith(AllTests.class)
public class CuckooMapGuavaSuiteTest {
    public static Test suite() {
        TestSuite all = new TestSuite("CuckooMap");
        all.addTest(suiteFor("CuckooMap default capacity", n -> new CuckooMap<>()));
        // Capacity 0 starts at two buckets, so the samples go through displacement and growth.
        all.addTest(suiteFor("CuckooMap capacity 0", n -> new CuckooMap<>(0)));
        return all;
    }

    private static Test suiteFor(String name, IntFunction<CuckooMap<String, String>> factory) {
        return ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        CuckooMap<String, String> map = factory.apply(entries.length);
                        for (Map.Entry<String, String> e : entries) map.put(e.getKey(), e.getValue());
                        return map;
                    }
                })
                .named(name)
                .withFeatures(MapFeature.GENERAL_PURPOSE, CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionSize.ANY)
                .createTestSuite();
    }
}
