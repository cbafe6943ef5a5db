/**
 * DowntimeCalendar: the timers that open windows by themselves, per environment, and {@code Slots},
 * the arithmetic of its rules (fast slots, monthly windows, blackouts, daylight saving).
 */
package org.fastdowntime.calendar;
