package org.fastdowntime.fast;

import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fastdowntime.downtime.Verdicts;
import org.fastdowntime.model.ApprovalAnswer;
import org.fastdowntime.model.Lenient;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaWord;
import org.fastdowntime.model.SignalRecord;

/**
 * The {@code approve} update: a qaOk whose answer is each patch's verdict, and its validator, which refuses
 * before anything is recorded what the gate would refuse. Workflow code.
 */
final class ApprovalUpdate {
    private final QaGate qa;
    private final Verdicts verdicts;

    ApprovalUpdate(QaGate qa, Verdicts verdicts) {
        this.qa = qa;
        this.verdicts = verdicts;
    }

    ApprovalAnswer approve(QaSignal s) {
        int before = verdicts.all().size();
        int mine = s.each().size();
        qa.receive(QaWord.QA_OK, s, true);
        // Held until the candidates are known, then judged: the answer is each patch's verdict.
        Workflow.await(() -> ours(before, s).size() >= mine);
        return new ApprovalAnswer(ours(before, s));
    }

    /** The qaOk verdicts recorded since {@code before} for what {@code s}'s sender sent. */
    private List<SignalRecord> ours(int before, QaSignal s) {
        List<SignalRecord> all = verdicts.all();
        String by = Lenient.shown(s.by());
        return all.subList(before, all.size()).stream()
                .filter(r -> QaWord.QA_OK.is(r.signal()) && Objects.equals(r.by(), by))
                .toList();
    }

    void validate(QaSignal s) {
        if (s == null) {
            throw new IllegalArgumentException("the payload needs \"patch\" or \"patches\" and \"by\"");
        }
        List<QaSignal> each = s.each();
        if (each.size() > QaGate.MOST_PATCHES) {
            throw new IllegalArgumentException(
                    "an approval names at most " + QaGate.MOST_PATCHES + " patches; this one names " + each.size());
        }
        List<String> problems = qa.problems(QaWord.QA_OK, s);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < each.size(); i++) {
            if (problems.get(i) != null) {
                refused.add((each.get(i).patch() == null
                                ? ""
                                : Lenient.shown(each.get(i).patch()) + ": ")
                        + problems.get(i));
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", refused));
        }
    }
}
