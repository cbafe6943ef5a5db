/**
 * The worker's side of the approval ledger: checking a verdict against the environment as it is (the pending file,
 * the people, the signature), and the client calls that find, start, read and write an environment's ledger.
 */
package org.fastdowntime.ledger;
