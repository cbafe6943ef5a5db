package org.fastdowntime.model;

/**
 * A stage in a downtime workflow's lifecycle. Its name is what people see: the {@code stage} of the
 * status query and the {@code DowntimeStage} search attribute.
 */
public interface Stage {
    String name();

    /** The workflow has ended in this stage: no signal can change it any more. */
    boolean terminal();
}
