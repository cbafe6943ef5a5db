package org.fastdowntime.fleet;

import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Bounded fan-out in workflow code: each item's call started as a promise, at most {@code limit} running at a time
 * (a new one starts as soon as one ends), a failure turned into a result by {@code onFailure}, so that one member's
 * failure never hides the others'. Results come back in the items' order.
 */
final class Fanout {
    private Fanout() {}

    static <T, R> List<R> each(
            List<T> items, int limit, Function<T, Promise<R>> start, BiFunction<T, RuntimeException, R> onFailure) {
        List<Promise<R>> all = new ArrayList<>(items.size());
        List<Promise<R>> running = new ArrayList<>();
        for (T item : items) {
            while (running.size() >= Math.max(1, limit)) {
                Promise.anyOf(running).get();
                running.removeIf(Promise::isCompleted);
            }
            Promise<R> p = start.apply(item).handle((r, e) -> e == null ? r : onFailure.apply(item, e));
            all.add(p);
            running.add(p);
        }
        Promise.allOf(all).get();
        return all.stream().map(Promise::get).toList();
    }
}
