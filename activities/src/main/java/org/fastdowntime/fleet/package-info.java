/**
 * The worker's side of fleet windows: surveying a fleet's members (what each has pending) and preflighting one
 * member, including what an atomic window needs of it (prepared transactions allowed, none left behind).
 */
package org.fastdowntime.fleet;
