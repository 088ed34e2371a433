package io.cuckoocache.verification;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hand-written lincheck scenarios ("custom scenarios"), for the races that matter most and that random scenarios
 * hit only now and then: model checking explores each one's interleavings before the random ones.
 */
final class Directed {
    private final Class<?> test;
    private final List<Actor> init = new ArrayList<>();
    private final List<List<Actor>> threads = new ArrayList<>();
    private final List<Actor> post = new ArrayList<>();

    private Directed(Class<?> test) {
        this.test = test;
    }

    static Directed scenario(Class<?> test) {
        return new Directed(test);
    }

    /** Operations run before the parallel part, e.g. {@code "put", 1, 5}. */
    Directed init(Object... ops) {
        init.addAll(actors(ops));
        return this;
    }

    /** One thread of the parallel part. */
    Directed thread(Object... ops) {
        threads.add(actors(ops));
        return this;
    }

    /** Operations run after the parallel part. */
    Directed post(Object... ops) {
        post.addAll(actors(ops));
        return this;
    }

    ExecutionScenario build() {
        Actor validation = null;
        for (Method m : test.getDeclaredMethods()) {
            if (m.isAnnotationPresent(org.jetbrains.lincheck.datastructures.Validate.class)) {
                validation = new Actor(m, List.of(), false, false, false, false, false);
            }
        }
        return new ExecutionScenario(init, threads, post, validation);
    }

    /** Splits {@code "name", arg, arg, "name", arg...} into actors of the test class's operations. */
    private List<Actor> actors(Object... ops) {
        List<Actor> actors = new ArrayList<>();
        for (int i = 0; i < ops.length; ) {
            String name = (String) ops[i++];
            int start = i;
            while (i < ops.length && !(ops[i] instanceof String)) i++;
            List<Object> args = Arrays.asList(Arrays.copyOfRange(ops, start, i));
            actors.add(new Actor(method(name, args.size()), args, false, false, false, false, false));
        }
        return actors;
    }

    private Method method(String name, int arity) {
        for (Method m : test.getDeclaredMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == arity) return m;
        }
        throw new IllegalArgumentException(test.getSimpleName() + " has no operation " + name + "/" + arity);
    }
}
