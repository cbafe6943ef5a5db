/**
 * An environment's settings as the worker config resolves them (database, patch folder, people,
 * hooks, budgets), and the connections they open.
 */
package org.fastdowntime.env;
