/** What every activity implementation shares: heartbeats from a side thread, and JSON. */
package org.fastdowntime.activity;
