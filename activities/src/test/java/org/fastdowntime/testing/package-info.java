/**
 * Test helpers shared by every module's tests: a throwaway database per test, a recording HTTP
 * server.
 */
package org.fastdowntime.testing;
