/**
 * Levee's engine. No compatibility promise: anything here may change in any release.
 */
@NullMarked
package dev.levee.internal;

import org.jspecify.annotations.NullMarked;
