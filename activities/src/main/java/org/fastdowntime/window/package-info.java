/**
 * The steps around the outage: quiesce and resume hooks (commands, HTTP calls), post-checks,
 * announcements as an activity.
 */
package org.fastdowntime.window;
