/**
 * Announcements on real channels: webhook, SMTP email and the Atom feed kept in the target
 * database, each announcement key delivered once per channel.
 */
package org.fastdowntime.announce;
