package org.fastdowntime.sandbox;

import picocli.CommandLine.Option;

/** Where a command's throwaway database lives: {@code --postgres auto|server|cluster|embedded}. */
public final class PostgresOption {
    /** The choices, in the order {@code auto} tries them. */
    enum Source {
        /**
         * The server on 127.0.0.1:5432 if it answers, else a throwaway cluster (installed binaries,
         * else embedded).
         */
        AUTO,
        /** The server on 127.0.0.1:5432; fails if it does not answer. */
        SERVER,
        /**
         * A throwaway cluster from the installed binaries, or the embedded ones if none are installed.
         */
        CLUSTER,
        /** A throwaway cluster from the embedded binaries (Maven Central), whatever is installed. */
        EMBEDDED
    }

    @Option(
            names = "--postgres",
            paramLabel = "SOURCE",
            defaultValue = "auto",
            converter = SourceConverter.class,
            description = "Where the throwaway database lives: auto (the server on 127.0.0.1:5432, else a throwaway"
                    + " cluster from the installed binaries, else from the embedded ones), server,"
                    + " cluster or embedded (default: ${DEFAULT-VALUE}).")
    Source source = Source.AUTO;

    @Option(names = "--own-cluster", description = "Same as --postgres cluster.")
    boolean ownCluster;

    Source source() {
        return ownCluster && source == Source.AUTO ? Source.CLUSTER : source;
    }

    static final class SourceConverter implements picocli.CommandLine.ITypeConverter<Source> {
        @Override
        public Source convert(String value) {
            try {
                return Source.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not one of auto, server, cluster, embedded");
            }
        }
    }
}
