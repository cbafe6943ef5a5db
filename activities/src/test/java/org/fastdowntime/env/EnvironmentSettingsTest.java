package org.fastdowntime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The database a JDBC URL names, decoded as PostgreSQL's driver decodes it. */
@Tag("unit")
class EnvironmentSettingsTest {
    private static String database(String url) {
        return EnvironmentSettings.builder("e", url).build().databaseName();
    }

    @Test
    void aPercentEncodedDatabaseNameIsComparedDecoded() {
        assertEquals("café", database("jdbc:postgresql://127.0.0.1:5432/caf%C3%A9"));
        assertEquals("my db", database("jdbc:postgresql://127.0.0.1:5432/my%20db?sslmode=disable"));
        assertEquals("a+b", database("jdbc:postgresql://127.0.0.1:5432/a+b"), "a + is a +, not a space");
        assertEquals("launchpad", database("jdbc:postgresql://127.0.0.1:5432/launchpad"));
    }
}
