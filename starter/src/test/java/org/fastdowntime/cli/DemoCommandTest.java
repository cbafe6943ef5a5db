package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** The README's main command, as a newcomer runs it. */
class DemoCommandTest {
    @Test
    void demoRunsARealWindowAndCleansUp() throws Exception {
        Cli r = Cli.run("demo", "--patches", TestDatabase.demoPatches().toString(), "--clients", "4");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Result: COMPLETED"), r.out());
        assertTrue(r.out().matches("(?s).*Outage: 00:00:\\d\\d\\.\\d\\d \\(gate closed -> open\\).*"), r.out());
        assertTrue(r.out().contains("Clients: "), r.out());
        assertTrue(r.out().contains("Cleaned up: dropped fdt_demo_"), r.out());
        String db = r.out().replaceAll("(?s).*Cleaned up: dropped (fdt_demo_\\w+).*", "$1");
        try (var c = TestDatabase.admin();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + db + "'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the demo database was dropped");
        }
    }
}
