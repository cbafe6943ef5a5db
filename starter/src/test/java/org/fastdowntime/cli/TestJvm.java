package org.fastdowntime.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a fastdowntime JVM a test starts (a worker, a client command, the demo, a hook): this JVM's
 * {@code java} and class path, and C1 only. Such a JVM lives for seconds to a minute, and on two cores C2's
 * compilations compete with its own start: a worker polls after 2.6–3.9 s instead of 5.1–7.3 s.
 */
final class TestJvm {
    private TestJvm() {}

    static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1");

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -XX:TieredStopAtLevel=1 -cp CLASSPATH org.fastdowntime.cli.Main ARGS…}. */
    static List<String> argv(String classPath, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(java());
        argv.addAll(FLAGS);
        argv.addAll(List.of("-cp", classPath, Main.class.getName()));
        argv.addAll(args);
        return argv;
    }

    /** The same with this JVM's class path. */
    static List<String> argv(String... args) {
        return argv(System.getProperty("java.class.path"), List.of(args));
    }

    /**
     * The launcher's class path: this build's classes and libraries, without the tests' (and their
     * log config).
     */
    static String runtimeClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes") && !e.contains("-tests.jar"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }
}
