/**
 * The immutable records and enums that cross Temporal: requests, signals, results, status,
 * policies. What people type is decoded leniently ({@code Lenient}) so a bad payload is kept and
 * judged, never dropped.
 */
package org.fastdowntime.model;
