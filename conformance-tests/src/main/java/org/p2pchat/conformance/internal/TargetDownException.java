package org.p2pchat.conformance.internal;

/** The target refused or did not accept a connection in time: it is not (or no longer) listening. */
public final class TargetDownException extends Exception {
  public TargetDownException(String message, Throwable cause) {
    super(message, cause);
  }
}
