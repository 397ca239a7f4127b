/**
 * How contracts are evaluated, on objects and on JSON, and enforced on the call path. No compatibility promise.
 */
@NullMarked
package dev.levee.internal.contract;

import org.jspecify.annotations.NullMarked;
