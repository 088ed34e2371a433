package io.cuckoocache.verification;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Replays the parallel parts of scenarios shaped like the ones lincheck generates for a test class (its
 * {@code @Operation} methods, random parameters from the same ranges, {@link Budget}'s threads x actors), run
 * sequentially in a random interleaving, and counts how many end in a state that satisfies a predicate, e.g. "a hop
 * happened".
 * Model checking explores interleavings of exactly such scenarios, so a path these reach is a path it explores.
 */
final class ScenarioCoverage {
    private ScenarioCoverage() {
    }

    /** How many of {@code scenarios} random scenarios leave the test instance satisfying each predicate. */
    static int[] count(Class<?> testClass, Map<String, int[]> paramRanges, int scenarios, long seed,
                       List<Predicate<Object>> reached) throws ReflectiveOperationException {
        List<BiPredicate<Object, Method>> atEnd = new ArrayList<>();
        for (Predicate<Object> p : reached) atEnd.add((test, op) -> op == null && p.test(test));
        return countAny(testClass, paramRanges, scenarios, seed, atEnd);
    }

    /**
     * How many of {@code scenarios} random scenarios satisfy each predicate at some point: it is asked before each
     * operation (with the operation about to run) and at the end (with {@code null}), e.g. "a read starts while a
     * migration is in progress".
     */
    static int[] countAny(Class<?> testClass, Map<String, int[]> paramRanges, int scenarios, long seed,
                          List<BiPredicate<Object, Method>> reached) throws ReflectiveOperationException {
        List<Method> ops = new ArrayList<>();
        for (Method m : testClass.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Operation.class)) ops.add(m);
        }
        ops.sort((a, b) -> a.getName().compareTo(b.getName()));
        Random r = new Random(seed);
        int[] counts = new int[reached.size()];
        for (int i = 0; i < scenarios; i++) {
            Object test = testClass.getDeclaredConstructor().newInstance();
            boolean[] hit = new boolean[reached.size()];
            int[] left = new int[Budget.THREADS];
            java.util.Arrays.fill(left, Budget.ACTORS_PER_THREAD);
            int remaining = Budget.THREADS * Budget.ACTORS_PER_THREAD;
            while (remaining > 0) {
                int thread = r.nextInt(left.length);
                if (left[thread] == 0) continue;
                left[thread]--;
                remaining--;
                invokeRandom(test, ops, paramRanges, r, reached, hit);
            }
            for (int p = 0; p < counts.length; p++) {
                if (hit[p] || reached.get(p).test(test, null)) counts[p]++;
            }
        }
        return counts;
    }

    private static void invokeRandom(Object test, List<Method> ops, Map<String, int[]> ranges, Random r,
                                     List<BiPredicate<Object, Method>> reached, boolean[] hit)
            throws ReflectiveOperationException {
        Method m = ops.get(r.nextInt(ops.size()));
        for (int p = 0; p < hit.length; p++) {
            if (!hit[p] && reached.get(p).test(test, m)) hit[p] = true;
        }
        Parameter[] params = m.getParameters();
        Object[] args = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            int[] range = ranges.get(params[i].getAnnotation(Param.class).name());
            args[i] = range[0] + r.nextInt(range[1] - range[0] + 1);
        }
        m.invoke(test, args);
    }
}
