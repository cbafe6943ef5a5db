package org.fastdowntime.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.workflow.SignalMethod;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.fastdowntime.model.QaWord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** QA's words travel under the names the workflow's signals carry, and only those. */
@Tag("unit")
class QaWordTest {
    @Test
    void everyWordIsASignalOfTheFastWindowByItsWireName() {
        Set<String> signals = Arrays.stream(FastDowntimeWorkflow.class.getMethods())
                .filter(m -> m.isAnnotationPresent(SignalMethod.class))
                .map(m -> m.getAnnotation(SignalMethod.class).name())
                .collect(Collectors.toSet());
        for (QaWord word : QaWord.values()) {
            assertTrue(signals.contains(word.wire()), word + " is sent as " + word.wire() + "; signals: " + signals);
        }
    }

    @Test
    void aWordIsItsWireNameInJsonAndOnTheTimeline() throws Exception {
        assertEquals("\"signOff\"", new ObjectMapper().writeValueAsString(QaWord.SIGN_OFF));
        assertTrue(QaWord.QA_BAD.is("qaBad"));
        assertFalse(QaWord.QA_BAD.is("qaOk"));
    }
}
