/**
 * The history tables kept in the environment's own database (windows, patch landings, applications)
 * and the cycle-time report with its charts and page.
 */
package org.fastdowntime.report;
