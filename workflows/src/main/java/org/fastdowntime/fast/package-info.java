/**
 * FastDowntime: one short outage, QA gate to announcement. The workflow is a Temporal shell; the
 * state it keeps lives in plain classes beside it.
 */
package org.fastdowntime.fast;
