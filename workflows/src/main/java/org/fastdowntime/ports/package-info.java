/** The activity interfaces the workflows call; the {@code activities} module implements them. */
package org.fastdowntime.ports;
