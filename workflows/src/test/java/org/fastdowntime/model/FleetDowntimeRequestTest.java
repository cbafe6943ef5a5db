package org.fastdowntime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The fleet window's one JSON input, as the Web UI sends it: every bad value said, none thrown. */
class FleetDowntimeRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FleetDowntimeRequest read(String json) throws Exception {
        return JSON.readValue(json, FleetDowntimeRequest.class);
    }

    @Test
    void aCompleteInputIsValid() throws Exception {
        FleetDowntimeRequest r = read(
                "{\"fleet\":\"shards\",\"windowStart\":\"2026-12-08T06:00:00Z\",\"mode\":\"atomic\",\"parallelism\":10}");
        assertNull(r.invalid());
        assertEquals("shards", r.fleet());
        assertEquals(10, r.parallelism());
        assertEquals(FleetMode.ATOMIC, FleetMode.parse(r.mode()));
    }

    @Test
    void eachBadValueIsSaid() throws Exception {
        assertEquals("a fleet is required: {\"fleet\":\"NAME\"}", read("{}").invalid());
        assertEquals(
                "mode 'all-at-once' is neither waves nor atomic",
                read("{\"fleet\":\"s\",\"mode\":\"all-at-once\"}").invalid());
        assertEquals(
                "parallelism must be a whole number of at least 1",
                read("{\"fleet\":\"s\",\"parallelism\":\"ten\"}").invalid());
        assertEquals(
                "parallelism must be a whole number of at least 1",
                read("{\"fleet\":\"s\",\"parallelism\":0}").invalid());
        assertEquals(
                "\"fleet\" must be text, not a list",
                read("{\"fleet\":[\"a\"]}").invalid());
        assertEquals(
                "the payload must be a JSON object, not \"shards\"",
                read("\"shards\"").invalid());
    }
}
