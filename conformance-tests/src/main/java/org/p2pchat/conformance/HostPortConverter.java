package org.p2pchat.conformance;

import org.p2pchat.protocol.HostPort;
import picocli.CommandLine;

/** Reads {@code HOST:PORT}. */
final class HostPortConverter implements CommandLine.ITypeConverter<HostPort> {
  @Override
  public HostPort convert(String value) {
    try {
      HostPort hp = HostPort.parse(value);
      if (hp.port() == 0) {
        throw new CommandLine.TypeConversionException("'" + value + "': the port must be 1-65535");
      }
      return hp;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
